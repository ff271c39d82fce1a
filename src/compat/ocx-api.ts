/**
 * The OCX's programming surface (`compat/ocx-api.json`): its 58 methods and 9 events with their
 * arguments in order and COM types, how each method answers on APIServer (at once, or after the
 * events it causes), and what the members with nothing behind them on Kiwoom REST answer.
 */
import { loadTable } from './load.js';

/** A COM type as the OCX's type library declares it. */
export type ComType = 'BSTR' | 'long' | 'int' | 'BOOL/long' | 'void' | 'VARIANT';

/** What an OCX member with no REST counterpart answers, and why. */
export interface NoRestAnswer {
  /** `""` for getters, or the `OP_ERR_*` name whose code a call returns. */
  answer: string;
  why: string;
}

/** One OCX method. */
export interface OcxMethodSpec {
  dispid: number;
  returns: ComType;
  /** `[name, COM type]` in the OCX's argument order. */
  args: [string, ComType][];
  /** `at-once`: a synchronous answer; `after-events`: a Promise that resolves after the events the call caused. */
  answers: 'at-once' | 'after-events';
  noRest?: NoRestAnswer;
}

/** One OCX event. */
export interface OcxEventSpec {
  dispid: number;
  args: [string, ComType][];
}

const file = loadTable<{ methods: Record<string, OcxMethodSpec>; events: Record<string, OcxEventSpec> }>('ocx-api.json');

/** The 58 OCX methods by name, in DispId order. */
export const OCX_API_METHODS: Readonly<Record<string, OcxMethodSpec>> = file.methods;
/** The 9 OCX events by name, in DispId order. */
export const OCX_API_EVENTS: Readonly<Record<string, OcxEventSpec>> = file.events;
