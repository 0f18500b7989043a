import { beforeAll } from "vitest";
import { suiteResource } from "./suite-resource.ts";

/** What a backend's test file hands its conformance suite: the opened backend and how to remove it. */
export interface ConformanceBackend {
  cleanup(): Promise<void>;
}

/**
 * The backend a conformance suite runs against: opened before the suite's first test and handed to
 * `ready` (which keeps what the tests use and migrates or prepares it), cleaned up after the last test,
 * also when `ready` failed. The backend exists only once `beforeAll` has run, hence the getter.
 */
export function conformanceBackend<T extends ConformanceBackend>(
  open: () => Promise<T>,
  ready: (backend: T) => Promise<void> | void,
): () => T {
  const opened = suiteResource(async () => {
    const backend = await open();
    return { backend, close: () => backend.cleanup() };
  });
  beforeAll(async () => {
    await ready(opened().backend);
  });
  return () => opened().backend;
}
