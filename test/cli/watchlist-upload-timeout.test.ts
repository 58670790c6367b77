/**
 * `apply --upload-timeout` through the CLI, against an emulator whose watchlist uploads stay in
 * progress (config `watchlists.uploadMs`): the watchlist's change fails with one line naming the
 * wait, the exit code says so, and the next plan leaves the still-uploading watchlist alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { emulatorCli } from '../helpers/cli.ts';
import { tempRepo, WATCHLIST, targetYaml, type TempRepo } from '../helpers/repo.ts';

const TENANT = '00000000-0000-0000-0000-0000000000a3';
const SUB = '00000000-0000-0000-0000-0000000000b3';

let em: EmulatorHandle;
let repo: TempRepo;
const cli = emulatorCli(() => ({ root: repo.root, url: em.url }), 'upload-timeout');

beforeAll(async () => {
  em = await startEmulator({
    workspaces: [{ tenantId: TENANT, subscriptionId: SUB, resourceGroup: 'rg-soc', workspace: 'law-soc', location: 'westeurope' }],
    throttling: { enabled: false },
    watchlists: { uploadMs: 600_000 },
  });
  repo = tempRepo({ 'targets/soc.yaml': targetYaml({ tenantId: TENANT, subscriptionId: SUB }), 'watchlists/NetworkAllowlist.yaml': WATCHLIST });
});
afterAll(async () => {
  await em.stop();
  repo.cleanup();
});

describe('apply --upload-timeout', () => {
  it('an upload still in progress after the limit fails the watchlist with one line; plan then leaves it alone', async () => {
    const run = await cli('apply', '--upload-timeout', '1s');
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).toContain("watchlist NetworkAllowlist: the service's upload of 3 item(s) is still in progress after 1 s: not waited for longer");
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
    const plan = await cli('plan');
    expect(plan.stdout).toContain('still running an upload or delete of this watchlist (InProgress): not touched');
  });

  it('rejects a malformed duration with a usage error', async () => {
    const run = await cli('apply', '--upload-timeout', 'soon');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Expected a duration like 30s, 5m, 2h or PT90S.');
  });
});
