/**
 * Keys on the command line are readable by every local user (ps, /proc/PID/cmdline): the CLI
 * warns when it gets them there, and takes them from a file or the environment without a word.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentials } from '../../src/cli/backend-flags.js';

const base = { 'sim-no': '1', 'use-rest': true };
const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
});

describe('CLI credentials', () => {
  it('warns for each key given as a flag, naming the safer ways', () => {
    const warnings: string[] = [];
    expect(credentials({ ...base, appkey: 'flag-appkey-123', secretkey: 'flag-secret-456' }, (m) => warnings.push(m))).toEqual({ appkey: 'flag-appkey-123', secretkey: 'flag-secret-456' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/--appkey .*\/proc\/PID\/cmdline.*KIWOOM_APPKEY or --appkey-file/);
    expect(warnings.join('\n')).not.toMatch(/flag-appkey-123|flag-secret-456/);
  });

  it('reads keys from files (trimmed) and from the environment, silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-keys-'));
    writeFileSync(join(dir, 'appkey'), 'file-appkey-789\n');
    process.env['KIWOOM_SECRETKEY'] = 'env-secret-000';
    const warnings: string[] = [];
    expect(credentials({ ...base, 'appkey-file': join(dir, 'appkey') }, (m) => warnings.push(m))).toEqual({ appkey: 'file-appkey-789', secretkey: 'env-secret-000' });
    expect(warnings).toEqual([]);
    expect(() => credentials({ ...base, 'secretkey-file': join(dir, 'missing') })).toThrow(/--secretkey-file/);
  });
});
