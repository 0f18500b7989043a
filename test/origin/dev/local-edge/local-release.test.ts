/**
 * What `edgewise start` finds in the local edge's KV (persisted Miniflare KV, as `edgewise publish --local`
 * opens it): a trained release, none, or an unreadable manifest/current that it explains and rewrites.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kvKeys } from "../../../../models/contracts/index.ts";
import { localTrainedRelease } from "../../../../origin/dev/local-edge/local-release.ts";
import { seedDemo } from "../../../../origin/dev/local-edge/seed-demo.ts";
import { createMiniflareKvWriter, readCurrentManifest } from "../../../../origin/release/publish/index.ts";
import { type LocalKv, openLocalKv } from "../../../../origin/release/publish/open-local-kv.ts";

const rootDir = join(import.meta.dirname, "..", "..", "..", "..");

let dir: string;
let kv: LocalKv;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgewise-local-release-"));
  kv = await openLocalKv({ rootDir, persistDir: dir });
});
afterEach(async () => {
  await kv?.dispose();
  await rm(dir, { recursive: true, force: true });
});

function logLines() {
  const lines: string[] = [];
  return { lines, log: (line: string) => void lines.push(line) };
}

describe("the release start finds", () => {
  it("explains a corrupt manifest in one line and rewrites it from the newest kept release", async () => {
    const { manifest: seeded } = await seedDemo(kv, { users: 3 });
    await kv.models.put(kvKeys.currentManifest, '{"version": 1, "models": ');
    const { lines, log } = logLines();

    expect(await localTrainedRelease(kv.models, log)).toBe(true);
    expect(lines).toEqual([
      `edge: manifest/current in KV is not JSON; rewriting it from manifest/${seeded.version}, the newest readable release, as manifest ${seeded.version + 1}`,
    ]);
    const repaired = await readCurrentManifest(createMiniflareKvWriter(kv.models));
    expect(repaired).toMatchObject({
      version: seeded.version + 1,
      previousVersion: seeded.version,
      models: seeded.models,
      artifacts: seeded.artifacts,
    });

    // Repaired once: the next start finds a good pointer and says nothing.
    const again = logLines();
    expect(await localTrainedRelease(kv.models, again.log)).toBe(true);
    expect(again.lines).toEqual([]);
  });

  it("explains a corrupt manifest with nothing kept to rewrite it from, and asks for training", async () => {
    await kv.models.put(kvKeys.currentManifest, "[]");
    const { lines, log } = logLines();
    expect(await localTrainedRelease(kv.models, log)).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^edge: manifest\/current in KV is not a valid manifest: .*training and publishing below$/,
    );
  });

  it("tells a trained release from none and from demo models only", async () => {
    expect(await localTrainedRelease(kv.models, () => {})).toBe(false);
    await seedDemo(kv, { users: 2 });
    expect(await localTrainedRelease(kv.models, () => {})).toBe(true);
  });
});
