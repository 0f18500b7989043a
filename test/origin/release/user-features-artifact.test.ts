import { describe, expect, it } from "vitest";
import type { UserFeatures } from "../../../models/contracts/index.ts";
import { decodeUserFeaturesArtifact, encodeUserFeaturesArtifact } from "../../../origin/release/index.ts";

describe("the user-features snapshot", () => {
  it("round-trips users across several gzip members, text with newlines and non-ASCII included", () => {
    const users: UserFeatures[] = Array.from({ length: 12_345 }, (_, u) => ({
      userId: u % 1000 === 0 ? `ünï\ncødé-${u}` : `user-${u}`,
      updatedAt: "2026-11-20T00:00:00.000Z",
      vectors: { behaviour: [u, -(u + 1) / 3] },
      producedFor: { behaviour: "r1" },
      recentItems: [`item-${u % 7}`],
      embedding: { model: "recs-mf", version: "r1", values: [0.5, u] },
    }));
    expect(decodeUserFeaturesArtifact(encodeUserFeaturesArtifact(users))).toEqual(users);
  });

  it("round-trips an empty user base", () => {
    expect(decodeUserFeaturesArtifact(encodeUserFeaturesArtifact([]))).toEqual([]);
  });
});
