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

/** One bad frame of every kind the session tells apart. */
const BAD: Record<string, () => void> = {
  'non-json': () => fake.push('garbage <html>'),
  truncated: () => fake.push(full.slice(0, 1 + Math.floor(Math.random() * (full.length - 2)))),
  'not-object': () => fake.push('42'),
  'no-trnm': () => fake.push('{"data":[]}'),
  'unknown-trnm': () => fake.push('{"trnm":"CNSSRH"}'),
  'bad-real': () => fake.push('{"trnm":"REAL","data":[{"type":"0B","item":5,"values":"x"}]}'),
  'bad-condition': () => fake.push('{"trnm":"REAL","data":[{"type":"02","item":"005930","values":{"9001":"005930"}}]}'),
  'unexpected-reply': () => fake.push('{"trnm":"REG","return_code":0,"return_msg":""}'),
  binary: () => fake.last().ws.send(Buffer.from([1, 2, 3]), { binary: true }),
};

describe('bad frames', () => {
  it('survives 1,200 garbled and truncated frames, counts them per kind and logs each kind once', async () => {
    let real = 0;
    rt.on('real', () => real++);
    const kinds = Object.keys(BAD);
    for (let i = 0; i < 1_200; i++) BAD[kinds[i % kinds.length] as string]?.();
    fake.push(full);
    await fake.waitFor(() => real === 1);
    const { badFrames } = rt.stats();
    const perKind = 1_200 / kinds.length;
    expect(badFrames).toEqual(Object.fromEntries(kinds.map((k) => [k, Math.floor(perKind) + (kinds.indexOf(k) < 1_200 % kinds.length ? 1 : 0)])));
    const warnings = logLines.filter((l) => l.includes('malformed WebSocket frame'));
    expect(warnings.map((l) => (JSON.parse(l) as { kind: string }).kind).sort()).toEqual([...kinds].sort());
    // still a working session
    expect(rt.state).toBe('open');
    await rt.register('1', ['005930'], ['0B']);
    fake.push(full);
    await fake.waitFor(() => real === 2);
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
