import { configDefaults, defineConfig } from "vitest/config";

/**
 * The suite in four projects by what a test needs to run, not by the folder it sits in
 * (`npm run test:<name>`; `npm test` runs all four). CONTRIBUTING.md says which to run when.
 *
 * - unit: nothing but Node (in-process ONNX runtimes and HTTP servers included); the wasm kernels are
 *   rebuilt first when stale.
 * - edge: a real workerd running the built Worker (dist/worker, rebuilt first when stale), or workerd
 *   through Miniflare.
 * - origin: databases and processes: PGlite, Postgres on 127.0.0.1 (suites skip without it), the MongoDB
 *   test server, the CLI, local KV in workerd.
 * - e2e: the whole stack, from an ingested batch to an edge answer, and `edgewise start` as a child process.
 *
 * A new test file lands in `unit` unless it is listed below; list it here when it needs more.
 */
const EDGE = [
  "test/worker/edge-http.test.ts",
  "test/worker/openapi-docs.test.ts",
  "test/worker/edge-routes.fuzz.test.ts",
  "test/worker/learning-log-delivery.test.ts",
  "test/worker/release-switch.test.ts",
  "test/worker/events-endpoint.test.ts",
  "test/worker/learning-endpoints.test.ts",
  "test/worker/learning-loop.test.ts",
  "test/worker/model-endpoints.test.ts",
  "test/worker/recommendations-endpoint.test.ts",
  "test/worker/seen-items-endpoint.test.ts",
  "test/worker/similar-items-endpoint.test.ts",
  "test/worker/score-endpoint.test.ts",
  "test/models/bandit/node-workerd-parity.test.ts",
  "test/models/text/node-workerd-parity.test.ts",
  // The publishers' conformance and the publish protocol, against a local edge's KV and the built Worker.
  "test/origin/release/publish/cloudflare-kv-writer.test.ts",
  "test/origin/release/publish/miniflare-kv-writer.test.ts",
  "test/origin/release/publish/publish-release.test.ts",
  "test/origin/release/publish/rollback.test.ts",
  // Trainer → factor files → import-factors → the built Worker's answers.
  "test/origin/train/handoff/import-factors-round-trip.test.ts",
];

const ORIGIN = [
  "test/origin/cli/edgewise-cli.test.ts",
  "test/origin/cli/import-command.test.ts",
  "test/origin/cli/cli-package.test.ts",
  "test/origin/cli/learn-command.test.ts",
  "test/origin/train/enrichment/images/training-with-images.test.ts",
  "test/origin/train/enrichment/images/local-image-urls.test.ts",
  "test/origin/cli/train-publish-commands.test.ts",
  "test/origin/dev/local-edge/local-release.test.ts",
  "test/origin/ingest/ingest-file.test.ts",
  "test/origin/train/handoff/export-interactions.test.ts",
  "test/origin/learn/learning-store.test.ts",
  "test/origin/learn/run-learning.test.ts",
  "test/origin/release/publish-trained-release.test.ts",
  "test/origin/train/pipeline/dirty-rows.test.ts",
  "test/origin/train/pipeline/run-training-pipeline.test.ts",
  "test/origin/train/pipeline/training-window.test.ts",
  "test/origin/train/pipeline/id-order.test.ts",
  "test/origin/cli/scheduled-retraining.test.ts",
  "test/origin/ingest/raw/**/*.test.ts",
  "test/origin/release/registry/neon.test.ts",
  "test/origin/release/registry/pglite.test.ts",
  "test/origin/release/registry/postgres.test.ts",
  "test/origin/ingest/http/**/*.test.ts",
  "test/origin/ingest/store/**/*.test.ts",
  "test/origin/learn/http/**/*.test.ts",
  "test/origin/server/**/*.test.ts",
];

// `edgewise start` as a child process: the whole local stack.
const E2E = ["test/e2e/**/*.test.ts", "test/origin/cli/start-command.test.ts"];

export default defineConfig({
  test: {
    environment: "node",
    // The origin's request lines (JSON on stdout) stay out of the test output; tests that read them
    // give the app a logger of their own.
    env: { LOG_LEVEL: "silent" },
    // workerd start-up, ORT initialization and database set-up take seconds on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...EDGE, ...ORIGIN, ...E2E],
          // Files share a worker's module instances instead of re-importing zod, ORT and the rest per
          // file: half the CPU time (27 s to 13 s here). Each file must restore what it changes
          // globally (spies, fake timers, stubbed globals), as they all do.
          isolate: false,
          globalSetup: ["test/support/setup-wasm-kernels.ts"],
        },
      },
      {
        extends: true,
        test: { name: "edge", include: EDGE, globalSetup: ["test/support/setup-worker-bundle.ts"] },
      },
      { extends: true, test: { name: "origin", include: ORIGIN } },
      {
        extends: true,
        test: { name: "e2e", include: E2E, globalSetup: ["test/support/setup-worker-bundle.ts"] },
      },
    ],
  },
});
