/**
 * Who may use the control API: a caller with the bearer token (scripts, curl), or a browser
 * holding a session cookie it got by posting the token to the page's login form. The token
 * never travels in a URL (URLs land in histories and logs); the cookie is HttpOnly and
 * SameSite=Strict, carries a random session id rather than the token, and is named after the
 * port (browsers share cookies across ports of one host). A browser's state-changing request
 * must also come from the page's own origin, so another site cannot place orders through a
 * logged-in browser.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** How a request proved itself, or why it did not. */
export type Access = 'bearer' | 'session' | 'none' | 'foreign-origin';

/** Methods that change nothing: a session cookie alone is enough for them. */
const SAFE = new Set(['GET', 'HEAD']);

/** Options of {@link Auth}. */
export interface AuthOptions {
  token: string;
  /** The cookie's name; one per server (default `kiwoom_compat_session`). */
  cookieName?: string;
  /** A session ends this long after login (default 12 hours: a trading day and its evening). */
  sessionMs?: number;
  /** Sessions kept at once; the oldest goes first (default 32). */
  maxSessions?: number;
  now?: () => number;
}

/** The bearer token and the page's login sessions. */
export class Auth {
  readonly cookieName: string;
  private readonly expected: Buffer;
  private readonly token: Buffer;
  /** Session id → when it ends (insertion order is login order). */
  private readonly sessions = new Map<string, number>();
  private readonly sessionMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(options: AuthOptions) {
    this.token = Buffer.from(options.token);
    this.expected = Buffer.from(`Bearer ${options.token}`);
    this.cookieName = options.cookieName ?? 'kiwoom_compat_session';
    this.sessionMs = options.sessionMs ?? 12 * 3600_000;
    this.maxSessions = options.maxSessions ?? 32;
    this.now = options.now ?? Date.now;
  }

  /** How `req` is authorised: its Authorization header first, else its session cookie. */
  check(req: IncomingMessage): Access {
    if (req.headers.authorization !== undefined) return same(Buffer.from(req.headers.authorization), this.expected) ? 'bearer' : 'none';
    const id = this.sessionOf(req);
    if (id === undefined) return 'none';
    if (!SAFE.has(req.method ?? 'GET') && !sameOrigin(req)) return 'foreign-origin';
    return 'session';
  }

  /** A new session for a login form's token (surrounding space and a `Bearer ` prefix forgiven), or undefined. */
  login(given: string): string | undefined {
    if (!same(Buffer.from(given.trim().replace(/^Bearer\s+/i, '')), this.token)) return undefined;
    this.prune();
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('hex');
    this.sessions.set(id, this.now() + this.sessionMs);
    return id;
  }

  /** Ends the request's session, if it has one. */
  logout(req: IncomingMessage): void {
    const id = this.sessionOf(req);
    if (id !== undefined) this.sessions.delete(id);
  }

  /** The Set-Cookie value that starts a session (`id`) or clears it (undefined). */
  cookie(id: string | undefined): string {
    const attributes = 'Path=/; HttpOnly; SameSite=Strict';
    return id === undefined ? `${this.cookieName}=; ${attributes}; Max-Age=0` : `${this.cookieName}=${id}; ${attributes}; Max-Age=${Math.floor(this.sessionMs / 1000)}`;
  }

  /** The request's live session id, if its cookie names one. */
  private sessionOf(req: IncomingMessage): string | undefined {
    const id = cookieValue(req.headers.cookie, this.cookieName);
    if (id === undefined) return undefined;
    const ends = this.sessions.get(id);
    if (ends === undefined) return undefined;
    if (ends <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return id;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, ends] of this.sessions) if (ends <= now) this.sessions.delete(id);
  }
}

function same(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Browsers send Origin with every POST, PUT, PATCH and DELETE: it must be this server. */
function sameOrigin(req: IncomingMessage): boolean {
  const { origin, host } = req.headers;
  return origin !== undefined && host !== undefined && origin === `http://${host}`;
}

/** One cookie's value from a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
