/**
 * Loggers that cannot leak a secret.
 *
 * Two independent guards, because either alone has holes:
 * - pino `redact` paths censor the known secret-bearing keys (appkey, secretkey, token,
 *   authorization) at any of the first few nesting levels;
 * - every secret value the library learns (keys, issued tokens) is registered with
 *   {@link secretScrubber}, and the log object and message are scrubbed of those values, so a
 *   secret that turns up under an unexpected key or inside server text is still removed.
 */
import { pino } from 'pino';
import type { DestinationStream, Level, LevelWithSilent, Logger } from 'pino';

export type { Logger } from 'pino';

const SECRET_KEYS = ['appkey', 'secretkey', 'token', 'authorization', 'Authorization'];

/** The pino redact paths: each secret key at the top level and up to three levels deep. */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]);

/** What redacted values are replaced with. */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not scrubbed by value (they would mangle ordinary text). */
const MIN_SECRET_LENGTH = 6;

/** A set of secret values and the means to remove them from text and log objects. */
export class SecretScrubber {
  private readonly values = new Set<string>();

  /** Remember a secret value so that it is scrubbed from now on. */
  add(value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  /** `text` with every known secret replaced by {@link REDACTED}. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** A copy of `value` with every string scrubbed (objects and arrays walked, depth-capped). */
  scrubDeep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (value === null || typeof value !== 'object' || depth > 8) return value;
    if (value instanceof Error) {
      return { type: value.name, message: this.scrub(value.message), stack: this.scrub(value.stack ?? '') };
    }
    if (Array.isArray(value)) return value.map((item) => this.scrubDeep(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.scrubDeep(item, depth + 1);
    return out;
  }
}

/**
 * The process-wide scrubber. `KiwoomRest` registers its app key, secret key and every token it
 * receives here; loggers made by this module consult it.
 */
export const secretScrubber = new SecretScrubber();

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Default `'info'`. */
  level?: LevelWithSilent;
  /** Where lines go (default stdout). Tests pass a stream that captures lines. */
  destination?: DestinationStream;
  /** Logger name (default `'kiwoom-compat'`). */
  name?: string;
}

/** A root pino logger with redaction of secret keys and scrubbing of known secret values. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config = {
    name: options.name ?? 'kiwoom-compat',
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: { log: scrubLogObject },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger[Level]>, method: (...a: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? secretScrubber.scrub(arg) : arg)));
      },
    },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

/**
 * A child logger for one component (`rest`, `token`, `limiter`). The redaction and scrubbing
 * are applied again at the child, so a caller-supplied logger without them is still safe.
 */
export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child(
    { component },
    { redact: { paths: [...REDACT_PATHS], censor: REDACTED }, formatters: { log: scrubLogObject } },
  );
}

function scrubLogObject(object: object): Record<string, unknown> {
  return secretScrubber.scrubDeep(object) as Record<string, unknown>;
}

/** A logger that writes nothing (the default when the caller gives none). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
