/**
 * `bridge --stdio` as a child process, read as the Python side reads it: calls written to its
 * stdin, its stdout's lines split into messages (./protocol-lines.ts), replies paired by id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { readLine, type QuoteRecord } from './protocol-lines.js';

/** A running bridge process. */
export interface BridgeProcess {
  child: ChildProcess & { stdin: Writable; stderr: Readable };
  /** Every message read, in order (quotes as {@link QuoteRecord}). */
  messages: unknown[];
  quotes(): QuoteRecord[];
  stderr(): string;
  /** Sends a call; resolves with its result, or its error body. */
  call(method: string, ...args: unknown[]): Promise<unknown>;
  /** Resolves with the exit code; a bridge still running `killAfterMs` later is killed (and resolves null). */
  exit(killAfterMs?: number): Promise<number | null>;
}

/** Starts `dist/cli/main.js bridge --stdio`; `worker` sets KIWOOM_BRIDGE_WORKER; `stdoutFd`, when given, is its stdout (then not read). */
export function startBridge(worker: boolean, stdoutFd?: number): BridgeProcess {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'bridge', '--stdio'], { stdio: ['pipe', stdoutFd ?? 'pipe', 'pipe'], env: { ...process.env, KIWOOM_BRIDGE_WORKER: worker ? '1' : '0' } }) as ChildProcess & { stdin: Writable; stderr: Readable };
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const messages: unknown[] = [];
  const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  if (child.stdout !== null) createInterface({ input: child.stdout }).on('line', (line) => {
    for (const m of readLine(line)) {
      messages.push(m);
      const id = (m as { id?: number }).id;
      if (id !== undefined) waiting.get(id)?.(m as { result?: unknown });
    }
  });
  // A bridge that died has no reply for a call written after: the write's EPIPE is not the test's failure.
  child.stdin.on('error', () => undefined);
  let nextId = 0;
  return {
    child,
    messages,
    quotes: () => messages.filter(Array.isArray) as QuoteRecord[],
    stderr: () => stderr,
    call(method, ...args) {
      const id = ++nextId;
      child.stdin.write(`${JSON.stringify({ id, method, args })}\n`);
      return new Promise((resolve) => waiting.set(id, (m) => resolve(m.error ?? m.result)));
    },
    async exit(killAfterMs = 10_000) {
      const stuck = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exited;
      clearTimeout(stuck);
      return child.signalCode === 'SIGKILL' ? null : code;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it holds or `ms` pass; returns whether it held. */
export async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (check()) return true;
  return check();
}
