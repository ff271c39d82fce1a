/**
 * Loads the master during CommConnect, as the OCX downloaded its master files at login: the
 * listings of every market GetCodeListByMarket("") covers (ka10099), the theme groups (ka90001)
 * and their members (ka90002), and the member firms (ka10102). What one login loaded is kept in
 * a cache file per domain and Korea-time day, so that the next login that day costs no query.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getMarket } from '../compat/markets.js';
import type { RestPort } from './ports.js';
import { kstDay, type MasterRow, type MasterSnapshot } from './master.js';

/** Options of the master (api_init `master`). */
export interface MasterOptions {
  /**
   * Directory of the day cache; `false` for none. Default: `KIWOOM_COMPAT_CACHE_DIR`, else
   * `~/.cache/kiwoom-compat` (`%LOCALAPPDATA%\kiwoom-compat` on Windows) on Kiwoom's own hosts,
   * and no cache for the emulator or overridden endpoints.
   */
  cacheDir?: string | false;
  /**
   * Load every theme's members (ka90002, one query per theme) for GetThemeGroupCode. Default
   * true. The theme list (GetThemeGroupList) is always loaded.
   */
  themeMembers?: boolean;
}

/** What a load did. */
export interface MasterLoad {
  snapshot: MasterSnapshot;
  /** REST requests spent (pages included); 0 when the day cache answered. */
  requests: number;
  fromCache: boolean;
}

/** Bump when the snapshot's shape changes: older files are then ignored. */
const FORMAT = 1;
const MAX_PAGES = 200;
/** ka90001/ka90002 inputs the master load sends: every theme, 1-day window, KRX. */
const THEME_LIST = { qry_tp: '0', stk_cd: '', date_tp: '1', thema_nm: '', flu_pl_amt_tp: '1', stex_tp: '1' } as const;
const THEME_MEMBERS = { date_tp: '1', stex_tp: '1' } as const;

/** The user cache directory of kiwoom-compat (used on Kiwoom's own hosts). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'kiwoom-compat');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'kiwoom-compat');
}

/** Where one domain's cache files live and how they are named. */
export interface CacheSpot {
  dir: string;
  /** The domain part of the file name (`production`, `mock`, `emulator`, `mock-127.0.0.1`). */
  key: string;
}

function fileOf(spot: CacheSpot, day: string): string {
  return join(spot.dir, `master-${spot.key}-${day}.json`);
}

function rowsOf(body: Record<string, unknown>, list: string): Record<string, unknown>[] {
  const rows = body[list];
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}

function strings(row: Record<string, unknown>): MasterRow {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v).trim();
  return out;
}

async function readCache(spot: CacheSpot, day: string, themeMembers: boolean): Promise<MasterSnapshot | undefined> {
  try {
    const parsed = JSON.parse(await readFile(fileOf(spot, day), 'utf8')) as { format?: unknown; snapshot?: MasterSnapshot };
    const s = parsed.snapshot;
    if (parsed.format !== FORMAT || s === undefined || s.day !== day || typeof s.lists !== 'object') return undefined;
    // A file written without theme members does not serve a login that wants them.
    if (themeMembers && s.themeMembers === undefined) return undefined;
    return s;
  } catch {
    // Missing, unreadable or half-written by another process: load from the server instead.
    return undefined;
  }
}

/** Writes atomically (temp file + rename) and drops this domain's files of earlier days. */
async function writeCache(spot: CacheSpot, snapshot: MasterSnapshot): Promise<void> {
  await mkdir(spot.dir, { recursive: true });
  const target = fileOf(spot, snapshot.day);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, JSON.stringify({ format: FORMAT, snapshot }));
  await rename(temp, target);
  const prefix = `master-${spot.key}-`;
  for (const name of await readdir(spot.dir)) {
    if (name.startsWith(prefix) && name.endsWith('.json') && join(spot.dir, name) !== target) await rm(join(spot.dir, name), { force: true });
  }
}

/** Asks the server for everything the master getters answer. */
async function fetchSnapshot(rest: RestPort, day: string, themeMembers: boolean): Promise<{ snapshot: MasterSnapshot; requests: number }> {
  let requests = 0;
  const collect = async (apiId: string, body: Record<string, string>, list: string): Promise<Record<string, unknown>[]> => {
    const answer = await rest.collect(apiId, body, { maxPages: MAX_PAGES });
    requests += answer.pages.length;
    return rowsOf(answer.body, list);
  };
  const markets = getMarket('')?.mrktTp ?? [];
  // Issued together: the rate limiter spaces them at the budget, with no idle round trips between.
  const [lists, themeRows, branchRows] = await Promise.all([
    Promise.all(markets.map(async (tp) => [tp, (await collect('ka10099', { mrkt_tp: tp }, 'list')).map(strings)] as const)),
    collect('ka90001', THEME_LIST, 'thema_grp'),
    collect('ka10102', {}, 'list'),
  ]);
  const themes = themeRows.map(strings).map((r) => ({ code: r['thema_grp_cd'] ?? '', name: r['thema_nm'] ?? '' })).filter((t) => t.code !== '');
  const snapshot: MasterSnapshot = {
    day,
    lists: Object.fromEntries(lists),
    themes,
    branches: branchRows.map(strings).map((r) => ({ code: r['code'] ?? '', name: r['name'] ?? '' })),
  };
  if (themeMembers) {
    const members = await Promise.all(
      themes.map(async (t) => [t.code, (await collect('ka90002', { ...THEME_MEMBERS, thema_grp_cd: t.code }, 'thema_comp_stk')).map((r) => String(r['stk_cd'] ?? '').trim()).filter((c) => c !== '')] as const),
    );
    snapshot.themeMembers = Object.fromEntries(members);
  }
  return { snapshot, requests };
}

/**
 * The master for today: from the day cache when it holds today's file, else from the server
 * (then written to the cache; a cache that cannot be written costs nothing but the next login).
 */
export async function loadMaster(rest: RestPort, spot: CacheSpot | undefined, options: { themeMembers: boolean; now?: () => number; onCacheError?: (err: unknown) => void }): Promise<MasterLoad> {
  const day = kstDay((options.now ?? Date.now)());
  if (spot !== undefined) {
    const cached = await readCache(spot, day, options.themeMembers);
    if (cached !== undefined) return { snapshot: cached, requests: 0, fromCache: true };
  }
  const { snapshot, requests } = await fetchSnapshot(rest, day, options.themeMembers);
  if (spot !== undefined) await writeCache(spot, snapshot).catch((err: unknown) => options.onCacheError?.(err));
  return { snapshot, requests, fromCache: false };
}
