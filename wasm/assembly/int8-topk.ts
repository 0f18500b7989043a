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
  // Blocks are reused after `reset`, and the exclusion bitset relies on starting at zero. Pages that
  // memory.grow just added are zero already: only bytes that existed before may hold old data, so a
  // catalogue-sized block costs no memset.
  const existing = (<usize>pages) << 16;
  if (ptr < existing) {
    memory.fill(ptr, 0, min(end, existing) - ptr);
  }
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
  sortHeap(outIndices, outScores, size);
  return size;
}

// Heapsort in place: move the worst remaining entry to the end each time, leaving the best at 0.
function sortHeap(indices: usize, scores: usize, size: i32): void {
  for (let last = size - 1; last > 0; last--) {
    const rootScore = load<f32>(scores);
    const rootIndex = load<u32>(indices);
    const lastScore = load<f32>(scores + ((<usize>last) << 2));
    const lastIndex = load<u32>(indices + ((<usize>last) << 2));
    store<f32>(scores + ((<usize>last) << 2), rootScore);
    store<u32>(indices + ((<usize>last) << 2), rootIndex);
    siftDown(indices, scores, last, 0, lastScore, lastIndex);
  }
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

// ---------------------------------------------------------------------------------------------------------
// Candidate search over a whole catalogue held in this instance's memory (format version 2, see
// models/catalog/catalog-format.ts): one instance per catalogue, configured once by `configure`, so the
// section pointers live in globals. The host (../catalog-kernel.ts) owns every pointer and never lets memory
// grow after configuring, so its views of the catalogue stay valid.
//
// A search scores the rows of a candidate set that pass the request's rules, keeping the best n in the
// out heap (same order as scoreTopK: higher score, then lower index):
//   set 0: every row; 1: the IVF lists in rank order, until the budget is spent; 2: the posting lists of
//   the included categories; 3: a precomputed order (popular, trending), stopping at the n-th eligible row.
//   source 0: int8 dot product with the user vector (table/scales given per call); 1: a float32 per row.
// Rules: the exclusion bitset (seen and excluded items, marked by the host), included and excluded
// category flags (one byte per category), an inclusive price range (NaN fails it).

let cItems: i32 = 0;
let cCategoryOffsets: usize = 0;
let cCategoryIds: usize = 0;
let cCategoryItemOffsets: usize = 0;
let cCategoryItems: usize = 0;
let cPrice: usize = 0;
let cLists: i32 = 0;
let cCentroids: usize = 0;
let cCentroidScales: usize = 0;
let cBias: usize = 0;
let cListOffsets: usize = 0;
let cBitset: usize = 0;
let cListRanks: usize = 0;
let cListHeap: usize = 0;
let cIncludeFlags: usize = 0;
let cExcludeFlags: usize = 0;
let cIncludeList: usize = 0;
let cUser: usize = 0;
let cOutIndices: usize = 0;
let cOutScores: usize = 0;

// Per search: the rules in force and what the scan did.
let rInclude = false;
let rExclude = false;
let rPriced = false;
let rPriceMin: f32 = 0;
let rPriceMax: f32 = 0;
let rRowsScanned: i32 = 0;
let rEligibleSeen: i32 = 0;

/**
 * Points the search at a catalogue: `layout` holds CONFIG_FIELDS u32 values, in this order: items, then the
 * addresses of categoryOffsets, categoryIds, categoryItemOffsets, categoryItems, price, the list count, the
 * addresses of centroids, centroidScales, bias, listOffsets, and of the host's regions bitset, listRanks,
 * listHeap, includeFlags, excludeFlags, includeList, user, outIndices, outScores.
 */
export function configure(layout: usize): void {
  cItems = <i32>load<u32>(layout + 0);
  cCategoryOffsets = <usize>load<u32>(layout + 4);
  cCategoryIds = <usize>load<u32>(layout + 8);
  cCategoryItemOffsets = <usize>load<u32>(layout + 12);
  cCategoryItems = <usize>load<u32>(layout + 16);
  cPrice = <usize>load<u32>(layout + 20);
  cLists = <i32>load<u32>(layout + 24);
  cCentroids = <usize>load<u32>(layout + 28);
  cCentroidScales = <usize>load<u32>(layout + 32);
  cBias = <usize>load<u32>(layout + 36);
  cListOffsets = <usize>load<u32>(layout + 40);
  cBitset = <usize>load<u32>(layout + 44);
  cListRanks = <usize>load<u32>(layout + 48);
  cListHeap = <usize>load<u32>(layout + 52);
  cIncludeFlags = <usize>load<u32>(layout + 56);
  cExcludeFlags = <usize>load<u32>(layout + 60);
  cIncludeList = <usize>load<u32>(layout + 64);
  cUser = <usize>load<u32>(layout + 68);
  cOutIndices = <usize>load<u32>(layout + 72);
  cOutScores = <usize>load<u32>(layout + 76);
}

/** Marks (set) or clears the bits of `count` item indices listed at `list` (indices ≥ items are ignored). */
export function markItems(list: usize, count: i32, set: bool): void {
  markExclusions(cBitset, list, count, <u32>cItems, set);
}

export function rowsScanned(): i32 {
  return rRowsScanned;
}

function hasFlag(item: u32, flags: usize): bool {
  const end = load<u32>(cCategoryOffsets + ((<usize>(item + 1)) << 2));
  for (let r = load<u32>(cCategoryOffsets + ((<usize>item) << 2)); r < end; r++) {
    if (load<u8>(flags + <usize>load<u32>(cCategoryIds + ((<usize>r) << 2))) != 0) {
      return true;
    }
  }
  return false;
}

function excludedBit(item: u32): bool {
  return ((load<u32>(cBitset + ((<usize>(item >>> 5)) << 2)) >>> (item & 31)) & 1) != 0;
}

/** Every rule but the exclusion bitset, which the scans test themselves. */
function passesRules(item: u32, checkInclude: bool): bool {
  if (checkInclude && rInclude && !hasFlag(item, cIncludeFlags)) {
    return false;
  }
  if (rExclude && hasFlag(item, cExcludeFlags)) {
    return false;
  }
  if (rPriced) {
    const p = load<f32>(cPrice + ((<usize>item) << 2));
    // NaN fails both comparisons: an unknown price is left out whenever a bound is set.
    if (!(p >= rPriceMin && p <= rPriceMax)) {
      return false;
    }
  }
  return true;
}

let sTable: usize = 0;
let sScales: usize = 0;
let sDim: i32 = 0;
let sVectorEnd: i32 = 0;
let sUserScale: f32 = 0;
let sValues: usize = 0;
let sSource: i32 = 0;
let sSize: i32 = 0;
let sCapacity: i32 = 0;

function scoreOf(item: u32): f32 {
  if (sSource == 0) {
    return score(
      dot(cUser, sTable + <usize>item * <usize>sDim, sDim, sVectorEnd),
      load<f32>(sScales + ((<usize>item) << 2)),
      sUserScale,
    );
  }
  return load<f32>(sValues + ((<usize>item) << 2));
}

// Keeps (s, item) if it beats the worst of the best so far. Callers test `beats` first, inline, so a row
// that does not make the cut (most rows of a large scan) costs no call.
function keep(s: f32, item: u32): void {
  if (sSize < sCapacity) {
    siftUp(cOutIndices, cOutScores, sSize, s, item);
    sSize++;
  } else {
    siftDown(cOutIndices, cOutScores, sSize, 0, s, item);
  }
}

function beats(s: f32, item: u32): bool {
  return sSize < sCapacity || worse(load<f32>(cOutScores), load<u32>(cOutIndices), s, item);
}

function offer(item: u32): void {
  const s = scoreOf(item);
  if (beats(s, item)) {
    keep(s, item);
  }
}

/** Rows [start, end): each eligible one offered to the heap. The hot loop of every scan: kept call-free. */
function scanRows(start: u32, end: u32): void {
  const plain = !rInclude && !rExclude && !rPriced && sSource == 0;
  let row = sTable + <usize>start * <usize>sDim;
  for (let item = start; item < end; item++) {
    if (!excludedBit(item) && (plain || passesRules(item, true))) {
      rEligibleSeen++;
      const s =
        sSource == 0
          ? score(dot(cUser, row, sDim, sVectorEnd), load<f32>(sScales + ((<usize>item) << 2)), sUserScale)
          : load<f32>(sValues + ((<usize>item) << 2));
      if (beats(s, item)) {
        keep(s, item);
      }
    }
    row += <usize>sDim;
  }
  rRowsScanned += <i32>(end - start);
}

// The list heap orders list ids by rank, best at the root (higher rank, then lower id).
function listBefore(a: u32, b: u32): bool {
  const ra = load<f32>(cListRanks + ((<usize>a) << 2));
  const rb = load<f32>(cListRanks + ((<usize>b) << 2));
  return ra > rb || (ra == rb && a < b);
}

function listSiftDown(size: i32, pos: i32): void {
  const id = load<u32>(cListHeap + ((<usize>pos) << 2));
  while (true) {
    let child = 2 * pos + 1;
    if (child >= size) {
      break;
    }
    let childId = load<u32>(cListHeap + ((<usize>child) << 2));
    if (child + 1 < size) {
      const rightId = load<u32>(cListHeap + ((<usize>(child + 1)) << 2));
      if (listBefore(rightId, childId)) {
        child++;
        childId = rightId;
      }
    }
    if (!listBefore(childId, id)) {
      break;
    }
    store<u32>(cListHeap + ((<usize>pos) << 2), childId);
    pos = child;
  }
  store<u32>(cListHeap + ((<usize>pos) << 2), id);
}

/** IVF: rank every list, then scan lists best first until the budget is spent (see ivf-index.ts). */
function probeLists(gamma: f32, budgetRows: i32, maxRows: i32): void {
  const vectorEnd = sDim & ~15;
  for (let l = 0; l < cLists; l++) {
    const s = score(
      dot(cUser, cCentroids + <usize>l * <usize>sDim, sDim, vectorEnd),
      load<f32>(cCentroidScales + ((<usize>l) << 2)),
      sUserScale,
    );
    store<f32>(cListRanks + ((<usize>l) << 2), s * gamma + load<f32>(cBias + ((<usize>l) << 2)));
    store<u32>(cListHeap + ((<usize>l) << 2), <u32>l);
  }
  for (let pos = (cLists >> 1) - 1; pos >= 0; pos--) {
    listSiftDown(cLists, pos);
  }
  let size = cLists;
  // The budget counts eligible rows: under a filter that passes a share f of the items, the probe scans
  // about budget / f rows (up to maxRows), so a filtered answer keeps the recall of an unfiltered one.
  while (size > 0 && rRowsScanned < maxRows && rEligibleSeen < budgetRows) {
    const l = load<u32>(cListHeap);
    size--;
    store<u32>(cListHeap, load<u32>(cListHeap + ((<usize>size) << 2)));
    listSiftDown(size, 0);
    scanRows(load<u32>(cListOffsets + ((<usize>l) << 2)), load<u32>(cListOffsets + ((<usize>(l + 1)) << 2)));
  }
}

/** The included categories' posting lists, each item once (the bitset marks visited items meanwhile). */
function scanPostings(includeCount: i32, clear: bool): void {
  for (let c = 0; c < includeCount; c++) {
    const category = load<u32>(cIncludeList + ((<usize>c) << 2));
    const end = load<u32>(cCategoryItemOffsets + ((<usize>(category + 1)) << 2));
    for (let r = load<u32>(cCategoryItemOffsets + ((<usize>category) << 2)); r < end; r++) {
      const item = load<u32>(cCategoryItems + ((<usize>r) << 2));
      const word = cBitset + ((<usize>(item >>> 5)) << 2);
      if (clear) {
        store<u32>(word, 0);
        continue;
      }
      if (!excludedBit(item)) {
        store<u32>(word, load<u32>(word) | ((<u32>1) << (item & 31)));
        rRowsScanned++;
        if (passesRules(item, false)) {
          rEligibleSeen++;
          offer(item);
        }
      }
    }
  }
}

/** A precomputed order, best first: its first n eligible rows are the top n, so the walk stops there. */
function walkOrder(order: usize, n: i32, maxRows: i32): void {
  for (let j = 0; j < cItems && sSize < n && rRowsScanned < maxRows; j++) {
    const item = load<u32>(order + ((<usize>j) << 2));
    rRowsScanned++;
    if (!excludedBit(item) && passesRules(item, true)) {
      store<u32>(cOutIndices + ((<usize>sSize) << 2), item);
      store<f32>(cOutScores + ((<usize>sSize) << 2), load<f32>(sValues + ((<usize>item) << 2)));
      sSize++;
    }
  }
}

/**
 * The best min(n, eligible) items of a candidate set (see above), best first, in the out arrays. Returns
 * how many. `order` is the walked order for set 3; `values` the float32 scores for source 1. The bitset is
 * as the host left it when this returns (set 2 clears the bits it set for visited items, which leaves the
 * host's own marks in those words cleared too: the host clears its marks afterwards in any case).
 */
export function search(
  set: i32,
  source: i32,
  table: usize,
  scales: usize,
  dim: i32,
  userScale: f32,
  values: usize,
  order: usize,
  gamma: f32,
  n: i32,
  budgetRows: i32,
  maxRows: i32,
  include: bool,
  includeCount: i32,
  exclude: bool,
  priced: bool,
  priceMin: f32,
  priceMax: f32,
): i32 {
  rInclude = include;
  rExclude = exclude;
  rPriced = priced;
  rPriceMin = priceMin;
  rPriceMax = priceMax;
  rRowsScanned = 0;
  rEligibleSeen = 0;
  sTable = table;
  sScales = scales;
  sDim = dim;
  sVectorEnd = dim & ~15;
  sUserScale = userScale;
  sValues = values;
  sSource = source;
  sSize = 0;
  sCapacity = n;
  if (n <= 0 || cItems <= 0) {
    return 0;
  }
  if (set == 3) {
    walkOrder(order, n, maxRows);
    return sSize;
  }
  if (set == 0) {
    scanRows(0, <u32>cItems);
  } else if (set == 1) {
    probeLists(gamma, budgetRows, maxRows);
  } else {
    scanPostings(includeCount, false);
    scanPostings(includeCount, true);
  }
  sortHeap(cOutIndices, cOutScores, sSize);
  return sSize;
}
