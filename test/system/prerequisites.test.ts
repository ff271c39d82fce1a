import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The other tests of this suite need these; a missing one must fail here loudly rather than
// let a test elsewhere pass by skipping its real work.
describe('system packages the system suite runs on', () => {
  it('PyQt5 (QtCore, QtWidgets) and pandas import under Debian\'s /usr/bin/python3', () => {
    const out = execFileSync('/usr/bin/python3', ['-c', 'import PyQt5.QtCore, PyQt5.QtWidgets, pandas; print(PyQt5.QtCore.PYQT_VERSION_STR)'], { encoding: 'utf8' });
    expect(out.trim()).toMatch(/^5\.\d+/);
  });

  it('a Korean font for Chromium (the page\'s screenshot shows Hangul, not empty boxes)', () => {
    expect(execFileSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' }).trim()).not.toBe('');
  });

  it('chromium and tmux are on PATH and run', () => {
    expect(execFileSync('chromium', ['--version'], { encoding: 'utf8' })).toMatch(/Chromium \d+/);
    expect(execFileSync('tmux', ['-V'], { encoding: 'utf8' })).toMatch(/tmux \d/);
  });
});
