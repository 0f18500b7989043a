/**
 * Makes Ctrl-C (and SIGTERM) stop the local stack in order: Miniflare installs signal listeners that
 * kill workerd and exit at once, which would leave the embedded database unclosed. We replace them
 * with one shutdown that disposes the edge (Miniflare's own clean stop), closes the origin and its
 * database, then exits. A second signal exits immediately.
 */
export function takeOverSignals(shutdown: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      console.log("\nstopping… (again to force)");
      for (const again of ["SIGINT", "SIGTERM"] as const) {
        process.removeAllListeners(again);
        process.once(again, () => process.exit(130));
      }
      shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error("stopping failed:", error);
          process.exit(1);
        },
      );
    });
  }
}
