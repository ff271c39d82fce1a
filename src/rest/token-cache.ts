/**
 * A file that keeps issued tokens across runs. Entries are keyed by sha256 of the app key and
 * the host, so a production token is never offered to the mock domain (or to another key),
 * and the key itself is not written. The file is created with mode 0600.
 *
 * Processes that share the file (a program, the CLI, the bridge, started together) take a lock
 * file beside it while they look for a token and issue one, so that one token is issued per
 * host between them, not one each.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a process waits for another's lock before issuing without it. */
const LOCK_WAIT_MS = 15_000;
/** A lock older than this was left by a process that died holding it. */
const LOCK_STALE_MS = 30_000;
const LOCK_POLL_MS = 20;

/** A token as kept in memory and in the cache file. */
export interface StoredToken {
  token: string;
  tokenType: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms. */
  issuedAt: number;
}

/** The cache key of an app key on a host. */
export function tokenCacheKey(appkey: string, baseUrl: string): string {
  return createHash('sha256').update(`${appkey}\n${baseUrl}`).digest('hex');
}

export class TokenCacheFile {
  constructor(private readonly path: string) {}

  /**
   * Runs `fn` holding the lock file (`<path>.lock`, created exclusively). A lock left behind by
   * a dead process is taken over once stale; after {@link LOCK_WAIT_MS} `fn` runs anyway, since
   * a second token is better than no login.
   */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    const lock = `${this.path}.lock`;
    await mkdir(dirname(this.path), { recursive: true });
    const deadline = Date.now() + LOCK_WAIT_MS;
    let held = false;
    while (!held && Date.now() < deadline) {
      try {
        await (await open(lock, 'wx', 0o600)).close();
        held = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') break;
        const age = await stat(lock).then((st) => Date.now() - st.mtimeMs, () => 0);
        if (age > LOCK_STALE_MS) await unlink(lock).catch(() => undefined);
        else await sleep(LOCK_POLL_MS + Math.random() * LOCK_POLL_MS);
      }
    }
    try {
      return await fn();
    } finally {
      if (held) await unlink(lock).catch(() => undefined);
    }
  }

  async read(key: string): Promise<StoredToken | undefined> {
    const entry = (await this.load())[key];
    return isStoredToken(entry) ? entry : undefined;
  }

  async write(key: string, token: StoredToken): Promise<void> {
    const all = await this.load();
    all[key] = token;
    await this.save(all);
  }

  async remove(key: string): Promise<void> {
    const all = await this.load();
    if (!(key in all)) return;
    delete all[key];
    await this.save(all);
  }

  private async load(): Promise<Record<string, unknown>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      // Missing or unreadable: start over rather than fail a login over a cache.
      return {};
    }
  }

  private async save(all: Record<string, unknown>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(all), { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.path);
  }
}

function isStoredToken(value: unknown): value is StoredToken {
  const v = value as Partial<StoredToken> | undefined;
  return (
    typeof v?.token === 'string' && typeof v.expiresAt === 'number' && typeof v.issuedAt === 'number' && typeof v.tokenType === 'string'
  );
}
