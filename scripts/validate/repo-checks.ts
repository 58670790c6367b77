/** Checks across files: uniqueness, rule ↔ test pairing, targets referring to real content. */
import { diagAt } from '../model/diagnostics.ts';
import { ruleMatches } from '../model/select.ts';
import type { Diagnostic, Repo, SourceFile, TargetFile } from '../model/types.ts';
import { checkWatchlistItems } from './watchlist-checks.ts';
import { posix } from 'node:path';
import { CONTENT_DIRS, kindOf, TEST_SUFFIX } from '../content/load.ts';
import { ParameterError, toKqlLiteral } from '../kusto/parameters.ts';

function unique<T>(items: T[], key: (t: T) => string | undefined, report: (t: T, first: T) => Diagnostic): Diagnostic[] {
  const seen = new Map<string, T>();
  const out: Diagnostic[] = [];
  for (const t of items) {
    const k = key(t);
    if (k === undefined) continue;
    const first = seen.get(k);
    if (first) out.push(report(t, first));
    else seen.set(k, t);
  }
  return out;
}

const where = (s: SourceFile, path: (string | number)[]) => `${s.file}:${s.pos(path).line}`;

export function checkRepo(repo: Repo): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...unique(repo.rules, (r) => r.rule.id.toLowerCase(), (r, f) =>
    diagAt(r.source, ['id'], 'error', 'check/duplicate-id', `rule id ${r.rule.id} is already used by ${where(f.source, ['id'])}; give this rule a new GUID`)));
  out.push(...unique(repo.rules, (r) => r.rule.name.trim().toLowerCase(), (r, f) =>
    diagAt(r.source, ['name'], 'error', 'check/duplicate-name', `rule name "${r.rule.name}" is already used by ${where(f.source, ['name'])}; names must be unique`)));
  out.push(...unique(repo.rules, (r) => r.slug.toLowerCase(), (r, f) =>
    diagAt(r.source, [], 'error', 'check/duplicate-slug', `rule file name ${r.slug}.yaml is also used by ${f.source.file}; file names must be unique across areas`)));
  out.push(...unique(repo.workbooks, (w) => w.workbook.id.toLowerCase(), (w, f) =>
    diagAt(w.source, ['id'], 'error', 'check/duplicate-id', `workbook id ${w.workbook.id} is already used by ${where(f.source, ['id'])}`)));
  out.push(...unique(repo.watchlists, (w) => w.watchlist.alias.toLowerCase(), (w, f) =>
    diagAt(w.source, ['alias'], 'error', 'check/duplicate-alias', `watchlist alias ${w.watchlist.alias} is already used by ${f.source.file}`)));
  out.push(...unique(repo.targets, (t) => `${t.target.subscriptionId}/${t.target.resourceGroup}/${t.target.workspaceName}`.toLowerCase(), (t, f) =>
    diagAt(t.source, ['workspaceName'], 'error', 'check/duplicate-target', `workspace ${t.target.resourceGroup}/${t.target.workspaceName} is already targeted by ${f.source.file}; one file per workspace`)));

  // Target names are file stems; on a case-insensitive file system (Windows, macOS) two names that
  // differ only in case are one file, and deploy names runs and journals by them.
  out.push(...unique(repo.targets, (t) => t.target.name.toLowerCase(), (t, f) =>
    diagAt(t.source, [], 'error', 'check/duplicate-target-name', `target file ${t.source.file} differs only in case from ${f.source.file}; rename one (target names must differ ignoring case)`)));
  // A subscription belongs to exactly one Entra tenant: two tenants claiming one cannot both be right,
  // and a deploy signs in to the wrong one for one of the targets.
  const tenantOf = new Map<string, TargetFile>();
  for (const tf of repo.targets) {
    const sub = tf.target.subscriptionId.toLowerCase();
    const first = tenantOf.get(sub);
    if (!first) tenantOf.set(sub, tf);
    else if (first.target.tenantId.toLowerCase() !== tf.target.tenantId.toLowerCase()) {
      out.push(diagAt(tf.source, ['tenantId'], 'error', 'check/target-tenant',
        `subscription ${tf.target.subscriptionId} is in tenant ${first.target.tenantId} according to ${where(first.source, ['tenantId'])}, but this target says ${tf.target.tenantId}; a subscription belongs to one tenant — fix the wrong one`));
    }
  }

  // Rule tests: each test file belongs to a rule; each rule has a true positive and a true negative.
  // A rule or tests file that failed to load is reported where it fails; what only follows from its
  // absence (an orphaned tests file, a rule "lacking" its cases) is not reported again.
  const failed = repo.failed ?? new Set<string>();
  const ruleFiles = new Set(repo.rules.map((r) => r.source.file));
  for (const t of repo.ruleTests) {
    if (!ruleFiles.has(t.ruleFile) && !failed.has(t.ruleFile)) {
      out.push(diagAt(t.source, [], 'error', 'check/orphan-tests', `no rule ${t.ruleFile} beside this test file; rename it to <rule-file-stem>.tests.yaml`));
    }
  }
  const testsByRule = new Map(repo.ruleTests.map((t) => [t.ruleFile, t]));
  for (const r of repo.rules) {
    const t = testsByRule.get(r.source.file);
    if (!t && failed.has(r.source.file.replace(/\.ya?ml$/, TEST_SUFFIX))) continue;
    const tp = t?.cases.some((c) => c.expect.alert) ?? false;
    const tn = t?.cases.some((c) => !c.expect.alert) ?? false;
    if (!tp || !tn) {
      const missing = [!tp && 'a true-positive case (expect.alert: true)', !tn && 'a true-negative case (expect.alert: false)'].filter(Boolean).join(' and ');
      out.push(diagAt(r.source, ['id'], 'warning', 'check/tests', `rule lacks ${missing}; add ${!tp && !tn ? 'them' : 'it'} to ${r.source.file.replace(/\.yaml$/, '.tests.yaml')}`));
    }
  }

  // Targets refer to real rules, parameters and watchlists. Rule files that failed to load still
  // answer to their area/slug and slug (their id is unknown), so selectors naming them stay quiet.
  const failedRules = [...failed].filter((f) => kindOf(f) === 'rule').map((f) => {
    const dir = posix.dirname(f);
    return { area: dir === CONTENT_DIRS.rules ? '' : dir.slice(CONTENT_DIRS.rules.length + 1), slug: posix.basename(f).replace(/\.ya?ml$/, ''), rule: { id: '' } };
  });
  const watchlists = new Map(repo.watchlists.map((w) => [w.watchlist.alias, w.watchlist]));
  for (const tf of repo.targets) {
    const t = tf.target;
    (t.disableRules ?? []).forEach((p, i) => {
      if (!repo.rules.some((r) => ruleMatches(p, r)) && !failedRules.some((r) => ruleMatches(p, r))) out.push(diagAt(tf.source, ['disableRules', i], 'warning', 'check/target-selector', `"${p}" matches no rule (selectors match rule id, area/slug or slug)`));
    });
    (t.overrides ?? []).forEach((o, i) => {
      const matched = repo.rules.filter((r) => ruleMatches(o.rules, r));
      if (matched.length === 0) {
        // A selector naming only a rule file that failed to load follows from that failure.
        if (failedRules.some((r) => ruleMatches(o.rules, r))) return;
        out.push(diagAt(tf.source, ['overrides', i, 'rules'], 'warning', 'check/target-selector', `"${o.rules}" matches no rule (selectors match rule id, area/slug or slug)`));
        return;
      }
      for (const name of Object.keys(o.parameters ?? {})) {
        const declaring = matched.filter((r) => r.rule.parameters && name in r.rule.parameters);
        if (declaring.length === 0) {
          out.push(diagAt(tf.source, ['overrides', i, 'parameters', name], 'error', 'check/target-parameter', `no rule matched by "${o.rules}" declares parameter "${name}"`, true));
          continue;
        }
        // The value must be a literal of the declared type: the same conversion plan/apply use
        // (kusto/parameters.ts toKqlLiteral), so what passes here deploys.
        const value = o.parameters![name];
        const seen = new Set<string>();
        for (const r of declaring) {
          const type = r.rule.parameters![name]!.type;
          if (seen.has(type)) continue;
          seen.add(type);
          try {
            toKqlLiteral(value, type);
          } catch (e) {
            if (!(e instanceof ParameterError)) throw e;
            const rules = declaring.filter((d) => d.rule.parameters![name]!.type === type).map((d) => `${d.area ? `${d.area}/` : ''}${d.slug}`);
            out.push(diagAt(tf.source, ['overrides', i, 'parameters', name], 'error', 'check/target-parameter-type',
              `parameter "${name}": ${e.message}; ${rules.join(', ')} declare${rules.length === 1 ? 's' : ''} it as ${type} — plan and apply refuse this target until it is fixed`));
          }
        }
      }
      if (o.queryFrequency || o.queryPeriod) {
        const nrt = matched.filter((r) => r.rule.kind === 'NRT');
        if (nrt.length) out.push(diagAt(tf.source, ['overrides', i], 'error', 'check/target-override', `schedule overrides do not apply to NRT rules (${nrt.map((r) => r.slug).join(', ')})`));
      }
    });
    for (const [alias, items] of Object.entries(t.watchlistItems ?? {})) {
      const w = watchlists.get(alias);
      if (!w) {
        out.push(diagAt(tf.source, ['watchlistItems', alias], 'error', 'check/target-watchlist', `no watchlist with alias "${alias}" in watchlists/`, true));
        continue;
      }
      out.push(...checkWatchlistItems(w, [{ items, source: tf.source, path: ['watchlistItems', alias], acknowledged: t.acknowledgeTrustAll }]));
    }
  }
  return out;
}
