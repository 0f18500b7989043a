import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";

/**
 * A secret kept in a file of the local data directory, created on first use, so a second
 * `npm start` reuses it (mode 0600: it is a credential even locally).
 */
export async function persistedSecret(file: string, create: () => Promise<string> | string): Promise<string> {
  try {
    const existing = (await readFile(file, "utf8")).trim();
    if (existing) {
      return existing;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw error;
    }
  }
  const secret = await create();
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function randomKey(prefix: string): string {
  return `${prefix}${randomBytes(24).toString("base64url")}`;
}
