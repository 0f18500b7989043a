/**
 * origin/dev: the dev flow's door. What runs Edgewise on one machine: a local edge (the built Worker in
 * workerd through Miniflare, local-edge/), the local stack `edgewise start` runs (local-stack/) and the
 * generated sample data it ingests (sample-data/). Other flows and the doors import from here only.
 */
export {
  type LocalEdge,
  type LocalEdgeOptions,
  type LocalQueueOptions,
  startLocalEdge,
} from "./local-edge/local-edge.ts";
export { localTrainedRelease } from "./local-edge/local-release.ts";
export { postRecords } from "./local-stack/post-sample-data.ts";
export { persistedSecret, randomKey } from "./local-stack/stack-keys.ts";
export { takeOverSignals } from "./local-stack/take-over-signals.ts";
export * from "./sample-data/index.ts";
