/**
 * The emulator in a child process, so that process.cpuUsage() and the heap of a benchmark
 * measure the client alone. Run as a child it starts `startEmulator(options)` from dist/ and
 * serves fault and counter calls over IPC; imported, it gives {@link startEmulatorChild}.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

if (process.argv[1] === SELF && process.send) await serve(JSON.parse(process.argv[2] ?? '{}'));

async function serve({ stampFid, ...options }) {
  if (stampFid !== undefined) await stampRealFrames(stampFid);
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
 * Writes the send time into every REAL entry, as FID `fid` (µs since the epoch, the wall clock
 * every process on the machine shares), so that a client can measure the latency from the
 * server's send to its handler. Patches `ws` in this child only: the emulator itself is unchanged.
 */
async function stampRealFrames(fid) {
  const { WebSocket } = await import('ws');
  const head = Buffer.from('{"trnm":"REAL"');
  const marker = Buffer.from('"values":{');
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data, options, cb) {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (!Buffer.isBuffer(buf) || buf.compare(head, 0, head.length, 0, head.length) !== 0) return send.call(this, data, options, cb);
    const pair = `"${fid}":"${Math.round((performance.timeOrigin + performance.now()) * 1000)}"`;
    const stamp = Buffer.from(`${pair},`);
    const alone = Buffer.from(pair);
    const parts = [];
    let from = 0;
    for (let at = buf.indexOf(marker); at !== -1; at = buf.indexOf(marker, from)) {
      const end = at + marker.length;
      parts.push(buf.subarray(from, end), buf[end] === 0x7d ? alone : stamp);
      from = end;
    }
    parts.push(buf.subarray(from));
    return send.call(this, Buffer.concat(parts), options, cb);
  };
}

/**
 * Start an emulator in a child process.
 * @param {object} options startEmulator options (JSON-serialisable), and `stampFid` (see stampRealFrames)
 * @returns {Promise<{restUrl: string, wsUrl: string, appkey: string, secretkey: string, account: string,
 *   call: (op: string, ...args: unknown[]) => Promise<any>, close: () => Promise<void>}>}
 */
export async function startEmulatorChild(options = {}) {
  // BENCH_EMULATOR_FLAGS: Node flags for the emulator alone (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
  const execArgv = (process.env.BENCH_EMULATOR_FLAGS ?? '').split(' ').filter(Boolean);
  const child = fork(SELF, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
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
