/**
 * drizzle-kit configuration: `npm run db:generate` writes SQL migrations for the event store, the model
 * registry and the learning loop's tables.
 */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: [
    "./origin/ingest/store/schema.ts",
    "./origin/release/registry/schema.ts",
    "./origin/learn/schema.ts",
  ],
  out: "./migrations",
});
