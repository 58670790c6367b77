/**
 * Structural lint of this repo's GitHub workflow files: an ajv schema of the workflow syntax subset
 * the repo uses, plus the cross-references a schema cannot see (needs, inputs, step ids, `${{ }}`
 * balance, local reusable workflows, npm scripts / bins / CLI verbs the steps call) and the
 * least-privilege permission policy. Returns problems as `file:line:col message` strings.
 */
import { Ajv } from 'ajv';
import { LineCounter, isScalar, parseDocument, visit } from 'yaml';
import type { Node as YamlNode } from 'yaml';

const id = '^[A-Za-z_][A-Za-z0-9_-]*$';
const expression = { type: 'string', pattern: '^\\$\\{\\{.*\\}\\}$' };
const stringMap = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
const scopes = [
  'actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues',
  'models', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses',
];
const permissions = {
  anyOf: [
    { enum: ['read-all', 'write-all'] },
    {
      type: 'object',
      propertyNames: { enum: scopes },
      additionalProperties: { enum: ['read', 'write', 'none'] },
    },
  ],
};
const concurrency = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      required: ['group'],
      additionalProperties: false,
      properties: { group: { type: 'string' }, 'cancel-in-progress': { type: ['boolean', 'string'] } },
    },
  ],
};
const stringList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] };
const branchFilter = {
  type: 'object',
  additionalProperties: false,
  properties: { branches: stringList, paths: stringList, 'paths-ignore': stringList, types: stringList },
};
const input = (types: string[]) => ({
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    description: { type: 'string' },
    type: { enum: types },
    required: { type: 'boolean' },
    default: { type: ['string', 'number', 'boolean'] },
    options: { type: 'array', items: { type: 'string' } },
  },
});
const step = {
  type: 'object',
  additionalProperties: false,
  oneOf: [{ required: ['uses'] }, { required: ['run'] }],
  properties: {
    id: { type: 'string', pattern: id },
    name: { type: 'string' },
    if: { type: ['string', 'boolean'] },
    uses: { type: 'string', pattern: '^(\\./.+|[\\w.-]+/[\\w./-]+@[\\w.-]+)$' },
    run: { type: 'string', minLength: 1 },
    shell: { type: 'string' },
    with: stringMap,
    env: stringMap,
    'continue-on-error': { type: ['boolean', 'string'] },
    'timeout-minutes': { type: ['number', 'string'] },
    'working-directory': { type: 'string' },
  },
};
const common = {
  name: { type: 'string' },
  needs: stringList,
  if: { type: ['string', 'boolean'] },
  permissions,
  concurrency,
};
const workflowSchema = {
  type: 'object',
  required: ['on', 'jobs'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    'run-name': { type: 'string' },
    on: {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        pull_request: branchFilter,
        push: branchFilter,
        schedule: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', required: ['cron'], additionalProperties: false, properties: { cron: { type: 'string', pattern: '^(\\S+\\s+){4}\\S+$' } } },
        },
        workflow_dispatch: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { inputs: { type: 'object', propertyNames: { pattern: id }, additionalProperties: input(['string', 'boolean', 'number', 'choice', 'environment']) } },
        },
        workflow_call: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { inputs: { type: 'object', propertyNames: { pattern: id }, additionalProperties: input(['string', 'boolean', 'number']) } },
        },
      },
    },
    permissions,
    concurrency,
    env: stringMap,
    jobs: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: id },
      additionalProperties: {
        oneOf: [
          {
            type: 'object',
            required: ['runs-on', 'steps'],
            additionalProperties: false,
            properties: {
              ...common,
              'runs-on': { type: 'string' },
              environment: { anyOf: [{ type: 'string' }, { type: 'object', required: ['name'], properties: { name: { type: 'string' }, url: { type: 'string' } }, additionalProperties: false }] },
              'timeout-minutes': { anyOf: [{ type: 'number', minimum: 1 }, expression] },
              env: stringMap,
              outputs: { type: 'object', additionalProperties: expression },
              steps: { type: 'array', minItems: 1, items: step },
            },
          },
          {
            type: 'object',
            required: ['uses'],
            additionalProperties: false,
            properties: { ...common, uses: { type: 'string', pattern: '^\\./\\.github/workflows/[\\w.-]+\\.ya?ml$' }, with: stringMap, secrets: { anyOf: [{ const: 'inherit' }, stringMap] } },
          },
        ],
      },
    },
  },
};

const validateWorkflow = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(workflowSchema);

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
interface Job {
  needs?: string | string[];
  if?: string | boolean;
  permissions?: Json | string;
  uses?: string;
  with?: Json;
  steps?: { id?: string; uses?: string; run?: string; if?: string; with?: Json; env?: Json }[];
}
interface Workflow {
  on: Json;
  permissions?: Json | string;
  jobs: Record<string, Job>;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** All string scalars of a value, deep. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Expression bodies of `${{ … }}` in a string; unbalanced ones are reported through `problem`. */
export function expressions(text: string, problem: (message: string) => void): string[] {
  const found: string[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('${{', at);
    if (open < 0) return found;
    const close = text.indexOf('}}', open + 3);
    const nextOpen = text.indexOf('${{', open + 3);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problem(`unbalanced expression: "${text.slice(open, open + 40)}" has no closing }}`);
      return found;
    }
    found.push(text.slice(open + 3, close).trim());
    at = close + 2;
  }
}

/** `if:` values are expressions even without `${{ }}`. */
function conditionExpressions(value: unknown, problem: (message: string) => void): string[] {
  if (typeof value !== 'string') return [];
  return value.includes('${{') ? expressions(value, problem) : [value];
}

/** Property names dereferenced from a context in expressions, e.g. `inputs.wave` → wave. */
function referenced(exprs: string[], context: string): string[] {
  const re = new RegExp(`(?<![\\w.-])${context}\\.([A-Za-z_][A-Za-z0-9_-]*)`, 'g');
  return exprs.flatMap((e) => [...e.replace(/'[^']*'/g, "''").matchAll(re)].map((m) => m[1]!));
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

/** Positions of map keys/values by dotted path, for messages. */
function positions(text: string): { find(path: (string | number)[]): string } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  return {
    find(path) {
      const node = doc.getIn(path, true) as YamlNode | undefined;
      const offset = node?.range?.[0];
      if (offset === undefined) return '1:1';
      const { line, col } = counter.linePos(offset);
      return `${line}:${col}`;
    },
  };
}

function jobsUsingOidc(wf: Workflow, env: LintEnvironment): Set<string> {
  const out = new Set<string>();
  for (const [name, job] of Object.entries(wf.jobs)) {
    const runs = (job.steps ?? []).map((s) => s.run ?? '').join('\n');
    if (/--auth oidc/.test(runs) || (job.steps ?? []).some((s) => /^azure\/login@/.test(s.uses ?? ''))) out.add(name);
    if (job.uses) {
      const called = env.workflows.get(job.uses.slice(2));
      if (called && /--auth oidc|azure\/login@/.test(called)) out.add(name);
    }
  }
  return out;
}

/** Lints one workflow file. */
export function lintWorkflow(file: string, text: string, env: LintEnvironment): string[] {
  const problems: string[] = [];
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    return [`${file}: ${(error as Error).message}`];
  }
  if (doc.errors.length) return doc.errors.map((e) => `${file}:${e.linePos?.[0].line}:${e.linePos?.[0].col} ${e.message.split('\n')[0]}`);
  const pos = positions(text);
  const at = (path: (string | number)[], message: string) => problems.push(`${file}:${pos.find(path)} ${message}`);
  // GitHub reads `on` as a string key; YAML 1.1 would read it as true — make sure the parse agrees.
  let onIsString = false;
  visit(doc, { Pair: (_, pair) => void (isScalar(pair.key) && pair.key.value === 'on' && (onIsString = true)) });
  if (!onIsString) problems.push(`${file}:1:1 no "on:" trigger`);

  const wf = doc.toJS() as Workflow;
  if (!validateWorkflow(wf)) {
    for (const e of validateWorkflow.errors ?? []) {
      const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/')));
      at(path, `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    }
    return problems;
  }

  const inputs = new Set([
    ...Object.keys((wf.on.workflow_dispatch as { inputs?: Json } | null)?.inputs ?? {}),
    ...Object.keys((wf.on.workflow_call as { inputs?: Json } | null)?.inputs ?? {}),
  ]);
  const everywhere = strings(wf);
  const allExprs = everywhere.flatMap((s) => expressions(s, (m) => at([], m)));
  const jobNames = new Set(Object.keys(wf.jobs));
  const oidcJobs = jobsUsingOidc(wf, env);

  for (const [name, job] of Object.entries(wf.jobs)) {
    const jobPath = ['jobs', name];
    const needs = list(job.needs);
    for (const need of needs) if (!jobNames.has(need)) at([...jobPath, 'needs'], `job "${name}" needs unknown job "${need}"`);
    const jobExprs = [...strings(job).flatMap((s) => expressions(s, () => undefined)), ...conditionExpressions(job.if, (m) => at([...jobPath, 'if'], m))];
    (job.steps ?? []).forEach((s, i) => jobExprs.push(...conditionExpressions(s.if, (m) => at([...jobPath, 'steps', i, 'if'], m))));
    for (const ref of referenced(jobExprs, 'needs')) {
      if (!needs.includes(ref)) at(jobPath, `job "${name}" reads needs.${ref} but does not list it in needs`);
    }
    for (const ref of referenced(jobExprs, 'inputs')) if (!inputs.has(ref)) at(jobPath, `job "${name}" reads inputs.${ref}, which no trigger declares`);

    // Step ids: referenced only after they are defined.
    const seen = new Set<string>();
    (job.steps ?? []).forEach((s, i) => {
      const stepExprs = [...strings(s).flatMap((v) => expressions(v, () => undefined)), ...conditionExpressions(s.if, () => undefined)];
      for (const ref of referenced(stepExprs, 'steps')) {
        if (!seen.has(ref)) at([...jobPath, 'steps', i], `step reads steps.${ref}, which is not an earlier step id of job "${name}"`);
      }
      if (s.id) seen.add(s.id);
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
    if (job.uses) {
      const called = env.workflows.get(job.uses.slice(2));
      if (called === undefined) at([...jobPath, 'uses'], `${job.uses} does not exist`);
      else {
        const calledOn = (parseDocument(called).toJS() as Workflow).on;
        const declared = (calledOn.workflow_call as { inputs?: Record<string, { required?: boolean }> } | undefined)?.inputs;
        if (!('workflow_call' in calledOn)) at([...jobPath, 'uses'], `${job.uses} has no workflow_call trigger`);
        for (const key of Object.keys(job.with ?? {})) if (!declared?.[key]) at([...jobPath, 'with', key], `${job.uses} has no input "${key}"`);
        for (const [key, spec] of Object.entries(declared ?? {})) if (spec.required && !(key in (job.with ?? {}))) at(jobPath, `${job.uses} requires input "${key}"`);
      }
    }

    // Least privilege: every job states its permissions; write scopes only where they are used.
    const perms = typeof job.permissions === 'object' ? job.permissions : undefined;
    if (!perms) at(jobPath, `job "${name}" must declare its own permissions`);
    const text = JSON.stringify(job);
    const need = (scope: string, used: boolean, why: string) => {
      if (perms?.[scope] === 'write' && !used) at([...jobPath, 'permissions', scope], `job "${name}" has ${scope}: write but ${why}`);
    };
    need('id-token', oidcJobs.has(name), 'never logs in with OIDC');
    need('security-events', text.includes('upload-sarif@'), 'uploads no SARIF');
    need('pull-requests', text.includes('pr-comment'), 'writes no PR comment');
    need('issues', /gh issue|github-script/.test(text), 'touches no issue');
    if (oidcJobs.has(name) && perms?.['id-token'] !== 'write') at(jobPath, `job "${name}" logs in with OIDC but lacks id-token: write`);
  }
  const top = wf.permissions;
  if (typeof top !== 'object' || Object.keys(top).length !== 0) at(['permissions'], 'workflow-level permissions must be {} (jobs ask for what they use)');
  for (const s of allExprs) if (/\bsecrets\.\w*(CLIENT_SECRET|PASSWORD)/i.test(s)) at([], `no client secrets: ${s}`);
  return problems;
}

