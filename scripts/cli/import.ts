/**
 * `sentinel import`: brings existing analytic rules under version control, from a workspace (rules
 * made in the portal) or from an ARM template / REST list exported from one. Writes
 * `analytics-rules/<area>/<slug>.yaml` files and never overwrites an existing file.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError, type CliContext, type VerbHandler, type VerbInput } from './context.ts';
import { verbCommand } from './main.ts';
import { CONTENT_DIRS, loadRepo } from '../content/load.ts';
import { deployFlags } from './deploy-args.ts';
import { WorkspaceApi } from '../deploy/azure/arm.ts';
import { clientPoolFor, repoIdentityOf, selectTargets } from './deploy.ts';
import { describeError, isCredentialUnavailable } from '../deploy/azure/errors.ts';
import { AuthConfigError } from '../deploy/azure/clients.ts';
import { armToRule, ruleYaml, slugOf, type ArmRule } from '../deploy/plan/import.ts';
import { workspaceOf, type ActualResource, type Json, type WorkspaceRef } from '../deploy/desired/model.ts';
import { metadataBody, metadataName } from '../deploy/plan/ownership.ts';
import type { OwnerRef } from '../model/identity.ts';

/** Alert rules in an exported file: ARM template, REST list, array, or a single resource. */
export function rulesInExport(data: unknown, file: string): ArmRule[] {
  const list: unknown[] = Array.isArray(data) ? data
    : Array.isArray((data as Json)?.resources) ? (data as { resources: unknown[] }).resources
    : Array.isArray((data as Json)?.value) ? (data as { value: unknown[] }).value
    : [data];
  const rules = list.filter((r): r is Json => {
    const t = String((r as Json)?.type ?? '');
    return typeof r === 'object' && r !== null && typeof (r as Json).properties === 'object' && (t === '' || /alertRules$/i.test(t));
  });
  if (rules.length === 0) throw new UsageError(`${file}: no alert rules found (expected an ARM template with resources[], a list with value[], or one rule)`);
  return rules.map((r) => ({ name: String(r.name ?? ''), kind: String(r.kind ?? ''), properties: r.properties as Json }));
}

/** The workspace options: they do not apply with --from. */
const WORKSPACE_OPTIONS = ['targets', 'wave', 'auth', 'endpoint', 'authTenant', 'repoName'];

/** Where an imported rule lives, for writing its ownership record there. */
interface Location {
  api: WorkspaceApi;
  ws: WorkspaceRef;
  actual: ActualResource;
  target: string;
}

async function fromWorkspaces(input: VerbInput, ctx: CliContext, known: Set<string>): Promise<{ rules: ArmRule[]; locations: Map<string, Location[]>; failed: number; repoName: OwnerRef }> {
  const flags = deployFlags(input);
  const repo = await loadRepo(ctx.root);
  const pool = clientPoolFor(flags, ctx);
  const repoName = await repoIdentityOf(ctx.root, flags.repoName);
  const rules: ArmRule[] = [];
  const locations = new Map<string, Location[]>();
  let failed = 0;
  for (const t of selectTargets(repo, flags)) {
    const ws = workspaceOf(t.target);
    const api = new WorkspaceApi(pool.get(t.target.tenantId, t.target.subscriptionId), ws);
    try {
      const metadata = new Map((await api.list('metadata')).map((m) => [m.name.toLowerCase(), m]));
      for (const r of await api.list('alertRule')) {
        const id = r.name.toLowerCase();
        if (known.has(id) && !locations.has(id)) continue; // already in the repo
        const meta = metadata.get(metadataName('alertRule', r.name));
        if (meta) {
          const src = (meta.properties.source ?? {}) as Json;
          ctx.out(`skip ${t.target.name}/${r.name} "${String(r.properties.displayName ?? '')}": managed by ${String(src.kind ?? 'unknown')} '${String(src.name ?? '')}'`);
          continue;
        }
        if (!locations.has(id)) {
          known.add(id);
          rules.push({ name: r.name, kind: r.kind ?? '', properties: r.properties });
          locations.set(id, []);
        }
        locations.get(id)!.push({ api, ws, actual: r, target: t.target.name });
      }
    } catch (e) {
      // A missing sign-in is the environment's, not this target's: one message, exit 2 (as plan/apply/drift).
      if (isCredentialUnavailable(e)) throw new AuthConfigError(describeError(e, ws, pool.settings.endpoint));
      failed++;
      ctx.err(`${t.target.name}: ${describeError(e, ws, pool.settings.endpoint)}`);
    }
  }
  return { rules, locations, failed, repoName };
}

/** Writes this repo's ownership record beside an adopted rule (fails if any record appeared meanwhile). */
async function adopt(loc: Location, ruleId: string, version: string, repoName: OwnerRef): Promise<void> {
  // Rules' records carry no body fingerprint (ownership.ts: recordsFingerprint).
  await loc.api.write({
    method: 'PUT', type: 'metadata', name: metadataName('alertRule', ruleId),
    body: metadataBody('alertRule', ruleId, version, loc.ws, repoName, undefined), absent: true,
  });
}

export const runImport: VerbHandler<{ from?: string; area: string; dryRun?: boolean }> = async (input, ctx) => {
  const { from, area } = input.opts;
  const dryRun = input.opts.dryRun === true;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(area)) throw new UsageError(`--area must be a folder name of lower-case letters, digits and -, got "${area}"`, true);
  const repo = await loadRepo(ctx.root);
  const known = new Set(repo.rules.map((r) => r.rule.id.toLowerCase()));
  const slugs = new Set(repo.rules.map((r) => r.slug));

  let source: ArmRule[];
  let failed = 0;
  let locations = new Map<string, Location[]>();
  let repoName: OwnerRef = '';
  if (from) {
    const given = WORKSPACE_OPTIONS.filter((o) => input.given(o));
    if (given.length) throw new UsageError(`--from reads a file; workspace options do not apply (${given.map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')})`, true);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(resolve(ctx.root, from), 'utf8'));
    } catch (e) {
      throw new UsageError(`${from}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}`);
    }
    source = rulesInExport(data, from);
  } else {
    ({ rules: source, failed, locations, repoName } = await fromWorkspaces(input, ctx, known));
  }

  let written = 0;
  for (const res of source) {
    const result = armToRule(res);
    if ('skipped' in result) {
      ctx.out(`skip ${res.name}: ${result.skipped}`);
      continue;
    }
    const { rule, notes } = result;
    if (from && known.has(rule.id.toLowerCase())) {
      ctx.out(`skip "${rule.name}": rule ${rule.id} is already in the repo`);
      continue;
    }
    known.add(rule.id.toLowerCase());
    let slug = slugOf(rule.name);
    for (let n = 2; slugs.has(slug) || existsSync(join(ctx.root, CONTENT_DIRS.rules, area, `${slug}.yaml`)); n++) slug = `${slugOf(rule.name)}-${n}`;
    slugs.add(slug);
    const rel = `${CONTENT_DIRS.rules}/${area}/${slug}.yaml`;
    ctx.out(`${dryRun ? 'would write' : 'write'} ${rel}  "${rule.name}" (${rule.id})${notes.map((n) => `\n    note: ${n}`).join('')}`);
    if (dryRun) continue;
    await mkdir(join(ctx.root, CONTENT_DIRS.rules, area), { recursive: true });
    await writeFile(join(ctx.root, rel), ruleYaml(rule, notes), { flag: 'wx' });
    written++;
    for (const loc of locations.get(rule.id.toLowerCase()) ?? []) {
      try {
        await adopt(loc, rule.id, rule.version, repoName);
        ctx.out(`    adopted in ${loc.target}`);
      } catch (e) {
        failed++;
        ctx.err(`${loc.target}: could not adopt ${rule.id}: ${describeError(e, loc.ws, loc.api.clients.endpoint)}`);
      }
    }
  }
  ctx.out(`${dryRun ? 'dry run: ' : ''}${written} rule file(s) written${written ? '; next: add <slug>.tests.yaml fixtures, then run `sentinel validate` and `sentinel docs`' : ''}`);
  return failed ? 1 : 0;
};

/** `sentinel import` called with raw arguments (tests). */
export const importCommand = verbCommand('import');
