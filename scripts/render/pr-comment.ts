/**
 * One PR comment, updated in place: the comment carrying COMMENT_MARKER is PATCHed, otherwise a
 * new one is POSTed. The find/upsert decision and the dry-run description are pure; the REST
 * calls go through `@octokit/rest` (paging by the `Link` header) with `@octokit/plugin-retry`
 * (server errors and network failures retried with back-off) and `@octokit/plugin-throttling`
 * (GitHub's primary and secondary rate limits: waits for `retry-after` / `x-ratelimit-reset`,
 * serialises writes) — GitHub REST API, api-version 2022-11-28.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export const COMMENT_MARKER = '<!-- sentinel-content-as-code -->';
export const GITHUB_API_VERSION = '2022-11-28';
/** GitHub's page size ceiling for issue comments. */
export const PAGE_SIZE = 100;

export interface RepoRef {
  owner: string;
  name: string;
}

export interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

/** A non-2xx answer or an unreachable API, as one line the CLI can print. */
export class GitHubApiError extends Error {}

/** `owner/name` → RepoRef; throws on anything else. */
export function parseRepository(text: string | undefined): RepoRef {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text ?? '');
  if (!match) throw new GitHubApiError(`GITHUB_REPOSITORY must be "owner/name" (got ${JSON.stringify(text ?? '')})`);
  return { owner: match[1]!, name: match[2]! };
}

/** The PR number from an Actions event payload (pull_request, pull_request_target, issue_comment on a PR). */
export function prNumberFromEvent(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const event = payload as { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown }; number?: unknown };
  const candidates = [event.pull_request?.number, event.issue?.pull_request ? event.issue.number : undefined, event.pull_request ? event.number : undefined];
  const found = candidates.find((n): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0);
  return found;
}

/** The body as posted: the marker first, so it is found again however the Markdown changes. */
export function commentBody(markdown: string, marker = COMMENT_MARKER): string {
  return `${marker}\n${markdown.trimEnd()}\n`;
}

/** The oldest comment that carries the marker (older duplicates from races stay the one updated). */
export function findMarkedComment(comments: readonly IssueComment[], marker = COMMENT_MARKER): IssueComment | undefined {
  return comments.find((c) => typeof c.body === 'string' && c.body.includes(marker));
}

const repoPath = (repo: RepoRef) => `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

/** The REST calls `upsertPrComment` makes, as `METHOD path` lines (for `--dry-run`). */
export function listCommentsPath(repo: RepoRef, pr: number): string {
  return `${repoPath(repo)}/issues/${pr}/comments?per_page=${PAGE_SIZE}`;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url?: string;
}

/** Pages through the PR's comments (by the `Link` header) until the marked one is found. */
export async function findExistingComment(
  client: GitHubClient,
  repo: RepoRef,
  pr: number,
  marker = COMMENT_MARKER,
): Promise<IssueComment | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: repo.owner,
    repo: repo.name,
    issue_number: pr,
    per_page: PAGE_SIZE,
  });
  for await (const { data } of withApiErrors(pages)) {
    const found = findMarkedComment(data, marker);
    if (found) return found;
  }
  return undefined;
}

/** Creates or updates the one report comment on the PR. */
export async function upsertPrComment(
  client: GitHubClient,
  options: { repo: RepoRef; pr: number; markdown: string; marker?: string },
): Promise<UpsertResult> {
  const marker = options.marker ?? COMMENT_MARKER;
  const existing = await findExistingComment(client, options.repo, options.pr, marker);
  const body = commentBody(options.markdown, marker);
  const { owner, name } = options.repo;
  const { data } = existing
    ? await apiCall(() => client.rest.issues.updateComment({ owner, repo: name, comment_id: existing.id, body }))
    : await apiCall(() => client.rest.issues.createComment({ owner, repo: name, issue_number: options.pr, body }));
  const result: UpsertResult = { action: existing ? 'updated' : 'created', id: data.id };
  if (data.html_url) result.url = data.html_url;
  return result;
}

/** What `--dry-run` prints: the requests that would be made, never the token. */
export function describeUpsert(apiUrl: string, repo: RepoRef, pr: number, markdown: string): string {
  const body = commentBody(markdown);
  return [
    `GET ${apiUrl}${listCommentsPath(repo, pr)}   (next pages by the Link header until a comment contains ${COMMENT_MARKER})`,
    `PATCH ${apiUrl}${repoPath(repo)}/issues/comments/{comment_id}   if found, else`,
    `POST ${apiUrl}${repoPath(repo)}/issues/${pr}/comments`,
    JSON.stringify({ body }, null, 2),
    '',
  ].join('\n');
}

function errorDetail(data: unknown): string {
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return typeof data === 'string' ? data.slice(0, 200) : '';
}

const HINT: Readonly<Record<number, string>> = {
  401: 'check that GITHUB_TOKEN is passed to the step',
  403: 'the job needs `permissions: pull-requests: write`; pull requests from forks get a read-only token, so skip the comment for forks',
  404: 'check GITHUB_REPOSITORY and the pull request number',
};

const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** An Octokit RequestError's shape, read structurally (status 500 + cause for network failures). */
interface OctokitError {
  status?: number;
  message?: string;
  cause?: { code?: string; message?: string; cause?: { code?: string } };
  request?: { method?: string; url?: string };
  response?: { data?: unknown };
}

/** An Octokit failure as one GitHubApiError line: method, path, status, GitHub's message, a hint. */
export function apiError(error: unknown): GitHubApiError {
  const e = error as OctokitError;
  const method = e.request?.method ?? '';
  const url = e.request?.url ? new URL(e.request.url) : undefined;
  if (e.response === undefined) {
    const cause = e.cause?.cause?.code ?? e.cause?.code ?? e.cause?.message ?? e.message;
    return new GitHubApiError(`GitHub API ${method} ${url ? `${url.origin}${url.pathname}${url.search}` : ''} unreachable (${cause})`);
  }
  const detail = errorDetail(e.response.data);
  const hint = e.status === undefined ? undefined : HINT[e.status];
  return new GitHubApiError(
    `GitHub API ${method} ${url?.pathname ?? ''} returned ${e.status}${detail ? ` ${detail}` : ''}${hint ? `: ${hint}` : ''}`,
  );
}

async function apiCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw apiError(error);
  }
}

async function* withApiErrors<T>(pages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* pages;
  } catch (error) {
    throw apiError(error);
  }
}

export interface GitHubClientOptions {
  apiUrl: string;
  token: string;
  /** Retries of a 5xx or network failure (plugin-retry; default 3). */
  retries?: number;
  /** Back-off unit in ms: retry n waits n² units (plugin-retry), a `retry-after: s` waits s units (plugin-throttling); default 1000. */
  retryAfterBaseMs?: number;
}

/**
 * The GitHub REST client: Octokit with retry and throttling. On a rate limit it waits and retries
 * up to twice (primary) or once (secondary), as GitHub's best practices ask, then fails.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const client = new GitHubOctokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'sentinel-content-as-code',
    retry: { ...(options.retryAfterBaseMs !== undefined ? { retryAfterBaseValue: options.retryAfterBaseMs } : {}) },
    request: { ...(options.retries !== undefined ? { retries: options.retries } : {}) },
    throttle: {
      ...(options.retryAfterBaseMs !== undefined ? { retryAfterBaseValue: options.retryAfterBaseMs } : {}),
      onRateLimit: (_retryAfter, _options, _octokit, retryCount) => retryCount < 2,
      onSecondaryRateLimit: (_retryAfter, _options, _octokit, retryCount) => retryCount < 1,
    },
    // Octokit logs warnings (deprecations, rate limits) to the console; the CLI reports through its context.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  client.hook.before('request', (request) => {
    request.headers.accept = 'application/vnd.github+json';
    request.headers['x-github-api-version'] = GITHUB_API_VERSION;
  });
  return client;
}
