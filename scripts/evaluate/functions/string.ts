/** String functions: trimming, splitting, search, regex extraction, encodings, hashes, parse_url. */
import { createHash } from 'node:crypto';
import { has, regex } from '../strings.ts';
import type { Value } from '../values.ts';
import { coerce } from '../values.ts';
import type { CallInfo, ScalarFn } from './common.ts';
import { asArray, int, str } from './common.ts';

function extract(args: Value[], call: CallInfo): Value {
  const m = regex(str(args[0])).exec(str(args[2]));
  const group = int(args[1]) ?? 0;
  const text = m ? m[group] : undefined;
  if (text === undefined) return call.resultType === 'string' ? '' : null;
  return call.resultType === 'string' ? text : coerce(text, call.resultType);
}

function extractAll(args: Value[]): Value {
  const re = regex(str(args[0]), true);
  const groups = args.length === 3 ? asArray(args[1] ?? null)?.map((g) => int(g) ?? 0) : undefined;
  const text = str(args[args.length - 1]);
  const out: Value[] = [];
  for (const m of text.matchAll(re)) {
    const wanted = groups ?? (m.length > 1 ? Array.from({ length: m.length - 1 }, (_, i) => i + 1) : [0]);
    const vals = wanted.map((g) => m[g] ?? '');
    out.push(vals.length === 1 ? vals[0]! : vals);
  }
  return out.length ? out : null;
}

function trimWith(args: Value[], start: boolean, end: boolean): Value {
  const pat = str(args[0]);
  let s = str(args[1]);
  if (start) s = s.replace(regex(`^(?:${pat})`), '');
  if (end) s = s.replace(regex(`(?:${pat})$`), '');
  return s;
}

function split(args: Value[]): Value {
  const parts = str(args[0]).split(str(args[1]));
  if (args.length > 2) {
    const i = int(args[2]);
    if (i === null || i < 0 || i >= parts.length) return [];
    return [parts[i]!];
  }
  return parts;
}

function substring(args: Value[]): Value {
  const s = [...str(args[0])];
  let start = int(args[1]) ?? 0;
  if (start < 0) start = 0;
  const len = args.length > 2 ? int(args[2]) : null;
  return s.slice(start, len === null ? undefined : start + Math.max(0, len)).join('');
}

/** indexof_regex(string, match[, start[, length[, occurrence]]]): like indexof with a regex match; null for invalid bounds. */
function indexOfRegex(args: Value[]): Value {
  const s = str(args[0]);
  const start = int(args[2]) ?? 0;
  const length = args.length > 3 ? int(args[3]) ?? -1 : -1;
  const occurrence = args.length > 4 ? int(args[4]) ?? 1 : 1;
  if (start < 0 || length < -1 || occurrence <= 0) return null;
  if (start > s.length) return -1;
  const end = length < 0 ? s.length : Math.min(s.length, start + length);
  const re = regex(str(args[1]), true);
  const part = s.slice(0, end);
  re.lastIndex = start;
  let found = -1;
  for (let k = 0; k < occurrence; k++) {
    const m = re.exec(part);
    if (!m) return -1;
    found = m.index;
    if (m[0] === '') re.lastIndex++;
  }
  return found;
}

function indexOf(args: Value[]): Value {
  const s = str(args[0]);
  const look = str(args[1]);
  let start = int(args[2]) ?? 0;
  if (start < 0) start = Math.max(0, s.length + start);
  if (start > s.length) return -1;
  const length = args.length > 3 ? int(args[3]) ?? -1 : -1;
  const occurrence = args.length > 4 ? int(args[4]) ?? 1 : 1;
  // indexof-function: null when length < -1 or occurrence < 0.
  if (length < -1 || occurrence < 0) return null;
  // Each occurrence is looked for in a window of `length` characters from where the search resumes
  // (the start, then one past the previous occurrence): indexof-function examples idx3 and idx8.
  let from = start;
  let pos = -1;
  for (let k = 0; k < occurrence; k++) {
    const end = length < 0 ? s.length : Math.min(s.length, from + length);
    pos = s.indexOf(look, from);
    if (pos < 0 || pos + look.length > end) return -1;
    from = pos + 1;
  }
  return pos;
}

function countOf(args: Value[]): Value {
  const text = str(args[0]);
  const search = str(args[1]);
  if (search === '') return 0;
  if (str(args[2] ?? 'normal').toLowerCase() === 'regex') return [...text.matchAll(regex(search, true))].length;
  let n = 0;
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + 1)) n++;
  return n;
}


/** parse_url: the documented bag of URL parts (Scheme, Host, Port, Path, Username, Password, Query Parameters, Fragment). */
function parseUrl(text: string): Value {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return {};
  }
  const query: Record<string, Value> = {};
  u.searchParams.forEach((v, k) => (query[k] = v));
  return {
    Scheme: u.protocol.replace(/:$/, ''), Host: u.hostname, Port: u.port, Path: u.pathname,
    Username: decodeURIComponent(u.username), Password: decodeURIComponent(u.password),
    'Query Parameters': query, Fragment: u.hash.replace(/^#/, ''),
  };
}

export const stringFunctions: Record<string, ScalarFn> = {
  // strings
  strcat: (args) => args.map(str).join(''),
  strcat_delim: ([d, ...rest]) => rest.map(str).join(str(d)),
  strcat_array: ([a, d]) => (asArray(a ?? null) ?? []).map(str).join(str(d)),
  tolower: ([v]) => str(v).toLowerCase(),
  toupper: ([v]) => str(v).toUpperCase(),
  strlen: ([v]) => [...str(v)].length,
  substring,
  indexof: indexOf,
  indexof_regex: indexOfRegex,
  has_any_index: ([text, values]) => {
    // has_any_index-function: position in `values` of the first item found as a term; -1 if none.
    const items = asArray(values ?? null) ?? [];
    const hay = str(text);
    return items.findIndex((v) => has(hay, str(v)));
  },
  trim: (a) => trimWith(a, true, true),
  trim_start: (a) => trimWith(a, true, false),
  trim_end: (a) => trimWith(a, false, true),
  replace_string: ([t, l, r]) => str(t).split(str(l)).join(str(r)),
  replace_regex: ([t, re, r]) => str(t).replace(regex(str(re), true), str(r).replace(/\\(\d)/g, '$$$1')),
  reverse: ([v]) => [...str(v)].reverse().join(''),
  split,
  extract,
  extract_all: extractAll,
  countof: countOf,
  base64_decode_tostring: ([v]) => Buffer.from(str(v), 'base64').toString('utf8'),
  base64_encode_tostring: ([v]) => Buffer.from(str(v), 'utf8').toString('base64'),
  url_decode: ([v]) => {
    try {
      return decodeURIComponent(str(v).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  },
  strrep: ([v, n, d]) => Array.from({ length: Math.max(0, int(n) ?? 0) }, () => str(v)).join(str(d ?? '')),
  url_encode: ([v]) => encodeURIComponent(str(v)),
  parse_url: ([v]) => parseUrl(str(v)),
  hash_sha256: ([v]) => createHash('sha256').update(str(v), 'utf8').digest('hex'),
  hash_md5: ([v]) => createHash('md5').update(str(v), 'utf8').digest('hex'),
  tohex: ([v, w]) => {
    const n = int(v);
    if (n === null) return null;
    const hex = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n)).toString(16);
    return hex.padStart(int(w) ?? 0, '0');
  },
};
