/**
 * How a translation module says "no" before anything is sent: the OCX return code's name and a
 * message that names the offending argument. The facade turns the name into the number.
 */

/** An OCX `OP_ERR_*` name (`OP_ERR_ORD_WRONG_INPUT`). */
export type OpErrName = `OP_ERR_${string}`;

export interface Refusal {
  readonly refused: true;
  readonly err: OpErrName;
  readonly message: string;
}

/** Builds a {@link Refusal}. */
export function refuse(err: OpErrName, message: string): Refusal {
  return { refused: true, err, message };
}

/** Type guard for results that may be a {@link Refusal}. */
export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as { refused?: unknown }).refused === true;
}
