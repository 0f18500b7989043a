/**
 * The hand-off's return trip with factors this trainer fitted: a training run on the window before T
 * publishes to a local edge's KV; its user and item factors are written as an engine past one machine
 * writes them (users as Spark's `features` list joined to Edgewise ids, items as columns f0 … fN-1), with
 * a bad row and an unknown id among them; `edgewise import-factors --until T` gates them on the events
 * after T and publishes; the real Worker in workerd then answers every probed user exactly as it did
 * from the trainer's own release.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestRecord } from "../../../../models/contracts/index.ts";
import { loadOriginConfig } from "../../../../origin/config.ts";
import { startLocalEdge } from "../../../../origin/dev/local-edge/local-edge.ts";
import { generateTasteClusterData } from "../../../../origin/dev/sample-data/index.ts";
import { createSqlEventStore, openPgliteDatabase } from "../../../../origin/ingest/store/index.ts";
import { createModelRegistry, targetsRunner } from "../../../../origin/release/index.ts";
import { issueApiKey } from "../../../../origin/release/publish/api-keys.ts";
import {
  fittedRecommender,
  type MfModel,
  runTrainingCycle,
  trainingCycleSettings,
} from "../../../../origin/train/index.ts";
import { projectRoot } from "../../../support/local-edge.ts";
import { runCliInProcess as edgewise, usePgliteConfig } from "../../support/run-cli.ts";

let dir: string;
let kvDir: string;
let untilMs: number;
let fitted: { userIds: string[]; itemIds: string[]; mf: MfModel };
let usersFile: string;
let itemsFile: string;
const saved = { ...process.env };

interface Answer {
  coldStart: boolean;
  items: Array<{ item_id: string; score: number }>;
}

/** Each user's answer, and the `catalogue version@manifest version` that answered (one per edge run). */
interface EdgeAnswers {
  answers: Map<string, Answer>;
  served: Set<string>;
}

/** Starts the built Worker on the published KV, asks for each user's top 10, and stops it. */
async function answersFromEdge(userIds: readonly string[]): Promise<EdgeAnswers> {
  const edge = await startLocalEdge({
    rootDir: projectRoot,
    kvPersistDir: kvDir,
    vars: { MANIFEST_TTL_SECONDS: "0", FEATURE_TTL_SECONDS: "0" },
  });
  try {
    const apiKey = await issueApiKey(await edge.kv("MODELS"), "round-trip");
    const answers = new Map<string, Answer>();
    const served = new Set<string>();
    for (const userId of userIds) {
      const response = await fetch(new URL(`/recommendations?user_id=${userId}&k=10`, edge.url), {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        cold_start: boolean;
        items: Answer["items"];
        model_versions: Record<string, string>;
      };
      answers.set(userId, { coldStart: body.cold_start, items: body.items });
      served.add(`${body.model_versions.catalog}@${body.model_versions.manifest}`);
    }
    return { answers, served };
  } finally {
    await edge.dispose();
  }
}

/**
 * The trainer's factors as an engine past one machine writes them: users as Spark's `features` list
 * joined to Edgewise ids, with a row for an id the store lacks and a row holding a NaN; items as
 * columns f0 … fN-1.
 */
function writeFactorFiles(): void {
  const { mf, userIds, itemIds } = fitted;
  const f = mf.factors;
  const userVectors = userIds.map((_, u) => Array.from(mf.userFactors.subarray(u * f, (u + 1) * f)));
  parquetWriteFile({
    filename: usersFile,
    columnData: [
      { name: "user_id", data: [...userIds, "ghost", "ghost-nan"] },
      {
        name: "features",
        data: [...userVectors, userVectors[0], [Number.NaN, ...userVectors[0]!.slice(1)]],
      },
    ],
    schema: [
      { name: "spark_schema", num_children: 2 },
      { name: "user_id", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      { name: "features", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      { name: "element", type: "FLOAT", repetition_type: "OPTIONAL" },
    ],
  });
  parquetWriteFile({
    filename: itemsFile,
    columnData: [
      { name: "item_id", data: itemIds, type: "STRING" },
      ...Array.from({ length: f }, (_, a) => ({
        name: `f${a}`,
        data: itemIds.map((_, i) => mf.itemFactors[i * f + a]!),
        type: "FLOAT" as const,
      })),
    ],
  });
}

/** `edgewise import-factors` of the trainer's factor files into the local edge's KV. */
function importFactors(until: string, ...more: string[]): Promise<{ code: number; out: string }> {
  const files = ["--users", usersFile, "--items", itemsFile];
  return edgewise("import-factors", ...files, "--until", until, "--local", kvDir, "--no-progress", ...more);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgewise-import-factors-"));
  kvDir = join(dir, "edge");
  usersFile = join(dir, "user_factors.parquet");
  itemsFile = join(dir, "item_factors.parquet");
  usePgliteConfig(join(dir, "db"));
  delete process.env.PUBLISH_TOLERANCE;
  const data = generateTasteClusterData({ endMs: Date.now() - 3_600_000, users: 150, items: 80, seed: 5 });
  // T: four fifths of the interactions before it, the rest held out for the import's gate.
  const times = data.records
    .filter((record) => record.type !== "item" && record.type !== "user" && record.item_id !== undefined)
    .map((record) => Number(record.ts))
    .sort((a, b) => a - b);
  untilMs = times[Math.floor(times.length * 0.8)]!;

  const database = await openPgliteDatabase({ dataDir: join(dir, "db") });
  const eventStore = createSqlEventStore(database);
  try {
    await database.migrate();
    await eventStore.insertBatch(data.records.map((record) => IngestRecord.parse(record)));
    const settings = trainingCycleSettings(loadOriginConfig());
    const ownFit = fittedRecommender(settings.pipeline.recs);
    const trained = await runTrainingCycle(
      {
        eventStore,
        registry: createModelRegistry(database.db),
        targets: targetsRunner({ kind: "local", dir: kvDir }),
      },
      {
        trigger: "manual",
        publish: true,
        ...settings,
        pipeline: {
          ...settings.pipeline,
          window: { days: 0, untilMs },
          // The trainer's own fit, with its factors kept for the files an engine would write.
          recommender: async (input) => {
            const result = await ownFit(input);
            fitted = {
              userIds: input.log.users.map((user) => user.userId),
              itemIds: input.log.items.map((item) => item.itemId),
              mf: result.mf!,
            };
            return result;
          },
        },
      },
    );
    expect(trained.message).not.toMatch(/failed/);
    expect(trained.outcome).toBe("published");
    expect(fitted.mf).not.toBeNull();
  } finally {
    await eventStore.close();
  }
  writeFactorFiles();
});

afterAll(async () => {
  process.env = { ...saved };
  await rm(dir, { recursive: true, force: true });
});

describe("edgewise import-factors", () => {
  it("serves the same answers from the trainer's factors imported as Spark writes them", async () => {
    const { mf, userIds } = fitted;
    const f = mf.factors;
    const probed = userIds.filter((_, u) => mf.userFactors.subarray(u * f, (u + 1) * f).some((v) => v !== 0));
    const fromTrainer = await answersFromEdge(probed.slice(0, 40));

    const imported = await importFactors(
      String(untilMs),
      // The serving recs were measured on the trainer's random split, these on the later events: a
      // comparison across two evaluations, which --force overrides; the baseline gate still holds.
      "--force",
    );
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toMatch(/recs +mf +ndcg@10 0\.\d{4} \(popularity 0\.\d{4}\)/);
    expect(imported.out).toContain(`${userIds.length} of ${userIds.length} users imported`);
    expect(imported.out).toContain("rows skipped: 1 id unknown to the store, 1 NaN or infinite value;");
    expect(imported.out).toMatch(/gated on \d+ held-out user-item pairs/);
    expect(imported.out).toMatch(/gate: recs: .*vs popularity 0\.\d{4}: beats the baseline/);
    expect(imported.out).toMatch(/published manifest 2/);

    const fromImport = await answersFromEdge(probed.slice(0, 40));
    // Each answered from its own release: the import's catalogue in manifest 2, not the trainer's.
    const [trainerCatalog, trainerManifest] = [...fromTrainer.served][0]!.split("@");
    const [importCatalog, importManifest] = [...fromImport.served][0]!.split("@");
    expect([fromTrainer.served.size, fromImport.served.size]).toEqual([1, 1]);
    expect([trainerManifest, importManifest]).toEqual(["1", "2"]);
    expect(importCatalog).not.toBe(trainerCatalog);
    for (const [userId, answer] of fromTrainer.answers) {
      expect(answer.coldStart).toBe(false);
      expect(fromImport.answers.get(userId), userId).toEqual(answer);
    }
    // Personalised answers, not one list for everybody: the equality above says something.
    const lists = new Set(
      [...fromTrainer.answers.values()].map((a) => a.items.map((item) => item.item_id).join()),
    );
    expect(lists.size).toBeGreaterThan(10);
  });

  it("refuses factors of two widths before any run starts", async () => {
    const users = join(dir, "narrow-users.parquet");
    parquetWriteFile({
      filename: users,
      columnData: [
        { name: "user_id", data: ["u"], type: "STRING" },
        { name: "f0", data: [1], type: "FLOAT" },
      ],
    });
    const result = await edgewise(
      "import-factors",
      "--users",
      users,
      "--items",
      itemsFile,
      "--until",
      String(untilMs),
      "--local",
      kvDir,
    );
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/the factors differ in width: 1 in .*narrow-users\.parquet, \d+ in/);
  });

  it("stops, saying why, when no interactions after --until are held out for the gate", async () => {
    const result = await importFactors(new Date().toISOString());
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /cannot gate the imported factors: 0 users have new items after the window's end .* the baseline gate needs 20/,
    );
  });
});
