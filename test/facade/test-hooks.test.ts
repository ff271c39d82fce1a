/**
 * Test hooks stay off the production face: the in-process emulator (fault switches included) is
 * reached through `kiwoom-compat/emulator`'s emulatorOf, not through APIServer, and the scripted
 * consumer is not exported by the package.
 */
import { expect, test } from 'vitest';
import * as pkg from '../../src/index.js';
import { emulatorOf } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import { openBackend } from './helpers.js';

test('APIServer has no emulator property; emulatorOf finds the one api_init started, and none on a Kiwoom backend', async () => {
  const api = new APIServer();
  expect(emulatorOf(api)).toBeUndefined();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'silent' });
  try {
    expect('emulator' in api).toBe(false);
    const emu = emulatorOf(api);
    expect(emu?.faults.dropWebSockets).toBeTypeOf('function');
    expect(await api.CommConnect()).toBe(0);
    // The handle is the emulator this APIServer talks to: its ledger sees this login's token.
    expect(emu?.issuedTokens().length).toBe(1);
  } finally {
    await api.cleanup();
  }
  const mock = await openBackend('mock-domain');
  try {
    expect(emulatorOf(mock.api)).toBeUndefined();
  } finally {
    await mock.close();
  }
});

test('re-running api_init with use_rest true forgets the emulator of the run before', async () => {
  const api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'silent' });
  expect(emulatorOf(api)).toBeDefined();
  await api.api_init({ sim_no: 1, use_rest: true, appkey: 'k'.repeat(20), secretkey: 's'.repeat(20), log_level: 'silent', endpoints: { rest: 'http://127.0.0.1:9', ws: 'ws://127.0.0.1:9' } });
  try {
    expect(emulatorOf(api)).toBeUndefined();
  } finally {
    await api.cleanup();
  }
});

test('the package entry exports neither the scripted consumer nor emulator hooks', () => {
  const names = Object.keys(pkg);
  expect(names).toContain('APIServer');
  for (const hook of ['runLegacyConsumer', 'normaliseEvent', 'emulatorOf', 'startEmulator']) expect(names).not.toContain(hook);
});
