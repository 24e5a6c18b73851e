#!/usr/bin/env node
// Entry point of the `nyckel` command. The CLI is TypeScript shared with the app and the
// server; tsx compiles it on the fly so the repo needs no separate server build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
