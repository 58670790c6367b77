/**
 * A tiny stand-in for the GitHub REST API on 127.0.0.1 (an external service, so a local fake):
 * issue comments list (paged, with GitHub's `Link: <…>; rel="next"` header), create, update;
 * bearer-token check; a request log; injected failures (a 5xx, a secondary rate limit) for the
 * retry and throttling plugins.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
}

export interface FakeGitHub {
  url: string;
  /** Comments per `owner/name#number`. */
  comments: Map<string, FakeComment[]>;
  requests: { method: string; path: string; body?: unknown; headers: Record<string, string | string[] | undefined> }[];
  /** Forces every write to answer this status (e.g. 403 for a fork's read-only token). */
  writeStatus?: number;
  /** The next N requests answer these, in order (e.g. 502, or 403 with `retry-after` = a secondary rate limit). */
  failNext: { status: number; headers?: Record<string, string>; message: string }[];
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { token: string; owner: string; repo: string }): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake: FakeGitHub = { url: '', comments: new Map(), requests: [], failNext: [], close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? (JSON.parse(raw) as { body?: string }) : undefined;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      fake.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body, headers: req.headers });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      const failure = fake.failNext.shift();
      if (failure) return send(failure.status, { message: failure.message }, failure.headers);
      // GitHub accepts an installation token as `Bearer <t>` or `token <t>` (Octokit sends the latter).
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${options.token}` && auth !== `token ${options.token}`) return send(401, { message: 'Bad credentials' });
      if (req.headers['x-github-api-version'] !== '2022-11-28') return send(400, { message: 'missing api version' });
      const prefix = `/repos/${options.owner}/${options.repo}/issues/`;
      if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found' });
      const rest = url.pathname.slice(prefix.length).split('/');
      if (req.method !== 'GET' && fake.writeStatus) return send(fake.writeStatus, { message: 'Resource not accessible by integration' });
      if (rest.length === 2 && rest[1] === 'comments') {
        const key = `${options.owner}/${options.repo}#${rest[0]}`;
        const list = fake.comments.get(key) ?? [];
        fake.comments.set(key, list);
        if (req.method === 'GET') {
          const perPage = Number(url.searchParams.get('per_page') ?? 30);
          const page = Number(url.searchParams.get('page') ?? 1);
          const next = page * perPage < list.length ? new URL(url) : undefined;
          if (next) {
            next.host = req.headers.host ?? next.host;
            next.searchParams.set('page', String(page + 1));
          }
          return send(200, list.slice((page - 1) * perPage, page * perPage), next ? { link: `<${next}>; rel="next"` } : {});
        }
        if (req.method === 'POST' && typeof body?.body === 'string') {
          const comment = { id: nextId++, body: body.body, html_url: `https://github.invalid/c/${nextId}` };
          list.push(comment);
          return send(201, comment);
        }
      }
      if (rest.length === 2 && rest[0] === 'comments' && req.method === 'PATCH' && typeof body?.body === 'string') {
        for (const list of fake.comments.values()) {
          const comment = list.find((c) => c.id === Number(rest[1]));
          if (comment) {
            comment.body = body.body;
            return send(200, comment);
          }
        }
        return send(404, { message: 'Not Found' });
      }
      return send(422, { message: 'Validation Failed' });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((done) => server.close(() => done()));
  return fake;
}
