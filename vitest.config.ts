import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // workerd start-up, ORT initialization and database set-up take seconds on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
