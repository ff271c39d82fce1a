#!/usr/bin/env node
/**
 * Prints the top of a profile written by `bench/bridge-real.mjs --profile FILE` (a tool for a
 * reader, not a benchmark): for FILE.cpuprofile each function's self and total ms, for
 * FILE.heapprofile the KB allocated per call site (the site and its 3 callers).
 *
 * Usage: node bench/lib/profile-top.mjs FILE.cpuprofile|FILE.heapprofile [rows=30]
 */
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const frame = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const top = (map, scale, unit) => {
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${(v / scale).toFixed(1).padStart(9)} ${unit}  ${k}`);
};
const add = (map, k, v) => map.set(k, (map.get(k) ?? 0) + v);

if (file.endsWith('.cpuprofile')) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const own = new Map();
  const total = new Map();
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    add(own, frame(byId.get(id)), us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(frame(byId.get(at)));
    for (const k of seen) add(total, k, us);
  });
  console.log(`busy ms ${((total.get(frame(profile.nodes[0])) - (own.get('(idle) :0') ?? 0)) / 1000).toFixed(0)}`);
  console.log('--- self ms');
  top(own, 1000, 'ms');
  console.log('--- total ms');
  top(total, 1000, 'ms');
} else {
  const sites = new Map();
  const walk = (n, stack) => {
    const path = [...stack, frame(n)];
    if (n.selfSize > 0) add(sites, path.slice(-4).join(' > '), n.selfSize);
    for (const c of n.children) walk(c, path);
  };
  walk(profile.head, []);
  console.log(`sampled KB ${([...sites.values()].reduce((a, b) => a + b, 0) / 1000).toFixed(0)}`);
  top(sites, 1000, 'KB');
}
