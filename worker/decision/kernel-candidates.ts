/**
 * The in-isolate candidate generator: the catalogue kernel (wasm/catalog-kernel.ts) over the catalogue's
 * only copy in wasm memory. Personal candidates come from the IVF probe (or the exact scan of a catalogue
 * below the index threshold), cold-start ones from the stored popularity and trending orders, with every
 * rule applied inside the scan. Node tests run the same kernel.
 */
import type { CatalogKernel } from "../../wasm/catalog-kernel.ts";
import type { CandidateGenerator } from "./types.ts";

export interface KernelCandidateOptions {
  /** Rows an IVF probe scans; the catalogue's measured budget (index.probeRows) when absent. */
  probeRows?: number;
}

export function kernelCandidates(
  kernel: CatalogKernel,
  options: KernelCandidateOptions = {},
): CandidateGenerator {
  return {
    personal: (query, n, rules) => {
      const table = kernel.catalog.embedding;
      if (table === null) {
        throw new Error("the catalogue has no item embeddings");
      }
      return kernel.nearest(table, query, n, rules, options.probeRows);
    },
    ranked: (strategy, n, rules) => kernel.ranked(strategy, n, rules),
  };
}
