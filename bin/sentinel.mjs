#!/usr/bin/env node
// Entry point for the `sentinel` CLI. The sources are TypeScript; tsx compiles them on the fly so a
// fresh clone runs without a build step.
import module from 'node:module';
import { register } from 'tsx/esm/api';

// Node >= 22.1 caches compiled bytecode (the 5 MB language service, tsx's output) between runs;
// inside the repo's node_modules/.cache, never a machine path. Node 20 has no such API: skipped.
module.enableCompileCache?.(new URL('../node_modules/.cache/sentinel-compile', import.meta.url).pathname);

register();
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
