/** CPU time: of a stretch of work in this process (process.cpuUsage: user + system), and of another process so far (/proc). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim() || 100);

/** User + system CPU seconds another process has used so far (Linux /proc). */
export function procCpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1).trim().split(' ');
  return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
}

/** Start a measurement; `stop(count)` gives wall ms, CPU µs, per-op CPU µs and ops/s. */
export function startMeasure() {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  return {
    stop(count) {
      const wallMs = performance.now() - wall0;
      const cpu = process.cpuUsage(cpu0);
      const cpuUs = cpu.user + cpu.system;
      return {
        count,
        wallMs: Math.round(wallMs),
        cpuUs,
        cpuUsPerOp: cpuUs / count,
        opsPerSec: Math.round(count / (wallMs / 1000)),
      };
    },
  };
}

/** Run `task` `count` times with `concurrency` in flight. */
export async function runConcurrent(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
