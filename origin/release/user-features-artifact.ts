/**
 * Every user's features of a release, kept with the release as one artifact (gzipped NDJSON). Users' KV
 * records (`user/<id>`) are not versioned: the next publish overwrites them, and an embedding only scores
 * against the catalogue of its own training run. A rollback restores the manifest *and* rewrites the users
 * from this snapshot, so the restored catalogue meets the user embeddings it was trained with.
 *
 * Written as a series of gzip members of a few thousand lines each (a valid gzip stream) and read line by
 * line, so a large user base never becomes one JavaScript string (V8 caps strings near 512 MB).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { ARTIFACT_NAMES, UserFeatures } from "../../models/contracts/index.ts";

export const USER_FEATURES_ARTIFACT = ARTIFACT_NAMES.userFeatures;

const USERS_PER_MEMBER = 5000;
const NEWLINE = 0x0a;

export function encodeUserFeaturesArtifact(users: readonly UserFeatures[]): Uint8Array {
  const members: Buffer[] = [];
  for (let from = 0; from < users.length; from += USERS_PER_MEMBER) {
    const lines = users.slice(from, from + USERS_PER_MEMBER).map((user) => `${JSON.stringify(user)}\n`);
    members.push(gzipSync(lines.join("")));
  }
  return new Uint8Array(Buffer.concat(members.length > 0 ? members : [gzipSync("")]));
}

export function decodeUserFeaturesArtifact(bytes: Uint8Array): UserFeatures[] {
  const text = gunzipSync(bytes);
  const users: UserFeatures[] = [];
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf(NEWLINE, start);
    const stop = end < 0 ? text.length : end;
    if (stop > start) {
      users.push(UserFeatures.parse(JSON.parse(text.toString("utf8", start, stop))));
    }
    start = stop + 1;
  }
  return users;
}
