import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prComment } from '../../scripts/cli/pr-comment.ts';
import {
  COMMENT_MARKER,
  commentBody,
  createGitHubClient,
  findMarkedComment,
  prNumberFromEvent,
  upsertPrComment,
} from '../../scripts/render/pr-comment.ts';
import { startFakeGitHub } from '../github/fake-github.ts';
import type { FakeGitHub } from '../github/fake-github.ts';
import { recordingContext } from '../github/context.ts';

const TOKEN = 'test-token-not-a-secret';
const repo = { owner: 'contoso', name: 'sentinel-content' };

describe('upsert decision (pure)', () => {
  it('finds the oldest comment carrying the marker', () => {
    const comments = [
      { id: 1, body: 'LGTM' },
      { id: 2, body: null },
      { id: 3, body: `${COMMENT_MARKER}\nold report` },
      { id: 4, body: `${COMMENT_MARKER}\nduplicate` },
    ];
    expect(findMarkedComment(comments)?.id).toBe(3);
    expect(findMarkedComment(comments.slice(0, 2))).toBeUndefined();
  });

  it('puts the marker first in the body', () => {
    expect(commentBody('## Report\n\n')).toBe(`${COMMENT_MARKER}\n## Report\n`);
  });

  it('reads the PR number from pull_request and issue_comment payloads', () => {
    expect(prNumberFromEvent({ number: 12, pull_request: { number: 12 } })).toBe(12);
    expect(prNumberFromEvent({ issue: { number: 9, pull_request: { url: 'x' } } })).toBe(9);
    expect(prNumberFromEvent({ issue: { number: 9 } })).toBeUndefined();
    expect(prNumberFromEvent({ ref: 'refs/heads/main' })).toBeUndefined();
    expect(prNumberFromEvent(null)).toBeUndefined();
  });
});

describe('PR comment against a local fake of the GitHub API', () => {
  let gh: FakeGitHub;
  let dir: string;
  beforeEach(async () => {
    gh = await startFakeGitHub({ token: TOKEN, owner: repo.owner, repo: repo.name });
    dir = mkdtempSync(join(tmpdir(), 'gh-comment-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ number: 42, pull_request: { number: 42, head: { sha: 'cafe' } } }));
    writeFileSync(
      join(dir, 'validate.json'),
      JSON.stringify([{ file: 'analytics-rules/a.yaml', line: 3, col: 5, severity: 'error', code: 'schema/enum', message: 'bad severity' }]),
    );
  });
  afterEach(async () => {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: 'contoso/sentinel-content',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_TOKEN: TOKEN,
    ...extra,
  });

  it('creates the comment on the first push and updates the same one on the next', async () => {
    const first = recordingContext(dir, env());
    expect(await prComment(['--findings', 'validate.json'], first)).toBe(0);
    expect(first.stdout.join('')).toMatch(/^created comment 1000 on #42 https:\/\/github\.invalid\/c\/\d+\n$/);

    writeFileSync(join(dir, 'validate.json'), '[]');
    const second = recordingContext(dir, env());
    expect(await prComment(['--findings', 'validate.json'], second)).toBe(0);
    expect(second.stdout.join('')).toMatch(/^updated comment 1000 on #42/);

    const comments = gh.comments.get('contoso/sentinel-content#42')!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(`${COMMENT_MARKER}\n## Sentinel content review\n`)).toBe(true);
    expect(comments[0]!.body).toContain('✅ validation clean');
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/contoso/sentinel-content/issues/42/comments?per_page=100',
      'POST /repos/contoso/sentinel-content/issues/42/comments',
      'GET /repos/contoso/sentinel-content/issues/42/comments?per_page=100',
      'PATCH /repos/contoso/sentinel-content/issues/comments/1000',
    ]);
    expect(gh.requests[1]!.headers.accept).toBe('application/vnd.github+json');
    expect(gh.requests[1]!.headers['user-agent']).toMatch(/^sentinel-content-as-code /);
  });

  it('pages through long discussions by the Link header to find its comment', async () => {
    const list = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, html_url: '' }));
    list[120]!.body = `${COMMENT_MARKER}\nold`;
    gh.comments.set('contoso/sentinel-content#42', list);
    const client = createGitHubClient({ apiUrl: `${gh.url}/`, token: TOKEN });
    const result = await upsertPrComment(client, { repo, pr: 42, markdown: 'new report' });
    expect(result).toMatchObject({ action: 'updated', id: 121 });
    expect(list[120]!.body).toBe(`${COMMENT_MARKER}\nnew report\n`);
    expect(gh.requests.map((r) => r.method + ' ' + r.path.replace(/^.*\?/, '?'))).toEqual([
      'GET ?per_page=100',
      'GET ?per_page=100&page=2',
      'PATCH /repos/contoso/sentinel-content/issues/comments/121',
    ]);
  });

  it('--dry-run prints the requests and the body without calling the API or needing a token', async () => {
    const ctx = recordingContext(dir, env({ GITHUB_TOKEN: undefined }));
    expect(await prComment(['--findings', 'validate.json', '--dry-run'], ctx)).toBe(0);
    const out = ctx.stdout.join('');
    expect(out).toContain(`GET ${gh.url}/repos/contoso/sentinel-content/issues/42/comments?per_page=100   (next pages by the Link header`);
    expect(out).toContain(`PATCH ${gh.url}/repos/contoso/sentinel-content/issues/comments/{comment_id}   if found, else`);
    expect(out).toContain(`POST ${gh.url}/repos/contoso/sentinel-content/issues/42/comments`);
    expect(JSON.parse(out.slice(out.indexOf('\n{') + 1)).body).toContain('[analytics-rules/a.yaml:3:5](https://github.com/contoso/sentinel-content/blob/cafe/analytics-rules/a.yaml#L3)');
    expect(gh.requests).toEqual([]);
    expect(out).not.toContain(TOKEN);
  });

  it('explains a fork’s read-only token (403) in one line, exit 2', async () => {
    gh.writeStatus = 403;
    const ctx = recordingContext(dir, env());
    expect(await prComment(['--findings', 'validate.json'], ctx)).toBe(2);
    expect(ctx.stderr.join('')).toBe(
      'sentinel pr-comment: GitHub API POST /repos/contoso/sentinel-content/issues/42/comments returned 403 Resource not accessible by integration: the job needs `permissions: pull-requests: write`; pull requests from forks get a read-only token, so skip the comment for forks',
    );
  });

  it('reports a bad token, a missing token, no PR and an unreachable API clearly', async () => {
    const cases: [NodeJS.ProcessEnv, string[], RegExp][] = [
      [env({ GITHUB_TOKEN: 'wrong' }), [], /^sentinel pr-comment: .*returned 401 Bad credentials: check that GITHUB_TOKEN is passed to the step$/],
      [env({ GITHUB_TOKEN: '' }), [], /^sentinel pr-comment: GITHUB_TOKEN is not set/],
      [env({ GITHUB_EVENT_PATH: undefined }), [], /^sentinel pr-comment: no pull request number: run on a pull_request event/],
      [env(), ['--pr', 'abc'], /^sentinel pr-comment: --pr must be a pull request number \(got "abc"\)/],
      [env({ GITHUB_REPOSITORY: 'nope' }), [], /^sentinel pr-comment: GITHUB_REPOSITORY must be "owner\/name" \(got "nope"\)/],
    ];
    for (const [e, args, message] of cases) {
      const ctx = recordingContext(dir, e);
      expect(await prComment(args, ctx)).toBe(2);
      expect(ctx.stderr.join('')).toMatch(message);
      expect(ctx.stderr.join('')).not.toContain(TOKEN);
    }
  });

  it('retries a server error (plugin-retry) and waits out a secondary rate limit (plugin-throttling)', async () => {
    gh.failNext.push(
      { status: 502, message: 'Bad Gateway' },
      { status: 403, headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit' },
    );
    const client = createGitHubClient({ apiUrl: gh.url, token: TOKEN, retryAfterBaseMs: 1 });
    const result = await upsertPrComment(client, { repo, pr: 42, markdown: 'report' });
    expect(result.action).toBe('created');
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
    expect(gh.comments.get('contoso/sentinel-content#42')).toHaveLength(1);
  });

  it('gives up after the retries with one line naming the status', async () => {
    gh.failNext.push(...Array.from({ length: 3 }, () => ({ status: 503, message: 'Service Unavailable' })));
    const client = createGitHubClient({ apiUrl: gh.url, token: TOKEN, retries: 2, retryAfterBaseMs: 1 });
    await expect(upsertPrComment(client, { repo, pr: 42, markdown: 'report' })).rejects.toThrow(
      /^GitHub API GET \/repos\/contoso\/sentinel-content\/issues\/42\/comments returned 503 Service Unavailable$/,
    );
    expect(gh.requests).toHaveLength(3);
  });

  it('reports an unreachable API in one line after the retries', async () => {
    const closed = await startFakeGitHub({ token: TOKEN, owner: repo.owner, repo: repo.name });
    await closed.close();
    const client = createGitHubClient({ apiUrl: closed.url, token: TOKEN, retries: 1, retryAfterBaseMs: 1 });
    await expect(upsertPrComment(client, { repo, pr: 42, markdown: 'report' })).rejects.toThrow(
      /^GitHub API GET http:\/\/127\.0\.0\.1:\d+\/repos\/contoso\/sentinel-content\/issues\/42\/comments\?per_page=100 unreachable \(ECONNREFUSED\)$/,
    );
  });

  it('--pr overrides the event and keeps one comment per PR', async () => {
    const ctx = recordingContext(dir, env());
    expect(await prComment(['--pr', '7', '--plan-skipped', 'fork'], ctx)).toBe(0);
    expect(gh.comments.get('contoso/sentinel-content#7')).toHaveLength(1);
    expect(gh.comments.get('contoso/sentinel-content#42')).toBeUndefined();
  });
});
