#!/usr/bin/env node
// Entry point for the `sentinel` CLI. The sources are TypeScript; tsx compiles them on the fly so a
// fresh clone runs without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
