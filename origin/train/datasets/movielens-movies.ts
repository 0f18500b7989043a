import type { ItemContent } from "../enrichment/item-content.ts";
import { columnIndex, parseCsvWithHeader } from "./csv.ts";

/**
 * MovieLens `movies.csv` (movieId, title, year, genres separated by |) as item content records: the genres
 * and the release decade ("1990s") become categories, since both carry taste signal a title rarely does.
 */
export function parseMovieLensMovies(text: string): ItemContent[] {
  const { header, rows } = parseCsvWithHeader(text);
  const id = columnIndex(header, "movieId");
  const title = columnIndex(header, "title");
  const genres = columnIndex(header, "genres");
  const year = header.indexOf("year");
  return rows.map((row) => {
    const categories = row[genres]!.split("|").filter((g) => g !== "" && g !== "(no genres listed)");
    const y = year >= 0 ? Number(row[year]) : Number.NaN;
    if (Number.isFinite(y) && y > 0) {
      categories.push(`${Math.floor(y / 10) * 10}s`);
    }
    return { itemId: row[id]!, title: row[title]!, categories };
  });
}
