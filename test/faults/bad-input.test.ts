/**
 * Bad input of every kind (missing, null, wrong type, NaN, out of range, empty, oversized) to
 * every APIServer method that takes input, and to every CLI command: each answers with its OCX
 * return code, an empty value or a clear error, and nothing reaches the wire (the emulator's
 * request log, order ledger and WebSocket registrations do not change). test/facade/bad-input
 * checks the specific message of each refusal; this file sweeps the whole surface with junk.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { KiwoomError } from '../../src/errors.js';
import { OCX_API_METHODS } from '../../src/compat/ocx-api.js';
import { APIServer } from '../../src/facade/index.js';
import { captureLogs, countSecrets, echoSecrets, recordFigures, recordIssuedTokens, openEmulatedApi } from './harness.js';

const logs = captureLogs();
const tokens = recordIssuedTokens();

/** Argument vectors: every argument the same kind of junk. */
const JUNK: Array<[string, unknown]> = [
  ['missing', undefined],
  ['null', null],
  ['NaN', Number.NaN],
  ['negative', -1],
  ['huge number', 1e21],
  ['empty', ''],
  ['blank', '   '],
  ['oversized', '9'.repeat(10_000)],
  ['object', { code: '005930' }],
  ['array', ['005930']],
  ['boolean', true],
  ['unknown code', 'ZZZZZZ'],
];

let api: APIServer;
let emu: Emulator;
let CLI_CASES = 0;

beforeAll(async () => {
  ({ api, emu } = await openEmulatedApi(logs, tokens, { emulator: { seed: 5, realRate: 0 } }));
  expect(await api.CommConnect()).toBe(0);
});
afterAll(async () => {
  await api?.cleanup();
});

/** What is on the wire now. */
const wire = (): string =>
  JSON.stringify({ requests: emu.requestLog().length, orders: emu.orderLedger().length, held: emu.wsHeld() });

describe('every APIServer method with junk arguments', () => {
  const methods = Object.getOwnPropertyNames(APIServer.prototype).filter(
    (name) => /^[A-Z]/.test(name) && (APIServer.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!.length > 0,
  );

  test('the surface under test is the whole OCX surface that takes input', () => {
    const withInput = Object.entries(OCX_API_METHODS).filter(([, m]) => m.args.length > 0).map(([name]) => name);
    expect(methods.sort()).toEqual(withInput.sort());
  });

  /** Methods whose 0 means "nothing" rather than success: counts, and setters the OCX ignored. */
  const ZERO_IS_EMPTY = new Set(['SendCondition', 'GetRepeatCnt', 'GetDataCount', 'GetMasterListedStockCnt', 'SetOutputFID', 'SetInfoData']);

  test.each(JUNK)('%s: an OCX code, an empty value or a clear error; nothing on the wire', async (_kind, junk) => {
    const problems: string[] = [];
    for (const name of methods) {
      const fn = (api as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      const before = wire();
      let outcome: unknown;
      try {
        outcome = await fn.apply(api, Array.from({ length: 11 }, () => junk));
      } catch (error) {
        outcome = error;
      }
      const what = `${name}(${String(junk).slice(0, 20)})`;
      if (outcome instanceof Error) {
        // A clear error is a library error with a message, not a TypeError from deep inside.
        if (!(outcome instanceof KiwoomError)) problems.push(`${what} threw ${outcome.name}: ${outcome.message}`);
      } else if (typeof outcome === 'number') {
        // SendCondition answers 0 when refused (1 when sent), as the OCX does; counts are 0.
        const refused = ZERO_IS_EMPTY.has(name) ? outcome === 0 : outcome < 0;
        if (!refused) problems.push(`${what} returned ${outcome}`);
      } else if (name === 'GetCodeListByMarket' && typeof junk === 'string' && junk.trim() === '') {
        // "" is documented input (every market), answered from the master fetched above.
      } else if (outcome !== undefined && outcome !== '' && !(Array.isArray(outcome) && outcome.length === 0)) {
        problems.push(`${what} returned ${JSON.stringify(outcome).slice(0, 60)}`);
      }
      if (wire() !== before) problems.push(`${what} reached the wire: ${before} -> ${wire()}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('every CLI command with bad input', () => {
  /** Command, arguments, and what the refusal must say. */
  const CASES: Array<[string, () => string[], RegExp]> = [
    ['call', () => [], /api-id is required/],
    ['call', () => ['ka99999'], /unknown api-id/],
    ['call', () => ['ka10001', '{oops'], /not valid JSON/],
    ['call', () => ['ka10001', '[1,2]', '--endpoint', emu.restUrl, '--appkey', emu.appkey, '--secretkey', emu.secretkey], /body|object/i],
    ['call', () => ['ka10001', '{"stk_cd":5930}', '--endpoint', emu.restUrl, '--appkey', emu.appkey, '--secretkey', emu.secretkey], /stk_cd/],
    ['call', () => ['ka10001', '{}', '--endpoint', emu.restUrl, '--appkey', emu.appkey, '--secretkey', emu.secretkey], /stk_cd/],
    ['call', () => ['ka10001', '{}', '--sim-no', '7'], /--sim-no/],
    ['call', () => ['ka10001', '{}', '--no-such-flag'], /no-such-flag|unknown/i],
    ['emulator', () => ['--port', 'abc'], /--port/],
    ['emulator', () => ['--seed', '-3'], /--seed/],
    ['emulator', () => ['--rate', '1.5'], /--rate/],
    ['migrate', () => [], /sub-command/],
    ['migrate', () => ['scan'], /directory or file/],
    ['migrate', () => ['scan', '/nonexistent/legacy-dir'], /nonexistent|no such|ENOENT|not found/i],
    ['bridge', () => [], /stdio/],
    ['serve', () => [], /--http/],
    ['serve', () => ['--http', '--watch', '005930,12'], /--watch: "12" is not a stock code/],
    ['compare', () => ['--a', 'moon'], /--a must be local, mock or prod/],
    ['compare', () => ['--b', 'prod'], /--allow-prod-orders/],
    ['compare', () => ['no-such-scenario-xyz'], /no-such-scenario-xyz/],
    ['watch', () => [], /at least one stock code/],
    ['watch', () => ['12'], /not a stock code/],
    ['watch', () => Array.from({ length: 101 }, (_, i) => String(100000 + i)), /at most 100/],
    ['gateway', () => ['--port', 'abc'], /--port/],
    ['gateway', () => ['--tls-cert', 'cert.pem'], /--tls-cert and --tls-key/],
    ['gateway', () => ['--host', '0.0.0.0'], /not a loopback address.*--tls-cert/],
    ['gateway', () => ['--use-rest', '--appkey', 'only-the-app-key'], /--use-rest needs the Kiwoom keys/],
    ['gateway', () => ['status', '--url', 'http://127.0.0.1:9', '--admin-token', 'x'], /does not answer/],
    ['gateway', () => ['revoke', 'x', '--state', '/nonexistent/gateway.json'], /no running gateway found/],
    ['run', () => [], /name the program to run/],
  ];

  CLI_CASES = CASES.length;

  test('the cases cover every command', () => {
    const covered = new Set(CASES.map(([name]) => name));
    expect(Object.keys(commands).filter((name) => !covered.has(name) && name !== 'demo')).toEqual([]);
  });

  test.each(CASES.map(([name, args, message], i) => [`${name} #${i}`, name, args, message] as const))(
    '%s: refused with a clear message, nothing on the wire',
    async (_label, name, args, message) => {
      const before = wire();
      const errors: string[] = [];
      const origError = console.error;
      const origLog = console.log;
      console.error = (...a: unknown[]) => void errors.push(a.join(' '));
      console.log = () => undefined;
      let outcome: unknown;
      try {
        outcome = await Promise.race([
          commands[name]!.run(args()),
          new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5_000)),
        ]);
      } catch (error) {
        outcome = error;
      } finally {
        console.error = origError;
        console.log = origLog;
      }
      if (outcome instanceof Error) expect(outcome.message).toMatch(message);
      else {
        expect(outcome).not.toBe(0);
        expect(typeof outcome).toBe('number');
        expect(errors.join('\n')).toMatch(message);
      }
      expect(wire()).toBe(before);
    },
  );
});

test('no app key, secret key or token in any log line of this file', async () => {
  const secrets = [emu.appkey, emu.secretkey, ...tokens];
  const found = countSecrets(logs.lines, secrets, await echoSecrets(api, secrets));
  recordFigures('bad-input', {
    badInputCalls: JUNK.length * 16,
    badCliInvocations: CLI_CASES,
    logLinesScanned: logs.lines.length,
    tokensIssued: tokens.size,
    secretsFound: found,
  });
  expect(found).toBe(0);
});
