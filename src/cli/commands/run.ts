/** `kiwoom-compat run program.py [args]`: a legacy Python OCX program, unchanged, on kiwoom-compat. */
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../options.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat run [--python PYTHON] program.py [args...]

Runs a Python program written for Kiwoom's OpenAPI+ OCX unchanged: \`python -m kiwoom_compat run\`
with this package's Python side, whose import hooks supply PyQt5.QAxContainer's QAxWidget (where
there is no ActiveX), pythoncom and win32com (where pywin32 is absent) and pykiwoom. With no
settings the program runs on the built-in emulator; Kiwoom's servers need KIWOOM_COMPAT_USE_REST=1
(and KIWOOM_COMPAT_SIM_NO=0 for production). See MIGRATION.md ("Python").

  --python PYTHON   the interpreter (default: $KIWOOM_COMPAT_PYTHON, else python3); a PyQt
                    program needs one with PyQt5, e.g. /usr/bin/python3 on Debian
  --no-hook NAME    leave a module to the real import (qaxcontainer, pythoncom, win32com, pykiwoom)`;

/** The directory holding the kiwoom_compat package in this install. */
const PYTHON_PACKAGE_DIR = fileURLToPath(new URL('../../../compat/python', import.meta.url));

async function run(args: string[]): Promise<number> {
  let python = process.env.KIWOOM_COMPAT_PYTHON ?? 'python3';
  const pass: string[] = [];
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('--'); i++) {
    if (args[i] === '--python' && args[i + 1] !== undefined) python = args[++i]!;
    else if (args[i] === '--no-hook' && args[i + 1] !== undefined) pass.push('--no-hook', args[++i]!);
    else throw new UsageError(`Unknown option '${args[i]!}'`);
  }
  const [program, ...rest] = args.slice(i);
  if (program === undefined) throw new UsageError('name the program to run: kiwoom-compat run program.py');
  // The package's own Python side first, so that the runner matches this Node side.
  const pythonPath = [PYTHON_PACKAGE_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  const child = spawn(python, ['-m', 'kiwoom_compat', 'run', ...pass, program, ...rest], { stdio: 'inherit', env: { ...process.env, PYTHONPATH: pythonPath } });
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`could not start ${python}: ${err.message} (install Python 3.8+, or name it with --python)`)));
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

export const runCommand: Command = { summary: 'run a legacy Python OCX program unchanged (python -m kiwoom_compat run)', help, run };
