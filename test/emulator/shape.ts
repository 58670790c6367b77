/**
 * A generic shape comparison for replaying REST spec examples: does `actual` have the shape of the
 * example's `expected` body? Values are not compared (ids, etags, timestamps, names differ by design).
 * - an object: every key of `expected` is present in `actual` (extra keys are fine) and matches recursively;
 * - `null` in the example: the key must be present, with any value (the example does not show the type);
 * - a string/number/boolean: same JSON type;
 * - an array: an array; when the example's is non-empty, the actual one is too and every example element
 *   matches some actual element (order is not part of the shape);
 * - a path listed in `maps` (dotted, `*` = any array element) is a map whose keys are data: only "is an object";
 * - a path listed in `nullable` may be null where the example shows a value (a documented emulator choice).
 * Returns the mismatches as `path: reason` lines (empty = same shape).
 */
export function shapeMismatches(expected: unknown, actual: unknown, maps: readonly string[] = [], path = '', nullable: readonly string[] = []): string[] {
  const here = path || '(body)';
  if (expected === null) return [];
  if (actual === null && nullable.some((m) => matchesPath(m, path))) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${here}: expected an array, got ${describe(actual)}`];
    if (expected.length === 0) return [];
    if (actual.length === 0) return [`${here}: expected elements, got an empty array`];
    const out: string[] = [];
    expected.forEach((e, i) => {
      const tries = actual.map((a) => shapeMismatches(e, a, maps, `${path}.*`, nullable));
      if (!tries.some((t) => t.length === 0)) out.push(`${path}[${i}]: no element of the same shape; closest: ${tries.sort((x, y) => x.length - y.length)[0]!.join('; ')}`);
    });
    return out;
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${here}: expected an object, got ${describe(actual)}`];
    if (maps.some((m) => matchesPath(m, path))) return [];
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in a)) return [`${p}: missing`];
      return shapeMismatches(v, a[k], maps, p, nullable);
    });
  }
  return typeof actual === typeof expected ? [] : [`${here}: expected a ${typeof expected}, got ${describe(actual)}`];
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function matchesPath(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const s = path.split('.');
  return p.length === s.length && p.every((seg, i) => seg === '*' || seg === s[i]);
}
