// A collector node as a real process (`main/node/cli.ts`, what `npm run node` runs), for tests
// that kill it with `kill -9`: one process (node with tsx's loader, no wrapper left behind),
// resolved once it says it has joined the cluster, its output drained so it never blocks.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export function startNodeProcess(name: string, natsUrl: string, env: Readonly<Record<string, string>>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/node/cli.ts', '--nats', natsUrl, '--name', name], {
      cwd: root,
      env: { ...process.env, ...env, TICKER_DECK_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Its log goes to stderr; both pipes are kept drained.
    let output = '';
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString();
      if (output.includes('collector node started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`node ${name} exited (${String(code)}): ${output.slice(-800)}`)));
  });
}

/** Kills what is still running (afterEach). */
export function killAll(children: ChildProcess[]): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
