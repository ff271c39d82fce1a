/**
 * Flag parsing for every command: node's parseArgs in strict mode (an unknown flag or a missing
 * value is refused), and numbers checked where they are read, each refusal naming its flag.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values parseArgs gives for these options, and the free arguments. */
export interface Parsed<O extends Options> {
  values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];
  positionals: string[];
}

/** An error in what the user typed: main prints the message and the command's usage line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * parseArgs with unknown flags refused. `positionals` says how many free arguments the command
 * takes (0 for none: a stray word is refused too).
 */
export function parseFlags<O extends Options>(args: string[], options: O, positionals = 0): Parsed<O> {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // node's messages: "Unknown option '--bogus'...", "Option '--seconds <value>' argument missing".
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** A number flag: undefined when absent, else a finite number within the bounds, or a UsageError naming the flag. */
export function numberFlag(values: Record<string, unknown>, name: string, bounds: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const { min = -Infinity, max = Infinity, integer = false } = bounds;
  const kind = integer ? 'an integer' : 'a number';
  const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : '';
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(`--${name} must be ${kind}${range}, got "${String(raw)}"`);
  }
  return n;
}
