/**
 * KQL functions kept as content (`functions/<alias>.yaml`) in the forms the Kusto world needs:
 * the parameter list (`lookback:timespan = 1d, user:string = "x"`, which is also the saved search's
 * `functionParameters`), the `SavedFunction` the global state declares so that rules calling the
 * function see its inferred output columns, the `declare query_parameters(…)` prefix under which
 * the body is analysed on its own, and the names a function must not take.
 */
import { loadKusto } from './bridge.ts';
import { loadAsimFunctions } from './catalogue.ts';
import { LOG_ANALYTICS_FUNCTIONS } from './globals.ts';
import { ParameterError, toKqlLiteral } from './parameters.ts';
import type { SavedFunction } from './types.ts';
import type { KqlFunction, KqlFunctionParameter } from '../model/types.ts';

/** `name:type` or `name:type = <literal>`; throws ParameterError for a default that is not of the type. */
export function parameterText(p: KqlFunctionParameter): string {
  if (p.default === undefined) return `${p.name}:${p.type}`;
  try {
    return `${p.name}:${p.type} = ${toKqlLiteral(p.default, p.type)}`;
  } catch (e) {
    if (e instanceof ParameterError) throw new ParameterError(`parameter ${p.name}: ${e.message}`);
    throw e;
  }
}

/** The saved search's `functionParameters`: `a:string = "x", b:int = int(1)` (empty for none). Throws ParameterError. */
export function functionParameterList(fn: Pick<KqlFunction, 'parameters'>): string {
  return (fn.parameters ?? []).map(parameterText).join(', ');
}

/** Like `functionParameterList`, but a bad default is left out (validation reports it at its line). */
function tolerantParameterList(fn: Pick<KqlFunction, 'parameters'>): string {
  return (fn.parameters ?? [])
    .map((p) => {
      try {
        return parameterText(p);
      } catch {
        return `${p.name}:${p.type}`;
      }
    })
    .join(', ');
}

/**
 * The function as the global state declares it. The body goes between braces on lines of its own,
 * so a trailing `// comment` in the body cannot swallow the closing brace.
 */
export function savedFunctionOf(fn: KqlFunction): SavedFunction {
  return { name: fn.alias, parameters: `(${tolerantParameterList(fn)})`, body: `{\n${fn.body}\n}`, description: fn.description };
}

/**
 * The body analysed on its own: `declare query_parameters(…);` declares the parameters with their
 * types (and defaults) so the body may use them by name. Offsets in the analysed text minus
 * `prefix.length` are offsets in the body.
 */
export function functionBodyQuery(fn: KqlFunction): { prefix: string; query: string } {
  const params = tolerantParameterList(fn);
  const prefix = params ? `declare query_parameters(${params});\n` : '';
  return { prefix, query: prefix + fn.body };
}

/** What an alias would clash with: a built-in Kusto scalar or aggregate function, a Log Analytics or ASIM function. */
export function reservedFunctionName(name: string): string | undefined {
  if (name === '_GetWatchlist' || LOG_ANALYTICS_FUNCTIONS.some((f) => f.name === name)) return 'a Log Analytics function';
  if (loadAsimFunctions().has(name)) return 'an ASIM function';
  const state = loadKusto().Language.GlobalState.Default!;
  if (state.GetFunction(name) || state.GetAggregate(name)) return 'a built-in Kusto function';
  return undefined;
}
