import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { attackData } from '../../scripts/model/attack.ts';
import { covers, parseIpOrRange } from '../../scripts/model/ip.ts';
import { loadRepo } from '../../scripts/content/load.ts';
import { buildAttackLayer, navigatorTactic } from '../../scripts/render/attack-layer.ts';
import { generateDocs, staleDocs } from '../../scripts/cli/docs.ts';
import { renderRuleDoc } from '../../scripts/render/rule-docs.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const repo = await loadRepo(ROOT);

describe('the rule pack', () => {
  it('loads without errors: every rule, its tests, the watchlist and the workbook', () => {
    expect(repo.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('schema/missing'))).toEqual([]);
    expect(repo.rules.length).toBeGreaterThanOrEqual(9);
    expect(repo.workbooks.map((w) => w.workbook.displayName)).toContain('Cloud credential activity');
    expect(repo.watchlists.map((w) => w.watchlist.alias)).toContain('NetworkAllowlist');
  });

  it('every rule has a true-positive and a true-negative case', () => {
    for (const r of repo.rules) {
      const tests = repo.ruleTests.find((t) => t.ruleFile === r.source.file);
      expect(tests, r.source.file).toBeDefined();
      expect(tests!.cases.some((c) => c.expect.alert), r.source.file).toBe(true);
      expect(tests!.cases.some((c) => !c.expect.alert), r.source.file).toBe(true);
    }
  });

  it('every declared parameter has a top-level let in the query', () => {
    for (const r of repo.rules) {
      for (const name of Object.keys(r.rule.parameters ?? {})) {
        expect(r.rule.query, `${r.slug}: ${name}`).toMatch(new RegExp(`^let ${name} = .+;$`, 'm'));
      }
    }
  });

  it('NetworkAllowlist defaults are valid entries inside documentation ranges only', () => {
    const docs = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'].map((r) => parseIpOrRange(r));
    const items = repo.watchlists.find((w) => w.watchlist.alias === 'NetworkAllowlist')!.watchlist.items;
    const kinds = new Set<string>();
    for (const item of items) {
      const parsed = parseIpOrRange(item.IPOrRange!);
      expect(parsed.ok, item.IPOrRange).toBe(true);
      if (!parsed.ok) continue;
      expect(docs.some((d) => d.ok && covers(d.entry, parsed.entry)), item.IPOrRange).toBe(true);
      kinds.add(`${parsed.entry.family}:${parsed.entry.kind}`);
    }
    expect([...kinds].sort()).toEqual(['4:address', '4:cidr', '4:range', '6:address', '6:cidr']);
  });
});

describe('generated docs', () => {
  it('are checked in and up to date', async () => {
    expect(await staleDocs(repo)).toEqual([]);
  });

  it('are deterministic and carry every section', () => {
    expect(generateDocs(repo.rules)).toEqual(generateDocs([...repo.rules].reverse()));
    const doc = renderRuleDoc(repo.rules.find((r) => r.slug === 'sp-credential-dormant')!);
    for (const heading of ['What it detects and why', 'Data sources', 'Tuning and parameters', 'Investigation guide', 'False positives', 'Seed lineage', 'Query']) {
      expect(doc).toContain(`## ${heading}`);
    }
    expect(doc).toContain('| `DormantAfter` | timespan | `24h` |');
  });

  it('staleDocs reports an edited rule against the checked-in page', async () => {
    const [first, ...rest] = repo.rules;
    const edited = { ...first!, rule: { ...first!.rule, description: 'changed' } };
    const diags = await staleDocs({ root: repo.root, rules: [edited, ...rest] });
    expect(diags.map((d) => [d.file, d.code])).toEqual([
      [`docs/rules/${first!.slug}.md`, 'docs/stale'],
    ]);
  });
});

describe('ATT&CK Navigator layer', () => {
  it('scores each technique by the rules covering it, in tactic columns the technique belongs to', () => {
    const layer = buildAttackLayer(repo.rules);
    expect(layer.versions.layer).toBe('4.5');
    const data = attackData();
    const t1098001 = layer.techniques.filter((t) => t.techniqueID === 'T1098.001');
    const covering = repo.rules.filter((r) => r.rule.relevantTechniques?.includes('T1098.001')).length;
    expect(t1098001.map((t) => t.tactic).sort()).toEqual(['persistence', 'privilege-escalation']);
    for (const t of t1098001) expect(t.score).toBe(covering);
    for (const t of layer.techniques) {
      expect(data.techniques[t.techniqueID]?.tactics.map(navigatorTactic), t.techniqueID).toContain(t.tactic);
    }
    expect(layer.techniques.find((t) => t.techniqueID === 'T1098' && t.tactic === 'persistence')?.showSubtechniques).toBe(true);
  });
});
