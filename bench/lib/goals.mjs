/**
 * Every goal of issue 6 and how to read its figure from a results file. `read` returns the
 * figure as text and `met` (undefined when the file has no such figure, e.g. an older format).
 */

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const check = (value, ok, text) => ({ figure: value === undefined ? 'n/a' : text(value), met: value === undefined ? undefined : ok(value) });

/** The first number under a key matching `pattern`, depth-first (for results whose shape is not fixed yet). */
function findNumber(value, pattern, depth = 0) {
  if (value === null || typeof value !== 'object' || depth > 4) return undefined;
  for (const [key, v] of Object.entries(value)) if (pattern.test(key) && num(v) !== undefined) return v;
  for (const v of Object.values(value)) {
    const found = findNumber(v, pattern, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export const GOALS = [
  {
    label: 'RealtimeSession CPU/frame vs bare ws',
    source: 'realtime',
    target: '<= 1.3x',
    read: (r) => check(num(r.throughput?.ratioCpuPerFrame), (v) => v <= 1.3, (v) => `${v.toFixed(2)}x`),
  },
  {
    label: 'APIServer CPU/frame vs bare ws',
    source: 'facade-real',
    target: '<= 1.5x',
    read: (r) => {
      const ratio = num(r.ratioCpuPerFrame) ?? findNumber(r, /^ratio.*(facade|api|c)/i) ?? findNumber(r, /ratio/i);
      return check(ratio, (v) => (typeof r.goalMet === 'boolean' ? r.goalMet : v <= 1.5), (v) => `${v.toFixed(2)}x`);
    },
  },
  {
    label: 'KiwoomRest.call CPU/call vs bare undici',
    source: 'rest-path',
    target: '<= 1.5x',
    read: (r) =>
      check(num(r.ratioCpuPerCall), (v) => v <= 1.5, (v) => `${v.toFixed(2)}x (vs bare fetch ${num(r.ratioVsFetch)?.toFixed(2) ?? 'n/a'}x)`),
  },
  {
    label: 'rate limiter: achieved / budget, 429s',
    source: 'rate-limit',
    target: '>= 97%, 0 x 429',
    read: (r) => {
      const rows = Array.isArray(r.rows) ? r.rows : [];
      if (rows.length === 0) return { figure: 'n/a', met: undefined };
      const worst = Math.min(...rows.map((row) => row.percentOfBudget));
      const n429 = rows.reduce((n, row) => n + (row.emulator429s ?? 0), 0);
      return { figure: `worst ${worst}%, ${n429} x 429`, met: typeof r.goalMet === 'boolean' ? r.goalMet : worst >= 97 && n429 === 0 };
    },
  },
  ...memoryGoals('memory, default flags', (r) => r),
  ...memoryGoals('memory, --optimize-for-size', (r) => r.optimizeForSize),
  {
    label: 'reconnect: server back -> all restored, p95',
    source: 'realtime',
    target: '< 1000 ms',
    read: (r) =>
      check(num(r.reconnect?.restoreMs?.p95), (v) => v < 1000, (v) => `${v} ms (p50 ${r.reconnect.restoreMs.p50}, max ${r.reconnect.restoreMs.max})`),
  },
  {
    label: 'faults: duplicates / lost chejan, secrets in logs',
    source: 'faults',
    target: '0 / 0',
    read: (r) => {
      const dup = num(r.duplicatesFound);
      const lost = num(r.lostFound) ?? 0;
      const secrets = num(r.secretsFound);
      if (dup === undefined || secrets === undefined) return { figure: 'n/a', met: undefined };
      return { figure: `${dup + lost} / ${secrets} (${r.drops ?? 0} drops, ${r.framesFuzzed ?? 0} frames fuzzed)`, met: dup + lost === 0 && secrets === 0 };
    },
  },
];

/** Growth and peak rows for one run of bench/memory.mjs; `pick` finds the run in the file. */
function memoryGoals(what, pick) {
  return [
    {
      label: `${what}: RSS growth, end of warm-up -> end`,
      source: 'memory',
      target: '< 10%',
      read: (file) => {
        const r = pick(file) ?? {};
        return check(
          num(r.growthPct),
          (v) => v < 10,
          (v) => `${v.toFixed(1)}% (${r.seconds} s after ${r.warmupSeconds} s warm-up; trend ${r.rssTrend?.pct}%)`,
        );
      },
    },
    {
      label: `${what}: peak RSS`,
      source: 'memory',
      target: '< 150 MB',
      read: (file) => {
        const r = pick(file) ?? {};
        const bare = r === file ? file.baseline : undefined;
        return check(num(r.rssMb?.peak), (v) => v < 150, (v) => `${v} MB${bare ? ` (bare ws client ${bare.rssMb.peak} MB)` : ''}`);
      },
    },
  ];
}
