/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) — what watchlist rawContent uploads use,
 * comma-separated for `text/csv`, tab-separated for `text/tsv` — parsed by csv-parse (sync API). Rows keep the line they start on, so a ragged row inside a
 * multi-line quoted field is still reported at the right line.
 */
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRow {
  fields: string[];
  /** 1-based line of the text the row starts on. */
  line: number;
}

/** A malformed CSV (an unclosed or stray quote), with csv-parse's message and line. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** Parses `text` from line `skipLines + 1` on; blank lines are skipped, rows may differ in width. */
export function parseCsv(text: string, skipLines = 0, delimiter = ','): CsvRow[] {
  try {
    const records = parse(text, {
      delimiter,
      from_line: skipLines + 1,
      info: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    // info.lines is the line the record ends on; a record spans one line per line break inside quotes.
    return records.map(({ record, info }) => ({
      fields: record,
      line: info.lines - record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
    }));
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError(error.message, (error as CsvError & { lines?: number }).lines ?? 0);
    throw error;
  }
}
