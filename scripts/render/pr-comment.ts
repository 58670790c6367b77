/**
 * One PR comment, updated in place: the comment carrying COMMENT_MARKER is PATCHed, otherwise a
 * new one is POSTed. Request building and the find/upsert decision are pure; `createGitHubClient`
 * is the thin `fetch` layer (GitHub REST API, api-version 2022-11-28).
 */

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

export interface GitHubRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path and query, starting with `/`. */
  path: string;
  body?: { body: string };
}

export interface GitHubResponse<T> {
  status: number;
  data: T;
}

export interface GitHubClient {
  readonly apiUrl: string;
  send<T>(request: GitHubRequest): Promise<GitHubResponse<T>>;
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

export function listCommentsRequest(repo: RepoRef, pr: number, page: number): GitHubRequest {
  return { method: 'GET', path: `${repoPath(repo)}/issues/${pr}/comments?per_page=${PAGE_SIZE}&page=${page}` };
}

/** PATCH the marked comment when there is one, else POST a new comment. */
export function upsertRequest(repo: RepoRef, pr: number, existing: IssueComment | undefined, body: string): GitHubRequest {
  return existing
    ? { method: 'PATCH', path: `${repoPath(repo)}/issues/comments/${existing.id}`, body: { body } }
    : { method: 'POST', path: `${repoPath(repo)}/issues/${pr}/comments`, body: { body } };
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url?: string;
}

/** Pages through the PR's comments until the marked one is found (or the pages run out). */
export async function findExistingComment(
  client: GitHubClient,
  repo: RepoRef,
  pr: number,
  marker = COMMENT_MARKER,
): Promise<IssueComment | undefined> {
  for (let page = 1; ; page++) {
    const { data } = await client.send<IssueComment[]>(listCommentsRequest(repo, pr, page));
    if (!Array.isArray(data)) throw new GitHubApiError(`GitHub API: listing comments of #${pr} did not return an array`);
    const found = findMarkedComment(data, marker);
    if (found || data.length < PAGE_SIZE) return found;
  }
}

/** Creates or updates the one report comment on the PR. */
export async function upsertPrComment(
  client: GitHubClient,
  options: { repo: RepoRef; pr: number; markdown: string; marker?: string },
): Promise<UpsertResult> {
  const marker = options.marker ?? COMMENT_MARKER;
  const existing = await findExistingComment(client, options.repo, options.pr, marker);
  const request = upsertRequest(options.repo, options.pr, existing, commentBody(options.markdown, marker));
  const { data } = await client.send<IssueComment>(request);
  const result: UpsertResult = { action: existing ? 'updated' : 'created', id: data.id };
  if (data.html_url) result.url = data.html_url;
  return result;
}

/** What `--dry-run` prints: the requests that would be made, never the token. */
export function describeUpsert(apiUrl: string, repo: RepoRef, pr: number, markdown: string): string {
  const body = commentBody(markdown);
  const list = listCommentsRequest(repo, pr, 1);
  const patch = upsertRequest(repo, pr, { id: 0 }, body).path.replace(/\/0$/, '/{comment_id}');
  const post = upsertRequest(repo, pr, undefined, body);
  return [
    `GET ${apiUrl}${list.path}   (next pages until a comment contains ${COMMENT_MARKER})`,
    `PATCH ${apiUrl}${patch}   if found, else`,
    `POST ${apiUrl}${post.path}`,
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

/** The GitHub REST client over `fetch`. `fetchImpl` exists so a caller can add its own dispatcher. */
export function createGitHubClient(options: {
  apiUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
}): GitHubClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  return {
    apiUrl,
    async send<T>(request: GitHubRequest): Promise<GitHubResponse<T>> {
      const init: RequestInit = {
        method: request.method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${options.token}`,
          'x-github-api-version': GITHUB_API_VERSION,
          'user-agent': 'sentinel-content-as-code',
          ...(request.body ? { 'content-type': 'application/json' } : {}),
        },
      };
      if (request.body) init.body = JSON.stringify(request.body);
      let response: Response;
      try {
        response = await doFetch(`${apiUrl}${request.path}`, init);
      } catch (error) {
        const inner = (error as { cause?: { code?: string; message?: string } }).cause;
        const cause = inner?.code ?? inner?.message ?? (error as Error).message;
        throw new GitHubApiError(`GitHub API ${request.method} ${apiUrl}${request.path} unreachable (${cause})`);
      }
      const text = await response.text();
      let data: unknown = text;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        // keep the raw text for the error message
      }
      if (!response.ok) {
        const detail = errorDetail(data);
        const hint = HINT[response.status];
        throw new GitHubApiError(
          `GitHub API ${request.method} ${request.path} returned ${response.status}${detail ? ` ${detail}` : ''}${hint ? `: ${hint}` : ''}`,
        );
      }
      return { status: response.status, data: data as T };
    },
  };
}
