export { createOriginApp, type OriginAppDeps } from "./app.ts";
export type { BatchResult } from "./ingest-batch.ts";
export { BatchResultBody, ErrorBody, HealthBody } from "./schemas.ts";
export { listen, type RunningServer } from "./serve.ts";
