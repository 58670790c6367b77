/**
 * Every verb of `sentinel`, declared once: summary, operands, options (with descriptions and
 * defaults) and how to load its handler. The handlers load lazily, so `validate` never pays for the
 * Azure SDK and `plan` never for the evaluator; this module imports nothing heavy.
 */
import { Argument, Option } from 'commander';
import type { VerbHandler } from './context.ts';
import { deployOptions, deployVerbOptions, wholeNumber } from './deploy-args.ts';

export interface VerbSpec {
  summary: string;
  /** Positional arguments: [commander syntax, description]. */
  operands?: (() => Argument)[];
  options: () => Option[];
  /** Extra help text printed after the options. */
  help?: string;
  /** Needs a content repository: run outside one (and without --root), it is a usage error. */
  needsRepo: boolean;
  /** Observes ctx.signal: on Ctrl-C the CLI lets it finish cleanly (then exits 130) instead of exiting at once. */
  graceful?: boolean;
  /** Option names (camel case) and `operands` holding input paths; resolved against the cwd when the root was discovered. */
  paths?: string[];
  load: () => Promise<VerbHandler>;
}

const opt = (flags: string, description: string) => new Option(flags, description);
const arg = (syntax: string, description: string) => () => new Argument(syntax, description);

const REPORT_INPUTS = () => [
  opt('--findings <f>', 'output of `sentinel validate --format sarif` (or --format json)'),
  opt('--tests <f>', 'output of `sentinel test --format json`'),
  opt('--plan <f>', 'output of `sentinel plan --format markdown` (repeatable)').argParser((v, prev: string[] = []) => [...prev, v]),
  opt('--plan-skipped <why>', 'say why there is no plan'),
  opt('--title <text>', 'heading').default(undefined, '"Sentinel content review"'),
];
const REPORT_HELP = 'A missing input file shows that stage as not run.';

export const VERBS = {
  validate: {
    summary: 'schema, KQL and cross-checks of all content (file:line:col)',
    operands: [arg('[paths...]', 'report on these files only (cross-file checks still see the whole repo)')],
    options: () => [
      opt('--base <ref>', 'version discipline vs this git ref; analyse KQL of changed files only (add --full for all)'),
      opt('--full', 'with --base: analyse the KQL of every file'),
      opt('--format <f>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
      opt('--output <file>', 'write the report to a file (stdout keeps the summary line)'),
      opt('--workers <n>', 'KQL analysis worker threads (0: in this thread)').argParser(wholeNumber(0)).default(2),
      opt('--no-cache', 'do not use the on-disk KQL cache (.sentinel/cache/kql)'),
      opt('--strict', 'exit 1 on warnings too'),
    ],
    needsRepo: true,
    load: async () => (await import('./validate.ts')).runValidate,
  },
  test: {
    summary: 'run rule and function tests (true-positive / true-negative fixtures) locally',
    operands: [arg('[paths...]', 'test files, rule files or folders (default: all)')],
    options: () => [
      opt('--format <f>', 'text, or json: {"results":[{file,rule,name,passed,message,line,col}],"summary":{passed,failed}}').choices(['text', 'json']).default('text'),
      opt('--output <file>', 'with --format json: write the report there; stdout keeps the readable lines (and, on GitHub Actions, the annotations)'),
    ],
    help: 'Runs the rule tests (analytics-rules/<area>/<slug>.tests.yaml) and function tests (functions/<alias>.tests.yaml) on the local evaluator. Exit 1 when a case fails.',
    needsRepo: true,
    paths: ['operands'],
    load: async () => (await import('./evaluate.ts')).runTest,
  },
  query: {
    summary: 'run an ad-hoc KQL query on the local evaluator',
    operands: [arg('<kql>', 'the query')],
    options: () => [
      opt('--data <file>', 'YAML with rows per table: "Table: [rows]" or "tables: {Table: [rows]}" (+ optional "now:" and "watchlists: {alias: [items]}"), or a rule\'s .tests.yaml'),
      opt('--case <n>', 'with a .tests.yaml --data: the case to use').default(undefined, '0'),
      opt('--now <datetime>', 'pinned now() (ISO 8601)').default(undefined, 'the data file\'s "now", else the current time'),
      opt('--format <f>', 'text (aligned table) or json ({"columns":[{"name","type"}],"rows":[[…]]})').choices(['text', 'json']).default('text'),
    ],
    needsRepo: false,
    paths: ['data'],
    load: async () => (await import('./evaluate.ts')).runQuery,
  },
  plan: {
    summary: 'show what apply would change in each target workspace',
    options: () => [
      ...deployVerbOptions('prune', 'adopt', 'savedPlan'),
      opt('--base <ref>', 'also list, per target, the selectors (disableRules, overrides) that match or stop matching a rule moved since this git ref'),
    ],
    help: 'With --out, the plan is saved; `sentinel apply <file>` then applies exactly it, and refuses it once the repo or a workspace changed.',
    needsRepo: true,
    paths: ['out'],
    load: async () => (await import('./deploy.ts')).runPlan,
  },
  apply: {
    summary: 'deploy the content to the target workspaces (waves, journal, retries)',
    operands: [arg('[plan-file]', 'a plan saved by `sentinel plan --out`: apply exactly it (its targets, wave, --prune and --adopt)')],
    options: () => deployVerbOptions('prune', 'adopt', 'apply'),
    help:
      'Without a plan file, apply plans every target, prints the plan and asks before writing (--yes skips the question;\n' +
      'off a terminal --yes is required). What was shown is what is applied: a target that changed in between is refused.',
    needsRepo: true,
    paths: ['operands'],
    graceful: true,
    load: async () => (await import('./deploy.ts')).runApply,
  },
  drift: {
    summary: 'report repo-managed items changed outside the repo',
    options: () => deployVerbOptions(),
    needsRepo: true,
    load: async () => (await import('./deploy.ts')).runDrift,
  },
  demo: {
    summary: 'the main job: validate, test, plan and apply to the embedded emulator',
    options: () => [...deployOptions.targets(), ...deployOptions.concurrency(), ...deployOptions.repoName()],
    help: 'Validates, tests, plans and applies the repo to an embedded emulator, then plans again (must show zero changes).',
    needsRepo: true,
    load: async () => (await import('./deploy.ts')).runDemo,
  },
  import: {
    summary: 'bring rules made in the portal (or exported as ARM JSON) under version control',
    options: () => [
      opt('--from <file>', 'an ARM template exported from Sentinel (resources[]), a REST list ({"value": []}) or one rule'),
      opt('--area <folder>', 'folder under analytics-rules/ for the new files').default('imported'),
      opt('--dry-run', 'print what would be written; write nothing'),
      ...deployOptions.targets(), ...deployOptions.connection(), ...deployOptions.repoName(),
    ],
    help:
      'Without --from, reads the rules of the target workspaces (rules already in the repo are skipped) and adopts them there:\n' +
      'an ownership record (Sentinel metadata with this repo as its source) is written beside each, so plan/apply manage it\n' +
      'from now on. Rules that already carry a metadata record (Content hub, another repo) are left alone.',
    needsRepo: true,
    paths: ['from'],
    load: async () => (await import('./import.ts')).runImport,
  },
  export: {
    summary: 'write the content as ARM deployment templates (one per content file) for az deployment and Sentinel Repositories',
    options: () => [
      opt('--format <f>', 'output format').choices(['arm']).default('arm'),
      opt('--out <dir>', 'new or empty folder for the templates (the repo layout, .json per content file)'),
      opt('--target <name>', "apply this target's overrides, disabled rules and watchlist items (default: the repo content as written)"),
      opt('--repo-name <name>', 'owner name in the workbook and saved-search tags, instead of the repository identity').default(undefined, 'sentinel.config.yaml'),
    ],
    help:
      'Each template takes the workspace name as parameter `workspace` (the only one without a default):\n' +
      '  az deployment group create -g <resource-group> -f <dir>/analytics-rules/<area>/<slug>.json -p workspace=<name>\n' +
      'No ownership records are exported: what another pipeline deploys is not managed by this repo, and\n' +
      '`sentinel plan` shows those items as not managed (never touched). See docs/export.md.',
    needsRepo: true,
    paths: ['out'],
    load: async () => (await import('./export.ts')).runExport,
  },
  schema: {
    summary: 'schema pull: read each target workspace\'s tables and functions into schemas/workspaces/<target>.json',
    operands: [() => new Argument('<action>', 'pull').choices(['pull'])],
    options: () => [...deployOptions.targets(), ...deployOptions.connection()],
    help:
      'Reads every selected target\'s tables (the Log Analytics Tables API: built-in and custom, with columns) and saved\n' +
      'functions (saved searches with a functionAlias) and writes schemas/workspaces/<target>.json (sorted, one table per\n' +
      'line, dated). Commit the files: validate and plan then check every rule against each workspace it deploys to.',
    needsRepo: true,
    load: async () => (await import('./schema.ts')).runSchema,
  },
  emulator: {
    summary: 'run the local SecurityInsights ARM emulator in the foreground',
    options: () => [
      opt('--port <n>', 'listen port').argParser(wholeNumber(0, 65535)).default(undefined, "the config file's port, else 0: an ephemeral port, printed on start"),
      opt('--config <file>', 'emulator config (tenants, workspaces, clients, throttling, faults)').default(undefined, 'the workspaces of targets/*.yaml'),
      opt('--state <file>', 'JSON state file: loaded on start, saved on change and on stop'),
    ],
    help: 'Runs the emulator on 127.0.0.1 until Ctrl-C.',
    needsRepo: false,
    graceful: true,
    paths: ['config', 'state'],
    load: async () => (await import('./emulator.ts')).runEmulatorVerb,
  },
  fix: {
    summary: 'rewrite Azure-Sentinel quirks, non-canonical allowlist entries and schema headers in place',
    operands: [arg('[paths...]', 'content files or folders to fix (default: all content)')],
    options: () => [opt('--dry-run', 'print a unified diff of the changes; write nothing')],
    help:
      'Rewrites what validate reports as compat/* (key and value case, empty (null) fields, ARM field names and\n' +
      'spellings, a missing kind), IP allowlist entries that are not canonical (zone ids, leading zeros, spaces)\n' +
      'and missing or wrong schema headers. Edits the YAML tokens: comments and layout stay.\n' +
      'Exit 0: nothing to fix, or all fixed. Exit 1: --dry-run found changes to make, or findings remain that need\n' +
      'a hand (listed as file:line:col). Exit 2: a path matches no content file.',
    needsRepo: true,
    paths: ['operands'],
    load: async () => (await import('./fix.ts')).runFix,
  },
  new: {
    summary: 'scaffold a content file: rule (with its tests file), watchlist, workbook or target',
    operands: [arg('<kind>', 'rule, watchlist, workbook or target'), arg('<name>', 'rule: <area>/<slug>; watchlist: <Alias>; workbook: <slug>; target: <name>')],
    options: () => [
      opt('--kind <k>', 'rule: Scheduled or NRT').choices(['Scheduled', 'NRT']).default('Scheduled'),
      opt('--table <name>', 'rule: the table the query reads (also in its test cases)').default('AuditLogs'),
      opt('--tenant <id>', 'target: tenant id'),
      opt('--subscription <id>', 'target: subscription id'),
      opt('--resource-group <name>', 'target: resource group'),
      opt('--workspace <name>', 'target: Log Analytics workspace name'),
      opt('--wave <n>', 'target: rollout wave').argParser(wholeNumber(0)),
    ],
    help:
      'Writes files that validate as they are (schema header, a fresh id, version 1.0.0) with placeholders to replace;\n' +
      'a rule gets a tests file with one true-positive and one true-negative case to fill in. Never overwrites a file.',
    needsRepo: true,
    load: async () => (await import('./new.ts')).runNew,
  },
  init: {
    summary: 'set up a repository made from the template: its identity (sentinel.config.yaml), optionally the first target',
    options: () => [
      opt('--name <name>', 'human name of the repository').default(undefined, 'the folder name'),
      opt('--force', 'replace an existing identity (only for a repository that has never deployed)'),
      opt('--target <name>', 'first target: its file name under targets/').default(undefined, 'production when any target flag is given'),
      opt('--tenant <id>', 'first target: tenant id'),
      opt('--subscription <id>', 'first target: subscription id'),
      opt('--resource-group <name>', 'first target: resource group'),
      opt('--workspace <name>', 'first target: Log Analytics workspace name'),
    ],
    help:
      'Writes a fresh repository id (a GUID) and name: every item this repository deploys is owned under that id,\n' +
      "so clones of the template never prune each other's content. Replaces the template's own identity; any other only with --force.",
    needsRepo: true,
    load: async () => (await import('./init.ts')).runInit,
  },
  docs: {
    summary: 'generate docs/rules/*.md and the ATT&CK Navigator layer (--check: fail when stale)',
    options: () => [opt('--check', 'write nothing; exit 1 and list every stale or missing generated file')],
    help: 'Without --check: rewrites shared snippet blocks, docs/rules/*.md, the ATT&CK layer and the README pack table.',
    needsRepo: true,
    load: async () => (await import('./docs.ts')).runDocs,
  },
  'merge-docs': {
    summary: 'git merge driver for the generated docs (README pack table, docs/rules index, ATT&CK layer)',
    operands: [
      arg('<base>', 'common ancestor version (%O)'),
      arg('<ours>', 'our version, overwritten with the result (%A)'),
      arg('<theirs>', 'their version (%B)'),
      arg('<path>', 'the path in the repository (%P)'),
    ],
    options: () => [],
    help:
      'Set up once per clone: git config merge.sentinel-docs.driver "node bin/sentinel.mjs merge-docs %O %A %B %P"\n' +
      '(.gitattributes names the files). Generated text never conflicts: a clean merge is kept, else our side;\n' +
      'run `sentinel docs` after the merge to regenerate from the merged content. Hand-written README text merges as usual.',
    needsRepo: false,
    load: async () => (await import('./merge-docs.ts')).runMergeDocs,
  },
  summary: {
    summary: 'render the Markdown job summary from JSON results',
    options: REPORT_INPUTS,
    help: `Appends the review Markdown to GITHUB_STEP_SUMMARY (prints it outside GitHub Actions). ${REPORT_HELP}`,
    needsRepo: false,
    paths: ['findings', 'tests', 'plan'],
    load: async () => (await import('./pr-comment.ts')).runSummary,
  },
  'pr-comment': {
    summary: 'create or update the one PR comment with the review summary',
    options: () => [
      ...REPORT_INPUTS(),
      opt('--pr <n>', 'pull request number').default(undefined, 'from the event at GITHUB_EVENT_PATH'),
      opt('--dry-run', 'print the GitHub API requests instead of sending them'),
    ],
    help:
      'Creates or updates the one PR comment marked <!-- sentinel-content-as-code --> (GITHUB_TOKEN, GITHUB_REPOSITORY,\n' +
      `GITHUB_API_URL). ${REPORT_HELP}`,
    needsRepo: false,
    paths: ['findings', 'tests', 'plan'],
    load: async () => (await import('./pr-comment.ts')).runPrComment,
  },
  bench: {
    summary: 'print the global-state, validation, evaluator, deployment and start-up benchmarks',
    operands: [() => new Argument('[stages...]', 'stages to run (default: all)').choices(['global-state', 'validate', 'evaluate', 'deploy', 'startup'])],
    options: () => [opt('--quick', 'validation benchmark on 100 rules only, global-state on 60 queries')],
    needsRepo: false,
    load: async () => (await import('./bench.ts')).runBench,
  },
} satisfies Record<string, VerbSpec>;

export type VerbName = keyof typeof VERBS;
