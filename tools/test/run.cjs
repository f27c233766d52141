#!/usr/bin/env node
/*
 * `npm test`: the type-check and the unit tests, side by side. tsc spends much of its time reading files while jest's
 * workers keep both cores busy, so running them together takes less time than one after the other. tsc keeps its
 * incremental state in .build/ (ignored by git), so a second run checks only what changed. Arguments go to jest
 * (`npm test -- __tests__/config`). The exit status fails if either fails; tsc's messages print after jest's.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, ...options });
    let output = '';
    if (child.stdout) child.stdout.on('data', (chunk) => (output += chunk));
    if (child.stderr) child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ status: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (status, signal) => resolve({ status: status ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  const typecheck = run(bin('tsc'), ['--noEmit', '-p', '.', '--incremental', '--tsBuildInfoFile', '.build/tsc.tsbuildinfo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tests = run(bin('jest'), process.argv.slice(2), { stdio: 'inherit' });
  const [checked, tested] = await Promise.all([typecheck, tests]);
  if (checked.status !== 0) {
    process.stderr.write(`\nType-check (tsc) failed:\n${checked.output}`);
  } else {
    process.stdout.write('Type-check (tsc): no errors\n');
  }
  process.exitCode = checked.status !== 0 || tested.status !== 0 ? 1 : 0;
}

main();
