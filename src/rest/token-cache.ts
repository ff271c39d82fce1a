/**
 * A file that keeps issued tokens across runs. Entries are keyed by sha256 of the app key and
 * the host, so a production token is never offered to the mock domain (or to another key),
 * and the key itself is not written. The file is created with mode 0600.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
