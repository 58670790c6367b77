#!/usr/bin/env node
// Entry point for the `sentinel` CLI. The sources are TypeScript and run without a build step:
// Node ≥ 22.18 strips the types itself (process.features.typescript; the tree is erasable-syntax
// only, checked by tsc's erasableSyntaxOnly); an older Node falls back to tsx's loader.
import module from 'node:module';

// Node >= 22.1 caches compiled bytecode (the 5 MB language service) between runs, inside the
// repo's node_modules/.cache, never a machine path. Node 20 has no such API: skipped.
module.enableCompileCache?.(new URL('../node_modules/.cache/sentinel-compile', import.meta.url).pathname);

if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
