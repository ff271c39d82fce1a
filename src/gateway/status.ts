/**
 * What `/gateway/status` and `Gateway.status()` report: the upstream session and budget, the
 * union held upstream, and every client with its sessions, subscriptions and queues. No key,
 * secret or token appears in it.
 */
import type { SessionState } from '../realtime/index.js';
import type { Category } from './fair-queue.js';
import type { ClientRestStats } from './rest-relay.js';

/** One client WebSocket session. */
export interface SessionStatus {
  /** grp_no → `type|item`, as the client registered them. */
  subscriptions: Record<string, string[]>;
  /** Real-time conditions the client runs. */
  conditions: string[];
  framesOut: number;
  /** REAL frames skipped while the client did not read. */
  dropped: number;
}

/** One client (a key pair). */
export interface ClientStatus {
  name: string;
  /** True for the shared pair (its REST figures are per token: `name#tag`). */
  shared: boolean;
  /** WebSocket LOGINs accepted since the gateway started (a client that keeps reconnecting shows here). */
  logins: number;
  sessions: SessionStatus[];
  /** REST figures by queue (the client's name; `name#tag` per token for the shared pair). */
  rest: Record<string, ClientRestStats>;
}

/** What `kiwoom-compat gateway status` shows: the upstream session and every client. */
export interface GatewayStatus {
  upstream: {
    /** The upstream WebSocket: `open`, `reconnecting` in a gap, `closed` when it stopped for good. */
    state: SessionState;
    reconnects: number;
    /** Items the union holds upstream, against the per-connection cap. */
    items: number;
    itemsCap: number;
    /** Upstream grp_no → `type|item`. */
    groups: Record<string, string[]>;
    /** Real-time conditions running upstream → how many client sessions hold each, against the cap. */
    conditions: Record<string, number>;
    conditionsCap: number;
    /** REAL entries that arrived for a pair no client held any more. */
    unrouted: number;
    /** Pairs kept upstream for clients that went away without REMOVE, until their grace period ends (`releaseGraceMs`). */
    lingering: number;
  };
  /** Upstream REST budget per category: configured rate, use over the last 10 s, waiting and in-flight requests. */
  budget: Record<Category, { ratePerSec: number; usedPerSec: number; waiting: number; inFlight: number }>;
  clients: ClientStatus[];
}
