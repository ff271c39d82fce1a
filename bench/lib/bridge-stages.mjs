/**
 * Loaded into the drop-in's bridge by `bench/python-realtime.mjs --stages` (`node --import`):
 * stamps where each quote's latency goes inside the bridge, without touching the bridge's code.
 *
 * - Each REAL frame's receive time (µs since the epoch, the clock the emulator's send stamp
 *   uses) is written into its quotes as FID {@link RX_FID}, by wrapping `ws`'s 'message' event
 *   and the quote encoder (both its paths: from a FID dictionary and from the frame's text).
 * - Each line written to stdout starts with a record `{"tw": µs}`: when it was written. The
 *   reader ignores JSON records it does not know.
 * - Each garbage collection is appended to the file `BENCH_STAGES_GC` names, one line of JSON
 *   `{"start": µs, "ms": duration, "kind": "minor" | "major" | ...}`.
 * - The bridge's timeline, to say why a frame waited before the bridge read it: per REAL frame its
 *   send stamp (the emulator's FID 9999), its receive and the end of its handling; the spans the
 *   bridge spent writing lines; PING frames. At exit, the frames whose send→rx is in the p99 tail
 *   are each put down to what overlapped their wait (see {@link explainTail}), written as JSON to
 *   `BENCH_STAGES_GC` + `.timeline.json`.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import WebSocket from 'ws';
import { QuoteEncoder } from '../../dist/bridge/quotes.js';

/** FID the receive stamp rides in (the emulator's send stamp is 9999). */
export const RX_FID = '9991';
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** The emulator's send stamp FID (bench/python-realtime.mjs's STAMP). */
const SEND_FID = Buffer.from('"9999":"');
const PING = Buffer.from('{"trnm":"PING"');

let rx = '';
/** Per REAL frame: send, receive, end of handling (µs); PING receive times; the bridge's busy spans outside frames (writes). */
const frames = [];
const pings = [];
const writes = [];
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (name, ...args) {
  if (name !== 'message') return emit.call(this, name, ...args);
  const t = nowUs();
  rx = String(t);
  const data = args[0];
  const at = Buffer.isBuffer(data) ? data.indexOf(SEND_FID) : -1;
  if (Buffer.isBuffer(data) && data.subarray(0, PING.length).equals(PING)) pings.push(t);
  try {
    return emit.call(this, name, ...args);
  } finally {
    if (at >= 0) frames.push([Number(data.toString('latin1', at + SEND_FID.length, data.indexOf(0x22, at + SEND_FID.length))), t, nowUs()]);
  }
};

const encode = QuoteEncoder.prototype.encode;
QuoteEncoder.prototype.encode = function (code, name, values, define) {
  values[RX_FID] = rx;
  return encode.call(this, code, name, values, define);
};

// Quotes read as text: the stamp goes in front of the entry's values (a copy, --stages only).
const encodeText = QuoteEncoder.prototype.encodeText;
QuoteEncoder.prototype.encodeText = function (code, name, text, start, end, define) {
  const rest = text.slice(start + 1, end);
  const stamped = `{"${RX_FID}":"${rx}"${rest === '}' ? '' : ','}${rest}`;
  return encodeText.call(this, code, name, stamped, 0, stamped.length, define);
};

const write = process.stdout.write;
let ready = false;
process.stdout.write = function (chunk, ...rest) {
  // The first line is the ready message, which the reader parses alone.
  const t = nowUs();
  if (ready && typeof chunk === 'string') chunk = `{"tw":${t}}\u001e${chunk}`;
  ready = true;
  try {
    return write.call(this, chunk, ...rest);
  } finally {
    writes.push([t, nowUs()]);
  }
};

const gcFile = process.env.BENCH_STAGES_GC;
if (gcFile) {
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const lines = [];
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const gc = { start: Math.round((performance.timeOrigin + e.startTime) * 1000), ms: Math.round(e.duration * 1000) / 1000, kind: kinds[e.detail?.kind] ?? String(e.detail?.kind) };
      gcs.push(gc);
      lines.push(JSON.stringify(gc));
    }
  }).observe({ entryTypes: ['gc'] });
  const save = () => {
    if (lines.length > 0) appendFileSync(gcFile, `${lines.splice(0).join('\n')}\n`);
  };
  setInterval(save, 500).unref();
  process.once('exit', () => {
    save();
    writeFileSync(`${gcFile}.timeline.json`, JSON.stringify(explainTail(frames, gcs, pings, writes)));
  });
}

/**
 * Why the p99 tail of send→rx waited: each tail frame (send→rx at or above the p99 over all
 * frames) is put down to the first of these that overlapped its wait [send, rx]: a major or
 * incremental collection, a scavenge, a PING's arrival, the bridge handling earlier frames for
 * most of the wait (busy), a write of lines; else `idle` (the bridge was free: the wait was in
 * the emulator, the kernel or the scheduler). Also counts the tail's clusters (frames sent
 * within 20 ms of the previous tail frame), the GCs per second by kind, the writes' durations and
 * the tail's mean time overlapped by writes.
 */
export function explainTail(frames, gcs, pings, writes) {
  if (frames.length === 0) return { frames: 0 };
  const waits = frames.map(([s, r]) => r - s).sort((a, b) => a - b);
  const p99 = waits[Math.floor(0.99 * (waits.length - 1))];
  const tail = frames.filter(([s, r]) => r - s >= p99);
  const overlaps = (spans, a, b) => spans.reduce((sum, [x, y]) => sum + Math.max(0, Math.min(b, y) - Math.max(a, x)), 0);
  const gcSpans = (kind) => gcs.filter((g) => g.kind === kind).map((g) => [g.start, g.start + g.ms * 1000]);
  const spans = { major: gcSpans('major'), incremental: gcSpans('incremental'), minor: gcSpans('minor') };
  const handling = frames.map(([, r, d]) => [r, d]);
  const causes = {};
  const gcShare = { major: 0, incremental: 0, minor: 0 };
  for (const [s, r] of tail) {
    const wait = r - s;
    for (const k of Object.keys(gcShare)) gcShare[k] += overlaps(spans[k], s, r);
    const busy = overlaps(handling, s, r);
    const cause =
      overlaps(spans.major, s, r) > 0 ? 'major' :
      overlaps(spans.incremental, s, r) > 0 ? 'incremental' :
      overlaps(spans.minor, s, r) > 0 ? 'minor' :
      pings.some((p) => p >= s && p <= r) ? 'ping' :
      busy >= wait / 2 ? 'busy' :
      overlaps(writes, s, r) > 0 ? 'write' : 'idle';
    causes[cause] = (causes[cause] ?? 0) + 1;
  }
  let clusters = 0;
  for (let i = 0; i < tail.length; i++) if (i === 0 || tail[i][0] - tail[i - 1][0] > 20_000) clusters++;
  const seconds = (frames.at(-1)[1] - frames[0][1]) / 1e6;
  const perSecond = {};
  for (const g of gcs) if (g.start >= frames[0][1]) perSecond[g.kind] = (perSecond[g.kind] ?? 0) + 1 / seconds;
  const ms = (us) => Math.round(us / 10) / 100;
  // How long the writes of lines took (a write to a full pipe blocks until the reader reads).
  const writeUs = writes.map(([a, b]) => b - a).sort((a, b) => a - b);
  const writeMs = writeUs.length === 0 ? {} : { n: writeUs.length, p50: ms(writeUs[Math.floor(0.5 * (writeUs.length - 1))]), p99: ms(writeUs[Math.floor(0.99 * (writeUs.length - 1))]), max: ms(writeUs.at(-1)) };
  return {
    frames: frames.length,
    seconds: Math.round(seconds * 10) / 10,
    sendRxMs: { p50: ms(waits[Math.floor(0.5 * (waits.length - 1))]), p99: ms(p99), max: ms(waits.at(-1)) },
    tailFrames: tail.length,
    clusters,
    causes,
    writeMs,
    tailWriteMeanMs: ms(tail.reduce((sum, [s, r]) => sum + overlaps(writes, s, r), 0) / tail.length),
    tailGcMeanMs: Object.fromEntries(Object.entries(gcShare).map(([k, v]) => [k, ms(v / tail.length)])),
    gcPerSecond: Object.fromEntries(Object.entries(perSecond).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}
