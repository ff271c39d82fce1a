/**
 * au10001 `/oauth2/token` and au10002 `/oauth2/revoke`: the protocol's token endpoints, for
 * whoever issues tokens (the emulator for its demo key, the gateway for its clients' keys).
 */
import type { TokenStore } from '../state/tokens.js';
import { kstDateTime } from '../state/clock.js';
import { ApiReject, okEnvelope, rejectEnvelope, type Envelope } from './envelope.js';

/** What the token endpoints check against. */
export interface AuthDeps {
  /** The account a key pair's tokens belong to, or undefined when the pair is not known (8001). */
  accountOf: (appkey: string, secretkey: string) => string | undefined;
  tokens: TokenStore;
  onIssued: () => void;
}

const field = (body: Record<string, unknown>, key: string): string =>
  typeof body[key] === 'string' ? (body[key] as string) : '';

function checkKeys(deps: AuthDeps, body: Record<string, unknown>): { appkey: string; account: string } {
  const appkey = field(body, 'appkey');
  const secretkey = field(body, 'secretkey');
  if (appkey === '' || secretkey === '') throw new ApiReject('8020');
  const account = deps.accountOf(appkey, secretkey);
  if (account === undefined) throw new ApiReject('8001');
  return { appkey, account };
}

/** au10001: a Bearer token with `expires_dt` in Korea time. */
export function issueToken(deps: AuthDeps, body: Record<string, unknown>): Envelope {
  const grant = field(body, 'grant_type');
  if (grant === '') throw new ApiReject('8011');
  if (grant !== 'client_credentials') throw new ApiReject('8012');
  const { appkey, account } = checkKeys(deps, body);
  const { token, expiresAt } = deps.tokens.issue(appkey, account);
  deps.onIssued();
  return okEnvelope({ expires_dt: kstDateTime(expiresAt), token_type: 'Bearer', token });
}

/** au10002: revokes the given token. */
export function revokeToken(deps: AuthDeps, body: Record<string, unknown>): Envelope {
  checkKeys(deps, body);
  const token = field(body, 'token');
  if (token === '') throw new ApiReject('8016');
  if (!deps.tokens.revoke(token)) throw new ApiReject('8015', ['발급되지 않은 토큰']);
  return okEnvelope({});
}

/** Answers `/oauth2/token` or `/oauth2/revoke`; every refusal is its documented envelope. */
export function answerAuth(deps: AuthDeps, path: '/oauth2/token' | '/oauth2/revoke', body: unknown): Envelope {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  try {
    return path === '/oauth2/token' ? issueToken(deps, b) : revokeToken(deps, b);
  } catch (err) {
    if (err instanceof ApiReject) return rejectEnvelope(err);
    throw err;
  }
}
