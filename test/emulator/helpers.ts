/**
 * Plain-fetch helpers for the emulator tests (the REST client is tested elsewhere).
 */
import type { Emulator } from '../../src/emulator/index.js';
import { getApi } from '../../src/registry/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { return_code: number; return_msg: string };
}

/** POSTs JSON to the emulator. */
export async function post(emu: Emulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(emu.restUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** Issues a token with the emulator's demo keys. */
export async function issueToken(emu: Emulator): Promise<string> {
  const a = await post(emu, '/oauth2/token', { grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey });
  if (a.body.return_code !== 0) throw new Error(a.body.return_msg);
  return a.body.token as string;
}

/** Calls a TR on its documented path. */
export function call(
  emu: Emulator,
  token: string,
  apiId: string,
  body: Record<string, unknown>,
  extra: Record<string, string> = {},
): Promise<Answer> {
  const api = getApi(apiId);
  if (!api) throw new Error(`unknown api ${apiId}`);
  return post(emu, api.path, body, { 'api-id': apiId, authorization: `Bearer ${token}`, ...extra });
}
