/**
 * The item id → index hash table stored in the catalogue (format version 2), so the edge finds an id with
 * no map built at load and no string per item held in memory: open addressing with linear probing over
 * `slots` uint32 slots holding index + 1 (0 is empty), at a load factor of at most 0.75. The hash is
 * FNV-1a 32 of the id's UTF-8 bytes through MurmurHash3's finaliser (models/hash/fnv1a.ts), so the origin
 * and the edge compute the same slot, and a lookup compares bytes, never strings.
 */
import { fmix32 } from "../hash/fnv1a.ts";

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Slots for `items` ids: a quarter more than the items, so a probe sequence stays short. */
export function idSlotsFor(items: number): number {
  return Math.max(1, Math.ceil(items / 0.75) + 1);
}

/** fmix32(FNV-1a 32) of bytes[start .. end). */
export function hashIdBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return fmix32(hash);
}

/** The slots for ids stored as idBytes[offsets[i] .. offsets[i + 1]]; an id met twice keeps its first index. */
export function buildIdSlots(idBytes: Uint8Array, offsets: Uint32Array, slotCount: number): Uint32Array {
  const slots = new Uint32Array(slotCount);
  const items = offsets.length - 1;
  for (let i = 0; i < items; i++) {
    let slot = hashIdBytes(idBytes, offsets[i]!, offsets[i + 1]!) % slotCount;
    while (slots[slot] !== 0) {
      slot = slot + 1 === slotCount ? 0 : slot + 1;
    }
    slots[slot] = i + 1;
  }
  return slots;
}

/** Finds ids in a catalogue's id table. Holds one scratch buffer for the UTF-8 of the id being looked up. */
export class IdTable {
  readonly #bytes: Uint8Array;
  readonly #offsets: Uint32Array;
  readonly #slots: Uint32Array;
  readonly #encoder = new TextEncoder();
  #scratch = new Uint8Array(256);

  constructor(idBytes: Uint8Array, offsets: Uint32Array, slots: Uint32Array) {
    this.#bytes = idBytes;
    this.#offsets = offsets;
    this.#slots = slots;
  }

  /** The item's index, or -1 when the catalogue does not hold it. */
  indexOf(id: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.#scratch.length < id.length * 3) {
      this.#scratch = new Uint8Array(id.length * 3);
    }
    const length = this.#encoder.encodeInto(id, this.#scratch).written;
    return this.indexOfBytes(this.#scratch, length);
  }

  /** indexOf for an id already in UTF-8: key[0 .. length). */
  indexOfBytes(key: Uint8Array, length: number): number {
    const slots = this.#slots;
    const bytes = this.#bytes;
    const offsets = this.#offsets;
    let slot = hashIdBytes(key, 0, length) % slots.length;
    for (let probes = 0; probes < slots.length; probes++) {
      const entry = slots[slot]!;
      if (entry === 0) {
        return -1;
      }
      const start = offsets[entry - 1]!;
      if (offsets[entry]! - start === length) {
        let same = true;
        for (let b = 0; b < length && same; b++) {
          same = bytes[start + b] === key[b];
        }
        if (same) {
          return entry - 1;
        }
      }
      slot = slot + 1 === slots.length ? 0 : slot + 1;
    }
    return -1;
  }
}
