#!/usr/bin/env node
/**
 * What the OCX's synchronous getters cost on APIServer, and what CommConnect costs cold and
 * warm (a script, not a test: it prints figures and asserts nothing).
 *
 * - CommConnect on the built-in emulator with an empty master cache directory (cold: every
 *   master query is sent) and again with the file the first login wrote (warm): wall time and
 *   REST requests the emulator served, per login, median of N logins each.
 * - Each getter called in a loop after login (inside the TR or real-time handler for the ones
 *   that read the event being handled): µs per call, best of 3 rounds, against a baseline
 *   measured in the same run: a Map lookup returning a string.
 *
 * Usage: npm run build && node bench/ocx-getters.mjs [--logins 3] [--calls 20000]
 * Writes bench/results/ocx-getters.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, writeResult } from './lib/results.mjs';

const args = parseArgs();
const LOGINS = Number(args.get('--logins') ?? 3);
const CALLS = Number(args.get('--calls') ?? 20_000);

const { APIServer } = await import('../dist/index.js');
const { emulatorOf } = await import('../dist/emulator/index.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One login: api_init on a fresh emulator, then CommConnect timed; the requests it cost. */
async function login(cacheDir) {
  const api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'silent', master: { cacheDir }, emulator: { realRate: 200 } });
  const emu = emulatorOf(api);
  const before = emu.stats().requests;
  const t0 = performance.now();
  const rc = await api.CommConnect();
  const ms = performance.now() - t0;
  if (rc !== 0) throw new Error(`CommConnect returned ${rc}`);
  return { api, ms, requests: emu.stats().requests - before };
}

async function connects() {
  const cold = [];
  const warm = [];
  for (let i = 0; i < LOGINS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'ocx-bench-'));
    try {
      const a = await login(dir);
      cold.push({ ms: a.ms, requests: a.requests });
      await a.api.cleanup();
      const b = await login(dir);
      warm.push({ ms: b.ms, requests: b.requests });
      await b.api.cleanup();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    cold: { ms: Math.round(median(cold.map((c) => c.ms))), requests: median(cold.map((c) => c.requests)), runs: cold },
    warm: { ms: Math.round(median(warm.map((c) => c.ms))), requests: median(warm.map((c) => c.requests)), runs: warm },
  };
}

/** µs per call of `fn`, best of 3 rounds of CALLS calls. */
function perCall(fn) {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) sink += String(fn(i)).length;
    best = Math.min(best, ((performance.now() - t0) * 1000) / CALLS);
  }
  if (sink < 0) console.log(sink);
  return Number(best.toFixed(3));
}

async function getters() {
  const { api } = await login(false);
  const accno = api.GetLoginInfo('ACCNO').split(';')[0];
  const codes = api.GetCodeListByMarket('0').split(';').filter(Boolean);
  const theme = api.GetThemeGroupList(0).split('|')[0];
  const baseMap = new Map(codes.map((c) => [c, `name-${c}`]));
  const out = { baseline: perCall((i) => baseMap.get(codes[i % codes.length])) };
  const plain = {
    GetMasterCodeName: (i) => api.GetMasterCodeName(codes[i % codes.length]),
    GetMasterLastPrice: (i) => api.GetMasterLastPrice(codes[i % codes.length]),
    GetMasterListedStockCnt: (i) => api.GetMasterListedStockCnt(codes[i % codes.length]),
    GetMasterStockState: (i) => api.GetMasterStockState(codes[i % codes.length]),
    GetMarketType: (i) => api.GetMarketType(codes[i % codes.length]),
    'GetCodeListByMarket("0")': () => api.GetCodeListByMarket('0'),
    'GetCodeListByMarket("")': () => api.GetCodeListByMarket(''),
    GetThemeGroupList: () => api.GetThemeGroupList(0),
    GetThemeGroupCode: () => api.GetThemeGroupCode(theme),
    'KOA_Functions("GetMasterStockInfo")': (i) => api.KOA_Functions('GetMasterStockInfo', codes[i % codes.length]),
    GetLoginInfo: () => api.GetLoginInfo('ACCNO'),
    GetConnectState: () => api.GetConnectState(),
    'GetCommRealData (latest, outside a handler)': () => api.GetCommRealData('005930', 10),
  };
  for (const [name, fn] of Object.entries(plain)) out[name] = perCall(fn);

  // Getters that read the event being handled, timed inside the handler.
  api.SetInputValue('종목코드', '005930');
  let inTr;
  api.once('OnReceiveTrData', (_s, rq, tr) => {
    inTr = {
      GetCommData: perCall((i) => api.GetCommData(tr, rq, i % 600, '현재가')),
      GetRepeatCnt: perCall(() => api.GetRepeatCnt(tr, rq)),
      'GetCommDataEx (600 rows)': perCall(() => api.GetCommDataEx(tr, rq).length),
      GetOutputValue: perCall((i) => api.GetOutputValue('주식일봉차트조회', i % 600, 1)),
    };
  });
  await api.CommRqData('bench', 'opt10081', 0, '0101');
  Object.assign(out, inTr);
  let inReal;
  const real = new Promise((resolve) => {
    const on = (code, type) => {
      if (type !== '주식체결') return;
      api.off('OnReceiveRealData', on);
      inReal = { 'GetCommRealData (in the handler, by code)': perCall(() => api.GetCommRealData(code, 10)), 'GetCommRealData (in the handler, by real type)': perCall(() => api.GetCommRealData(type, 10)) };
      resolve();
    };
    api.on('OnReceiveRealData', on);
  });
  await api.SetRealReg('0102', '005930', '10', '0');
  await real;
  Object.assign(out, inReal);
  let inChejan;
  const chejan = new Promise((resolve) => {
    api.once('OnReceiveChejanData', () => {
      inChejan = { GetChejanData: perCall(() => api.GetChejanData(9203)) };
      resolve();
    });
  });
  await api.SendOrder('bench', '0103', accno, 1, '005930', 1, 0, '03', '');
  await chejan;
  Object.assign(out, inChejan);
  await api.cleanup();
  return { codes: codes.length, usPerCall: out };
}

const commConnect = await connects();
const g = await getters();
console.log(`CommConnect on the emulator, median of ${LOGINS}: cold ${commConnect.cold.ms} ms (${commConnect.cold.requests} REST requests), warm ${commConnect.warm.ms} ms (${commConnect.warm.requests} requests)`);
console.log(`getters, µs per call (best of 3 × ${CALLS}); baseline Map lookup ${g.usPerCall.baseline} µs; ${g.codes} KOSPI codes in the master`);
for (const [name, us] of Object.entries(g.usPerCall)) if (name !== 'baseline') console.log(`  ${name.padEnd(48)} ${String(us).padStart(9)} µs  (${(us / g.usPerCall.baseline).toFixed(1)}x baseline)`);
writeResult('ocx-getters', { logins: LOGINS, calls: CALLS, commConnect, getters: g });
process.exit(0);
