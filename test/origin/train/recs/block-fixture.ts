import { mulberry32 } from "../../../../models/random.ts";
import { buildCsr, type CsrMatrix } from "../../../../origin/train/recs/index.ts";

/**
 * Users and items in `blocks` disjoint groups: every user of block b interacts only with a random `density`
 * share of block b's items, so the right recommendations for a user are exactly the unseen items of their own
 * block. Item i belongs to block floor(i / itemsPerBlock); user u to block u % blocks.
 */
export function blockInteractions(options: {
  blocks: number;
  usersPerBlock: number;
  itemsPerBlock: number;
  density: number;
  seed: number;
}): CsrMatrix {
  const { blocks, usersPerBlock, itemsPerBlock, density, seed } = options;
  const rng = mulberry32(seed);
  const user: number[] = [];
  const item: number[] = [];
  const users = blocks * usersPerBlock;
  for (let u = 0; u < users; u++) {
    const b = u % blocks;
    for (let j = 0; j < itemsPerBlock; j++) {
      if (rng() < density) {
        user.push(u);
        item.push(b * itemsPerBlock + j);
      }
    }
  }
  return buildCsr({
    users,
    items: blocks * itemsPerBlock,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
  });
}

export function blockOfItem(item: number, itemsPerBlock: number): number {
  return Math.floor(item / itemsPerBlock);
}
