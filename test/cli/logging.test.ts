import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { alreadyLogged, cliLogger, kstClock } from '../../src/cli/logging.js';

/** A stand-in for stderr: a terminal or a pipe, collecting what is written. */
function stderr(tty: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c: Buffer, _e, done) => void (chunks.push(c.toString()), done()) }) as unknown as NodeJS.WriteStream & { text: () => string };
  stream.isTTY = tty;
  stream.text = () => chunks.join('');
  return stream;
}

describe('the CLI logger', () => {
  it('on a terminal: one readable line per record, the time in KST, no JSON', () => {
    const out = stderr(true);
    cliLogger({}, out).logger.warn({ code: 7 }, 'WebSocket dropped; reconnecting');
    const text = out.text();
    expect(text).toMatch(/^\[?\d\d:\d\d:\d\d\.\d{3} KST\]? .*WARN.*WebSocket dropped; reconnecting/);
    expect(text).not.toMatch(/^\{/);
  });

  it('piped, or asked for: JSON lines', () => {
    const piped = stderr(false);
    cliLogger({}, piped).logger.warn('one');
    expect(JSON.parse(piped.text())).toMatchObject({ level: 40, msg: 'one' });
    const asked = stderr(true);
    cliLogger({ 'log-format': 'json' }, asked).logger.warn('two');
    expect(JSON.parse(asked.text())).toMatchObject({ msg: 'two' });
  });

  it('remembers warnings so main does not print the same message again', () => {
    cliLogger({}, stderr(false)).logger.warn('SetRealReg: REG refused by Kiwoom (-105)');
    expect(alreadyLogged('SetRealReg failed: SetRealReg: REG refused by Kiwoom (-105)')).toBe(true);
    expect(alreadyLogged('something else')).toBe(false);
  });

  it('refuses a format or level it does not know', () => {
    expect(() => cliLogger({ 'log-format': 'xml' })).toThrow(/--log-format must be pretty or json, got "xml"/);
    expect(() => cliLogger({ 'log-level': 'loud' })).toThrow(/--log-level must be one of/);
  });

  it('KST whatever the host zone: 00:15:03 UTC is 09:15:03 KST', () => {
    expect(kstClock(Date.UTC(2026, 10, 25, 0, 15, 3, 250))).toBe('09:15:03.250 KST');
  });
});
