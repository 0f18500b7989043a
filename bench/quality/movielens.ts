import { readFile } from "node:fs/promises";
import path from "node:path";
import { indexInteractions, parseMovieLensRatings } from "../../origin/train/datasets/interaction-log.ts";
import { parseMovieLensMovies } from "../../origin/train/datasets/movielens-movies.ts";
import type { ItemContent } from "../../origin/train/enrichment/index.ts";

/** MovieLens-small's ratings as an indexed log, and each rated movie's content (title, genres, decade). */
export async function movieLensWithContent(dataDir: string) {
  const dir = path.join(dataDir, "movielens-small");
  const { log } = indexInteractions(
    parseMovieLensRatings(await readFile(path.join(dir, "ratings.csv"), "utf8")),
  );
  const movies = new Map(
    parseMovieLensMovies(await readFile(path.join(dir, "movies.csv"), "utf8")).map((m) => [m.itemId, m]),
  );
  const items: ItemContent[] = log.itemIds.map((id) => movies.get(id) ?? { itemId: id });
  return { log, items };
}
