#!/usr/bin/env node
// Entry point for the `sentinel` CLI. The sources are TypeScript and run without a build step:
// Node ≥ 22.18 strips the types itself (process.features.typescript; the tree is erasable-syntax
// only, checked by tsc's erasableSyntaxOnly); an older Node falls back to tsx's loader.
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
