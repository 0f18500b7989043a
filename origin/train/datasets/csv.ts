/**
 * RFC 4180 CSV: fields separated by commas, optionally double-quoted, a quote inside a quoted field written
 * twice, and quoted fields may span lines (reviews do). CRLF or LF line ends. Returns rows of raw strings;
 * the caller converts types. A trailing empty line is not a row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34) {
      // quoted field: collect segments between doubled quotes
      let j = i + 1;
      let value = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          throw new Error(`parseCsv: unterminated quoted field starting at offset ${i}`);
        }
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = value;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) {
          break;
        }
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) {
        row.push("");
      }
    } else if (c === 13 || c === 10 || i >= n) {
      rows.push(row);
      row = [];
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        i += 2;
      } else {
        i++;
      }
    } else {
      throw new Error(`parseCsv: unexpected character after a quoted field at offset ${i}`);
    }
  }
  if (row.length > 0) {
    rows.push(row);
  }
  return rows;
}

/** Parses CSV with a header line into the header and the data rows, checking every row's width. */
export function parseCsvWithHeader(text: string): { header: string[]; rows: string[][] } {
  const all = parseCsv(text);
  const header = all[0];
  if (!header) {
    throw new Error("parseCsvWithHeader: empty file");
  }
  const rows = all.slice(1);
  rows.forEach((r, index) => {
    if (r.length !== header.length) {
      throw new Error(`CSV row ${index + 2} has ${r.length} fields, the header has ${header.length}`);
    }
  });
  return { header, rows };
}

/** Index of a named column, or a clear error naming the columns that exist. */
export function columnIndex(header: readonly string[], name: string): number {
  const index = header.indexOf(name);
  if (index < 0) {
    throw new Error(`CSV has no column "${name}" (columns: ${header.join(", ")})`);
  }
  return index;
}
