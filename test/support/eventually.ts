/**
 * Reads until `done` accepts the value or `tries` more reads (100 ms apart) have passed, and returns the
 * last value read either way, so the test's assertion on it says what never arrived.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  tries = 100,
): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i >= tries) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
