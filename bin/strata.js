#!/usr/bin/env node
// The `strata` command: runs the built CLI (dist/, from `npm run build`) and exits with its status.
import process from 'node:process';
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
