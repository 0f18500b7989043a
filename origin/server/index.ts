export { createOriginApp, type OriginAppDeps } from "./app.ts";
export type { BatchResult } from "./ingest-batch.ts";
export type { LearningBatchResult } from "./learning-batch.ts";
export { BatchResultBody, ErrorBody, HealthBody, LearningBatchResultBody } from "./schemas.ts";
export { listen, type RunningServer } from "./serve.ts";
