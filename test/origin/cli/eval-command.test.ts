import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mulberry32 } from "../../../models/random.ts";
import { UsageError } from "../../../origin/cli/command.ts";
import { runEval } from "../../../origin/cli/commands/eval.ts";
import { writeParquetTable } from "../support/parquet-table.ts";
import { reviewCorpus } from "../train/sentiment/review-corpus.ts";

let dir: string;

/** Captures what runEval prints with --json and parses it. */
async function evalJson(args: string[]): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
    lines.push(line);
  });
  try {
    expect(await runEval([...args, "--json"])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(lines.join("\n"));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "edgewise-eval-"));
  // Ratings in MovieLens layout: 3 blocks of 10 items, 20 users each; a user rates ~60 % of their block.
  // The test file holds ~25 % of each user's items (same users and items), NDJSON for the test half.
  const rng = mulberry32(5);
  const trainLines = ["userId,movieId,rating,timestamp"];
  const testLines: string[] = [];
  for (let u = 0; u < 60; u++) {
    const block = u % 3;
    for (let j = 0; j < 10; j++) {
      if (rng() < 0.6) {
        const item = block * 10 + j;
        const ts = 1_600_000_000 + u * 100 + j;
        if (rng() < 0.25) {
          testLines.push(
            JSON.stringify({
              event_id: `e-${u}-${item}`,
              type: "rating",
              user_id: String(u),
              item_id: String(item),
              value: 4,
              ts: ts * 1000,
              source: "import",
            }),
          );
        } else {
          trainLines.push(`${u},${item},4,${ts}`);
        }
      }
    }
  }
  await writeFile(path.join(dir, "ratings-train.csv"), `${trainLines.join("\n")}\n`);
  // One row of a user the training file lacks, one of an item it lacks: reported, not silently dropped.
  for (const [user, item] of [
    ["999", "0"],
    ["0", "777"],
  ]) {
    testLines.push(
      JSON.stringify({
        event_id: `x-${user}-${item}`,
        type: "view",
        user_id: user,
        item_id: item,
        ts: 1_700_000_000_000,
        source: "import",
      }),
    );
  }
  await writeFile(path.join(dir, "ratings-test.ndjson"), `${testLines.join("\n")}\n`);

  const toCsv = (c: { texts: string[]; labels: Uint8Array }) =>
    [
      "review,score",
      ...c.texts.map((t, i) => `"${t.replaceAll('"', '""')}",${c.labels[i] ? "great" : "other"}`),
    ].join("\n");
  await writeFile(path.join(dir, "reviews-train.csv"), toCsv(reviewCorpus(300, 1)));
  await writeFile(path.join(dir, "reviews-test.csv"), toCsv(reviewCorpus(100, 2)));

  // churn = yes when tenure < 12 months, mostly; plan is categorical
  const table = (n: number, seed: number) => {
    const r = mulberry32(seed);
    const rows = ["churn,tenure,plan"];
    for (let i = 0; i < n; i++) {
      const tenure = Math.floor(r() * 48);
      const plan = r() < 0.5 ? "monthly" : "yearly";
      const churn = (tenure < 12 ? 0.8 : 0.1) > r() ? "Yes" : "No";
      rows.push(`${churn},${tenure},${plan}`);
    }
    return rows.join("\n");
  };
  await writeFile(path.join(dir, "churn-train.csv"), table(600, 3));
  await writeFile(path.join(dir, "churn-test.csv"), table(200, 4));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("edgewise eval", () => {
  it("recs: runs the pipeline's step on MovieLens CSV, scores NDJSON events, and reports what it cannot score", async () => {
    const r = await evalJson([
      "recs",
      "--train",
      path.join(dir, "ratings-train.csv"),
      "--test",
      path.join(dir, "ratings-test.ndjson"),
      "--k",
      "5",
    ]);
    expect(r.k).toBe(5);
    const served = r.served as {
      kind: string;
      test: { ndcg: number; users: number };
      refused: string | null;
    };
    const popularity = (r.popularity as { test: { ndcg: number } }).test.ndcg;
    expect(["mf", "ease"]).toContain(served.kind);
    expect(served.refused).toBeNull();
    expect(served.test.ndcg).toBeGreaterThan(popularity);
    expect(r.test).toMatchObject({
      unknownUserRows: 1,
      unseenItemRows: 1,
      unseenItems: 1,
      alreadyInTrain: 0,
    });
    const tuning = r.tuning as { fits: number; trials: unknown[]; tuneSeconds: number; fitSeconds: number };
    expect(tuning.trials).toHaveLength(tuning.fits);
    expect(tuning.tuneSeconds).toBeGreaterThan(0);
    expect(tuning.fitSeconds).toBeGreaterThan(0);
  });

  it("recs: reads a column-mapped CSV and Parquet, and reports every dropped test row by reason and line", async () => {
    // the same block structure as above, as play counts with ISO times; the test half as Parquet
    const rng = mulberry32(9);
    const train = ["listener,track,played_at,plays"];
    const test = {
      listener: [] as string[],
      track: [] as string[],
      played_at: [] as string[],
      plays: [] as number[],
    };
    for (let u = 0; u < 60; u++) {
      for (let j = 0; j < 10; j++) {
        if (rng() < 0.6) {
          const track = `t${(u % 3) * 10 + j}`;
          const at = new Date(Date.UTC(2023, 0, 1 + j, u % 24)).toISOString();
          if (rng() < 0.25) {
            test.listener.push(`l${u}`);
            test.track.push(track);
            test.played_at.push(at);
            test.plays.push(1 + (j % 3));
          } else {
            train.push(`l${u},${track},${at},${1 + (j % 3)}`);
          }
        }
      }
    }
    train.push("l1,t1,not a time,2"); // an unreadable training row
    test.listener.push("stranger", "l0");
    test.track.push("t0", "never-played");
    test.played_at.push("2023-02-01T00:00:00Z", "2023-02-01T00:00:00Z");
    test.plays.push(1, 1);
    await writeFile(path.join(dir, "plays-train.csv"), `${train.join("\n")}\n`);
    writeParquetTable(path.join(dir, "plays-test.parquet"), {
      listener: [test.listener, "STRING"],
      track: [test.track, "STRING"],
      played_at: [test.played_at, "STRING"],
      plays: [test.plays, "DOUBLE"],
    });
    const r = await evalJson([
      "recs",
      ...["--train", path.join(dir, "plays-train.csv"), "--test", path.join(dir, "plays-test.parquet")],
      ...["--user-col", "listener", "--item-col", "track", "--time-col", "played_at"],
      ...["--value-col", "plays", "--value-kind", "count", "--k", "5"],
    ]);
    const trainReport = r.train as {
      interactions: number;
      dropped: { counts: Record<string, number>; examples: string[] };
    };
    expect(trainReport.interactions).toBe(train.length - 2);
    expect(trainReport.dropped.counts).toEqual({ unreadable: 1 });
    expect(trainReport.dropped.examples).toEqual([
      expect.stringMatching(new RegExp(`^line ${train.length}: played_at: 'not a time'`)),
    ]);
    const testReport = r.test as {
      pairs: number;
      unknownUserRows: number;
      unseenItemRows: number;
      dropped: { counts: Record<string, number>; examples: string[] };
    };
    const n = test.listener.length;
    expect(testReport.dropped.counts).toEqual({ "user not in --train": 1, "item not in --train": 1 });
    expect(testReport.dropped.examples).toEqual([
      `line ${n - 1}: user 'stranger' is not in --train`,
      `line ${n}: item 'never-played' is not in --train`,
    ]);
    expect(testReport.unknownUserRows + testReport.unseenItemRows).toBe(2);
    expect(testReport.pairs).toBe(n - 2);
    const served = (r.served as { test: { ndcg: number } }).test.ndcg;
    expect(served).toBeGreaterThan((r.popularity as { test: { ndcg: number } }).test.ndcg);
  });

  it("sentiment: the model labels held-out reviews at least as well as the lexicon", async () => {
    const r = await evalJson([
      "sentiment",
      "--train",
      path.join(dir, "reviews-train.csv"),
      "--test",
      path.join(dir, "reviews-test.csv"),
    ]);
    const lexicon = r.lexicon as { accuracy: number };
    const model = r.model as { int8: { accuracy: number } };
    // every adjective of the generated corpus is in AFINN, so the lexicon can be perfect here too
    expect(model.int8.accuracy).toBeGreaterThanOrEqual(Math.min(lexicon.accuracy, 0.95));
  });

  it("behaviour: the model's ROC-AUC beats the majority class", async () => {
    const r = await evalJson([
      "behaviour",
      "--train",
      path.join(dir, "churn-train.csv"),
      "--test",
      path.join(dir, "churn-test.csv"),
    ]);
    expect((r.majority as { rocAuc: number }).rocAuc).toBe(0.5);
    expect((r.model as { int8: { rocAuc: number } }).int8.rocAuc).toBeGreaterThan(0.75);
  });

  it("rejects an unknown task and missing files with a usage error", async () => {
    await expect(runEval(["ranking", "--train", "a", "--test", "b"])).rejects.toBeInstanceOf(UsageError);
    await expect(runEval(["recs", "--train", "a"])).rejects.toBeInstanceOf(UsageError);
  });
});
