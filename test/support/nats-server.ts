// A real nats-server (Debian's package) for tests: JetStream on, bound to loopback on a free
// port, its store in a temporary folder. Started and stopped by the test, waited on by its own
// "ready" line, never by a guessed delay; restartable on the same port and store (a server
// restart the clients must survive).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const NATS_SERVER = process.env['NATS_SERVER'] ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class NatsServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    /** In a cluster: its name, its route port and the other servers' route URLs. */
    private readonly clustering: readonly string[] = [],
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<NatsServer> {
    const storeDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-nats-'));
    const server = new NatsServer(await freePort(), storeDir);
    await server.run();
    return server;
  }

  /**
   * A cluster of `size` servers as the README shows it (`--cluster_name`, routes to the
   * others), each with its own store; resolves once each says it is ready for clients
   * (JetStream's own leader election follows: callers wait on it).
   */
  static async startCluster(size: number): Promise<NatsServer[]> {
    const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
    const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
    const servers: NatsServer[] = [];
    for (let i = 0; i < size; i += 1) {
      const routes = routePorts.filter((_p, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`);
      const storeDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-nats-'));
      servers.push(
        new NatsServer(ports[i] ?? 0, storeDir, [
          '-n',
          `nats-${i + 1}`,
          '--cluster_name',
          'td',
          '--cluster',
          `nats://127.0.0.1:${routePorts[i] ?? 0}`,
          '--routes',
          routes.join(','),
        ]),
      );
    }
    await Promise.all(servers.map((server) => server.run()));
    return servers;
  }

  /** Kills it at once (`kill -9`), as a machine going down would. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /** Starts the process and resolves once it says it is ready for clients. */
  private run(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir, ...this.clustering], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.child = child;
      let output = '';
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Server is ready')) {
          child.stderr?.off('data', onData);
          child.stdout?.off('data', onData);
          // Keep draining its output so that it never blocks on a full pipe.
          child.stderr?.resume();
          child.stdout?.resume();
          resolve();
        }
      };
      child.stderr?.on('data', onData);
      child.stdout?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`nats-server exited (${String(code)}) before it was ready: ${output.slice(-500)}`)));
    });
  }

  /** Stops the server (SIGTERM) and waits for it to be gone. */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** Stops and starts it again on the same port with the same store. */
  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
