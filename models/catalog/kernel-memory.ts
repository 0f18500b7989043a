/**
 * The catalogue kernel's memory (wasm/catalog-kernel.ts) as a function of the catalogue: its bytes (the only
 * copy) plus the per-request regions reserved at load, sized from the header. Shared by the kernel, which
 * reserves exactly these regions, and the origin's isolate footprint estimate, which must not guess them.
 */
import { SURFACE_LIMITS } from "../contracts/surface.ts";
import type { CatalogHeader } from "./catalog-format.ts";

/** Most results one search returns: a surface's largest candidate pool plus its largest k. */
export const MAX_RESULTS = SURFACE_LIMITS.candidates + SURFACE_LIMITS.k;
/** Item indices marked per kernel call; longer exclusion lists are marked in batches. */
export const EXCLUDE_BATCH = 4096;
/** Categories one rule may name (requests are bounded far below this). */
export const MAX_RULE_CATEGORIES = 4096;
/** wasm memory grows in 64 KiB pages, and the kernel's static data takes the first. */
const PAGE_BYTES = 65_536;

/** The regions' sizes in bytes, in the order the kernel allocates them after the catalogue. */
export function kernelRegionBytes(header: CatalogHeader) {
  const lists = header.index?.lists ?? 0;
  const categories = header.categories.length;
  const dim = Math.max(header.embedding?.dim ?? 0, header.content?.dim ?? 0);
  return {
    bitset: Math.ceil(header.items / 32) * 4 + 4,
    listRanks: lists * 4 + 4,
    listHeap: lists * 4 + 4,
    includeFlags: categories + 1,
    excludeFlags: categories + 1,
    includeList: MAX_RULE_CATEGORIES * 4,
    exclude: EXCLUDE_BATCH * 4,
    user: dim + 16,
    outIndices: MAX_RESULTS * 4,
    outScores: MAX_RESULTS * 4,
  };
}

/** The kernel's whole memory for a catalogue of `sizeBytes` with this header, rounded up to pages. */
export function catalogKernelBytes(header: CatalogHeader, sizeBytes: number): number {
  // Each block starts on a 16-byte boundary.
  const regions = Object.values(kernelRegionBytes(header)).reduce((sum, bytes) => sum + bytes + 15, 0);
  return Math.ceil((PAGE_BYTES + sizeBytes + 15 + regions) / PAGE_BYTES) * PAGE_BYTES;
}
