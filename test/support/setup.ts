// Runs before every vitest file: an unhandled promise rejection or uncaught exception fails
// the test during which it surfaced (Node would end the process on one in production), and
// it is named in the failure so the leaking code can be found.
import { afterEach } from 'vitest';

const problems: string[] = [];

function describe(kind: string, reason: unknown): string {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  return `${kind}: ${text}`;
}

process.on('unhandledRejection', (reason) => problems.push(describe('unhandled rejection', reason)));
process.on('uncaughtException', (error) => problems.push(describe('uncaught exception', error)));

afterEach(async () => {
  // A rejection is reported once the microtask queue drains; let late ones surface first.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  if (problems.length > 0) {
    const found = problems.splice(0);
    throw new Error(`${found.length} unhandled error(s) during this test:\n${found.join('\n')}`);
  }
});
