/** drizzle-kit configuration: `npm run db:generate` writes SQL migrations for origin/store/schema.ts. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./origin/store/schema.ts",
  out: "./migrations",
});
