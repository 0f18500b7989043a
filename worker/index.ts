import { createApp } from "./app.ts";
import type { Env } from "./env.ts";

const app = createApp();

// Only the default export: workerd treats every named export of the entry module as an entrypoint.
export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
