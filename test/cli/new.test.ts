/** `sentinel new`: every scaffold validates, a rule's once its query is written; nothing is overwritten. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { validate } from '../../scripts/validate/validate.ts';
import { staleDocs } from '../../scripts/cli/docs.ts';
import { goodRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { recordingContext } from '../github/context.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

async function run(args: string[]) {
  const ctx = recordingContext(repo!.root, {});
  const code = await main(args, () => ctx);
  return { code, out: ctx.stdout.join(''), err: ctx.stderr.join('') };
}

const errorsIn = async (prefix: string) => {
  const res = await validate(repo!.root, { cacheDir: false, workers: 0, extraChecks: [staleDocs] });
  return res.diagnostics.filter((d) => d.severity === 'error' && (d.file.startsWith(prefix) || d.file.startsWith('docs/') || d.file === 'README.md'));
};

describe('sentinel new', () => {
  it('rule: a rule file and a tests file with one true-positive and one true-negative case; clean once written', async () => {
    repo = goodRepo();
    const r = await run(['new', 'rule', 'entra/app-secret-added', '--table', 'AuditLogs']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('created analytics-rules/entra/app-secret-added.yaml');
    const rulePath = join(repo.root, 'analytics-rules/entra/app-secret-added.yaml');
    const rule = readFileSync(rulePath, 'utf8');
    expect(rule).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/scripts\/content\/schemas\/rule\.schema\.json\n/);
    expect(rule).toMatch(/\nid: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n/);
    expect(rule).toContain('\nversion: 1.0.0\n');
    const tests = readFileSync(join(repo.root, 'analytics-rules/entra/app-secret-added.tests.yaml'), 'utf8');
    expect(tests.match(/alert: true/g)).toHaveLength(1);
    expect(tests.match(/alert: false/g)).toHaveLength(1);
    // The user writes the detection, then generates its docs page.
    repo.write('analytics-rules/entra/app-secret-added.yaml', rule.replace(
      '  | where false // matches nothing until the detection is written\n  | project TimeGenerated\n',
      '  | where OperationName has "Update application – Certificates and secrets management"\n  | project TimeGenerated, OperationName\n',
    ));
    await writeDocs(repo);
    expect(await errorsIn('analytics-rules/entra/app-secret-added')).toEqual([]);
  });

  it('an NRT rule, a watchlist, a workbook and a target validate as written', async () => {
    repo = goodRepo();
    for (const args of [
      ['new', 'rule', 'aws/key-created', '--kind', 'NRT', '--table', 'AWSCloudTrail'],
      ['new', 'watchlist', 'SanctionedHosts'],
      ['new', 'workbook', 'credential-overview'],
      ['new', 'target', 'contoso-dev', '--tenant', '00000000-0000-0000-0000-0000000000c1', '--wave', '2'],
    ]) expect((await run(args)).code).toBe(0);
    await writeDocs(repo);
    for (const prefix of ['analytics-rules/aws/key-created', 'watchlists/SanctionedHosts', 'workbooks/credential-overview', 'targets/contoso-dev']) {
      expect([prefix, await errorsIn(prefix)]).toEqual([prefix, []]);
    }
    expect(readFileSync(join(repo.root, 'targets/contoso-dev.yaml'), 'utf8')).toContain('tenantId: 00000000-0000-0000-0000-0000000000c1\n');
  });

  it.each([
    [['new', 'rule', 'Entra/Bad Name'], /is not <area>\/<slug> in lower-case words/],
    [['new', 'gadget', 'x'], /unknown kind "gadget": use one of rule, watchlist, workbook, target/],
    [['new', 'target', 'x', '--tenant', 'not-a-guid'], /--tenant must be a GUID/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    repo = goodRepo();
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('never overwrites: an existing file is a usage error and nothing is written', async () => {
    repo = goodRepo();
    const before = readFileSync(join(repo.root, 'analytics-rules/entra/good-rule.yaml'), 'utf8');
    const r = await run(['new', 'rule', 'entra/good-rule']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('analytics-rules/entra/good-rule.yaml already exists');
    expect(readFileSync(join(repo.root, 'analytics-rules/entra/good-rule.yaml'), 'utf8')).toBe(before);
  });
});
