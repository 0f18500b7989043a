import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../origin/cli/main.ts";
import { createPgliteEventStore } from "../../../origin/ingest/store/index.ts";
import { writeParquetTable } from "../support/parquet-table.ts";

/** Runs `edgewise ARGS` in this process and returns its exit code and what it printed. */
async function edgewise(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: string) => {
    lines.push(String(line));
  });
  const error = vi.spyOn(console, "error").mockImplementation((line: string) => {
    lines.push(String(line));
  });
  try {
    return { code: await main(args), out: lines.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

// Each import opens and migrates PGlite and writes a few hundred records: seconds, but minutes when the
// machine is shared and loaded.
describe("edgewise import", { timeout: 240_000 }, () => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgewise-import-"));
    process.env.EDGEWISE_DATA_DIR = dir;
    delete process.env.PGLITE_DIR;
    delete process.env.DATABASE_URL;
    delete process.env.EVENT_STORE;
    delete process.env.MONGODB_URL;
  });
  afterAll(async () => {
    process.env = { ...saved };
    await rm(dir, { recursive: true, force: true });
  });

  async function stored() {
    const store = await createPgliteEventStore({ dataDir: join(dir, "pglite") });
    try {
      const byType: Record<string, number> = {};
      for await (const batch of store.streamEvents()) {
        for (const event of batch) {
          byType[event.type] = (byType[event.type] ?? 0) + 1;
        }
      }
      return { byType, users: await store.listUsers(), items: await store.listItems() };
    } finally {
      await store.close();
    }
  }

  it("imports Segment event lines once, items and users included, and a bad line costs only itself", async () => {
    const at = (minute: number) => new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      const product = {
        product_id: `sku-${i % 7}`,
        name: `Product ${i % 7}`,
        category: "Tools",
        price: 5 + (i % 7),
      };
      lines.push(
        JSON.stringify({
          type: "track",
          event: "Product Viewed",
          messageId: `view-${i}`,
          userId: `u-${i % 5}`,
          timestamp: at(i),
          properties: product,
        }),
      );
    }
    lines.push(
      JSON.stringify({
        type: "identify",
        messageId: "id-1",
        userId: "u-1",
        timestamp: at(50),
        traits: { plan: "pro", address: { city: "Lyon" } },
      }),
      JSON.stringify({
        type: "track",
        event: "Order Completed",
        messageId: "order-1",
        userId: "u-1",
        timestamp: at(51),
        properties: {
          order_id: "o-1",
          products: [
            { product_id: "sku-1", price: 6, quantity: 2 },
            { product_id: "sku-2", price: 7 },
          ],
        },
      }),
      "{ this line is broken",
      JSON.stringify({ type: "page", messageId: "pg", userId: "u-1", timestamp: at(52) }),
      JSON.stringify({
        type: "track",
        event: "Product Viewed",
        messageId: "late",
        userId: "u-2",
        timestamp: "2150-01-01T00:00:00Z",
        properties: { product_id: "sku-1" },
      }),
    );
    const path = join(dir, "events.jsonl");
    await writeFile(path, `${lines.join("\n")}\n`);

    const first = await edgewise("import", "--format", "segment", path, "--no-progress");
    expect(first.code).toBe(0);
    // 40 views, 7 items, 1 user, 2 purchases; 2 lines rejected; 1 page skipped
    expect(first.out).toMatch(/\(segment\): read 53, stored 50, duplicates 0, rejected 2, skipped 1/);
    expect(first.out).toMatch(/skipped 1: page messages/);
    expect(first.out).toMatch(/rejected line 43: not valid JSON/);
    expect(first.out).toMatch(/rejected line 45: timestamp: .*outside/);

    const again = await edgewise("import", "--format", "segment", path, "--no-progress");
    expect(again.out).toMatch(/stored 0, duplicates 50, rejected 2, skipped 1/);

    const { byType, users, items } = await stored();
    expect(byType).toMatchObject({ view: 40, purchase: 2, item: 7, user: 1 });
    expect(users.find((u) => u.userId === "u-1")?.attributes).toEqual({ plan: "pro", address_city: "Lyon" });
    expect(items.find((i) => i.itemId === "sku-3")).toMatchObject({
      title: "Product 3",
      categories: ["Tools"],
      price: 8,
    });
  });

  it("imports CSV and Parquet exports with a column mapping, and refuses a call without a format", async () => {
    const csv = join(dir, "ratings.csv");
    await writeFile(csv, "user,item,stars,at\nr-1,x,4,1700000000\nr-2,y,9.5,1700000060\nr-3,z,,1700000120\n");
    const mapping =
      "--user-col user --item-col item --time-col at --value-col stars --value-kind rating".split(" ");
    const fromCsv = await edgewise("import", csv, ...mapping, "--no-progress");
    expect(fromCsv.out).toMatch(/\(csv\): read 3, stored 2, duplicates 0, rejected 1/);
    expect(fromCsv.out).toMatch(/rejected line 4: stars: the rating is not a number/);

    const parquet = join(dir, "ratings.parquet");
    writeParquetTable(parquet, {
      user: [["r-1", "r-4"], "STRING"],
      item: [["x", "w"], "STRING"],
      stars: [[4, 3], "DOUBLE"],
      at: [[1_700_000_000n, 1_700_000_180n], "INT64"],
    });
    const fromParquet = await edgewise("import", "--format", "parquet", parquet, ...mapping, "--no-progress");
    // r-1's rating of x is the same event as in the CSV
    expect(fromParquet.out).toMatch(/\(parquet\): read 2, stored 1, duplicates 1, rejected 0/);

    const noFormat = await edgewise("import", join(dir, "events.jsonl"));
    expect(noFormat.code).toBe(2);
    expect(noFormat.out).toMatch(/pass --format csv\|parquet\|segment/);
  });
});
