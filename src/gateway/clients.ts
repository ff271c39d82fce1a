/**
 * The key pairs the gateway issues to its clients, in place of the Kiwoom keys it holds: one
 * pair per named client (each program its own, so the status names it and one can be revoked
 * alone), or one shared pair. Pairs can be issued and revoked while the gateway runs; with a
 * file, they survive a restart (written with mode 0600).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { ValidationError } from '../errors.js';
import { SecretScrubber } from '../log.js';

/** One client's key pair. */
export interface ClientCredential {
  /** A name for the status (`strategy`, `gui`, ...): letters, digits, `-`, `_`, `.`. */
  name: string;
  appkey: string;
  secretkey: string;
  /** True for the pair every client may share (clients then are told apart by their tokens). */
  shared?: boolean;
}

const NAME = /^[A-Za-z0-9._-]{1,40}$/;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh pair: 36-character app key and secret key of the gateway's own making. */
function freshPair(name: string, shared: boolean): ClientCredential {
  return {
    name,
    appkey: `gw${randomBytes(17).toString('hex')}`,
    secretkey: randomBytes(32).toString('base64url'),
    ...(shared ? { shared } : {}),
  };
}

export class ClientRegistry {
  private readonly byAppkey = new Map<string, ClientCredential>();

  /**
   * @param initial pairs to accept from the start.
   * @param file where pairs are kept; read first when it exists, rewritten on every change.
   * @param secrets the gateway's scrubber: every client key goes in.
   */
  constructor(
    initial: readonly ClientCredential[] = [],
    private readonly file?: string,
    private readonly secrets: SecretScrubber = new SecretScrubber(),
  ) {
    for (const c of [...(file === undefined ? [] : readFile(file)), ...initial]) this.add(c);
  }

  private add(c: ClientCredential): void {
    if (typeof c?.name !== 'string' || !NAME.test(c.name)) {
      throw new ValidationError(`client name must be 1-40 letters, digits, '-', '_' or '.', got ${JSON.stringify(c?.name)}`, { field: 'clients.name' });
    }
    for (const key of ['appkey', 'secretkey'] as const) {
      if (typeof c[key] !== 'string' || c[key].length < 16) {
        throw new ValidationError(`client ${c.name}: ${key} must be a string of 16 characters or more`, { field: `clients.${key}` });
      }
    }
    const other = this.find(c.name);
    if (other !== undefined && other.appkey !== c.appkey) throw new ValidationError(`client ${c.name} is listed twice`, { field: 'clients.name' });
    this.secrets.add(c.appkey);
    this.secrets.add(c.secretkey);
    this.byAppkey.set(c.appkey, { ...c });
  }

  private find(name: string): ClientCredential | undefined {
    for (const c of this.byAppkey.values()) if (c.name === name) return c;
    return undefined;
  }

  /** The client a key pair belongs to, or undefined (the token endpoint then answers 8001). */
  check(appkey: string, secretkey: string): ClientCredential | undefined {
    const c = this.byAppkey.get(appkey);
    return c !== undefined && same(c.secretkey, secretkey) ? c : undefined;
  }

  /** The client of an app key (tokens carry it). */
  byKey(appkey: string): ClientCredential | undefined {
    return this.byAppkey.get(appkey);
  }

  /** Issues a new pair under `name` (a name already issued keeps its pair). */
  issue(name: string, options: { shared?: boolean } = {}): ClientCredential {
    const existing = this.find(name);
    if (existing !== undefined) return { ...existing };
    const c = freshPair(name, options.shared === true);
    this.add(c);
    this.save();
    return { ...c };
  }

  /** Withdraws `name`'s pair; returns its app key so its tokens and sessions can be ended, or undefined when unknown. */
  revoke(name: string): string | undefined {
    const c = this.find(name);
    if (c === undefined) return undefined;
    this.byAppkey.delete(c.appkey);
    this.save();
    return c.appkey;
  }

  /** Names, without keys. */
  names(): { name: string; shared: boolean }[] {
    return [...this.byAppkey.values()].map((c) => ({ name: c.name, shared: c.shared === true }));
  }

  private save(): void {
    if (this.file === undefined) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ clients: [...this.byAppkey.values()] }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

function readFile(file: string): ClientCredential[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = JSON.parse(text) as { clients?: unknown };
  if (!Array.isArray(parsed.clients)) throw new ValidationError(`${file}: expected {"clients": [{name, appkey, secretkey}, ...]}`, { field: 'clientsFile' });
  return parsed.clients as ClientCredential[];
}
