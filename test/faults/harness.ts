/**
 * Shared means of the fault suite: a debug-level log capture, a record of every token issued
 * in this process (for the secret scan), the soak switch, polling, and the summary file that
 * the issue note quotes (bench/results/faults.json, summed over every test file).
 */
import { emulatorOf, type Emulator } from '../../src/emulator/index.js';
import type { ApiInitOptions } from '../../src/facade/connection.js';
import { APIServer } from '../../src/facade/index.js';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLogger, REDACTED, type Logger } from '../../src/log.js';

/** `FAULTS_LONG=1` (or `npm run test:faults -- --long` through the script) runs the soak form. */
export const LONG = process.env['FAULTS_LONG'] === '1';

/** Every log line a logger wrote, as text. */
export interface LogCapture {
  logger: Logger;
  lines: string[];
}

/** A debug-level logger (the library's own, with redaction) whose lines are kept in memory. */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}


/** Tokens issued by the emulators a test tracks, read when the log scan runs. */
export interface IssuedTokens extends Iterable<string> {
  /** Adds an emulator whose tokens count as secrets. */
  track(emu: Pick<Emulator, 'issuedTokens'>): void;
  readonly size: number;
}

/** Every token the tracked emulators issued (the library sends through undici, so no fetch wrapper can see them). */
export function recordIssuedTokens(): IssuedTokens {
  const emulators = new Set<Pick<Emulator, 'issuedTokens'>>();
  const all = (): Set<string> => new Set([...emulators].flatMap((e) => e.issuedTokens()));
  return {
    track: (emu) => void emulators.add(emu),
    get size() {
      return all().size;
    },
    [Symbol.iterator]: () => all()[Symbol.iterator](),
  };
}

/**
 * An APIServer on its own emulator, logging into `logs`, whose tokens count as secrets.
 * `options` are api_init's, less the backend choice (sim_no 1, use_rest false) and the logger.
 */
export async function openEmulatedApi(
  logs: LogCapture,
  tokens: IssuedTokens,
  options: Omit<ApiInitOptions, 'sim_no' | 'use_rest' | 'logger'> = {},
): Promise<{ api: APIServer; emu: Emulator }> {
  const api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, logger: logs.logger, ...options });
  const emu = emulatorOf(api)!;
  tokens.track(emu);
  return { api, emu };
}

/**
 * Makes the library log each secret: it goes out as a 종목코드 (opt10001), Kiwoom's 1902 answer
 * quotes the unknown code back, and both the REST client and the facade log that text. The scan
 * that follows then meets every secret in a log line, so it fails when scrubbing fails instead
 * of passing on lines that never held a secret. Resolves with the number of secrets echoed.
 */
export async function echoSecrets(api: APIServer, secrets: Iterable<string>): Promise<number> {
  let echoed = 0;
  for (const secret of secrets) {
    api.SetInputValue('종목코드', secret);
    const code = await api.CommRqData('secret-echo', 'opt10001', 0, '9999');
    if (code >= 0 || !/\b1902\b/.test(api.GetLastError()?.message ?? '')) {
      throw new Error(`the secret echo needs the server's 1902 answer; CommRqData returned ${code}: ${api.GetLastError()?.message ?? ''}`);
    }
    echoed++;
  }
  return echoed;
}

/**
 * How many times any of `secrets` appears in `lines` (secrets shorter than 6 characters are
 * ignored). A scan of nothing proves nothing, so it throws when no line was captured, no secret
 * is given, or fewer lines than `echoed` hold the server's 1902 echo with the secret redacted.
 */
export function countSecrets(lines: readonly string[], secrets: Iterable<string>, echoed = 0): number {
  const list = [...secrets].filter((s) => s.length >= 6);
  if (lines.length === 0) throw new Error('secret scan: no log line was captured');
  if (list.length === 0) throw new Error('secret scan: no secret to look for');
  const echoes = lines.filter((l) => l.includes('1902') && l.includes(REDACTED)).length;
  if (echoes < echoed) throw new Error(`secret scan: ${echoed} secrets were echoed by the server but only ${echoes} log lines show one redacted`);
  let found = 0;
  for (const line of lines) for (const s of list) if (line.includes(s)) found++;
  return found;
}

/** Polls `check` every 10 ms until it holds; throws naming `what` after `ms`. */
export async function waitUntil(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Figures of one test file for bench/results/faults.json; numbers are summed over files. */
export type FaultFigures = Record<string, number>;

const RESULTS = new URL('../../bench/results/', import.meta.url);
const PARTS = new URL('faults/', RESULTS);

/**
 * Writes this file's figures and re-sums every file's into bench/results/faults.json. Each
 * file writes its own part first, so whichever file finishes last sums all of them.
 */
export function recordFigures(file: string, figures: FaultFigures): void {
  mkdirSync(PARTS, { recursive: true });
  writeAtomic(new URL(`${file}.json`, PARTS), { at: new Date().toISOString(), long: LONG, figures });
  const total: FaultFigures = {};
  const files: string[] = [];
  for (const name of readdirSync(PARTS).filter((n) => n.endsWith('.json')).sort()) {
    const part = JSON.parse(readFileSync(new URL(name, PARTS), 'utf8')) as { figures: FaultFigures };
    files.push(name.replace(/\.json$/, ''));
    for (const [key, value] of Object.entries(part.figures)) total[key] = (total[key] ?? 0) + value;
  }
  writeAtomic(new URL('faults.json', RESULTS), { at: new Date().toISOString(), long: LONG, files, ...total });
}

function writeAtomic(url: URL, value: unknown): void {
  const tmp = new URL(`${url.href}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, url);
}
