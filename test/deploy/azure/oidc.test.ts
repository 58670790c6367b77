/**
 * `--auth oidc` on GitHub Actions: the client assertion is the runner's ID token, fetched by
 * @actions/core getIDToken from ACTIONS_ID_TOKEN_REQUEST_URL with Entra's token-exchange audience
 * (https://docs.github.com/actions/reference/security/oidc). A loopback server stands in for the
 * runner's token endpoint; the env comes from the CLI context, not process.env.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRA_TOKEN_EXCHANGE_AUDIENCE, githubAssertion } from '../../../scripts/deploy/azure/clients.ts';

let server: Server;
let base = '';
const seen: Array<{ url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.headers.authorization !== 'Bearer runner-request-token') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad request token"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: 'header.payload.signature' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('githubAssertion', () => {
  it('asks the runner for an ID token with the Entra audience, using the context env only', async () => {
    const before = { ...process.env };
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/_apis/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token',
    };
    const token = await githubAssertion(env)();
    expect(token).toBe('header.payload.signature');
    const request = seen.at(-1)!;
    expect(new URL(request.url, base).searchParams.get('audience')).toBe(ENTRA_TOKEN_EXCHANGE_AUDIENCE);
    expect(request.authorization).toBe('Bearer runner-request-token');
    // process.env is as it was: the context's values were only lent for the call.
    expect(process.env.ACTIONS_ID_TOKEN_REQUEST_URL).toBe(before.ACTIONS_ID_TOKEN_REQUEST_URL);
    expect(process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe(before.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  });

  it('fails with the runner status when the request token is refused', async () => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/_apis/idtoken?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' };
    await expect(githubAssertion(env)()).rejects.toThrow(/Failed to get ID Token[\s\S]*401/);
  });
});
