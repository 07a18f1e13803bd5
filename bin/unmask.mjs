#!/usr/bin/env node
// The `unmask` command: runs the TypeScript CLI in place (tsx), so the command
// and the lesson always share the very same engine code, with no build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
