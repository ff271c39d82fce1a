/**
 * Loggers that cannot leak a secret.
 *
 * Two independent guards, because either alone has holes:
 * - pino `redact` paths censor the known secret-bearing keys (appkey, secretkey, token,
 *   authorization) at any of the first few nesting levels;
 * - every secret value a client learns (its keys, each token the moment it is parsed) goes into
 *   that client's {@link SecretScrubber}, and the log object and message are scrubbed of those
 *   values, so a secret that turns up under an unexpected key or inside server text is still
 *   removed. The scrubber belongs to its client: it is attached to the loggers the client was
 *   given while the client is open, and its tokens are dropped as they are replaced, so no set
 *   of secrets grows for the life of the process.
 *
 * Text is always scrubbed whole before it is cut to a sample: a secret cut in half is no longer
 * recognisable.
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

/** Something that removes secrets from text. */
export interface TextScrubber {
  scrub(text: string): string;
}

/** The secret values of one owner (a client, a session) and the means to remove them from text. */
export class SecretScrubber implements TextScrubber {
  private readonly values = new Set<string>();

  /** Remember a secret value so that it is scrubbed from now on. */
  add(value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  /** Forget a value (a token replaced long ago). */
  remove(value: string): void {
    this.values.delete(value);
  }

  /** How many values are held. */
  get size(): number {
    return this.values.size;
  }

  /** `text` with every known secret replaced by {@link REDACTED}. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

/** The scrubbers attached to one root logger: those of the clients that log through it. */
class ScrubberSet implements TextScrubber {
  readonly members = new Set<TextScrubber>();

  scrub(text: string): string {
    let out = text;
    for (const m of this.members) out = m.scrub(out);
    return out;
  }
}

/** How many levels of objects and arrays {@link scrubDeep} walks (a cyclic object ends there). */
const MAX_DEPTH = 8;

/** What stands for an object or array nested deeper than {@link MAX_DEPTH}: unwalked, it could carry a secret. */
export const TOO_DEEP = '[too deep]';

/**
 * A copy of `value` with every string scrubbed: objects and arrays are walked
 * {@link MAX_DEPTH} levels down, and one nested deeper is replaced by {@link TOO_DEEP}.
 */
export function scrubDeep(value: unknown, scrubber: TextScrubber, depth = 0): unknown {
  if (typeof value === 'string') return scrubber.scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (value instanceof Error) {
    return { type: value.name, message: scrubber.scrub(value.message), stack: scrubber.scrub(value.stack ?? '') };
  }
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrubber, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubDeep(item, scrubber, depth + 1);
  return out;
}

/** Where a logger made by {@link createLogger} keeps its scrubbers (children inherit it). */
const SCOPE = Symbol('kiwoom-compat.scrubbers');
type Scoped = { [SCOPE]?: ScrubberSet };

/**
 * Scrubs what `logger` (or a child of it) writes of `scrubber`'s secrets from now until the
 * returned function is called. A logger not made by {@link createLogger} is left alone (its
 * children made by {@link componentLogger} still scrub their objects).
 */
export function attachScrubber(logger: Logger, scrubber: TextScrubber): () => void {
  const scope = (logger as Scoped)[SCOPE];
  if (scope === undefined) return () => undefined;
  scope.members.add(scrubber);
  return () => void scope.members.delete(scrubber);
}

/** `text` scrubbed of every secret `logger` scrubs: for text about to be cut to a sample. */
export function scrubFor(logger: Logger, text: string): string {
  return (logger as Scoped)[SCOPE]?.scrub(text) ?? text;
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Default `'info'`. */
  level?: LevelWithSilent;
  /** Where lines go (default stdout). Tests pass a stream that captures lines. */
  destination?: DestinationStream;
  /** Logger name (default `'kiwoom-compat'`). */
  name?: string;
}

/** A root pino logger with redaction of secret keys and scrubbing of its clients' secret values. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const scope = new ScrubberSet();
  const config = {
    name: options.name ?? 'kiwoom-compat',
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: { log: (object: object) => scrubDeep(object, scope) as Record<string, unknown> },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger[Level]>, method: (...a: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scope.scrub(arg) : arg)));
      },
    },
  };
  const logger = options.destination === undefined ? pino(config) : pino(config, options.destination);
  return Object.assign(logger, { [SCOPE]: scope });
}

/**
 * A child logger for one component (`rest`, `token`, `limiter`). The redaction is applied again
 * at the child, and its objects are scrubbed of `scrubber`'s secrets, so a caller-supplied
 * logger without either is still safe for what the library logs as objects.
 */
export function componentLogger(parent: Logger, component: string, scrubber?: TextScrubber): Logger {
  const inherited = (parent as Scoped)[SCOPE];
  const scrub: TextScrubber = {
    scrub: (text) => {
      const once = inherited === undefined ? text : inherited.scrub(text);
      return scrubber === undefined ? once : scrubber.scrub(once);
    },
  };
  return parent.child(
    { component },
    { redact: { paths: [...REDACT_PATHS], censor: REDACTED }, formatters: { log: (object: object) => scrubDeep(object, scrub) as Record<string, unknown> } },
  );
}

/** A logger that writes nothing (the default when the caller gives none). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
