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
    // The report is a debug line and nothing else: below debug, scanning every answer is waste.
    if (!this.logger.isLevelEnabled('debug')) return;
    for (const key of unknownKeys(spec, body)) {
      const id = `${spec.id}:${key}`;
      if (this.reported.has(id)) continue;
      this.reported.add(id);
      this.logger.debug({ apiId: spec.id, field: key }, 'undocumented response field kept');
    }
  }
}

/** Documented response keys of an API: top level, and per list key the keys of its records. */
interface KnownKeys {
  topLevel: Set<string>;
  lists: Map<string, Set<string>>;
}

const knownKeysCache = new WeakMap<ApiSpec, KnownKeys>();

function knownKeys(spec: ApiSpec): KnownKeys {
  let known = knownKeysCache.get(spec);
  if (known === undefined) {
    known = { topLevel: new Set(), lists: new Map() };
    for (const f of spec.response) {
      if (f.list === undefined) known.topLevel.add(f.key);
      else {
        const keys = known.lists.get(f.list) ?? new Set<string>();
        keys.add(f.key);
        known.lists.set(f.list, keys);
      }
    }
    knownKeysCache.set(spec, known);
  }
  return known;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** Dotted keys (`list.key` for list records) present in `body` but not documented for `spec`. */
export function unknownKeys(spec: ApiSpec, body: JsonBody): string[] {
  const { topLevel, lists } = knownKeys(spec);
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (ENVELOPE_KEYS.has(key)) continue;
    if (!topLevel.has(key)) unknown.push(key);
    if (!Array.isArray(value)) continue;
    const itemKeys = lists.get(key) ?? NO_KEYS;
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
