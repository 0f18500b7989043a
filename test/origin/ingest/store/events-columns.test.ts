/**
 * The events table's columns are written in four places: the drizzle schema (and the migrations made
 * from it), the staging table's CREATE statement, STAGING_COLUMNS (the COPY and INSERT … VALUES lists)
 * and the two INSERT … SELECT statements. These tests read each and fail when one of them drifts.
 */
import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { INSERT_EVENTS_SAFE, INSERT_NEW_EVENTS } from "../../../../origin/ingest/store/batch-write-sql.ts";
import { events } from "../../../../origin/ingest/store/schema.ts";
import { CREATE_STAGING_TABLE, STAGING_COLUMNS } from "../../../../origin/ingest/store/staging-rows.ts";

const columns = Object.values(getTableColumns(events));
/** What a batch writes: every column the database does not fill itself (identity, defaults). */
const written = columns.filter((c) => !c.hasDefault && c.generatedIdentity === undefined);
const writtenNames = written.map((c) => c.name);
/** The staged column each written column comes from: `ts` is staged as epoch ms. */
const stagedName = (name: string) => (name === "ts" ? "ts_ms" : name);

const splitList = (list: string) => list.split(",").map((part) => part.trim());

function insertLists(sql: string): { into: string[]; select: string[] } {
  const match = sql.match(/INSERT INTO events \(([^)]*)\)\s*SELECT (.*?)\s+FROM /s);
  if (!match) {
    throw new Error(`not an INSERT INTO events … SELECT: ${sql.slice(0, 80)}`);
  }
  // to_timestamp(ts_ms / 1000) holds no comma, so the select list splits on commas.
  return { into: splitList(match[1]!), select: splitList(match[2]!) };
}

function stagingTableColumns(): { name: string; notNull: boolean }[] {
  const body = CREATE_STAGING_TABLE.slice(
    CREATE_STAGING_TABLE.indexOf("(") + 1,
    CREATE_STAGING_TABLE.lastIndexOf(")"),
  );
  return splitList(body).map((definition) => ({
    name: definition.split(/\s+/)[0]!,
    notNull: /\bNOT NULL\b/.test(definition),
  }));
}

describe("the events column lists", () => {
  it("leave out only the columns the database fills itself", () => {
    expect(
      columns
        .map((c) => c.name)
        .filter((name) => !writtenNames.includes(name))
        .sort(),
    ).toEqual(["received_at", "seq"]);
  });

  it("insert every written column of the schema, from its staged column, in both INSERT statements", () => {
    for (const sql of [INSERT_NEW_EVENTS, INSERT_EVENTS_SAFE]) {
      const { into, select } = insertLists(sql);
      expect([...into].sort()).toEqual([...writtenNames].sort());
      expect(select).toHaveLength(into.length);
      into.forEach((name, i) => {
        expect(select[i], name).toContain(stagedName(name));
      });
    }
  });

  it("stage every written column, in STAGING_COLUMNS order in the staging table", () => {
    expect([...STAGING_COLUMNS].sort()).toEqual(["position", ...writtenNames.map(stagedName)].sort());
    expect(stagingTableColumns().map((c) => c.name)).toEqual([...STAGING_COLUMNS]);
  });

  it("stage a column as NOT NULL exactly when the schema requires it", () => {
    const staged = new Map(stagingTableColumns().map((c) => [c.name, c.notNull]));
    for (const column of written) {
      expect(staged.get(stagedName(column.name)), column.name).toBe(column.notNull);
    }
  });
});
