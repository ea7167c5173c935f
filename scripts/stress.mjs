#!/usr/bin/env node
// `npm run test:stress`: the whole `npm test`, three times in a row, while two busy loops keep
// the CPU loaded. Tests wait on events, not on guessed delays, so a loaded machine must make
// them slower, never red. Not part of CI (it takes a while); run it before changing timing code.
// RUNS=N changes the number of runs, LOADERS=N the number of busy loops.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.RUNS ?? '3');
const loaders = Number(process.env.LOADERS ?? '2');

const busy = Array.from({ length: loaders }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopLoad = () => {
  for (const child of busy) child.kill('SIGKILL');
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopLoad();
    process.exit(130);
  });
}

const results = [];
for (let run = 1; run <= runs; run += 1) {
  console.log(`\n######## stress run ${run} of ${runs} (${loaders} busy loops) ########`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/test-all.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(result.stdout ?? '');
  const summary = (result.stdout ?? '').trim().split('\n').at(-1) ?? 'no summary';
  results.push(`run ${run}: ${summary} (${Math.round((Date.now() - started) / 1000)} s)`);
}
stopLoad();
console.log('\n######## stress summary ########');
for (const line of results) console.log(line);
const green = results.every((line) => / 0 failed/.test(line));
console.log(green ? `all ${runs} runs green under load` : 'NOT all runs were green under load');
process.exit(green ? 0 : 1);
