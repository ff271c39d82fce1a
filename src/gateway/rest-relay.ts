/**
 * The REST half of the gateway: a client's `/api/dostk/*` request is checked as Kiwoom checks
 * it (api-id, the client's token, body, required fields), queued in the client's own queue,
 * and sent upstream through the one `KiwoomRest`, whose limiter keeps the upstream under
 * Kiwoom's budget. The gateway hands the limiter at most {@link HANDOFF} requests per
 * category at a time, so the order of service is decided here: orders first, clients in turn.
 *
 * A client's share: a request that would wait longer than `maxWaitMs` behind the client's own
 * queue (its turn comes once per round of the waiting clients) is answered at once with
 * Kiwoom's own 429 (1700), as Kiwoom answers a client faster than its budget. An identical
 * query (api-id, body, continuation) that arrives while another is still queued joins it and
 * gets the same answer; orders never do, and a query already sent is never shared, so a joined
 * answer is never older than the request.
 */
import type { ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { TokenStore } from '../emulator/state/tokens.js';
import { ApiReject, rejectEnvelope } from '../emulator/rest/envelope.js';
import { checkTr, header, type CheckedTr } from '../emulator/rest/dispatch.js';
import type { Answer, KiwoomRequest } from '../emulator/rest/http.js';
import type { CallOptions, CallResult } from '../rest/client.js';
import { cacheKey } from '../rest/response-cache.js';
import type { ClientRegistry } from './clients.js';
import { FairQueue, type Category } from './fair-queue.js';
import { answerError, answerResult } from './answers.js';

/** Requests per category handed to the upstream limiter at once: enough to keep it busy, few enough that the turn order holds. */
const HANDOFF = 2;
/** Window of the budget-use figures. */
const USE_WINDOW_MS = 10_000;

/** The upstream REST client as the relay uses it (`KiwoomRest.untyped`). */
export interface UpstreamRest {
  call(apiId: string, body: Record<string, unknown>, options?: CallOptions): Promise<CallResult>;
}

/** Options of {@link RestRelay}. */
export interface RestRelayOptions {
  rest: UpstreamRest;
  tokens: TokenStore;
  clients: ClientRegistry;
  /** The upstream budgets in requests per second (orders; queries, the mock domain's if lower). */
  rates: Record<Category, number>;
  /** Longest wait a client's request may face in its queue before the gateway answers 429 (ms). */
  maxWaitMs: number;
  /** Identical queued queries share one upstream call. */
  coalesce: boolean;
  logger: Logger;
}

/** A client's REST figures. */
export interface ClientRestStats {
  /** Requests waiting now, per category. */
  queued: Record<Category, number>;
  /** Answered from upstream (joined ones included), per category. */
  served: Record<Category, number>;
  /** Answered 429 by the gateway (the client went past its share). */
  refused: number;
  /** Queries answered by another client's identical queued query. */
  joined: number;
}

interface Job {
  tr: CheckedTr;
  category: Category;
  key: string | undefined;
  /** Everyone waiting for this call's answer. */
  waiters: Array<(answer: Answer) => void>;
}

const zero = (): Record<Category, number> => ({ order: 0, query: 0 });

export class RestRelay {
  private readonly queue = new FairQueue<Job>();
  private readonly handed = zero();
  /** Queued queries by their key, for joining. */
  private readonly queuedByKey = new Map<string, Job>();
  private readonly stats = new Map<string, ClientRestStats>();
  /** Upstream calls started, per category, within the last {@link USE_WINDOW_MS}. */
  private readonly recent: Record<Category, number[]> = { order: [], query: [] };
  private closed = false;

  constructor(private readonly o: RestRelayOptions) {}

  /** Answers one `/api/dostk/*` request. */
  async answer({ req, res, path, body }: KiwoomRequest): Promise<Answer> {
    const apiHeader = header(req.headers, 'api-id') ?? '';
    let client = '';
    let tr: CheckedTr;
    try {
      tr = checkTr({ path, headers: req.headers, body }, this.o.tokens, {
        afterToken: (api, appkey) => {
          client = this.clientOf(appkey, req.headers.authorization);
          this.checkShare(client, api.category === 'order' ? 'order' : 'query', api.id);
        },
      });
    } catch (err) {
      if (err instanceof ApiReject) {
        if (err.code === '1700' && client !== '') this.statsOf(client).refused++;
        return { envelope: rejectEnvelope(err), headers: { 'api-id': apiHeader, 'cont-yn': 'N', 'next-key': '' } };
      }
      throw err;
    }
    if (this.closed) return answerError(tr.api.id, new Error('the gateway is closing; the request was not sent'));
    const category: Category = tr.api.category === 'order' ? 'order' : 'query';
    return new Promise<Answer>((resolve) => {
      const settle = (answer: Answer): void => {
        this.statsOf(client).served[category]++;
        resolve(answer);
      };
      const key = this.o.coalesce && category === 'query' ? cacheKey(tr.api.id, tr.body, tr.contYn, tr.nextKey) : undefined;
      const joined = key === undefined ? undefined : this.queuedByKey.get(key);
      if (joined !== undefined) {
        this.statsOf(client).joined++;
        joined.waiters.push(settle);
        return;
      }
      const job: Job = { tr, category, key, waiters: [settle] };
      if (key !== undefined) this.queuedByKey.set(key, job);
      this.queue.push(client, category, job);
      this.watchHangUp(res, client, job, settle);
      this.pump();
    });
  }

  /** A client that hangs up while its request still waits takes it out (an order not yet sent is then never sent). */
  private watchHangUp(res: ServerResponse, client: string, job: Job, settle: (a: Answer) => void): void {
    res.once('close', () => {
      if (res.writableFinished) return;
      const i = job.waiters.indexOf(settle);
      if (i >= 0) job.waiters.splice(i, 1);
      if (job.waiters.length === 0 && this.queue.remove(client, job.category, job)) {
        if (job.key !== undefined && this.queuedByKey.get(job.key) === job) this.queuedByKey.delete(job.key);
        this.o.logger.debug({ client, apiId: job.tr.api.id }, 'client hung up; its queued request was dropped unsent');
      }
    });
  }

  /** Named clients are one queue each; clients of the shared pair are told apart by token. */
  private clientOf(appkey: string, authorization: string | undefined): string {
    const c = this.o.clients.byKey(appkey);
    const name = c?.name ?? 'unknown';
    if (c?.shared !== true) return name;
    const tag = createHash('sha256').update(authorization ?? '').digest('hex').slice(0, 8);
    return `${name}#${tag}`;
  }

  private checkShare(client: string, category: Category, apiId: string): void {
    const rate = this.o.rates[category];
    const mine = this.queue.depth(client, category);
    const turns = this.queue.waitingClients(category) + (mine === 0 ? 1 : 0);
    const waitMs = ((mine + 1) * turns * 1000) / rate;
    if (waitMs > this.o.maxWaitMs) throw new ApiReject('1700', [String(rate), apiId]);
  }

  private pump(): void {
    for (const category of ['order', 'query'] as const) {
      while (this.handed[category] < HANDOFF && this.queue.size(category) > 0) {
        const next = this.queue.shift(category)!;
        void this.send(next.job);
      }
    }
  }

  private async send(job: Job): Promise<void> {
    const { tr, category } = job;
    if (job.key !== undefined && this.queuedByKey.get(job.key) === job) this.queuedByKey.delete(job.key);
    this.handed[category]++;
    this.noteCall(category);
    let answer: Answer;
    try {
      const options: CallOptions = tr.contYn === 'Y' ? { contYn: 'Y', nextKey: tr.nextKey } : {};
      answer = answerResult(tr.api.id, await this.o.rest.call(tr.api.id, tr.body, options));
    } catch (err) {
      answer = answerError(tr.api.id, err);
      this.o.logger.debug({ apiId: tr.api.id, err: err instanceof Error ? err.message : String(err) }, 'upstream call failed');
    } finally {
      this.handed[category]--;
    }
    for (const w of job.waiters) w(answer);
    this.pump();
  }

  private noteCall(category: Category): void {
    const now = Date.now();
    const list = this.recent[category];
    list.push(now);
    while (list.length > 0 && now - list[0]! > USE_WINDOW_MS) list.shift();
  }

  private statsOf(client: string): ClientRestStats {
    let s = this.stats.get(client);
    if (!s) this.stats.set(client, (s = { queued: zero(), served: zero(), refused: 0, joined: 0 }));
    return s;
  }

  /** Every client's figures (queue depths as of now). */
  clientStats(): Record<string, ClientRestStats> {
    const out: Record<string, ClientRestStats> = {};
    for (const [client, s] of this.stats) {
      out[client] = { ...s, served: { ...s.served }, queued: { order: this.queue.depth(client, 'order'), query: this.queue.depth(client, 'query') } };
    }
    return out;
  }

  /** Upstream use: calls per second over the last 10 s against the budget, per category. */
  budget(): Record<Category, { ratePerSec: number; usedPerSec: number; waiting: number; inFlight: number }> {
    const now = Date.now();
    const use = (c: Category): number => this.recent[c].filter((t) => now - t <= USE_WINDOW_MS).length / (USE_WINDOW_MS / 1000);
    const of = (c: Category) => ({ ratePerSec: this.o.rates[c], usedPerSec: use(c), waiting: this.queue.size(c), inFlight: this.handed[c] });
    return { order: of('order'), query: of('query') };
  }

  /** Answers every waiting request (unsent) and takes no more. */
  close(): void {
    this.closed = true;
    for (const category of ['order', 'query'] as const) {
      for (let next = this.queue.shift(category); next !== undefined; next = this.queue.shift(category)) {
        const answer = answerError(next.job.tr.api.id, new Error('the gateway closed before the request was sent upstream'));
        for (const w of next.job.waiters) w(answer);
      }
    }
    this.queuedByKey.clear();
  }
}
