import { afterAll, beforeAll } from "vitest";

/**
 * A resource shared by every test of the enclosing suite (a started origin, edge or relay): started before
 * the first test and closed after the last. It exists only once `beforeAll` has run, hence the getter.
 */
export function suiteResource<T extends { close(): Promise<unknown> | undefined | undefined }>(
  start: () => Promise<T>,
): () => T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await start();
  });
  afterAll(async () => {
    await resource?.close();
  });
  return () => {
    if (resource === undefined) {
      throw new Error("a suite resource was used before its beforeAll started it");
    }
    return resource;
  };
}
