import { kvKeys, UserFeatures } from "../../models/contracts/index.ts";
import { readJson } from "./read-json.ts";

/** Reads one user's features; null when the user is unknown or the record is unreadable. */
export async function readUserFeatures(kv: KVNamespace, userId: string): Promise<UserFeatures | null> {
  const raw = await readJson(kv, kvKeys.user(userId));
  if (raw === null) {
    return null;
  }
  const parsed = UserFeatures.safeParse(raw);
  if (!parsed.success) {
    console.error(`ignoring invalid features for user ${userId}: ${parsed.error.message}`);
    return null;
  }
  return parsed.data;
}
