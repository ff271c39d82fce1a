/**
 * The OCX's closed sets of values as literal types, so that a TypeScript caller's typo is a
 * compile error. The facade still checks them at run time with the OCX's codes: JavaScript,
 * Python and the bridge pass whatever they are given.
 */

/** `sim_no`: 0 production, 1..3 paper trading (the mock domain, or the built-in emulator without use_rest). */
export type SimNo = 0 | 1 | 2 | 3;

/**
 * SendOrder's `nOrderType`: 1 신규매수, 2 신규매도, 3 매수취소, 4 매도취소, 5 매수정정, 6 매도정정
 * (SendOrderCredit's the same, on credit).
 */
export type OrderType = 1 | 2 | 3 | 4 | 5 | 6;
