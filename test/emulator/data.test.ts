import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('compat/emulator/samples.json is generated from the current registry and examples', () => {
  const script = fileURLToPath(new URL('../../scripts/gen-emulator-samples.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(out).toContain('up to date');
});
