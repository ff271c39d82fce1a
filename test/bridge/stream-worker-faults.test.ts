/**
 * `bridge --stdio` with its stream worker (KIWOOM_BRIDGE_WORKER=1) when things go wrong, as a
 * user of the Python side sees it: the reader closing stdout ends the bridge quietly with 0 (as
 * without the worker); quotes keep coming after the session loses its socket (dropped by the
 * server, terminated by the heartbeat, closed by ws for a frame past maxPayloadBytes: 1009),
 * since the session's sockets live in the worker; nothing the server sends on a socket the
 * session let go is written; a worker that dies is reported and the bridge exits 1, not hanging.
 *
 * The emulator runs in this process (the bridge reaches it as `use_rest` with its endpoints),
 * so that its faults can be switched on.
 */
import { closeSync, openSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { sleep, startBridge, until, type BridgeProcess } from './bridge-process.js';

let emu: Emulator | undefined;
let bridge: BridgeProcess | undefined;

afterEach(async () => {
  if (bridge !== undefined && bridge.child.exitCode === null && bridge.child.signalCode === null) {
    bridge.child.stdin.end();
    await bridge.exit();
  }
  bridge = undefined;
  await emu?.close();
  emu = undefined;
});

const CODES = ['005930', '000660', '035720', '005380', '035420'];

/** A bridge with the worker on `emu` (its WebSocket at `wsUrl`), logged in, 0B registered for CODES, quotes flowing. */
async function streamingBridge(e: Emulator, realtime: Record<string, unknown> = {}, wsUrl = e.wsUrl): Promise<BridgeProcess> {
  const b = startBridge(true);
  bridge = b;
  const init = await b.call('api_init', {
    sim_no: 1,
    use_rest: true,
    appkey: e.appkey,
    secretkey: e.secretkey,
    endpoints: { rest: e.restUrl, ws: wsUrl },
    log_level: 'warn',
    rest: { limits: { mockQuery: 20 } },
    realtime: { reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...realtime },
  });
  expect(init).toBeNull();
  expect(await b.call('CommConnect', true)).toBe(0);
  expect(await b.call('SetRealReg', '1000', CODES.join(';'), '10', '0')).toBe(0);
  expect(await until(() => b.quotes().length >= 50), `no quotes: ${b.stderr()}`).toBe(true);
  return b;
}

/** Quotes keep coming: `more` quotes after now, from the emulator's `logins`-th WebSocket login on. */
async function expectQuotesAfterLogin(b: BridgeProcess, e: Emulator, logins: number): Promise<void> {
  expect(await until(() => e.stats().wsLogins >= logins), `the session did not log in again: ${b.stderr()}`).toBe(true);
  // What was read by now may be the old socket's; 100 more come only from the new one.
  await sleep(100);
  const at = b.quotes().length;
  expect(await until(() => b.quotes().length >= at + 100), `quotes stopped after the reconnect: ${b.stderr()}`).toBe(true);
  expect(e.stats().wsSessions).toBe(1);
  expect(await b.call('GetConnectState')).toBe(1);
}

describe('the stream worker when things go wrong', () => {
  it.each([
    ['with the worker', true],
    ['without it (the shipped path)', false],
  ])('ends quietly with 0 when the reader closes stdout mid-stream, %s', async (_name, worker) => {
    const b = startBridge(worker);
    bridge = b;
    await b.call('api_init', { sim_no: 1, use_rest: false, log_level: 'silent', emulator: { realRate: 2_000 } });
    expect(await b.call('CommConnect', true)).toBe(0);
    expect(await b.call('SetRealReg', '1000', CODES.join(';'), '10', '0')).toBe(0);
    expect(await until(() => b.quotes().length >= 50)).toBe(true);
    b.child.stdout!.destroy(); // what a reader that exits does to the bridge's pipe
    const code = await b.exit();
    expect(b.stderr()).not.toMatch(/stream worker|EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 20_000);

  it('keeps streaming quotes after the server drops the WebSocket: the session reconnects through the worker', async () => {
    emu = await startEmulator({ mode: 'mock', realRate: 2_000 });
    const b = await streamingBridge(emu);
    expect(emu.stats().wsLogins).toBe(1);
    emu.faults.dropWebSockets();
    await expectQuotesAfterLogin(b, emu, 2);
  }, 20_000);

  it('keeps streaming after its heartbeat terminates a socket gone silent (the emulator stalls)', async () => {
    emu = await startEmulator({ mode: 'mock', realRate: 2_000 });
    const b = await streamingBridge(emu, { pingIntervalMs: 100, heartbeatMisses: 2 });
    emu.faults.stall(600);
    // The heartbeat gives up after 200-300 ms of silence and terminates the socket; the new LOGIN is answered once the stall ends.
    await expectQuotesAfterLogin(b, emu, 2);
    expect(b.stderr()).toMatch(/no frame from the server; reconnecting/);
  }, 20_000);

  it('keeps streaming after a frame past maxPayloadBytes closes the socket (1009)', async () => {
    emu = await startEmulator({ mode: 'mock', realRate: 2_000 });
    // A REAL frame of 0B entries stays under 3,000 bytes; a condition search's answer (about 5,700) does not.
    const b = await streamingBridge(emu, { maxPayloadBytes: 3_000 });
    expect(await b.call('GetConditionLoad')).toBe(1);
    const [index = '', name = ''] = String(await b.call('GetConditionNameList')).split(';')[0]!.split('^');
    void b.call('SendCondition', '2000', name, Number(index), 0);
    await expectQuotesAfterLogin(b, emu, 2);
    // The worker's socket reported the frame (the session counted it) and the close ws made of it.
    expect(b.stderr()).toMatch(/"kind":"too-large".*\n.*WebSocket dropped; reconnecting/);
  }, 20_000);

  it("writes no quote the server sends on a socket the session let go (cleanup's closing handshake, its close frame held)", async () => {
    // No PING in the test's time: the only frame the client sends after the hold is its close.
    emu = await startEmulator({ mode: 'mock', realRate: 2_000, pingIntervalMs: 60_000 });
    const relay = await holdingRelay(Number(new URL(emu.wsUrl).port));
    try {
      const b = await streamingBridge(emu, {}, relay.url);
      // Quiet first (no quote read for 200 ms), so that any quote read from here on was sent after the session let go.
      emu.setRate(0);
      for (let n = -1; n !== b.quotes().length; await sleep(200)) n = b.quotes().length;
      const atCleanup = b.quotes().length;
      relay.holdClientBytes();
      const cleanup = b.call('cleanup');
      // The session's close frame reached the relay and stops there: the server goes on sending.
      expect(await until(() => relay.closeHeld())).toBe(true);
      const framesBefore = emu.stats().realFrames;
      emu.setRate(2_000);
      await cleanup;
      expect(emu.stats().realFrames - framesBefore, 'the server sent quotes after the close').toBeGreaterThan(20);
      expect(b.quotes().length).toBe(atCleanup);
    } finally {
      await relay.close();
    }
  }, 20_000);

  it.each([
    ['while it runs', false],
    ['while it writes the last output at stdin’s end', true],
  ])('a worker that dies (stdout is /dev/full) is reported and the bridge exits 1, %s', async (_name, endStdin) => {
    const fd = openSync('/dev/full', 'w');
    try {
      const b = startBridge(true, fd);
      bridge = b;
      void b.call('GetLoginInfo', 'USER_ID');
      if (endStdin) b.child.stdin.end();
      const code = await b.exit();
      expect(code, 'the bridge hung with a dead worker and was killed after 10 s').not.toBeNull();
      expect(code).toBe(1);
      expect(b.stderr()).toMatch(/bridge: stream worker failed: ENOSPC/);
      expect(b.stderr()).toMatch(/the stream worker ended \(exit code 1\); the bridge ends/);
    } finally {
      closeSync(fd);
    }
  }, 20_000);
});

/** A TCP relay in front of the emulator's WebSocket that can stop passing what the client sends (the server's bytes still pass). */
async function holdingRelay(port: number): Promise<{ url: string; holdClientBytes(): void; closeHeld(): boolean; close(): Promise<void> }> {
  let holding = false;
  let closeHeld = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    upstream.on('data', (chunk: Buffer) => void client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      // 0x88: a final close frame (the client's frames are masked, the opcode is plain).
      if (holding) closeHeld ||= chunk[0] === 0x88;
      else upstream.write(chunk);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdClientBytes: () => void (holding = true),
    closeHeld: () => closeHeld,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
