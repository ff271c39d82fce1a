/**
 * Several processes sharing one token cache file (the CLI, the bridge, a program, started
 * together) issue one token per host between them: the cache is read and written under a lock,
 * so the second process finds the first one's token instead of asking for its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { LONG, recordFigures } from './harness.js';

const PROCESSES = 8;
const ROUNDS = LONG ? 10 : 1;

/** One process: a client on the shared cache file asks for a token and prints it. */
const CHILD = `
const { KiwoomRest } = await import(process.argv[1]);
const [baseUrl, appkey, secretkey, cache] = process.argv.slice(2);
const rest = new KiwoomRest({ appkey, secretkey, simNo: 1, baseUrl, tokenCachePath: cache });
process.stdout.write((await rest.token()).length > 0 ? 'ok' : 'none');
await rest.close();
`;

let emu: Emulator;
const dist = new URL('../../dist/rest/index.js', import.meta.url);

beforeAll(async () => {
  emu = await startEmulator({ mode: 'mock', seed: 5, realRate: 0 });
});
afterAll(async () => {
  await emu?.close();
});

function runProcess(cache: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, dist.href, emu.restUrl, emu.appkey, emu.secretkey, cache], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${String(code)}`))));
  });
}

describe('a token cache shared by several processes', () => {
  test(`${PROCESSES} processes started together issue one token between them`, async () => {
    expect(existsSync(dist), 'run `npm run build` first').toBe(true);
    const perRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const cache = join(mkdtempSync(join(tmpdir(), 'kc-cache-')), 'tokens.json');
      const before = emu.issuedTokens().length;
      const outs = await Promise.all(Array.from({ length: PROCESSES }, () => runProcess(cache)));
      expect(outs).toEqual(Array(PROCESSES).fill('ok'));
      perRound.push(emu.issuedTokens().length - before);
    }
    recordFigures('token-cache', { tokenCacheRounds: ROUNDS, tokenCacheProcesses: PROCESSES * ROUNDS, tokenCacheTokensIssued: perRound.reduce((a, b) => a + b, 0) });
    expect(perRound).toEqual(Array(ROUNDS).fill(1));
  }, LONG ? 600_000 : 60_000);
});
