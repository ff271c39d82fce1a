/**
 * The CLI's logger: on a terminal, one readable line per record (pino-pretty, times in Korea
 * time, the zone every Kiwoom time is in); JSON lines when stderr is piped or `--log-format json`
 * asks for it. Secrets are redacted by createLogger in both forms.
 */
import { createRequire } from 'node:module';
import type { PrettyOptions } from 'pino-pretty';
import { createLogger, type Logger } from '../log.js';
import type { LogLevel } from '../facade/index.js';
import { UsageError } from './options.js';

/** Flags every command that logs shares (parseArgs specs). */
export const LOG_OPTIONS = {
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/** Help lines for {@link LOG_OPTIONS}. */
export const LOG_HELP = `  --log-format F    pretty (default on a terminal) or json (default when stderr is piped)
  --log-level L     fatal, error, warn (default), info, debug, trace or silent`;

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `HH:MM:SS.mmm KST` of an epoch-ms instant, whatever the host's time zone. */
export function kstClock(epochMs: number): string {
  return `${new Date(epochMs + 9 * 3_600_000).toISOString().slice(11, 23)} KST`;
}

/**
 * pino-pretty, loaded only when a terminal needs it: it costs a quarter of a second at start,
 * which every piped or scripted run of the CLI would otherwise pay.
 */
function prettyFactory(): (options: PrettyOptions) => (record: object) => string {
  return (createRequire(import.meta.url)('pino-pretty') as { prettyFactory: (options: PrettyOptions) => (record: object) => string }).prettyFactory;
}

/** Messages logged at warn or above by any CLI logger of this process. */
const shownMessages = new Set<string>();

/** Whether a warning or error already logged carries this message (main then prints it no second time). */
export function alreadyLogged(message: string): boolean {
  return [...shownMessages].some((m) => message.includes(m));
}

/** What {@link cliLogger} returns. */
export interface CliLogger {
  logger: Logger;
  /** The level, for api_init's `log_level`. */
  level: LogLevel;
}

/** A logger writing to stderr as the flags (or the terminal) say. */
export function cliLogger(values: { 'log-format'?: string | undefined; 'log-level'?: string | undefined }, stderr: NodeJS.WriteStream = process.stderr): CliLogger {
  const format = values['log-format'] ?? (stderr.isTTY === true ? 'pretty' : 'json');
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`--log-format must be pretty or json, got "${format}"`);
  const level = (values['log-level'] ?? 'warn') as LogLevel;
  if (!LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, got "${level}"`);
  const pretty =
    format === 'pretty'
      ? prettyFactory()({
          colorize: stderr.isTTY === true && process.env.NO_COLOR === undefined,
          translateTime: false,
          ignore: 'pid,hostname,name',
          customPrettifiers: { time: (t) => kstClock(Number(t)) },
        })
      : undefined;
  const shown = shownMessages;
  const destination = {
    write(line: string): void {
      const record = JSON.parse(line) as { level?: number; msg?: string };
      if (typeof record.msg === 'string' && (record.level ?? 0) >= 40) shown.add(record.msg);
      stderr.write(pretty === undefined ? line : pretty(record));
    },
  };
  return {
    logger: createLogger({ level, destination }),
    level,
  };
}
