/** What a control API route is: a handler of a request, given what the server shares with it. */
import type { IncomingMessage } from 'node:http';
import type { LiveFeed } from './live.js';
import type { ServeApi } from './ocx.js';

/** HTTP status, JSON body, and extra response headers. */
export type Reply = [status: number, body: unknown, headers?: Record<string, string>];

/** What every handler is given. */
export interface Ctx {
  api: ServeApi;
  domain: string;
  screen: string;
  /** The login's first account. */
  accno: () => string;
  /** The page's live feed (watched codes). */
  live: LiveFeed;
  /** The request body as text (bounded in size and time by the server). */
  readBody: (req: IncomingMessage) => Promise<string>;
}

/** One route: `params` are the path's captured segments, already percent-decoded. */
export type Handler = (req: IncomingMessage, params: string[], ctx: Ctx) => Promise<Reply>;
