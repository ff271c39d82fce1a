/** Results of a benchmark run: `bench/results/<name>.json`, read back by run-all for the summary. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const DIR = new URL('../results/', import.meta.url);

/** Write `bench/results/<name>.json` (with the time and Node version) and say so. */
export function writeResult(name, result) {
  mkdirSync(DIR, { recursive: true });
  const doc = { at: new Date().toISOString(), node: process.version, ...result };
  writeFileSync(new URL(`${name}.json`, DIR), JSON.stringify(doc, null, 2) + '\n');
  console.log(`wrote bench/results/${name}.json`);
  return doc;
}

/** The parsed `bench/results/<name>.json`, or undefined when there is none. */
export function readResult(name) {
  try {
    return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8'));
  } catch {
    return undefined;
  }
}

/** `--flag value` pairs and bare `--flag`s of this process. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = new Map();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.set(a, next);
      i++;
    } else out.set(a, true);
  }
  return out;
}
