/**
 * REMOVE acks that never come (LIVE.md row 28: in a prod incident REMOVE acks did not arrive
 * within 10 s, cause unknown), with the emulator's withholdRemoveAcks fault. The session waits
 * for an ack at most `requestTimeoutMs`, then retires the socket (the server's replies carry no
 * id, so a late ack would pair with the next REMOVE) and restores what is wanted on a new one:
 * the caller's remove() resolves once a connection holds exactly what is wanted, the other
 * groups keep streaming, and the REG pacer has no slot left waiting for the lost ack.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';

const ACK_WAIT_MS = 300;

let emu: Emulator;
let rest: KiwoomRest;
let rt: RealtimeSession;

beforeEach(async () => {
  emu = await startEmulator({ seed: 5, realRate: 200, websocket: { loginDelayMs: 0 } });
  rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
  rt = new RealtimeSession({ rest, requestTimeoutMs: ACK_WAIT_MS, reconnect: { initialDelayMs: 5, maxDelayMs: 20 } });
  await rt.connect();
});
afterEach(async () => {
  await rt.close();
  await rest.close();
  await emu.close();
});

const codes = (n: number, from = 0): string[] => emu.state.master.slice(from, from + n).map((s) => s.code);
const heldGroups = (): string[] => Object.keys(emu.wsHeld()[0]?.groups ?? {}).sort();

async function timed(step: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await step();
  return Date.now() - started;
}

async function until(pred: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('remove() whose ack never comes resolves within the ack wait and a restore; the other groups stay held and stream', async () => {
  await rt.register('1', codes(2), ['0B']);
  await rt.register('2', codes(2, 2), ['0B']);
  emu.faults.withholdRemoveAcks();

  const took = await timed(() => rt.remove('1'));
  expect(took).toBeGreaterThanOrEqual(ACK_WAIT_MS);
  expect(took).toBeLessThan(ACK_WAIT_MS + 2_000);
  expect(heldGroups()).toEqual(['2']);
  expect(rt.subscriptions()).toEqual({ '2': Object.fromEntries(codes(2, 2).map((c) => [c, ['0B']])) });
  expect(rt.stats().reconnects).toBe(1);

  const ticks: string[] = [];
  rt.on('real', (e) => ticks.push(e.item));
  await until(() => ticks.length >= 5, 'ticks of group 2 after the lost ack');
  expect(new Set(ticks)).toEqual(new Set(codes(2, 2)));
});

it('five REMOVEs left unanswered at once leak no pacer slot: the restore and a REG right after go out at once', async () => {
  // Five type sets in one group: removing it sends five REMOVEs together, one per pacer slot.
  const types = ['0B', '0C', '0D', '0E', '0F'];
  for (const [i, type] of types.entries()) await rt.register('1', codes(1, i), [type]);
  await rt.register('2', codes(1, 10), ['0B']);
  emu.faults.withholdRemoveAcks();
  const took = await timed(() => rt.remove('1'));
  expect(took).toBeLessThan(ACK_WAIT_MS + 2_000);
  expect(heldGroups()).toEqual(['2']);

  emu.faults.withholdRemoveAcks(0);
  const reg = await timed(() => rt.register('3', codes(1, 11), ['0B']));
  expect(reg).toBeLessThan(ACK_WAIT_MS);
  expect(heldGroups()).toEqual(['2', '3']);
});

it('a replacing register (refresh false) whose REMOVE is never acked still ends with exactly the new items', async () => {
  await rt.register('1', codes(3), ['0B']);
  emu.faults.withholdRemoveAcks();
  const took = await timed(() => rt.register('1', codes(2, 5), ['0B'], false));
  expect(took).toBeLessThan(ACK_WAIT_MS + 2_000);
  expect(emu.wsHeld()[0]!.groups['1']).toEqual(codes(2, 5).map((c) => `0B|${c}`).sort());
});
