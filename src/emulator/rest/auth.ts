/**
 * au10001 `/oauth2/token` and au10002 `/oauth2/revoke`.
 */
import type { TokenStore } from '../state/tokens.js';
import { kstDateTime } from '../state/clock.js';
import { ApiReject, okEnvelope, type Envelope } from './envelope.js';

/** What the token endpoints check against. */
export interface AuthDeps {
  appkey: string;
  secretkey: string;
  account: string;
  tokens: TokenStore;
  nowMs: () => number;
  onIssued: () => void;
}

const field = (body: Record<string, unknown>, key: string): string =>
  typeof body[key] === 'string' ? (body[key] as string) : '';

function checkKeys(deps: AuthDeps, body: Record<string, unknown>): void {
  const appkey = field(body, 'appkey');
  const secretkey = field(body, 'secretkey');
  if (appkey === '' || secretkey === '') throw new ApiReject('8020');
  if (appkey !== deps.appkey || secretkey !== deps.secretkey) throw new ApiReject('8001');
}

/** au10001: a Bearer token with `expires_dt` in Korea time. */
export function issueToken(deps: AuthDeps, body: Record<string, unknown>): Envelope {
  const grant = field(body, 'grant_type');
  if (grant === '') throw new ApiReject('8011');
  if (grant !== 'client_credentials') throw new ApiReject('8012');
  checkKeys(deps, body);
  const { token, expiresAt } = deps.tokens.issue(deps.appkey, deps.account);
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
