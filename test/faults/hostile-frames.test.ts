/**
 * A hostile or broken server (issue 10 §2): REAL frames for items nothing registered must not
 * reach the program nor grow any store (dropped, counted in stats().unregistered), and a frame
 * past maxPayloadBytes closes the socket (counted as 'too-large') instead of being buffered;
 * the session then reconnects and keeps what it registered.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { RealtimeSession, type RealEvent } from '../../src/realtime/index.js';
import { fakeTokens, REAL_0B, startFake, type FakeKiwoom } from '../realtime/fake-kiwoom.js';
import { recordFigures } from './harness.js';

let fake: FakeKiwoom;
let rt: RealtimeSession | undefined;
const figures: Record<string, number> = {};

beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await rt?.close();
  rt = undefined;
  await fake.close();
});

test('10,000 REAL frames for unregistered items: none delivered, all counted; registered ones still arrive', async () => {
  const events: RealEvent[] = [];
  rt = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, reconnect: { initialDelayMs: 5 } });
  rt.on('real', (e) => events.push(e));
  await rt.connect();
  await rt.register('1', ['005930'], ['0B']);
  for (let i = 0; i < 10_000; i++) fake.push(REAL_0B(String(100_000 + i), '+1000'));
  fake.push(REAL_0B('005930', '+71200'));
  await fake.waitFor(() => events.length === 1 && rt!.stats().unregistered === 10_000, 10_000);
  expect(events.map((e) => e.item)).toEqual(['005930']);
  expect(rt.stats().unregistered).toBe(10_000);
  figures['unregisteredDropped'] = rt.stats().unregistered;
});

test('a 2 MiB frame closes the socket (1 MiB cap), is counted, and the session comes back with its registrations', async () => {
  rt = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, reconnect: { initialDelayMs: 5 }, maxPayloadBytes: 1 << 20 });
  const events: RealEvent[] = [];
  rt.on('real', (e) => events.push(e));
  await rt.connect();
  await rt.register('1', ['005930'], ['0B']);
  const first = fake.last();
  fake.push(`{"trnm":"REAL","data":[{"type":"0B","name":"주식체결","item":"005930","values":{"10":"${'9'.repeat(2 << 20)}"}}]}`);
  await fake.waitFor(() => first.closed && fake.live().length === 1 && fake.last() !== first && (fake.last().regs.get('1')?.has('005930') ?? false), 10_000);
  expect(rt.stats().badFrames['too-large']).toBe(1);
  expect(events).toHaveLength(0);
  fake.push(REAL_0B('005930', '+71200'));
  await fake.waitFor(() => events.length === 1);
  expect(rt.stats().reconnects).toBe(1);
  figures['oversizedClosed'] = rt.stats().badFrames['too-large'] ?? 0;
});

test('figures', () => {
  recordFigures('hostile-frames', figures);
});
