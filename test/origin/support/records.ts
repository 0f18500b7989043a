/**
 * Seeded generators of ingestion records for the store and endpoint tests: every record type, with the
 * characters that COPY and JSON must escape (tab, newline, backslash, quotes, non-ASCII) in free text.
 */
import { INTERACTION_TYPES, IngestRecord, type IngestRecordInput } from "../../../models/contracts/index.ts";
import { mulberry32, type Rng } from "../../../models/random.ts";

const AWKWARD = ["plain", "tab\there", "new\nline", "back\\slash", 'quo"te', "ünïcødé ✓", "\\N", "cr\rx"];

export interface RecordGeneratorOptions {
  seed: number;
  /** Prefix for every id, so tests sharing one store stay apart. */
  prefix: string;
  users?: number;
  items?: number;
  /** Share of user/item records among the generated records (0..1). */
  entityShare?: number;
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

/** A record generator: each call returns the next record with a fresh event_id. */
export function recordGenerator(options: RecordGeneratorOptions): () => IngestRecordInput {
  const rng = mulberry32(options.seed);
  const users = options.users ?? 20;
  const items = options.items ?? 30;
  const entityShare = options.entityShare ?? 0.1;
  let n = 0;
  const baseMs = Date.UTC(2024, 0, 1);
  return (): IngestRecordInput => {
    n++;
    const event_id = `${options.prefix}e${n}`;
    const ts = baseMs + Math.floor(rng() * 86_400_000 * 30);
    const user_id = `${options.prefix}u${Math.floor(rng() * users)}`;
    const item_id = `${options.prefix}i${Math.floor(rng() * items)}`;
    const source = pick(rng, ["web", "app", "pos"]);
    // ISO strings and epoch ms alike; both normalise to epoch ms.
    const tsField = rng() < 0.5 ? ts : new Date(ts).toISOString();
    if (rng() < entityShare) {
      if (rng() < 0.5) {
        return {
          event_id,
          type: "user",
          ts: tsField,
          source,
          user_id,
          attributes: {
            segment: pick(rng, AWKWARD),
            age: Math.floor(rng() * 80),
            tags: [pick(rng, AWKWARD), 3],
          },
        };
      }
      return {
        event_id,
        type: "item",
        ts: tsField,
        source,
        item_id,
        title: pick(rng, AWKWARD),
        text: `${pick(rng, AWKWARD)} ${pick(rng, AWKWARD)}`,
        categories: [pick(rng, AWKWARD), "c"],
        price: Math.round(rng() * 10_000) / 100,
        image_url: `https://img.example/${n}.jpg`,
        attributes: { brand: pick(rng, AWKWARD), new: rng() < 0.5 },
      };
    }
    const type = pick(rng, INTERACTION_TYPES);
    const context =
      rng() < 0.5 ? { surface: "home", device: pick(rng, AWKWARD), position: n % 10 } : undefined;
    switch (type) {
      case "view":
        return rng() < 0.3
          ? { event_id, type, ts: tsField, source, user_id, value: Math.floor(rng() * 60_000) }
          : { event_id, type, ts: tsField, source, user_id, item_id, ...(context ? { context } : {}) };
      case "rating":
        return { event_id, type, ts: tsField, source, user_id, item_id, value: Math.ceil(rng() * 10) / 2 };
      case "review":
        return {
          event_id,
          type,
          ts: tsField,
          source,
          user_id,
          item_id,
          text: `${pick(rng, AWKWARD)} review ${n}`,
        };
      case "purchase":
        return {
          event_id,
          type,
          ts: tsField,
          source,
          user_id,
          item_id,
          value: Math.round(rng() * 5000) / 100,
        };
      default:
        // click or add_to_cart: the same shape, which TypeScript cannot pair with one literal type.
        return {
          event_id,
          type,
          ts: tsField,
          source,
          user_id,
          item_id,
          ...(context ? { context } : {}),
        } as IngestRecordInput;
    }
  };
}

/** `count` generated records, parsed by the contract schema (as the endpoint would). */
export function generateRecords(options: RecordGeneratorOptions, count: number): IngestRecord[] {
  const next = recordGenerator(options);
  return Array.from({ length: count }, () => IngestRecord.parse(next()));
}
