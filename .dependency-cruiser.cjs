/**
 * Dependency rules of scripts/ (see DESIGN.md, "Layout"):
 *
 *   cli → (render, deploy, evaluate, validate) → (kusto, content) → model
 *
 * A stage may import any stage below it, never one above it or beside it. One exception: render
 * may import *types* (plans, rollout reports, evaluator tables) from deploy/evaluate/validate —
 * a type-only import adds no code and no run-time edge (`dependencyTypesNot: ['type-only']`).
 * The emulator is standalone: it imports only scripts/model/ (plus node builtins and npm
 * packages), and outside it only the CLI's demo/emulator verbs and the tests import it, through
 * its one entry scripts/emulator/index.ts (the emulator's own unit tests, test/emulator/, may
 * reach its modules directly).
 *
 * `npm run depcheck`; CI runs it after the type-check (.ci/run).
 */
const MID = '^scripts/(render|deploy|evaluate|validate)/';
const LOW = '^scripts/(kusto|content)/';

/** `from` may not import `to`, with a name and a reason. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    // The CLI's verb table loads each verb lazily (dynamic import) and the verb modules use the table to run
    // one another (demo runs validate and test): that registry cycle is intended, so only static cycles count.
    forbid('no-circular', 'Circular imports make the stages inseparable; break the cycle by moving the shared piece down.', {},
      { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } }),
    forbid('no-test-imports', 'Code under scripts/ never imports tests or their fixtures.', { path: '^scripts/' }, { path: '^test/' }),

    // cli is the top: nothing imports it.
    forbid('cli-is-top', 'Only the CLI wires stages together; nothing below it imports scripts/cli/.', { path: '^scripts/', pathNot: '^scripts/cli/' }, { path: '^scripts/cli/' }),

    // The four stages beside each other.
    forbid('validate-sideways', 'validate must not import render, deploy or evaluate (sibling stages; move the shared piece to content/kusto/model).',
      { path: '^scripts/validate/' }, { path: '^scripts/(render|deploy|evaluate)/' }),
    forbid('deploy-sideways', 'deploy must not import render, evaluate or validate (sibling stages).',
      { path: '^scripts/deploy/' }, { path: '^scripts/(render|evaluate|validate)/' }),
    forbid('evaluate-sideways', 'evaluate must not import render, deploy or validate (sibling stages).',
      { path: '^scripts/evaluate/' }, { path: '^scripts/(render|deploy|validate)/' }),
    {
      ...forbid('render-sideways', 'render renders plain data: it may import the types of deploy/evaluate/validate results, never their code.',
        { path: '^scripts/render/' }, { path: '^scripts/(deploy|evaluate|validate)/' }),
      to: { path: '^scripts/(deploy|evaluate|validate)/', dependencyTypesNot: ['type-only'] },
    },

    // kusto and content: below the stages, beside each other.
    forbid('low-not-up', 'kusto/ and content/ are below the stages: they must not import cli, render, deploy, evaluate or validate.',
      { path: LOW }, { path: `^scripts/cli/|${MID}` }),
    forbid('kusto-content-sideways', 'kusto/ and content/ are siblings: neither imports the other (share through model/).',
      { path: '^scripts/kusto/' }, { path: '^scripts/content/' }),
    forbid('content-kusto-sideways', 'kusto/ and content/ are siblings: neither imports the other (share through model/).',
      { path: '^scripts/content/' }, { path: '^scripts/kusto/' }),

    // model is the bottom.
    forbid('model-is-bottom', 'model/ is the vocabulary everything shares: it imports only model/.',
      { path: '^scripts/model/' }, { path: '^scripts/', pathNot: '^scripts/model/' }),

    // The emulator.
    forbid('emulator-imports-model-only', 'The emulator is standalone: it imports only scripts/model/ (plus node builtins and npm packages).',
      { path: '^scripts/emulator/' }, { path: '^scripts/', pathNot: '^scripts/(emulator|model)/' }),
    forbid('emulator-importers', "Only the CLI's demo/emulator verbs (cli/deploy.ts, cli/emulator.ts, cli/emulator-process.ts) import the emulator.",
      { path: '^scripts/', pathNot: ['^scripts/emulator/', '^scripts/cli/(deploy|emulator|emulator-process)\\.ts$'] }, { path: '^scripts/emulator/' }),
    forbid('emulator-entry', 'Outside the emulator (and its own unit tests) the emulator is reached only through scripts/emulator/index.ts.',
      { pathNot: ['^scripts/emulator/', '^test/emulator/'] }, { path: '^scripts/emulator/', pathNot: '^scripts/emulator/index\\.ts$' }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Parse TypeScript before compilation so `import type` edges are seen (and marked type-only).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.mjs', '.js', '.json'] },
  },
};
