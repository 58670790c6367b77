import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../scripts/model/types.ts';
import { summary } from '../../scripts/cli/pr-comment.ts';
import { renderSarif } from '../../scripts/render/sarif.ts';
import { escapeCell, hasFailures, inlineCode, renderSummary } from '../../scripts/render/summary.ts';
import type { TestCaseResult } from '../../scripts/render/summary.ts';
import { recordingContext } from '../github/context.ts';

const findings: Diagnostic[] = [
  { file: 'analytics-rules/entra/b.yaml', line: 30, col: 3, severity: 'warning', code: 'check/lookback', message: 'ago(30d) exceeds queryPeriod 14d' },
  { file: 'analytics-rules/entra/a.yaml', line: 14, col: 9, severity: 'error', code: 'kql/KS142', message: "Unknown column 'A|B' <script>" },
];
const tests: TestCaseResult[] = [
  { file: 'analytics-rules/entra/a.tests.yaml', rule: 'SP credential added', name: 'alerts on new secret', passed: true },
  { file: 'analytics-rules/entra/a.tests.yaml', rule: 'SP credential added', name: 'silent for allowlisted IP', passed: false, message: 'expected no alert, got 1 row', line: 22, col: 5 },
];
const plan = '#### contoso-canary (wave 0)\n\n| Action | Item |\n| --- | --- |\n| ~ update | SP credential added: severity Medium → High |\n';

describe('renderSummary', () => {
  it('opens with a one-line status for validate, tests and plan', () => {
    const md = renderSummary({ findings, tests, plan });
    expect(md.split('\n').slice(0, 3)).toEqual([
      '## Sentinel content review',
      '',
      '❌ 1 error, 1 warning in 2 files · ❌ 1 of 2 rule tests failed · 📋 plan below',
    ]);
  });

  it('lists findings errors first with escaped cells', () => {
    const md = renderSummary({ findings });
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌') || l.startsWith('| ⚠️'));
    expect(rows).toEqual([
      "| ❌ | `analytics-rules/entra/a.yaml:14:9` | `kql/KS142` | Unknown column 'A\\|B' &lt;script&gt; |",
      '| ⚠️ | `analytics-rules/entra/b.yaml:30:3` | `check/lookback` | ago(30d) exceeds queryPeriod 14d |',
    ]);
  });

  it('links locations to the PR head when a link base is given', () => {
    const md = renderSummary({ findings: findings.slice(1), link: { serverUrl: 'https://github.com', repository: 'o/r', ref: 'abc123' } });
    expect(md).toContain('[analytics-rules/entra/a.yaml:14:9](https://github.com/o/r/blob/abc123/analytics-rules/entra/a.yaml#L14)');
  });

  it('shows failed rule tests with their reason and counts the passes', () => {
    const md = renderSummary({ tests });
    expect(md).toContain('### Rule tests\n\n1 passed, 1 failed.');
    expect(md).toContain('| ❌ | `analytics-rules/entra/a.tests.yaml:22:5` | SP credential added | silent for allowlisted IP | expected no alert, got 1 row |');
  });

  it('embeds the plan Markdown per target or says why it was skipped', () => {
    expect(renderSummary({ findings: [], tests: [], plan })).toContain(`### Plan per target\n\n${plan}`);
    const skipped = renderSummary({ findings: [], planSkipped: 'pull request from a fork: no Azure credentials' });
    expect(skipped).toContain('✅ validation clean · ⏭️ rule tests not run · ⏭️ plan skipped');
    expect(skipped).toContain('### Plan per target\n\npull request from a fork: no Azure credentials\n');
    expect(skipped).not.toContain('### Rule tests');
    expect(skipped).toContain('### Findings\n\nNo findings.');
  });

  it('caps the findings table and says how many more there are', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ ...findings[0]!, line: i + 1 }));
    const md = renderSummary({ findings: many, maxFindings: 5 });
    expect(md.split('\n').filter((l) => l.startsWith('| ⚠️'))).toHaveLength(5);
    expect(md).toContain('…and 2 more (see the annotations and the SARIF report).');
  });

  it('fits a character cap by shortening the plan first', () => {
    const bigPlan = Array.from({ length: 2000 }, (_, i) => `| + create | rule ${i} |`).join('\n');
    const md = renderSummary({ findings, tests, plan: bigPlan, maxChars: 5000 });
    expect(md.length).toBeLessThanOrEqual(5000);
    expect(md).toContain('`kql/KS142`');
    expect(md).toContain('| + create | rule 0 |');
    expect(md).toContain('…truncated to fit');
  });

  it('escapes Markdown and HTML in cells and fences code around backticks', () => {
    expect(escapeCell('a|b\n<i>&')).toBe('a\\|b<br>&lt;i&gt;&amp;');
    expect(inlineCode('x `y` z')).toBe('``x `y` z``');
    expect(inlineCode('`a|b')).toBe('`` `a\\|b ``');
  });

  it('hasFailures is true for errors or failed tests, not for warnings', () => {
    expect(hasFailures({ findings: [findings[0]!] })).toBe(false);
    expect(hasFailures({ findings })).toBe(true);
    expect(hasFailures({ tests: [tests[0]!] })).toBe(false);
    expect(hasFailures({ tests })).toBe(true);
  });
});

describe('sentinel summary (GITHUB_ACTIONS=true)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-summary-'));
    writeFileSync(join(dir, 'validate.json'), JSON.stringify({ diagnostics: findings }));
    writeFileSync(join(dir, 'test.json'), JSON.stringify({ results: tests }));
    writeFileSync(join(dir, 'plan.md'), plan);
    writeFileSync(join(dir, 'summary.md'), '## earlier step\n');
    writeFileSync(join(dir, 'output'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'contoso/sentinel-content',
    GITHUB_SHA: 'deadbeef',
  });

  it('appends the report to GITHUB_STEP_SUMMARY and sets counts as step outputs', async () => {
    const ctx = recordingContext(dir, env());
    const code = await summary(['--findings', 'validate.json', '--tests', 'test.json', '--plan', 'plan.md'], ctx);
    expect(ctx.stderr.join('')).toBe('');
    expect(code).toBe(0);
    expect(ctx.stdout.join('')).toBe('job summary written\n');
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md.startsWith('## earlier step\n## Sentinel content review\n')).toBe(true);
    expect(md).toContain('[analytics-rules/entra/a.yaml:14:9](https://github.com/contoso/sentinel-content/blob/deadbeef/analytics-rules/entra/a.yaml#L14)');
    expect(md).toContain('~ update | SP credential added: severity Medium → High');
    const outputs = readFileSync(join(dir, 'output'), 'utf8');
    // The GITHUB_OUTPUT file-command records as @actions/core writes them: name<<delimiter, value, delimiter.
    const parsed = [...outputs.matchAll(/^([\w-]+)<<(ghadelimiter_[0-9a-f-]+)\n(.*)\n\2$/gm)].map((m) => [m[1], m[3]]);
    expect(parsed).toEqual([['errors', '1'], ['warnings', '1'], ['failed-tests', '1']]);
  });

  it('reads findings from the SARIF that validate wrote', async () => {
    writeFileSync(join(dir, 'validate.sarif'), renderSarif(findings));
    const ctx = recordingContext(dir, {});
    expect(await summary(['--findings', 'validate.sarif'], ctx)).toBe(0);
    expect(ctx.stdout.join('')).toContain("| ❌ | `analytics-rules/entra/a.yaml:14:9` | `kql/KS142` | Unknown column 'A\\|B' &lt;script&gt; |");
    writeFileSync(join(dir, 'bad.sarif'), JSON.stringify({ version: '2.1.0', runs: [{ results: [{ ruleId: 'x' }] }] }));
    const bad = recordingContext(dir, {});
    expect(await summary(['--findings', 'bad.sarif'], bad)).toBe(2);
    expect(bad.stderr.join('')).toBe("sentinel summary: bad.sarif: not a SARIF 2.1.0 log (sarif/runs/0/results/0 must have required property 'message')");
  });

  it('prints the Markdown outside Actions and accepts a bare Diagnostic[]', async () => {
    writeFileSync(join(dir, 'validate.json'), JSON.stringify(findings));
    const ctx = recordingContext(dir, {});
    expect(await summary(['--findings', 'validate.json', '--plan-skipped', 'no credentials'], ctx)).toBe(0);
    expect(ctx.stdout.join('')).toContain('❌ 1 error, 1 warning in 2 files · ⏭️ rule tests not run · ⏭️ plan skipped');
  });

  it('--help lists the inputs', async () => {
    const ctx = recordingContext(dir, {});
    expect(await summary(['--help'], ctx)).toBe(0);
    const help = ctx.stdout.join('');
    expect(help).toMatch(/^Usage: sentinel summary \[options\]\n[\s\S]*\n {2}--findings <f> +output of `sentinel validate --format sarif`/);
    expect(help).not.toContain('--dry-run'); // pr-comment's flag, not summary's
  });

  it('treats an empty plan file (the plan failed) as no plan, not as "no changes"', async () => {
    writeFileSync(join(dir, 'plan.md'), '\n');
    const ctx = recordingContext(dir, {});
    expect(await summary(['--plan', 'plan.md'], ctx)).toBe(0);
    expect(ctx.stdout.join('')).toContain('⏭️ plan not run');
    expect(ctx.stdout.join('')).not.toContain('No changes.');
  });

  it('treats a missing report file as a stage that did not run, with a note', async () => {
    const ctx = recordingContext(dir, {});
    expect(await summary(['--findings', 'validate.json', '--tests', 'nope.json'], ctx)).toBe(0);
    expect(ctx.stderr.join('')).toBe('note: nope.json not found; the report shows rule tests as not run\n');
    expect(ctx.stdout.join('')).toContain('⏭️ rule tests not run');
  });

  it('rejects malformed reports and unknown flags with one line and exit 2', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"diagnostics": [{"file": "a.yaml"}]');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ diagnostics: [{ file: 'a.yaml', line: 1 }] }));
    const cases: [string[], RegExp][] = [
      [['--findings', 'bad.json'], /^sentinel summary: bad\.json:1:37: not valid JSON \(.+\); pass the output of `sentinel validate --format json`$/],
      [['--findings', 'wrong.json'], /^sentinel summary: wrong\.json: not a validate report \(report.* must have required property 'col'.*\); pass the output/],
      [['--tests', 'validate.json'], /^sentinel summary: validate\.json: not a test report/],
      [['--findings', 'bad.json', '--frobnicate'], /^sentinel summary: unknown option '--frobnicate'\nrun 'sentinel summary --help'$/],
    ];
    for (const [args, message] of cases) {
      const ctx = recordingContext(dir, {});
      expect(await summary(args, ctx)).toBe(2);
      expect(ctx.stderr.join('')).toMatch(message);
      expect(ctx.stderr).toHaveLength(1);
      expect(ctx.stderr[0]!.split('\n')).toHaveLength(args.includes('--frobnicate') ? 2 : 1);
    }
  });
});
