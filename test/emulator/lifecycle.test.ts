import { expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { issueToken, call } from './helpers.js';

/** Resource kinds an emulator opens: servers, sockets, timers. */
const counted = (): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout') out[r] = (out[r] ?? 0) + 1;
  }
  return out;
};

test('starting and closing 50 emulators, each served a keep-alive request, leaks no server, socket or timer', async () => {
  const before = counted();
  for (let i = 0; i < 50; i++) {
    const emu = await startEmulator({ seed: i, marketTicksPerSecond: 20 });
    const token = await issueToken(emu);
    expect((await call(emu, token, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(0);
    await emu.close();
    await emu.close(); // idempotent
    await expect(fetch(`${emu.restUrl}/oauth2/token`, { method: 'POST' })).rejects.toThrow();
  }
  // Give the client side's sockets a turn to finish closing.
  await new Promise((r) => setTimeout(r, 50));
  const after = counted();
  expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0);
  expect(after.Timeout ?? 0).toBeLessThanOrEqual((before.Timeout ?? 0) + 1);
  expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.TCPSocketWrap ?? 0);
});

test('a port already in use rejects startEmulator and leaves nothing running', async () => {
  const first = await startEmulator({ marketTicksPerSecond: 0 });
  const port = Number(new URL(first.restUrl).port);
  const before = counted();
  await expect(startEmulator({ port, marketTicksPerSecond: 0 })).rejects.toThrow(/EADDRINUSE/);
  // Node releases a failed listener's handle a moment after the error.
  for (let i = 0; i < 100 && (counted().TCPServerWrap ?? 0) > (before.TCPServerWrap ?? 0); i++) await new Promise((r) => setTimeout(r, 10));
  const after = counted();
  expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0);
  expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
  // A timer of the first emulator's (or of the test before) may have ended meanwhile: fewer is no leak.
  expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
  await first.close();
});
