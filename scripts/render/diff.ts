/** Unified diff of two texts (`--- a/<file>` / `+++ b/<file>`, 3 lines of context), as `git diff` prints it. */

const CONTEXT = 3;
/** Above this many line pairs the middle of the files is shown as one replaced block (no LCS). */
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out.at(-1) === '') out.pop();
  return out;
}

/** Line operations turning `a` into `b`: common prefix and suffix, and a longest common subsequence between. */
function operations(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ops: Op[] = [];
  for (let i = 0; i < start; i++) ops.push({ kind: ' ', text: a[i]!, a: i, b: i });
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) ops.push({ kind: '-', text: a[i]!, a: i, b: endB });
    for (let j = start; j < endB; j++) ops.push({ kind: '+', text: b[j]!, a: endA, b: j });
  } else {
    // lcs[i][j]: LCS length of a[start+i..endA) and b[start+j..endB).
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = a[start + i] === b[start + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) { ops.push({ kind: ' ', text: a[start + i]!, a: start + i, b: start + j }); i++; j++; }
      else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { ops.push({ kind: '-', text: a[start + i]!, a: start + i, b: start + j }); i++; }
      else { ops.push({ kind: '+', text: b[start + j]!, a: start + i, b: start + j }); j++; }
    }
  }
  for (let i = endA, j = endB; i < a.length; i++, j++) ops.push({ kind: ' ', text: a[i]!, a: i, b: j });
  return ops;
}

/** The unified diff of `before` → `after` for `file`; empty when they are equal. */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = operations(lines(before), lines(after));
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.kind === ' ') k++;
    if (k >= ops.length) break;
    const from = Math.max(0, k - CONTEXT);
    let to = k;
    // Extend the hunk while the next change is within 2×CONTEXT unchanged lines.
    for (;;) {
      while (to < ops.length && ops[to]!.kind !== ' ') to++;
      let gap = to;
      while (gap < ops.length && ops[gap]!.kind === ' ') gap++;
      if (gap < ops.length && gap - to <= 2 * CONTEXT) to = gap;
      else break;
    }
    const end = Math.min(ops.length, to + CONTEXT);
    const hunk = ops.slice(from, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    const aStart = hunk[0]!.a + (aLen ? 1 : 0);
    const bStart = hunk[0]!.b + (bLen ? 1 : 0);
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    k = end;
  }
  if (!before.endsWith('\n') !== !after.endsWith('\n')) out.push('\\ No newline at end of file (one side)');
  return out.join('\n') + '\n';
}
