// FeedLeases: which collector node collects which feed, decided in JetStream key-value buckets
// so that no feed is collected twice and a dead node's feeds move within seconds. A node
// holds a feed by a key in the `feeds` bucket that only it writes (created only if absent,
// renewed by compare-and-set every `renewMs`); keys not renewed vanish after `ttlMs` (the
// bucket's age limit), and another node takes them. Nodes announce themselves in the `nodes`
// bucket the same way; each node holds at most its share of the wanted feeds (rounded up), so
// that the feeds spread over the nodes alive.

import { EventEmitter } from 'node:events';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { escapeExcept, unescapeText } from './subjects.js';

const log = getLogger('cluster');

export interface LeaseOptions {
  /** A lease not renewed for this long is gone (ms). */
  readonly ttlMs?: number;
  /** How often a node renews what it holds and looks for feeds nobody holds (ms). */
  readonly renewMs?: number;
  /** Bucket names (tests use their own). */
  readonly feedsBucket?: string;
  readonly nodesBucket?: string;
}

export interface LeaseEvents {
  /** This node now collects the feed. */
  acquired: [feed: string];
  /** This node no longer holds the feed (renewal failed, or it is no longer wanted). */
  released: [feed: string];
}

/**
 * Makes the bucket, or binds to it as it is when it exists with other settings (an operator may
 * have made it with three replicas on a three-server cluster).
 */
export async function openBucket(kvm: Kvm, name: string, options: { ttl?: number; history: number }): Promise<KV> {
  try {
    return await kvm.create(name, options);
  } catch (error) {
    if (error instanceof Error && /already in use|different configuration/i.test(error.message)) return kvm.open(name);
    throw error;
  }
}

/** A feed id (`okx:BTC-USDT`, `kraken:BTC/USD`) as a key-value key: `:` and other characters keys cannot hold escaped. */
export function feedKey(feed: string): string {
  return escapeExcept(feed, /[A-Za-z0-9_/-]/);
}

export function feedOfKey(key: string): string {
  return unescapeText(key);
}

interface Held {
  revision: number;
}

export class FeedLeases extends EventEmitter<LeaseEvents> {
  private readonly held = new Map<string, Held>();
  private wanted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private nodeRevision: number | undefined;
  private closed = false;

  private constructor(
    private readonly node: string,
    private readonly feeds: KV,
    private readonly nodes: KV,
    private readonly renewMs: number,
  ) {
    super();
  }

  static async open(nc: NatsConnection, node: string, options: LeaseOptions = {}): Promise<FeedLeases> {
    const ttl = options.ttlMs ?? 6_000;
    const kvm = new Kvm(nc);
    const feeds = await openBucket(kvm, options.feedsBucket ?? 'td-feeds', { ttl, history: 1 });
    const nodes = await openBucket(kvm, options.nodesBucket ?? 'td-nodes', { ttl, history: 1 });
    const leases = new FeedLeases(node, feeds, nodes, options.renewMs ?? Math.max(200, Math.floor(ttl / 3)));
    await leases.cycle();
    leases.timer = setInterval(() => void leases.cycle(), leases.renewMs);
    return leases;
  }

  /** The feeds the cluster collects (every node is told the same). */
  want(feeds: Iterable<string>): void {
    this.wanted = new Set(feeds);
    void this.cycle();
  }

  /** The feeds this node collects now. */
  holding(): string[] {
    return [...this.held.keys()].sort();
  }

  /** One pass: announce this node, renew its leases, give up unwanted ones, take free ones up to its share. */
  cycle(): Promise<void> {
    // One pass at a time; a pass asked for meanwhile runs after it.
    const previous = this.running ?? Promise.resolve();
    const next = previous.then(() => this.pass()).catch((error: unknown) => log.warn({ node: this.node, err: describeError(error) }, 'lease pass failed'));
    this.running = next;
    return next;
  }

  private async pass(): Promise<void> {
    if (this.closed) return;
    await this.announce();
    for (const [feed, lease] of [...this.held]) {
      if (!this.wanted.has(feed)) {
        await this.release(feed, lease);
        continue;
      }
      try {
        lease.revision = await this.feeds.update(feedKey(feed), this.node, lease.revision);
      } catch {
        // Someone else holds it now (we were too late), or the server is away: not ours any more.
        this.held.delete(feed);
        this.emit('released', feed);
      }
    }
    const share = Math.ceil(this.wanted.size / Math.max(1, await this.liveNodes()));
    // More than its share (a node joined): the surplus goes back for the others to take.
    for (const feed of this.holding().reverse()) {
      if (this.held.size <= share) break;
      const lease = this.held.get(feed);
      if (lease !== undefined) await this.release(feed, lease);
    }
    for (const feed of [...this.wanted].sort()) {
      if (this.held.size >= share) break;
      if (this.held.has(feed)) continue;
      try {
        const revision = await this.feeds.create(feedKey(feed), this.node);
        this.held.set(feed, { revision });
        this.emit('acquired', feed);
      } catch {
        // Held by another node.
      }
    }
  }

  private async announce(): Promise<void> {
    const key = feedKey(this.node);
    try {
      this.nodeRevision =
        this.nodeRevision === undefined
          ? await this.nodes.create(key, String(Date.now()))
          : await this.nodes.update(key, String(Date.now()), this.nodeRevision);
    } catch {
      // Our entry expired (the server was away) or is stale: write it afresh.
      this.nodeRevision = await this.nodes.put(key, String(Date.now()));
    }
  }

  private async liveNodes(): Promise<number> {
    let count = 0;
    for await (const key of await this.nodes.keys()) {
      void key;
      count += 1;
    }
    return count;
  }

  private async release(feed: string, lease: Held): Promise<void> {
    this.held.delete(feed);
    await this.feeds.delete(feedKey(feed), { previousSeq: lease.revision }).catch(() => undefined);
    this.emit('released', feed);
  }

  /** Gives up every lease (another node takes them at once) and stops. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.closed = true;
    for (const [feed, lease] of [...this.held]) await this.release(feed, lease);
    if (this.nodeRevision !== undefined) await this.nodes.delete(feedKey(this.node), { previousSeq: this.nodeRevision }).catch(() => undefined);
  }

  /** Stops renewing without giving anything up: what a killed node does (for tests). */
  abandon(): void {
    clearInterval(this.timer);
    this.closed = true;
  }
}
