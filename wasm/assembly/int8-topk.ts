// int8 dot-product scoring and top-k over an item table, compiled with
//   asc -O3 --runtime stub --noAssert --enable simd   (see ../build.ts)
//
// Contract with the host (../int8-topk.ts), which owns every pointer passed here:
// - Memory is a bump heap: `allocate` hands out zeroed 16-byte-aligned blocks and grows memory as needed,
//   `reset` forgets every block. The host resets and re-allocates when it loads a new table, so a reload
//   reuses the same bytes instead of leaking, and nothing here allocates on its own.
// - A table is `items` rows of `dim` int8 values, row-major. Scales are float32, either one per row
//   (scaleStride 4) or one for the whole table (scaleStride 0).
// - score(i) = f32(dot(user, row i)) * (scale(i) * userScale), in float32 and in that order, so a plain
//   TypeScript reference using Math.fround at each step reproduces every score bit for bit.
// - Ranking: higher score first, equal scores by lower item index, so results never depend on scan order.

// Bump pointer; starts after static data. Aligned to 16 so tables and vectors start on a v128 boundary.
let heapTop: usize = (__heap_base + 15) & ~(<usize>15);

/** A zeroed block of `bytes` bytes (16-byte aligned), or 0 when memory cannot grow that far. */
export function allocate(bytes: usize): usize {
  const ptr = heapTop;
  // Checked before adding so that neither `end` nor the page rounding below can wrap around 32 bits.
  if (bytes > <usize>0xfffe_0000 - ptr) {
    return 0;
  }
  const end = (ptr + bytes + 15) & ~(<usize>15);
  const pagesNeeded = <i32>((end + 0xffff) >>> 16);
  const pages = memory.size();
  if (pagesNeeded > pages && memory.grow(pagesNeeded - pages) < 0) {
    return 0;
  }
  // Blocks are reused after `reset`, and the exclusion bitset relies on starting at zero.
  memory.fill(ptr, 0, end - ptr);
  heapTop = end;
  return ptr;
}

/** Forgets every block: the next `allocate` starts again at the heap base. */
export function reset(): void {
  heapTop = (__heap_base + 15) & ~(<usize>15);
}

/** End of the last block, so the host (and tests) can see that repeated calls do not leak. */
export function heapEnd(): usize {
  return heapTop;
}

// Sum of user[c] * row[c] over c < dim. 16 lanes at a time: sign-extend each half of the int8 vectors to
// i16x8, and i32x4.dot_i16x8_s multiplies pairs and adds neighbours into i32 lanes (|sum| ≤ 2·128² per lane
// per step, so i32 lanes cannot overflow for any dim the host accepts). The last dim % 16 values are scalar,
// so a row is never read past its end. (No @inline on these helpers: binaryen -O3 inlines them anyway, and
// Biome cannot parse decorators on functions.)
function dot(user: usize, row: usize, dim: i32, vectorEnd: i32): i32 {
  let acc = i32x4.splat(0);
  let c = 0;
  for (; c < vectorEnd; c += 16) {
    const u = v128.load(user + <usize>c);
    const r = v128.load(row + <usize>c);
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(u), i16x8.extend_low_i8x16_s(r)));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(u), i16x8.extend_high_i8x16_s(r)));
  }
  let sum =
    i32x4.extract_lane(acc, 0) +
    i32x4.extract_lane(acc, 1) +
    i32x4.extract_lane(acc, 2) +
    i32x4.extract_lane(acc, 3);
  for (; c < dim; c++) {
    sum += <i32>load<i8>(user + <usize>c) * <i32>load<i8>(row + <usize>c);
  }
  return sum;
}

function score(dotProduct: i32, scale: f32, userScale: f32): f32 {
  return <f32>dotProduct * (scale * userScale);
}

// Heap order: a is worse than b when it scores lower, or scores the same with a higher index. The heap keeps
// its worst entry at the root, so one comparison decides whether a new item gets in.
function worse(scoreA: f32, indexA: u32, scoreB: f32, indexB: u32): bool {
  return scoreA < scoreB || (scoreA == scoreB && indexA > indexB);
}

// Moves the entry (s, i) down from `pos` in a heap of `size` entries stored in two parallel arrays.
function siftDown(indices: usize, scores: usize, size: i32, pos: i32, s: f32, i: u32): void {
  while (true) {
    let child = 2 * pos + 1;
    if (child >= size) {
      break;
    }
    let childScore = load<f32>(scores + ((<usize>child) << 2));
    let childIndex = load<u32>(indices + ((<usize>child) << 2));
    const right = child + 1;
    if (right < size) {
      const rightScore = load<f32>(scores + ((<usize>right) << 2));
      const rightIndex = load<u32>(indices + ((<usize>right) << 2));
      if (worse(rightScore, rightIndex, childScore, childIndex)) {
        child = right;
        childScore = rightScore;
        childIndex = rightIndex;
      }
    }
    if (!worse(childScore, childIndex, s, i)) {
      break;
    }
    store<f32>(scores + ((<usize>pos) << 2), childScore);
    store<u32>(indices + ((<usize>pos) << 2), childIndex);
    pos = child;
  }
  store<f32>(scores + ((<usize>pos) << 2), s);
  store<u32>(indices + ((<usize>pos) << 2), i);
}

// Appends (s, i) at `pos` and moves it up towards the root.
function siftUp(indices: usize, scores: usize, pos: i32, s: f32, i: u32): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const parentScore = load<f32>(scores + ((<usize>parent) << 2));
    const parentIndex = load<u32>(indices + ((<usize>parent) << 2));
    if (!worse(s, i, parentScore, parentIndex)) {
      break;
    }
    store<f32>(scores + ((<usize>pos) << 2), parentScore);
    store<u32>(indices + ((<usize>pos) << 2), parentIndex);
    pos = parent;
  }
  store<f32>(scores + ((<usize>pos) << 2), s);
  store<u32>(indices + ((<usize>pos) << 2), i);
}

// Marks (value = 0xffffffff) or clears (value = 0) the words of the exclusion bitset that hold the listed
// indices. Indices ≥ items (including negative int32 seen as u32) are ignored.
function markExclusions(bitset: usize, exclude: usize, excludeCount: i32, items: u32, set: bool): void {
  for (let e = 0; e < excludeCount; e++) {
    const index = load<u32>(exclude + ((<usize>e) << 2));
    if (index < items) {
      const word = bitset + ((<usize>(index >>> 5)) << 2);
      store<u32>(word, set ? load<u32>(word) | ((<u32>1) << (index & 31)) : 0);
    }
  }
}

/**
 * The best min(k, eligible items) items for `user`, best first, written to outIndices (u32) and outScores
 * (f32), which must hold k entries. Returns how many were written.
 *
 * Exclusions: a list of item indices (any order, duplicates allowed) turned into a bitset for the scan and
 * cleared afterwards, so `bitset` (⌈items/32⌉ words, all zero) is all zero again when this returns. A bitset
 * rather than a sorted list: callers pass recently seen items in whatever order they have them, the per-row
 * test is one bit, setting and clearing cost O(excludeCount) rather than a sort, and excluded rows skip the
 * dot product entirely.
 */
export function scoreTopK(
  user: usize,
  userScale: f32,
  table: usize,
  scales: usize,
  scaleStride: usize,
  items: i32,
  dim: i32,
  k: i32,
  exclude: usize,
  excludeCount: i32,
  bitset: usize,
  outIndices: usize,
  outScores: usize,
): i32 {
  if (k <= 0 || items <= 0) {
    return 0;
  }
  markExclusions(bitset, exclude, excludeCount, <u32>items, true);
  const vectorEnd = dim & ~15;
  let size = 0;
  let row = table;
  let scalePtr = scales;
  for (let base = 0; base < items; base += 32) {
    let excluded = load<u32>(bitset + ((<usize>(base >>> 5)) << 2));
    const end = min(base + 32, items);
    for (let i = base; i < end; i++) {
      if ((excluded & 1) == 0) {
        const s = score(dot(user, row, dim, vectorEnd), load<f32>(scalePtr), userScale);
        if (size < k) {
          siftUp(outIndices, outScores, size, s, <u32>i);
          size++;
        } else if (worse(load<f32>(outScores), load<u32>(outIndices), s, <u32>i)) {
          siftDown(outIndices, outScores, size, 0, s, <u32>i);
        }
      }
      excluded >>>= 1;
      row += <usize>dim;
      scalePtr += scaleStride;
    }
  }
  markExclusions(bitset, exclude, excludeCount, <u32>items, false);
  // Heapsort in place: move the worst remaining entry to the end each time, leaving the best at 0.
  for (let last = size - 1; last > 0; last--) {
    const rootScore = load<f32>(outScores);
    const rootIndex = load<u32>(outIndices);
    const lastScore = load<f32>(outScores + ((<usize>last) << 2));
    const lastIndex = load<u32>(outIndices + ((<usize>last) << 2));
    store<f32>(outScores + ((<usize>last) << 2), rootScore);
    store<u32>(outIndices + ((<usize>last) << 2), rootIndex);
    siftDown(outIndices, outScores, last, 0, lastScore, lastIndex);
  }
  return size;
}

/** Every item's score, in item order, into outScores (items × f32): for re-ranking a candidate set. */
export function scoreAll(
  user: usize,
  userScale: f32,
  table: usize,
  scales: usize,
  scaleStride: usize,
  items: i32,
  dim: i32,
  outScores: usize,
): void {
  const vectorEnd = dim & ~15;
  let row = table;
  let scalePtr = scales;
  for (let i = 0; i < items; i++) {
    store<f32>(
      outScores + ((<usize>i) << 2),
      score(dot(user, row, dim, vectorEnd), load<f32>(scalePtr), userScale),
    );
    row += <usize>dim;
    scalePtr += scaleStride;
  }
}
