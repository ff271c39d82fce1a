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
 */
import { appendFileSync } from 'node:fs';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import WebSocket from 'ws';
import { QuoteEncoder } from '../../dist/bridge/quotes.js';

/** FID the receive stamp rides in (the emulator's send stamp is 9999). */
export const RX_FID = '9991';
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

let rx = '';
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (name, ...args) {
  if (name === 'message') rx = String(nowUs());
  return emit.call(this, name, ...args);
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
  if (ready && typeof chunk === 'string') chunk = `{"tw":${nowUs()}}\u001e${chunk}`;
  ready = true;
  return write.call(this, chunk, ...rest);
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
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      lines.push(JSON.stringify({ start: Math.round((performance.timeOrigin + e.startTime) * 1000), ms: Math.round(e.duration * 1000) / 1000, kind: kinds[e.detail?.kind] ?? String(e.detail?.kind) }));
    }
  }).observe({ entryTypes: ['gc'] });
  const save = () => {
    if (lines.length > 0) appendFileSync(gcFile, `${lines.splice(0).join('\n')}\n`);
  };
  setInterval(save, 500).unref();
  process.once('exit', save);
}
