/**
 * Global setup of both suites: one fresh master cache directory per run
 * (KIWOOM_COMPAT_CACHE_DIR, inherited by every test process and bridge child), so that the
 * master CommConnect loads is fetched once per run and per domain instead of once per login,
 * and no run reads another's files (several people run the suite on one machine).
 * Tests of the loading itself pass their own `master.cacheDir`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'kiwoom-compat-test-cache-'));
  process.env['KIWOOM_COMPAT_CACHE_DIR'] = dir;
  return () => rm(dir, { recursive: true, force: true });
}
