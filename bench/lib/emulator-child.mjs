/**
 * The emulator in a child process, so that process.cpuUsage() and the heap of a benchmark
 * measure the client alone. Run as a child it starts `startEmulator(options)` from dist/ and
 * serves fault and counter calls over IPC; imported, it gives {@link startEmulatorChild}.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

if (process.argv[1] === SELF && process.send) await serve(JSON.parse(process.argv[2] ?? '{}'));

async function serve(options) {
  const { startEmulator } = await import('../../dist/emulator/index.js');
  const emu = await startEmulator(options);
  const ops = {
    stats: () => emu.stats(),
    setRate: (fps) => emu.setRate(fps),
    fault: (name, ...args) => emu.faults[name](...args),
    orderLedger: () => emu.orderLedger(),
    fillLedger: () => emu.fillLedger(),
    master: () => emu.state.master.map((s) => s.code),
    memory: () => process.memoryUsage(),
    close: async () => {
      await emu.close();
      setImmediate(() => process.exit(0));
    },
  };
  process.on('message', async ({ id, op, args }) => {
    try {
      process.send({ id, result: await ops[op](...args) });
    } catch (error) {
      process.send({ id, error: String(error?.message ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({
    ready: { restUrl: emu.restUrl, wsUrl: emu.wsUrl, appkey: emu.appkey, secretkey: emu.secretkey, account: emu.account },
  });
}

/**
 * Start an emulator in a child process.
 * @param {object} options startEmulator options (JSON-serialisable)
 * @returns {Promise<{restUrl: string, wsUrl: string, appkey: string, secretkey: string, account: string,
 *   call: (op: string, ...args: unknown[]) => Promise<any>, close: () => Promise<void>}>}
 */
export async function startEmulatorChild(options = {}) {
  const child = fork(SELF, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator child exited early (code ${code})`)));
    child.on('message', (msg) => {
      if (msg.ready) return resolve(msg.ready);
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    });
  });
  const info = await ready;
  const call = (op, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, args });
    });
  return {
    ...info,
    pid: child.pid,
    call,
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      await call('close').catch(() => undefined);
      await exited;
    },
  };
}
