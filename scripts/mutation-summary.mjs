#!/usr/bin/env node
/**
 * Per-module mutation scores from Stryker's JSON reports (reports/mutation/<group>.json; a
 * group not run yet is skipped), as the Markdown rows README's "Mutation testing" table shows. Score as Stryker counts it:
 * (killed + timed out) / (killed + timed out + survived + no coverage); ignored mutants and
 * those the TypeScript checker refused do not count.
 *
 *   node scripts/mutation-summary.mjs [report.json...]   (default: every group's report)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const files = Object.assign(
  {},
  ...(process.argv.length > 2 ? process.argv.slice(2) : everyReport())
    .filter((p) => existsSync(p))
    .map((p) => JSON.parse(readFileSync(p, 'utf8')).files),
);
const GOAL = 85;
const rows = [];
const total = { killed: 0, survived: 0, timeout: 0, noCoverage: 0 };
for (const [path, file] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  const n = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, ignored: 0, invalid: 0 };
  for (const m of file.mutants) {
    if (m.status === 'Killed') n.killed++;
    else if (m.status === 'Survived') n.survived++;
    else if (m.status === 'Timeout') n.timeout++;
    else if (m.status === 'NoCoverage') n.noCoverage++;
    else if (m.status === 'Ignored') n.ignored++;
    else n.invalid++;
  }
  for (const k of Object.keys(total)) total[k] += n[k];
  const valid = n.killed + n.timeout + n.survived + n.noCoverage;
  const score = valid === 0 ? 100 : ((n.killed + n.timeout) / valid) * 100;
  rows.push(`| \`${path}\` | ${valid} | ${n.killed} | ${n.timeout} | ${n.survived} | ${n.noCoverage} | **${score.toFixed(1)}%** | ${score >= GOAL ? 'met' : '**not met**'} |`);
}
const valid = total.killed + total.timeout + total.survived + total.noCoverage;
console.log('| module | mutants | killed | timed out | survived | no coverage | score | ≥ 85% |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`| all | ${valid} | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | **${(((total.killed + total.timeout) / valid) * 100).toFixed(1)}%** | |`);

/** Every group's report in reports/mutation/ (not the incremental files). */
function everyReport() {
  const dir = 'reports/mutation';
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.incremental.json')).map((f) => `${dir}/${f}`);
}
