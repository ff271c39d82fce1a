import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealtimeSession } from '../../src/realtime/index.js';
import { fakeTokens, REAL_0B, startFake, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession;
let logLines: string[];

beforeEach(async () => {
  fake = await startFake();
  logLines = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  rt = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, logger, reconnect: { initialDelayMs: 5 } });
  await rt.connect();
});
afterEach(async () => {
  await rt.close();
  await fake.close();
});

const full = JSON.stringify(REAL_0B('005930', '+100'));

/** Makers of bad frames, with the kind each is counted as. */
const BAD: [kind: string, send: () => void][] = [
  ['non-json', () => fake.push('garbage <html>')],
  ['non-json', () => fake.last().ws.send(Buffer.from([0xff, 0x00, 0x7b]), { binary: true })],
  ['truncated', () => fake.push(full.slice(0, 1 + Math.floor(Math.random() * (full.length - 2))))],
  ['not-object', () => fake.push('42')],
  ['no-trnm', () => fake.push('{"data":[]}')],
  ['unknown-trnm', () => fake.push('{"trnm":"CNSSRH"}')],
  ['bad-real', () => fake.push('{"trnm":"REAL","data":[{"type":"0B","item":5,"values":"x"}]}')],
  ['bad-real', () => fake.push('{"trnm":"REAL","data":{"type":"0B"}}')],
  ['bad-condition', () => fake.push('{"trnm":"REAL","data":[{"type":"02","item":"005930","values":{"9001":"005930"}}]}')],
  ['unexpected-reply', () => fake.push('{"trnm":"REG","return_code":0,"return_msg":""}')],
];

describe('bad frames', () => {
  it('survives 1,200 garbled and truncated frames, counts them per kind and logs each kind once', async () => {
    await rt.register('1', ['005930'], ['0B']);
    let real = 0;
    rt.on('real', () => real++);
    const expected: Record<string, number> = {};
    for (let i = 0; i < 1_200; i++) {
      const [kind, send] = BAD[i % BAD.length] as [string, () => void];
      send();
      expected[kind] = (expected[kind] ?? 0) + 1;
    }
    fake.push(full);
    fake.last().ws.send(Buffer.from(full), { binary: true }); // a good frame in a binary WebSocket frame is read too
    await fake.waitFor(() => real === 2);
    expect(rt.stats().badFrames).toEqual(expected);
    const warnings = logLines.filter((l) => l.includes('malformed WebSocket frame'));
    expect(warnings.map((l) => (JSON.parse(l) as { kind: string }).kind).sort()).toEqual(Object.keys(expected).sort());
    // still a working session
    expect(rt.state).toBe('open');
    await rt.register('1', ['000660'], ['0B']);
    fake.push(full);
    await fake.waitFor(() => real === 3);
  });

  it('never writes the token to the log, even when LOGIN is refused and retried', async () => {
    fake.validTokens.clear();
    fake.validTokens.add('tok-fresh-SECRET');
    const tokens = fakeTokens(['tok-1', 'tok-fresh-SECRET']);
    await rt.close();
    const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
    rt = new RealtimeSession({ rest: tokens, wsUrl: fake.wsUrl, logger, reconnect: { initialDelayMs: 5 } });
    await rt.connect();
    const back = new Promise((r) => rt.once('reconnected', r));
    fake.drop();
    await back;
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/tok-/);
  });
});
