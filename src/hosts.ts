/** Kiwoom's hosts, per domain: one table for the REST client, the WebSocket session and the facade. */
export const KIWOOM_HOSTS = {
  prod: { rest: 'https://api.kiwoom.com', ws: 'wss://api.kiwoom.com:10000' },
  mock: { rest: 'https://mockapi.kiwoom.com', ws: 'wss://mockapi.kiwoom.com:10000' },
} as const;

/** `'prod'` for sim_no 0, `'mock'` for the paper-trading sim_no 1..3. */
export function domainOf(simNo: number): keyof typeof KIWOOM_HOSTS {
  return simNo === 0 ? 'prod' : 'mock';
}

/** Whether a host name is one of Kiwoom's (not the emulator or a proxy). */
export function isKiwoomHost(hostname: string): boolean {
  return Object.values(KIWOOM_HOSTS).some((h) => new URL(h.rest).hostname === hostname);
}

/** Whether an address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
