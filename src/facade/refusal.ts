/**
 * How a translation module says "no": the OCX return code (from compat/op-errors.json, by its
 * OP_ERR_* name or from the failure that happened) and a message that names the offending
 * argument or carries Kiwoom's own text.
 */
import { OP_ERRORS, opErrorFor, type OcxContext } from '../compat/op-errors.js';

/** An OCX `OP_ERR_*` name (`OP_ERR_ORD_WRONG_INPUT`). */
export type OpErrName = `OP_ERR_${string}`;

export interface Refusal {
  readonly refused: true;
  /** The OCX return code (negative). */
  readonly code: number;
  readonly message: string;
  /** Already said on OnReceiveMsg, in its place among the other events (the caller must not say it again). */
  readonly reported?: true;
}

const CODE_BY_NAME = new Map(
  Object.entries(OP_ERRORS).flatMap(([code, spec]) => (spec.name === null ? [] : [[spec.name, Number(code)] as const])),
);

/** The number of an OP_ERR_* name; throws for a name the table lacks (a programming error). */
export function opCode(name: OpErrName): number {
  const code = CODE_BY_NAME.get(name);
  if (code === undefined) throw new Error(`compat/op-errors.json has no ${name}`);
  return code;
}

/** A refusal with the code of an OP_ERR_* name. */
export function refuse(err: OpErrName, message: string): Refusal {
  return { refused: true, code: opCode(err), message };
}

/** A refusal for something the library threw while serving an OCX call of this kind. */
export function failed(error: unknown, context: OcxContext): Refusal {
  return { refused: true, code: opErrorFor(error, context), message: error instanceof Error ? error.message : String(error) };
}

/** Type guard for results that may be a {@link Refusal}. */
export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as { refused?: unknown }).refused === true;
}
