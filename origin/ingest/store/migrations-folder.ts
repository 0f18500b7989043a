import path from "node:path";
import { PACKAGE_ROOT } from "../../package-root.ts";

/** The SQL migrations every backend applies (drizzle-kit writes them; the package ships them). */
export const MIGRATIONS_FOLDER = path.join(PACKAGE_ROOT, "migrations");
