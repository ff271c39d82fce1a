/**
 * Lenient payloads: fields the registry does not document are kept and reported once per
 * api-id + key at debug level, because Kiwoom adds fields between editions and a client that
 * rejected them would break on the day of a server release.
 */
import type { Logger } from 'pino';
import type { ApiSpec } from '../registry/index.js';
import type { JsonBody } from './response.js';

const ENVELOPE_KEYS = new Set(['return_code', 'return_msg']);

/** Remembers which unknown fields were already reported. */
export class UnknownFieldReporter {
  private readonly reported = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Log, once each, the keys of `body` (and of its list records) that `spec` does not document. */
  check(spec: ApiSpec, body: JsonBody): void {
    for (const key of unknownKeys(spec, body)) {
      const id = `${spec.id}:${key}`;
      if (this.reported.has(id)) continue;
      this.reported.add(id);
      this.logger.debug({ apiId: spec.id, field: key }, 'undocumented response field kept');
    }
  }
}

/** Dotted keys (`list.key` for list records) present in `body` but not documented for `spec`. */
export function unknownKeys(spec: ApiSpec, body: JsonBody): string[] {
  const topLevel = new Set(spec.response.filter((f) => f.list === undefined).map((f) => f.key));
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (ENVELOPE_KEYS.has(key)) continue;
    if (!topLevel.has(key)) unknown.push(key);
    if (!Array.isArray(value)) continue;
    const itemKeys = new Set(spec.response.filter((f) => f.list === key).map((f) => f.key));
    const seen = new Set<string>();
    for (const item of value) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      for (const itemKey of Object.keys(item)) {
        if (!itemKeys.has(itemKey) && !seen.has(itemKey)) {
          seen.add(itemKey);
          unknown.push(`${key}.${itemKey}`);
        }
      }
    }
  }
  return unknown;
}
