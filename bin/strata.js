#!/usr/bin/env node
// The `strata` command: runs the built CLI (dist/, from `npm run build`) and exits with its status.
// A worker process of a supervising `strata serve` leaves its supervisor when done: connected,
// it would otherwise never exit.
import cluster from 'node:cluster';
import process from 'node:process';
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
// (cluster.worker.disconnect, not process.disconnect: that one would make the exit status 0.)
if (cluster.isWorker && process.connected) cluster.worker.disconnect();
