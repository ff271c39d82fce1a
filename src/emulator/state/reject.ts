/**
 * A business rejection of an order (tick size, cash, hours, ...), named by its rule in
 * compat/emulator/rules.json. The REST side turns it into the `[2000](RCnnnn:...)` envelope.
 */
import { loadEmulatorData } from '../data.js';

/** One reject rule: Kiwoom's code (`RC4003`) and text. */
export interface RejectRule {
  code: string;
  text: string;
}

const rejects = loadEmulatorData<{ rejects: Record<string, RejectRule> }>('rules').rejects;

/** Names of the reject rules. */
export type RejectName = 'tick' | 'cash' | 'beforeOpen' | 'afterClose' | 'notInMock' | 'priceLimit' | 'sellQty' | 'noOrder' | 'qty';

/** Thrown by the order engine; carries the rule the order broke. */
export class BusinessReject extends Error {
  readonly rule: RejectRule;
  constructor(name: RejectName) {
    const rule = rejects[name];
    if (!rule) throw new RangeError(`no reject rule ${name} in rules.json`);
    super(`${rule.code}:${rule.text}`);
    this.rule = rule;
  }
}
