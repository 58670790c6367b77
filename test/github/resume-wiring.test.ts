/**
 * "Re-run failed jobs" wiring of the deploy wave, simulated as far as it can be here: the apply
 * step's own shell script (read from deploy-wave.yml) runs in a temp checkout where the earlier
 * attempt's journal artifact has been restored; `npx` is a recorder, not the CLI. What cannot be
 * run here — GitHub keeping the run id across attempts and download-artifact reading the earlier
 * attempt's artifact through the API — is asserted on the workflow text (docs/github-actions.md).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(join(root, '.github/workflows/deploy-wave.yml'), 'utf8');
const wf = parse(text) as { jobs: { apply: { permissions: Record<string, string>; steps: { name?: string; run?: string; uses?: string; with?: Record<string, string> }[] } } };
const steps = wf.jobs.apply.steps;
const script = steps.find((s) => s.name === 'Apply the plan')!.run!;
const hasJq = (() => {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runStep(journals: Record<string, object>): string {
  const d = (dir = mkdtempSync(join(tmpdir(), 'resume-')));
  const bin = join(d, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npx'), '#!/usr/bin/env bash\necho "npx $*" >> "$RECORD"\n');
  chmodSync(join(bin, 'npx'), 0o755);
  mkdirSync(join(d, '.sentinel', 'journal'), { recursive: true });
  for (const [name, data] of Object.entries(journals)) writeFileSync(join(d, '.sentinel', 'journal', name), JSON.stringify(data));
  const record = join(d, 'record.txt');
  writeFileSync(record, '');
  execFileSync('bash', ['-e', '-c', script], { cwd: d, env: { PATH: `${bin}:${process.env.PATH}`, RECORD: record, WAVE: '1' } });
  return readFileSync(record, 'utf8').trim();
}

describe('re-run of a failed wave', () => {
  it('downloads the earlier attempt\'s journal with the run id and a token that may read artifacts', () => {
    const restore = steps.find((s) => s.name === 'Restore the journal of an earlier attempt')!;
    expect(restore.with).toMatchObject({ name: 'journal-wave-${{ inputs.wave }}', path: '.sentinel/journal', 'run-id': '${{ github.run_id }}', 'github-token': '${{ github.token }}' });
    expect(wf.jobs.apply.permissions.actions).toBe('read');
  });

  it.skipIf(!hasJq)('with the failed attempt\'s journal restored, the step resumes that run', () => {
    const out = runStep({
      '20261201T100000Z-1.json': { version: 1, runId: '20261201T100000Z-1', status: 'completed' },
      '20261202T100000Z-7.json': { version: 1, runId: '20261202T100000Z-7', status: 'stopped' },
    });
    expect(out).toBe('npx sentinel apply --auth oidc --lock-wait 60m --yes --resume 20261202T100000Z-7');
  });

  it.skipIf(!hasJq)('a first attempt (no unfinished journal) applies the reviewed plan file', () => {
    expect(runStep({ 'old.json': { version: 1, runId: 'old', status: 'completed' } })).toBe('npx sentinel apply --auth oidc --lock-wait 60m .sentinel/plans/wave-1.json');
    expect(runStep({})).toBe('npx sentinel apply --auth oidc --lock-wait 60m .sentinel/plans/wave-1.json');
  });
});
