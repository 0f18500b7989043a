export type { BatchResult } from "../ingest/index.ts";
export { BatchResultBody, ErrorBody, HealthBody, LearningBatchResultBody } from "../ingest/index.ts";
export type { LearningBatchResult } from "../learn/index.ts";
export { type RequestSampler, startRequestSampler } from "./admin/request-sampler.ts";
export { createOriginApp, type OriginAppDeps } from "./app.ts";
export { listen, type RunningServer } from "./serve.ts";
