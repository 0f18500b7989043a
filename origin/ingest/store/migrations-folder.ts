import { fileURLToPath } from "node:url";

/** The SQL migrations drizzle-kit writes (migrations/ at the repository root), for every backend's migrator. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../migrations", import.meta.url));
