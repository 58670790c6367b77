/**
 * KQL comments and string literals found in query text without the language service (for cheap
 * scans: cache keys, error messages, YAML checks). `// …` to the end of the line; strings `'…'` and
 * `"…"` with backslash escapes, verbatim `@'…'` / `@"…"` without them. One pass, so a `//` inside a
 * string is not a comment and a quote inside a comment opens no string.
 */
const LEXEMES = /\/\/[^\n]*|@"[^"\n]*"|@'[^'\n]*'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;

/** Offsets where `//` comments start (outside string literals). */
export function commentStarts(text: string): number[] {
  return [...text.matchAll(LEXEMES)].filter((m) => m[0].startsWith('//')).map((m) => m.index);
}

/** The text with every comment and string literal replaced by one space. */
export function withoutCommentsAndStrings(text: string): string {
  return text.replace(LEXEMES, ' ');
}
