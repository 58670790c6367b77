/// <reference types="@kusto/language-service-next" />
/**
 * Loads the Kusto language service (a Bridge.NET build of Kusto.Language) exactly once.
 *
 * The package exports nothing: its two scripts install the globals `Bridge`, `System` and `Kusto`.
 * The runtime must be evaluated before the library. Everything Bridge-typed stays inside
 * `scripts/validate/kql/` and `scripts/evaluate/`; other stages see plain objects only.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loaded = false;

export function loadKusto(): typeof Kusto {
  if (!loaded) {
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    loaded = true;
    deferQueryGrammar((globalThis as unknown as { Kusto: typeof Kusto }).Kusto);
  }
  return (globalThis as unknown as { Kusto: typeof Kusto }).Kusto;
}

/**
 * `KustoCode.Parse` parses with the hand-written `QueryParser` but first builds the parser-combinator
 * `QueryGrammar` (≈ 0.5 s, once per process) only to store `KustoCode.Grammar`, which the library
 * reads for completion and for pathologically deep queries (`StackSafeParse`) — never for parsing
 * or analysis. We seed the library's grammar cache (`QueryGrammar.s_currentGrammar`) with a lazy
 * stand-in: the `QueryBlock` read in `Parse` gets null (so `KustoCode.Grammar` is null; we use no
 * completion), and any other use builds the real grammar on first access and forwards to it.
 * If the library's internals do not have this shape, nothing is changed.
 */
function deferQueryGrammar(K: typeof Kusto): void {
  type Grammar = Record<string | symbol, unknown>;
  const QG = K.Language.Parsing.QueryGrammar as unknown as {
    new (options: unknown): Grammar;
    s_currentGrammar?: unknown;
    CachedGrammar?: new (grammar: unknown, options: unknown) => unknown;
  };
  if (typeof QG !== 'function' || typeof QG.CachedGrammar !== 'function' || !('s_currentGrammar' in QG) || QG.s_currentGrammar != null) return;
  const options = K.Language.GlobalState.Default?.ParseOptions;
  if (!options) return;
  let real: Grammar | undefined;
  const lazy = new Proxy({} as Grammar, {
    get(_, prop) {
      if (prop === 'QueryBlock' && !real) return null;
      real ??= new QG(options);
      const v = real[prop];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(real) : v;
    },
  });
  QG.s_currentGrammar = new QG.CachedGrammar(lazy, options);
}

/** Bridge lists (System.Collections.Generic.List, IReadOnlyList, …) to JS arrays. */
export function toArray<T>(list: unknown): T[] {
  if (list == null) return [];
  const bridge = (globalThis as unknown as { Bridge: { toArray(l: unknown): T[] } }).Bridge;
  return bridge.toArray(list);
}

/** Bridge enum value to its name, e.g. SyntaxKind 123 → "WhereKeyword". */
export function enumName(enumType: unknown, value: number): string {
  const system = (globalThis as unknown as { System: { Enum: { toString(t: unknown, v: number): string } } }).System;
  return system.Enum.toString(enumType, value);
}
