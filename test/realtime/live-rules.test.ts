/**
 * The live servers' WebSocket rules (compat/live.json; LIVE.md rows 1-5) as RealtimeSession
 * meets them on the emulator, which enforces them: the REG rate, the 200-item caps, LOGIN
 * first in every path, 6-digit refusal codes, and REAL frames of several entries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ApiError, CapacityError, RateLimitError } from '../../src/errors.js';
import { RealtimeSession, type RealEvent } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';

let emu: Emulator;
let rest: KiwoomRest;
let rt: RealtimeSession;

beforeEach(async () => {
  emu = await startEmulator({ seed: 5, realRate: 0 });
  rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
});
afterEach(async () => {
  await rt?.close();
  await rest.close();
  await emu.close();
});

function session(extra: Partial<ConstructorParameters<typeof RealtimeSession>[0]> = {}): RealtimeSession {
  rt = new RealtimeSession({ rest, reconnect: { initialDelayMs: 5, maxDelayMs: 20 }, ...extra });
  return rt;
}

async function until(pred: () => boolean, what: string, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const codes = (n: number, from = 0): string[] => emu.state.master.slice(from, from + n).map((s) => s.code);
const heldItems = (): number =>
  new Set(Object.values(emu.wsHeld()[0]?.groups ?? {}).flat().map((k) => k.split('|')[1]).filter((i) => i !== '')).size;

describe('the REG rate (5 per second per connection, rc 105110)', () => {
  it('paces eight groups asked at once, and their restore after a drop: none refused, all held', async () => {
    await session().connect();
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => rt.register(String(i + 1), codes(3, i * 3), ['0B'])));
    // 8 REGs at 5 per 1.1 s: the last three wait for the second window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Object.keys(emu.wsHeld()[0]!.groups)).toHaveLength(8);

    emu.faults.dropWebSockets();
    await until(() => rt.stats().reconnects === 1 && Object.keys(emu.wsHeld()[0]?.groups ?? {}).length === 8, 'the restore');
    expect(emu.stats().wsRefusals).toEqual({});
    expect(rt.stats().rateRefusals).toBe(0);
  });

  it('a REG the server refuses for the rate anyway is sent again, not lost', async () => {
    // Pacing off (100/s): the server's 105110 is the only brake left.
    await session({ regPerSecond: 100 }).connect();
    await Promise.all(Array.from({ length: 7 }, (_, i) => rt.register(String(i + 1), codes(1, i), ['0B'])));
    expect(emu.stats().wsRefusals['105110']).toBeGreaterThan(0);
    expect(rt.stats().rateRefusals).toBe(emu.stats().wsRefusals['105110']);
    expect(Object.keys(emu.wsHeld()[0]!.groups)).toHaveLength(7);
  });
});

describe('the item caps (200 per connection whatever the types, 200 per group)', () => {
  it('refuses the 201st item before sending, with a CapacityError naming the cap; what was wanted stays', async () => {
    await session().connect();
    await rt.register('1', codes(150), ['0B', '0D']);
    await rt.register('0', [''], ['00', '04']);
    await rt.register('2', codes(50, 150), ['0B']);
    expect(heldItems()).toBe(200);
    const before = rt.subscriptions();
    const regsBefore = emu.stats().wsRefusals;

    const over = await rt.register('3', codes(1, 200), ['0B']).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(CapacityError);
    expect(over).toMatchObject({ code: 105115, limit: 200 });
    expect((over as Error).message).toMatch(/201 items.*allow 200 per WebSocket connection.*105115/);

    const group = await rt.register('2', codes(201, 0), ['0B']).catch((e: unknown) => e);
    expect(group).toMatchObject({ name: 'CapacityError', code: 105118 });

    expect(rt.subscriptions()).toEqual(before);
    expect(emu.stats().wsRefusals).toEqual(regsBefore);
    // Replacing a group counts what it will hold.
    await rt.register('2', codes(50, 300), ['0B'], false);
    expect(heldItems()).toBe(200);
  });

  it('a cap the server enforces below the session\'s arrives as a 6-digit ApiError, and the pairs stop being wanted', async () => {
    await session({ itemCaps: { perConnection: 1_000, perGroup: 1_000 } }).connect();
    await rt.register('1', codes(200), ['0B']);
    const refused = await rt.register('2', codes(1, 200), ['0B']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).not.toBeInstanceOf(RateLimitError);
    expect(refused).toMatchObject({ code: 105115, returnCode: 105115 });
    expect(rt.subscriptions()['2']).toBeUndefined();
  });
});

describe('LOGIN first, in every path', () => {
  it('sends nothing but LOGIN before the LOGIN answer on connect, reconnect and a refused token', async () => {
    session();
    // Wanted before connect: sent by connect, right after the answer.
    await rt.register('1', codes(2), ['0B']);
    await rt.connect();
    emu.faults.dropWebSockets();
    await until(() => rt.stats().reconnects === 1 && emu.wsHeld().length === 1, 'the reconnect');
    // The token is revoked: LOGIN is refused, a fresh token is issued, LOGIN again.
    const tokens = emu.stats().tokensIssued;
    emu.faults.revokeTokens();
    emu.faults.dropWebSockets();
    await until(() => rt.stats().reconnects === 2 && emu.stats().tokensIssued > tokens && emu.wsHeld().length === 1, 'the re-login');
    await rt.register('2', codes(2, 2), ['0B']);
    expect(emu.stats().wsRefusals['100013']).toBeUndefined();
    expect(Object.keys(emu.wsHeld()[0]!.groups).sort()).toEqual(['1', '2']);
  });
});

describe('REAL frames of several entries (LIVE.md row 1)', () => {
  it('delivers every entry of every frame, as the emulator batches 1 to 3 of them', async () => {
    const seen: RealEvent[] = [];
    session().on('real', (e) => seen.push(e));
    await rt.connect();
    await rt.register('1', codes(3), ['0B']);
    const before = emu.stats();
    emu.setRate(1_500);
    await until(() => emu.stats().realEntries - before.realEntries >= 600, 'a stream');
    emu.setRate(0);
    await new Promise((r) => setTimeout(r, 100));
    const s = emu.stats();
    const frames = s.realFrames - before.realFrames;
    const entries = s.realEntries - before.realEntries;
    expect(entries).toBeGreaterThan(frames * 1.5);
    await until(() => seen.length === entries, 'every entry');
    expect(rt.stats().unregistered).toBe(0);
  });
});
