/** A RealtimePort for unit tests that records the wire as text lines instead of sending. */
import type { RealtimePort } from '../../src/facade/ports.js';

export interface RecordingRealtime extends RealtimePort {
  /** `REG grp refresh items types` and `REMOVE grp items types`, in order. */
  sent: string[];
  /** Makes the n-th register call (1-based, counted from now) reject, as a server refusal. */
  failRegister: (n: number) => void;
}

export function fakeRealtime(): RecordingRealtime {
  const sent: string[] = [];
  let failAt = 0;
  return {
    sent,
    failRegister: (n) => void (failAt = n),
    register: (grp, items, types, refresh) => {
      if (failAt > 0 && --failAt === 0) return Promise.reject(new Error('RC: too many items'));
      sent.push(`REG ${grp} ${refresh === false ? '0' : '1'} ${items.join(',')} ${types.join(',')}`);
      return Promise.resolve();
    },
    remove: (grp, items, types) => {
      sent.push(`REMOVE ${grp} ${items.join(',')} ${types.join(',')}`);
      return Promise.resolve();
    },
    conditions: () => Promise.resolve([]),
    search: () => Promise.resolve([]),
    stopSearch: () => Promise.resolve(),
  };
}
