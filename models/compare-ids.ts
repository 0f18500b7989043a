/**
 * The one order of ids both sides sort by: UTF-16 code unit by code unit (what `<` does on strings),
 * whatever the locale. User shards keep their ids in it (the edge binary-searches them), and training
 * numbers users and items in it, so a file and the store give the same indices.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
