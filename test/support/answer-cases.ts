/**
 * The fetch handler of a parity Worker (see workerd-parity.ts): answers `cases()` computed where it runs,
 * as JSON, with the runtime's user agent. Kept apart from workerd-parity.ts, which imports Node tools
 * that must not be bundled into the Worker.
 */
export function answerCases(cases: () => unknown): { fetch(): Response } {
  return {
    fetch: () =>
      new Response(JSON.stringify(cases()), {
        headers: { "content-type": "application/json", "x-runtime": navigator.userAgent },
      }),
  };
}
