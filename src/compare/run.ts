/** Runs one consumer scenario on two backends, one after the other, and compares what it saw. */
import { APIServer, EVENT_NAMES, type ApiInitOptions } from '../facade/index.js';
import { normaliseEvent, type NormalisedEvent } from './legacy-consumer.js';
import { diffStreams, diverges } from './diff.js';
import type { Comparison, Side } from './report.js';
import { VOLATILE_FACTS, type Scenario } from './scenario.js';

/** One backend: a label for reports and the api_init options that reach it. */
export interface BackendSpec {
  label: string;
  init: ApiInitOptions;
}

/**
 * Runs `scenario` on `a`, then on `b` (one after the other: two sessions on one app key would
 * end each other), and diffs the normalised event streams and the stable facts.
 */
export async function compareBackends(scenario: Scenario, a: BackendSpec, b: BackendSpec, onSide?: (side: Side) => void): Promise<Comparison> {
  const sa = await runOn(scenario, a);
  onSide?.(sa);
  const sb = await runOn(scenario, b);
  onSide?.(sb);
  const diff = diffStreams(sa.events, sb.events);
  const facts: Comparison['facts'] = {};
  for (const k of new Set([...Object.keys(sa.facts), ...Object.keys(sb.facts)])) {
    if (VOLATILE_FACTS.includes(k)) continue;
    if (JSON.stringify(sa.facts[k]) !== JSON.stringify(sb.facts[k])) facts[k] = [sa.facts[k], sb.facts[k]];
  }
  const diverged = diverges(diff) || Object.keys(facts).length > 0 || sa.error !== undefined || sb.error !== undefined;
  return { scenario: scenario.name, a: sa, b: sb, diff, facts, diverged };
}

async function runOn(scenario: Scenario, spec: BackendSpec): Promise<Side> {
  const started = performance.now();
  const api = new APIServer();
  // The stream as far as it got, so that a failure still shows where the backends parted.
  const partial: NormalisedEvent[] = [];
  for (const name of EVENT_NAMES) {
    api.on(name, ((...args: never) => {
      const n = normaliseEvent(name, args);
      if (n !== undefined) partial.push(n);
    }) as never);
  }
  try {
    await api.api_init(spec.init);
    const run = await scenario.run(api);
    return { label: spec.label, events: run.events, facts: run.facts ?? {}, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { label: spec.label, events: partial, facts: {}, error: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) };
  } finally {
    await api.cleanup();
  }
}
