export type { BatchResult } from "../ingest/http/ingest-batch.ts";
export { BatchResultBody, ErrorBody, HealthBody, LearningBatchResultBody } from "../ingest/http/schemas.ts";
export type { LearningBatchResult } from "../learn/http/learning-batch.ts";
export { createOriginApp, type OriginAppDeps } from "./app.ts";
export { listen, type RunningServer } from "./serve.ts";
