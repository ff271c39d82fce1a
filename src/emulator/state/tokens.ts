/**
 * The token store shared by REST and the WebSocket LOGIN: issue, verify, revoke, expire.
 */
import { randomBytes } from 'node:crypto';
import type { TokenCheck, TokenVerifier } from '../context.js';

interface TokenEntry {
  appkey: string;
  account: string;
  expiresAt: number;
  revoked: boolean;
}

/** Kiwoom's tokens are 86 characters of base64url. */
const TOKEN_BYTES = 64;

export class TokenStore implements TokenVerifier {
  private readonly tokens = new Map<string, TokenEntry>();
  /** The reissueSameToken fault: a key pair holding a valid token gets that token again. */
  reissueSame = false;

  constructor(
    private readonly lifetimeMs: number,
    private readonly nowMs: () => number,
  ) {}

  /** A fresh token for the app key's account and its expiry instant (epoch ms). */
  issue(appkey: string, account: string): { token: string; expiresAt: number } {
    if (this.reissueSame) {
      const held = this.validFor(appkey);
      if (held !== undefined) return held;
    }
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = this.nowMs() + this.lifetimeMs;
    this.tokens.set(token, { appkey, account, expiresAt, revoked: false });
    return { token, expiresAt };
  }

  /** The newest token of `appkey` still valid, if any. */
  private validFor(appkey: string): { token: string; expiresAt: number } | undefined {
    let found: { token: string; expiresAt: number } | undefined;
    for (const [token, t] of this.tokens) {
      if (t.appkey === appkey && !t.revoked && this.nowMs() < t.expiresAt) found = { token, expiresAt: t.expiresAt };
    }
    return found;
  }

  verify(token: string): TokenCheck {
    const t = this.tokens.get(token);
    if (!t) return { ok: false, reason: 'unknown' };
    if (t.revoked) return { ok: false, reason: 'revoked' };
    if (this.nowMs() >= t.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, appkey: t.appkey, account: t.account };
  }

  /** Revokes one token; false when it was never issued. */
  revoke(token: string): boolean {
    const t = this.tokens.get(token);
    if (!t) return false;
    t.revoked = true;
    return true;
  }

  /** Revokes every token issued to `appkey` (its key pair was withdrawn); returns how many. */
  revokeAppkey(appkey: string): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (t.appkey === appkey && !t.revoked) {
        t.revoked = true;
        n++;
      }
    }
    return n;
  }

  /** Every token issued so far, oldest first. */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  /** Every token issued so far expires now (fault injection). */
  expireAll(): void {
    const now = this.nowMs();
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  /** Every token issued so far is revoked (fault injection). */
  revokeAll(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }
}
