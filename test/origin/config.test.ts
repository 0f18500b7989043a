import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventStoreBackend, loadOriginConfig, valueRanges } from "../../origin/config.ts";
import { RECS_DEFAULTS, trainingCycleSettings } from "../../origin/train/index.ts";

describe("origin configuration from the environment", () => {
  it("holds ratings to 0–10 and prices to a billion by default, or to the business's own scale", () => {
    expect(valueRanges(loadOriginConfig({}))).toEqual({ ratingMin: 0, ratingMax: 10, priceMax: 1e9 });
    const own = loadOriginConfig({ RATING_MIN: "1", RATING_MAX: "100", PRICE_MAX: "5e6" });
    expect(valueRanges(own)).toEqual({ ratingMin: 1, ratingMax: 100, priceMax: 5e6 });
    expect(() => valueRanges(loadOriginConfig({ RATING_MIN: "5", RATING_MAX: "5" }))).toThrow(
      /RATING_MIN \(5\) must be below RATING_MAX \(5\)/,
    );
    expect(() => loadOriginConfig({ PRICE_MAX: "-1" })).toThrow(/PRICE_MAX/);
  });

  it("reads the behaviour model's target, by default a purchase within 7 days, and refuses a bad one", () => {
    expect(loadOriginConfig({}).BEHAVIOUR_TARGET).toEqual({
      kind: "event",
      type: "purchase",
      horizonDays: 7,
    });
    expect(loadOriginConfig({ BEHAVIOUR_TARGET: "attribute:churned" }).BEHAVIOUR_TARGET).toEqual({
      kind: "attribute",
      name: "churned",
      positive: null,
    });
    expect(() => loadOriginConfig({ BEHAVIOUR_TARGET: "event:buy:7d" })).toThrow(
      /BEHAVIOUR_TARGET.*unknown event type/s,
    );
  });

  it("has a documented default for every key it does not require", () => {
    const config = loadOriginConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: "127.0.0.1",
      EDGEWISE_DATA_DIR: ".edgewise",
      PGLITE_DIR: join(".edgewise", "pglite"),
      PUBLISH_LOCAL_DIR: join(".edgewise", "edge"),
      STORE_BULK_MODE: "copy",
      DB_POOL_MAX: 10,
      MIGRATE_ON_START: true,
      MONGODB_DATABASE: "edgewise",
      INGEST_MAX_BODY_BYTES: 8 * 1024 * 1024,
      INGEST_MAX_DECOMPRESSED_BYTES: 32 * 1024 * 1024,
      INGEST_MAX_EVENTS_PER_BATCH: 10_000,
    });
    expect(config.INGEST_API_KEY).toBeUndefined();
    expect(eventStoreBackend(config)).toBe("pglite");
  });

  it("moves the database and the local edge's KV with EDGEWISE_DATA_DIR, unless one is set on its own", () => {
    const moved = loadOriginConfig({ EDGEWISE_DATA_DIR: "/srv/edgewise" });
    expect(moved).toMatchObject({
      PGLITE_DIR: "/srv/edgewise/pglite",
      PUBLISH_LOCAL_DIR: "/srv/edgewise/edge",
    });
    const apart = loadOriginConfig({ EDGEWISE_DATA_DIR: "/srv/edgewise", PGLITE_DIR: "/fast/db" });
    expect(apart).toMatchObject({ PGLITE_DIR: "/fast/db", PUBLISH_LOCAL_DIR: "/srv/edgewise/edge" });
  });

  it("reads numbers and flags from strings, and treats empty values as unset", () => {
    const config = loadOriginConfig({
      PORT: "9000",
      MIGRATE_ON_START: "false",
      DATABASE_URL: "postgres://db/events",
      MONGODB_URL: "",
      INGEST_MAX_EVENTS_PER_BATCH: "250",
    });
    expect(config.PORT).toBe(9000);
    expect(config.MIGRATE_ON_START).toBe(false);
    expect(config.MONGODB_URL).toBeUndefined();
    expect(config.INGEST_MAX_EVENTS_PER_BATCH).toBe(250);
    expect(eventStoreBackend(config)).toBe("postgres");
    expect(eventStoreBackend({ ...config, EVENT_STORE: "neon" })).toBe("neon");
  });

  it("gives the recommender its tuning budget in fits and its sample size, 16 and 20,000 by default", () => {
    const defaults = trainingCycleSettings(loadOriginConfig({})).pipeline.recs;
    expect(defaults).toMatchObject({
      tuneBudgetFits: RECS_DEFAULTS.tuneBudgetFits,
      tuneSampleUsers: RECS_DEFAULTS.tuneSampleUsers,
    });
    const set = trainingCycleSettings(loadOriginConfig({ TRAIN_TUNE_FITS: "1", TRAIN_TUNE_USERS: "5000" }));
    expect(set.pipeline.recs).toMatchObject({ tuneBudgetFits: 1, tuneSampleUsers: 5000 });
    expect(() => loadOriginConfig({ TRAIN_TUNE_FITS: "0" })).toThrow(/TRAIN_TUNE_FITS/);
    expect(() => loadOriginConfig({ TRAIN_TUNE_USERS: "10" })).toThrow(/TRAIN_TUNE_USERS/);
  });

  it("names every invalid variable in one error", () => {
    const attempt = () =>
      loadOriginConfig({
        PORT: "eighty",
        EVENT_STORE: "sqlite",
        INGEST_API_KEY: "short",
        MIGRATE_ON_START: "maybe",
      });
    expect(attempt).toThrow(/^invalid origin configuration/);
    const message = (() => {
      try {
        attempt();
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const key of ["PORT", "EVENT_STORE", "INGEST_API_KEY", "MIGRATE_ON_START"]) {
      expect(message).toContain(`  ${key}: `);
    }
  });
});
