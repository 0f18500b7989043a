/**
 * `record[key]` for a key a client chose, counting only the record's own properties: a plain object
 * parsed from JSON inherits `__proto__`, `constructor`, `toString` … from Object.prototype, and a
 * lookup that found those would treat a function as a model entry, a feature vector or an attribute.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
