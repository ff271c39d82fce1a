/**
 * Runs a legacy Python program of examples/legacy-python on the built-in emulator, either
 * unchanged through the runner (`python -m kiwoom_compat run program.py`) or with its imports
 * changed to kiwoom_compat's and no runner, and returns the RESULT line it prints.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PACKAGE = resolve('compat/python');

/** The import lines a program changes to run without the runner, and what each becomes. */
export const IMPORTS: [RegExp, string][] = [
  [/^from PyQt5\.QAxContainer import (\*|QAxWidget)$/m, 'from kiwoom_compat.qt import QAxWidget'],
  [/^from pykiwoom\.kiwoom import \*$/m, 'from kiwoom_compat.pykiwoom.kiwoom import *'],
  [/^import pythoncom$/m, 'from kiwoom_compat import pythoncom'],
  [/^import win32com\.client$/m, 'from kiwoom_compat import win32com'],
];

export interface Run {
  result: Record<string, unknown>;
  stderr: string;
  /** The import lines that were changed (empty under the runner). */
  changed: string[];
}

/**
 * Runs `program` (a file in examples/legacy-python) with `python`; `runner` false changes its
 * imports instead; `cli` runs it through `kiwoom-compat run` (dist/cli/main.js).
 */
export function runLegacy(program: string, { python = 'python3', runner = true, cli = false, env = {} }: { python?: string; runner?: boolean; cli?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const source = resolve('examples/legacy-python', program);
  let file = source;
  const changed: string[] = [];
  if (!runner) {
    let text = readFileSync(source, 'utf8');
    for (const [from, to] of IMPORTS) {
      const hit = from.exec(text);
      if (hit === null) continue;
      changed.push(`${hit[0]} → ${to}`);
      text = text.replace(from, to);
    }
    file = join(mkdtempSync(join(tmpdir(), 'legacy-python-')), program);
    writeFileSync(file, text);
  }
  const [command, args] = cli ? [process.execPath, ['dist/cli/main.js', 'run', '--python', python, file]] : [python, runner ? ['-m', 'kiwoom_compat', 'run', file] : [file]];
  const child = spawn(command, args, {
    env: { ...process.env, PYTHONPATH: PACKAGE, QT_QPA_PLATFORM: 'offscreen', KIWOOM_COMPAT_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) return reject(new Error(`${program} exited ${String(code)}\n${stdout}\n${stderr.slice(-3000)}`));
      resolvePromise({ result: JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>, stderr, changed });
    });
  });
}
