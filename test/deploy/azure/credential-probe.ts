/**
 * Child-process half of credentials.test.ts: builds `--auth default` credentials with createCredential
 * for each case and asks each for an ARM token. Run as a child so NODE_EXTRA_CA_CERTS (read by Node at
 * start-up only) makes it trust the emulator's per-run self-signed HTTPS listener. Input: the JSON
 * array in PROBE_CASES; output: one JSON array on stdout ({ name, tid } or { name, error }: first lines only).
 */
import { createCredential } from '../../../scripts/deploy/azure/clients.ts';
import { ARM_SCOPE } from '../../../scripts/deploy/azure/loopback-auth.ts';

interface ProbeCase { name: string; tenantId: string; env: NodeJS.ProcessEnv }

const cases = JSON.parse(process.env.PROBE_CASES ?? '[]') as ProbeCase[];
const results: Array<{ name: string; tid?: string; error?: string }> = [];
for (const c of cases) {
  try {
    const credential = createCredential({ auth: 'default', endpoint: 'https://management.azure.com', env: c.env, retry: { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 1 } }, c.tenantId);
    const token = await credential.getToken(ARM_SCOPE);
    const claims = JSON.parse(Buffer.from(token!.token.split('.')[1]!, 'base64url').toString('utf8')) as { tid: string };
    results.push({ name: c.name, tid: claims.tid });
  } catch (e) {
    const err = e as { name?: string; message?: string; errors?: Array<{ message?: string }> };
    const lines = (err.errors ?? [err]).map((x) => (x.message ?? '').split('\n')[0]!);
    results.push({ name: c.name, error: `${err.name}: ${lines.join(' | ')}` });
  }
}
process.stdout.write(JSON.stringify(results));
