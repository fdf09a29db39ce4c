#!/usr/bin/env node
// The `foundups` CLI (package bin): loads the TypeScript sources through tsx, so `npx foundups …`
// works in a clone right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
