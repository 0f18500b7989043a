/** Adds `value` to the list `groups` holds under `key`, starting the list on the key's first value. */
export function appendToGroup<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const list = groups.get(key);
  if (list === undefined) {
    groups.set(key, [value]);
  } else {
    list.push(value);
  }
}
