/**
 * The access token: issued (au10001) by one flight at a time, reused until shortly before its
 * KST expiry, dropped when the server rejects it, revoked (au10002) on request, optionally
 * kept in a cache file between runs.
 */
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import type { SecretScrubber } from '../log.js';
import { JSON_CONTENT_TYPE, type HttpTransport } from './http.js';
import { parseKstTimestamp } from './kst.js';
import { readResponse } from './response.js';
import { TokenCacheFile, tokenCacheKey, type StoredToken } from './token-cache.js';


/** Used when a token looks expired on arrival (clock skew): use it briefly instead of re-issuing in a loop. */
const SKEWED_TOKEN_LIFETIME_MS = 60_000;

/**
 * Tokens kept in the client's scrubber: the one held and those before it, which may still be
 * valid (a rejection can be the server's error) and may still be quoted (late log lines, a
 * revoke). A bound, so that a client running for months does not scan an ever-growing list.
 */
const TOKENS_SCRUBBED = 32;

/** What listeners learn about a new token (never the token itself). */
export interface TokenInfo {
  /** Epoch ms of expiry. */
  expiresAt: number;
  issuedAt: number;
  /** Read from the cache file rather than issued. */
  fromCache: boolean;
}

export interface TokenManagerOptions {
  appkey: string;
  secretkey: string;
  baseUrl: string;
  http: HttpTransport;
  logger: Logger;
  /** The client's scrubber: every token goes in the moment it is parsed. */
  secrets: SecretScrubber;
  refreshMarginMs: number;
  cachePath?: string | undefined;
  now: () => number;
  onToken?: (info: TokenInfo) => void;
}

export class TokenManager {
  private current: StoredToken | undefined;
  private inflight: Promise<StoredToken> | undefined;
  /** Tokens this process saw rejected or revoked: a copy still in the cache file is not taken. */
  private readonly rejected: string[] = [];
  private readonly cache: TokenCacheFile | undefined;
  private readonly cacheKey: string;
  private readonly scrubbed: string[] = [];
  /** The token held last, kept when it is forgotten: a re-issue is compared with it. */
  private latest: StoredToken | undefined;
  /**
   * A token au10001 answered again, unchanged, when asked to re-issue it (seen live): until it
   * expires every re-issue would get the same answer, so it is used until then.
   */
  private keptToExpiry: string | undefined;

  constructor(private readonly options: TokenManagerOptions) {
    this.cache = options.cachePath === undefined ? undefined : new TokenCacheFile(options.cachePath);
    this.cacheKey = tokenCacheKey(options.appkey, options.baseUrl);
  }

  /** A valid token, issuing one if needed. Concurrent callers share one issue request. */
  async get(): Promise<string> {
    const current = this.current;
    if (current !== undefined && this.isFresh(current)) return current.token;
    this.inflight ??= this.obtain().finally(() => {
      this.inflight = undefined;
    });
    return (await this.inflight).token;
  }

  /** Expiry of the token held now, if any. */
  get expiresAt(): number | undefined {
    return this.current?.expiresAt;
  }

  /**
   * Forget the token so the next `get()` issues a new one. With `token`, only if it is still
   * the current one: many calls rejected with the same token cause one re-issue, not many.
   */
  invalidate(token?: string): void {
    if (token === undefined || this.current?.token === token) {
      if (this.current !== undefined) this.reject(this.current.token);
      this.current = undefined;
    }
  }

  /** Revoke the current token at Kiwoom (au10002) and forget it here and in the cache file. */
  async revoke(): Promise<void> {
    const held = this.current ?? (await this.inflight?.catch(() => undefined));
    this.current = this.latest = undefined;
    if (held !== undefined) this.reject(held.token);
    await this.cache?.remove(this.cacheKey);
    if (held === undefined) return;
    const { appkey, secretkey } = this.options;
    const outcome = await this.post('au10002', '/oauth2/revoke', { appkey, secretkey, token: held.token });
    if (!outcome.ok) throw outcome.error;
    this.options.logger.debug({ apiId: 'au10002' }, 'token revoked');
  }

  private isFresh(token: StoredToken): boolean {
    if (token.token === this.keptToExpiry) return this.options.now() < token.expiresAt;
    // A short-lived token (emulator, tests) would otherwise be "about to expire" from birth.
    const margin = Math.min(this.options.refreshMarginMs, (token.expiresAt - token.issuedAt) / 2);
    return this.options.now() < token.expiresAt - margin;
  }

  private async obtain(): Promise<StoredToken> {
    const cache = this.cache;
    if (cache === undefined) return this.issueAndKeep(undefined);
    // Under the lock: another process may have issued a token while this one waited for it.
    return cache.locked(async () => {
      const cached = await cache.read(this.cacheKey);
      if (cached !== undefined && this.isFresh(cached) && !this.rejected.includes(cached.token)) {
        this.remember(cached.token);
        this.current = this.latest = cached;
        this.options.logger.debug({ expiresAt: new Date(cached.expiresAt).toISOString() }, 'token read from cache file');
        this.options.onToken?.({ expiresAt: cached.expiresAt, issuedAt: cached.issuedAt, fromCache: true });
        return cached;
      }
      return this.issueAndKeep(cache);
    });
  }

  private async issueAndKeep(cache: TokenCacheFile | undefined): Promise<StoredToken> {
    const before = this.current ?? this.latest;
    let issued = await this.issue();
    if (issued.token === before?.token) {
      // Asking again before it expires would only get it again: a loop as the expiry nears.
      issued = { ...issued, issuedAt: before.issuedAt };
      if (this.keptToExpiry !== issued.token) {
        this.options.logger.info({ apiId: 'au10001', expiresAt: new Date(issued.expiresAt).toISOString() }, 'au10001 answered the token already held: it is kept until it expires, then a new one is asked for');
      }
      this.keptToExpiry = issued.token;
    }
    this.current = this.latest = issued;
    await cache?.write(this.cacheKey, issued).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'token cache file not written');
    });
    this.options.onToken?.({ expiresAt: issued.expiresAt, issuedAt: issued.issuedAt, fromCache: false });
    return issued;
  }

  private async issue(): Promise<StoredToken> {
    const { appkey, secretkey, logger } = this.options;
    const issuedAt = this.options.now();
    const outcome = await this.post('au10001', '/oauth2/token', { grant_type: 'client_credentials', appkey, secretkey });
    if (!outcome.ok) throw outcome.error;
    const { token, expires_dt: expiresDt, token_type: tokenType } = outcome.body;
    const parsedExpiry = typeof expiresDt === 'string' ? parseKstTimestamp(expiresDt) : undefined;
    if (typeof token !== 'string' || token === '' || parsedExpiry === undefined) {
      throw new HttpError(
        `au10001: token response lacks a token or a YYYYMMDDHHMMSS expires_dt (got expires_dt ${JSON.stringify(expiresDt)})`,
        { apiId: 'au10001', status: 200 },
      );
    }
    let expiresAt = parsedExpiry;
    if (expiresAt <= issuedAt) {
      logger.warn({ expiresDt }, 'token already expired by the local clock (clock skew?); using it briefly');
      expiresAt = issuedAt + SKEWED_TOKEN_LIFETIME_MS;
    }
    logger.debug({ apiId: 'au10001', expiresAt: new Date(expiresAt).toISOString() }, 'token issued');
    return { token, tokenType: typeof tokenType === 'string' ? tokenType : 'bearer', expiresAt, issuedAt };
  }

  private reject(token: string): void {
    this.rejected.push(token);
    if (this.rejected.length > TOKENS_SCRUBBED) this.rejected.shift();
  }

  /** Scrubs `token` from now on; the oldest of the tokens kept is forgotten. */
  private remember(token: string): void {
    if (this.scrubbed.includes(token)) return;
    this.options.secrets.add(token);
    this.scrubbed.push(token);
    if (this.scrubbed.length > TOKENS_SCRUBBED) this.options.secrets.remove(this.scrubbed.shift() ?? '');
  }

  /** The token endpoints take only Content-Type (no api-id, no authorization), like the official client. */
  private async post(apiId: string, path: string, body: Record<string, string>) {
    const response = await this.options.http.post({
      url: `${this.options.baseUrl}${path}`,
      headers: { 'content-type': JSON_CONTENT_TYPE },
      body: JSON.stringify(body),
      apiId,
      isOrder: false,
    });
    // A token is a secret from the moment it can be read, whatever else the answer lacks: an
    // answer without a valid envelope is quoted in the error.
    const token = tokenIn(response.text);
    if (token !== undefined) this.remember(token);
    return readResponse(apiId, response, (text) => this.options.secrets.scrub(text));
  }
}

/** The `token` field of an answer, if it has one (read from the text when the JSON is broken). */
function tokenIn(text: string): string | undefined {
  let token: unknown;
  try {
    token = (JSON.parse(text) as { token?: unknown } | null)?.token;
  } catch {
    token = /"token"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  }
  return typeof token === 'string' && token !== '' ? token : undefined;
}
