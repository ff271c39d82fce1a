/**
 * The scrubber and the loggers on their own (src/log.ts): which values are secrets, where in a
 * log line they are found, and what a logger the library makes writes by default.
 */
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { attachScrubber, componentLogger, createLogger, REDACTED, SecretScrubber, scrubDeep, scrubFor, silentLogger, TOO_DEEP } from '../../src/log.js';

const SECRET = 'tok-9f8e7d6c5b4a';

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) }, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('SecretScrubber', () => {
  test('a value of six characters or more is a secret, removed at every occurrence; a shorter one would mangle text and is not', () => {
    const s = new SecretScrubber();
    s.add('abcde');
    s.add('abcdef');
    s.add(undefined);
    expect(s.size).toBe(1);
    expect(s.scrub('abcde abcdef xabcdefx abcdef')).toBe(`abcde ${REDACTED} x${REDACTED}x ${REDACTED}`);
  });

  test('a removed value is no longer scrubbed; the others still are', () => {
    const s = new SecretScrubber();
    s.add(SECRET);
    s.add('appkey-0123456789');
    s.remove(SECRET);
    expect(s.size).toBe(1);
    expect(s.scrub(`${SECRET} appkey-0123456789`)).toBe(`${SECRET} ${REDACTED}`);
  });
});

describe('scrubDeep', () => {
  const s = new SecretScrubber();
  s.add(SECRET);

  test('strings inside objects and arrays are scrubbed; other values are kept as they are', () => {
    expect(scrubDeep({ a: `x${SECRET}`, list: [SECRET, 3, null, { b: SECRET }], n: 7, flag: true, none: null }, s)).toEqual({
      a: `x${REDACTED}`, list: [REDACTED, 3, null, { b: REDACTED }], n: 7, flag: true, none: null,
    });
  });

  test('an Error becomes its type, message and stack, each scrubbed', () => {
    const err = new TypeError(`bad token ${SECRET}`);
    const out = scrubDeep({ err }, s) as { err: { type: string; message: string; stack: string } };
    expect(out.err.type).toBe('TypeError');
    expect(out.err.message).toBe(`bad token ${REDACTED}`);
    expect(out.err.stack).toContain(`TypeError: bad token ${REDACTED}`);
    expect(out.err.stack).not.toContain(SECRET);
    const bare = new Error(SECRET);
    Reflect.deleteProperty(bare, 'stack');
    expect(scrubDeep(bare, s)).toEqual({ type: 'Error', message: REDACTED, stack: '' });
  });

  test('a secret nine levels down is scrubbed; below that nothing is written at all, and a cyclic object or array ends', () => {
    const nine = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: SECRET } } } } } } } } };
    expect(JSON.stringify(scrubDeep(nine, s))).toBe(JSON.stringify(nine).replace(SECRET, REDACTED));
    // An object ten levels down is cut, not written unscrubbed.
    expect(scrubDeep({ l0: nine }, s)).toEqual({ l0: { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: TOO_DEEP } } } } } } } } });
    const cyclic: Record<string, unknown> = { secret: SECRET };
    cyclic['self'] = cyclic;
    const list: unknown[] = [SECRET];
    list.push(list);
    expect(JSON.stringify(scrubDeep({ cyclic, list }, s))).not.toContain(SECRET);
  });
});

describe('loggers', () => {
  test('createLogger: named kiwoom-compat, at info by default; strings and objects scrubbed of an attached scrubber\'s secrets until it is detached', () => {
    const { stream, parsed } = capture();
    const logger = createLogger({ destination: stream });
    const s = new SecretScrubber();
    s.add(SECRET);
    const detach = attachScrubber(logger, s);
    logger.debug(`hidden ${SECRET}`);
    logger.info({ note: `seen ${SECRET}`, nested: [{ text: SECRET }] }, `said ${SECRET}`);
    logger.info('%s and %s', SECRET, 'x');
    detach();
    expect(scrubFor(logger, SECRET)).toBe(SECRET);
    const lines = parsed();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ name: 'kiwoom-compat', level: 30, note: `seen ${REDACTED}`, nested: [{ text: REDACTED }], msg: `said ${REDACTED}` });
    expect(lines[1]).toMatchObject({ msg: `${REDACTED} and x` });
  });

  test('createLogger: the secret keys are redacted whatever their value, with no scrubber attached', () => {
    const { stream, parsed } = capture();
    createLogger({ destination: stream }).info({ token: 'abc', appkey: 'key', nested: { secretkey: 'def', deeper: { authorization: 'Bearer ghi' } } }, 'x');
    expect(parsed()[0]).toMatchObject({ token: REDACTED, appkey: REDACTED, nested: { secretkey: REDACTED, deeper: { authorization: REDACTED } } });
  });

  test('createLogger: the name and level asked for', () => {
    const { stream, parsed } = capture();
    const logger = createLogger({ destination: stream, name: 'bot', level: 'debug' });
    logger.debug('d');
    expect(parsed()).toMatchObject([{ name: 'bot', level: 20, msg: 'd' }]);
  });

  test('a component logger of a caller\'s own pino logger scrubs its objects of the client\'s secrets; attaching to that logger does nothing', () => {
    const { stream, parsed } = capture();
    const own = pino({ level: 'info' }, stream);
    const s = new SecretScrubber();
    s.add(SECRET);
    expect(attachScrubber(own, s)()).toBeUndefined();
    expect(scrubFor(own, SECRET)).toBe(SECRET);
    componentLogger(own, 'rest', s).info({ body: { text: `echo ${SECRET}` } }, 'response');
    componentLogger(own, 'token').info({ body: { text: `echo ${SECRET}` } }, 'response');
    expect(parsed()).toMatchObject([
      { component: 'rest', body: { text: `echo ${REDACTED}` } },
      { component: 'token', body: { text: `echo ${SECRET}` } },
    ]);
  });

  test('a component logger of a createLogger logger scrubs both the root\'s attached secrets and its own', () => {
    const { stream, parsed } = capture();
    const root = createLogger({ destination: stream });
    const clientA = new SecretScrubber();
    clientA.add('appkey-a-0123456789');
    const clientB = new SecretScrubber();
    clientB.add('appkey-b-0123456789');
    attachScrubber(root, clientA);
    componentLogger(root, 'rest', clientB).info({ seen: 'appkey-a-0123456789 appkey-b-0123456789' });
    expect(parsed()[0]).toMatchObject({ component: 'rest', seen: `${REDACTED} ${REDACTED}` });
  });

  test('silentLogger writes nothing, at any level', () => {
    const logger = silentLogger();
    expect(logger.level).toBe('silent');
    expect(logger.isLevelEnabled('fatal')).toBe(false);
  });
});
