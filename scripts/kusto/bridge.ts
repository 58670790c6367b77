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
  }
  return (globalThis as unknown as { Kusto: typeof Kusto }).Kusto;
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
