/**
 * Does a bigger global state slow analysis? The same synthetic rule queries are analysed (syntax,
 * binding, lint; no caches) against the full global state — the 452-table catalogue and the ASIM
 * functions — and against a small one holding only the 11 tables of the former hand-kept catalogue,
 * interleaved so that load from other processes hits both alike. Prints numbers; asserts nothing.
 */
import { loadKusto } from '../../kusto/bridge.ts';
import { loadCatalogue } from '../../kusto/catalogue.ts';
import { buildGlobals } from '../../kusto/globals.ts';
import { resolveSchema } from '../../kusto/schema.ts';
import type { KqlSchemaInput } from '../../kusto/types.ts';
import { analyzeCore, type CoreContext } from '../../validate/kql/core.ts';
import { syntheticQuery } from './synthetic.ts';

/** The tables of the hand-kept catalogue before the Azure Monitor reference data replaced it. */
const SMALL = [
  'AADManagedIdentitySignInLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AWSCloudTrail', 'AuditLogs',
  'AzureActivity', 'GCPAuditLogs', 'SecurityAlert', 'SecurityIncident', 'SigninLogs', 'Watchlist',
];
const WATCHLISTS: KqlSchemaInput['watchlists'] = [{ alias: 'NetworkAllowlist', columns: [{ name: 'IPOrRange', type: 'string' }, { name: 'Description', type: 'string' }] }];

function context(schema: KqlSchemaInput): { ctx: CoreContext; buildMs: number } {
  const t0 = performance.now();
  const globals = buildGlobals(schema);
  const buildMs = performance.now() - t0;
  return { ctx: { globals, knownTables: new Set(resolveSchema(schema).tables.keys()), watchlistAliases: ['NetworkAllowlist'] }, buildMs };
}

export function benchGlobalState(print: (line: string) => void, queries = 300): { fullMs: number; smallMs: number } {
  const catalogue = loadCatalogue();
  const small: KqlSchemaInput = { watchlists: WATCHLISTS, builtIns: false, tables: SMALL.map((n) => catalogue.get(n)!) };
  const full: KqlSchemaInput = { watchlists: WATCHLISTS };
  loadKusto(); // the one-time library load is not part of either build
  const s = context(small);
  const f = context(full);
  const fullState = resolveSchema(full);
  // Warm up both (first queries JIT-compile the library's code paths).
  for (let i = 0; i < 20; i++) {
    analyzeCore(s.ctx, syntheticQuery(900_000 + i), true);
    analyzeCore(f.ctx, syntheticQuery(900_000 + i), true);
  }
  let smallMs = 0;
  let fullMs = 0;
  for (let i = 0; i < queries; i++) {
    const q = syntheticQuery(800_000 + i);
    const order = i % 2 === 0 ? [s, f] : [f, s];
    for (const side of order) {
      const t0 = performance.now();
      analyzeCore(side.ctx, q, true);
      const ms = performance.now() - t0;
      if (side === s) smallMs += ms;
      else fullMs += ms;
    }
  }
  const per = (ms: number) => `${(ms / queries).toFixed(2)} ms`;
  const extra = (fullMs / smallMs - 1) * 100;
  print(`global state vs per-query analysis time (${queries} synthetic rule queries, lint on, no caches, interleaved)`);
  print(`  small: ${SMALL.length} tables, no ASIM              build ${s.buildMs.toFixed(0).padStart(5)} ms   per query ${per(smallMs)}`);
  print(`  full:  ${fullState.tables.size} tables, ${fullState.tabularFunctions.size} ASIM functions   build ${f.buildMs.toFixed(0).padStart(5)} ms   per query ${per(fullMs)}`);
  print(`  full catalogue costs ${extra >= 0 ? '+' : ''}${extra.toFixed(1)} % per query (threshold for per-query global states: +10 %)`);
  return { fullMs: fullMs / queries, smallMs: smallMs / queries };
}
