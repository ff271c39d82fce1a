/**
 * Fixed texts and frame shapes of Kiwoom's WebSocket protocol (REFERENCE §6-7, websocket.json,
 * and the live codes of compat/live.json).
 */
import type { LiveCode } from '../../compat/live.js';

export const WS_PATH = '/api/dostk/websocket';

/** SYSTEM notices the server sends before closing a socket. */
export const SYSTEM = {
  duplicateSession: { code: 'R10001', message: '동일한 App key로 접속이 되었습니다. 기존 세션은 종료가 됩니다' },
  heartbeatMissing: {
    code: 'R10002',
    message: '사용자 프로그램으로부터 Heartbeat(연결유지) 메시지가 오지않아서 접속을 종료합니다',
  },
  noLogin: { code: 'R10004', message: '접속허용요청(토큰)이 들어오지 않았습니다' },
} as const;

export type SystemNotice = (typeof SYSTEM)[keyof typeof SYSTEM];

export function systemFrame(notice: SystemNotice): string {
  return JSON.stringify({ trnm: 'SYSTEM', code: notice.code, message: notice.message });
}

export const LOGIN_OK = JSON.stringify({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' });

export const LOGIN_FAILED = JSON.stringify({
  trnm: 'LOGIN',
  return_code: 805004,
  return_msg: '토큰 인증에 실패했습니다. 접속을 종료합니다 [CODE=8005, MESSAGE=Token이 유효하지 않습니다]',
});

export const PING = JSON.stringify({ trnm: 'PING' });

/**
 * `{"trnm":..,"return_code":0|1,"return_msg":..}` plus extra fields. Malformed requests get
 * return_code 1 (no live recording shows another code for them).
 */
export function reply(trnm: string, error: string | undefined, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ trnm, ...extra, return_code: error === undefined ? 0 : 1, return_msg: error ?? '' });
}

/** A refusal with one of the live 6-digit codes (compat/live.json): `{"trnm","return_code","return_msg"}`. */
export function refusal(trnm: string, code: LiveCode): string {
  return JSON.stringify({ trnm, return_code: code.rc, return_msg: code.message });
}

/** One REAL entry as JSON text, for {@link realFrame}. */
export function realEntry(type: string, name: string, item: string, valuesJson: string): string {
  return `{"type":${JSON.stringify(type)},"name":${JSON.stringify(name)},"item":${JSON.stringify(item)},"values":${valuesJson}}`;
}

/** Counts a frame of one entry (order, balance and condition events go out one at a time). */
export function countFrame(stats: { realFrames: number; realEntries: number }): void {
  stats.realFrames++;
  stats.realEntries++;
}

export function realFrame(entriesJson: string): string {
  return `{"trnm":"REAL","data":[${entriesJson}]}`;
}
