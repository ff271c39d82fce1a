/** Where the WebSocket lives for a given REST client and options. */
import { KIWOOM_HOSTS, domainOf, isKiwoomHost } from '../hosts.js';
import type { TokenSource } from './types.js';

/** Path of every Kiwoom WebSocket item. */
export const WS_PATH = '/api/dostk/websocket';


/**
 * The full WebSocket URL. An explicit `wsUrl` wins; a REST base URL that is not Kiwoom's
 * (the emulator, a proxy) serves the WebSocket on the same host and port; otherwise simNo
 * picks production (0) or the mock domain (1..3).
 */
export function resolveWsUrl(rest: Pick<TokenSource, 'simNo' | 'baseUrl'>, wsUrl?: string): string {
  let base = wsUrl;
  if (base === undefined && rest.baseUrl !== undefined) {
    const u = new URL(rest.baseUrl);
    if (!isKiwoomHost(u.hostname)) base = `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
  }
  base ??= KIWOOM_HOSTS[domainOf(rest.simNo)].ws;
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(WS_PATH) ? trimmed : trimmed + WS_PATH;
}
