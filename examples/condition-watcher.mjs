#!/usr/bin/env node
/**
 * Condition-search watcher: lists the saved conditions, runs one in real time and logs the
 * stocks that enter (I) and leave (D) it. Runs on the built-in emulator:
 *
 *   npm run build && node examples/condition-watcher.mjs [conditionIndex] [seconds]
 */
import { pathToFileURL } from 'node:url';
import { APIServer } from '../dist/index.js';

/**
 * @param {{ index?: number, seconds?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ conditions: string[], name: string, initial: string[], changes: [string, string][] }>}
 */
export async function main({ index = 0, seconds = 10, log = console.log } = {}) {
  const api = new APIServer();
  const changes = [];
  let initial;
  const loaded = new Promise((resolve) => api.once('OnReceiveConditionVer', resolve));
  const first = new Promise((resolve) => api.once('OnReceiveTrCondition', (_screen, codes) => resolve(codes)));
  api.on('OnReceiveRealCondition', (code, type, name) => {
    changes.push([code, type]);
    log(`${type === 'I' ? 'enter' : 'leave'}    ${code} ${type === 'I' ? 'entered' : 'left'} "${name}"`);
  });

  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'warn' });
  try {
    if ((await api.CommConnect(true)) !== 0) throw new Error('login failed');
    await api.GetConditionLoad();
    await loaded;
    const conditions = api.GetConditionNameList().split(';').filter(Boolean);
    log(`list     ${conditions.join('  ')}`);
    const entry = conditions.find((c) => Number(c.split('^')[0]) === index);
    if (entry === undefined) throw new Error(`no condition with index ${index}`);
    const name = entry.split('^')[1];
    if ((await api.SendCondition('3000', name, index, 1)) !== 1) throw new Error(`SendCondition refused: ${api.GetLastError()?.message}`);
    initial = String(await first).split(';').filter(Boolean);
    log(`hits     "${name}": ${initial.length} stocks ${initial.slice(0, 10).join(' ')}${initial.length > 10 ? ' ...' : ''}`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await api.SendConditionStop('3000', name, index);
    log(`end      ${changes.length} changes while watching`);
    return { conditions, name, initial, changes };
  } finally {
    await api.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [index, seconds] = process.argv.slice(2);
  await main({ index: index === undefined ? 0 : Number(index), seconds: seconds === undefined ? 10 : Number(seconds) });
}
