/**
 * The one refusal of verbs that ship content (apply/plan/drift, export): with any content error,
 * the first ten at file:line:col and one summary line, and nothing is deployed or written.
 */
import type { CliContext } from './context.ts';
import type { Diagnostic } from '../model/types.ts';

/** Reports `errors` and returns true when there are any (the caller then exits 1). */
export function refuseContentErrors(errors: readonly Diagnostic[], ctx: Pick<CliContext, 'err'>, nothing: 'deployed' | 'exported'): boolean {
  if (!errors.length) return false;
  for (const d of errors.slice(0, 10)) ctx.err(`${d.file}:${d.line}:${d.col}: ${d.message}`);
  ctx.err(`${errors.length} content error(s): nothing ${nothing} — fix them (run \`sentinel validate\`) first`);
  return true;
}
