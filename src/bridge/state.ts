/**
 * What ships with an event so that the reader answers the OCX's getters itself, without a
 * round trip: the OCX answered them at once from data the control held, and a legacy handler
 * calls them in tight loops (600 rows x 6 fields of GetCommData per chart page).
 *
 * - OnReceiveTrData carries `tr`: the answer as a table (what GetCommData / GetRepeatCnt read).
 * - OnEventConnect(0) carries `memo` with GetLoginInfo for every tag; OnReceiveConditionVer
 *   carries `memo` with GetConditionNameList. `memo` is `{method: {argument: answer}}`: the
 *   answer the bridge would give to that call now.
 *
 * Chejan and real-time values need nothing extra: they are the event's own arguments.
 */

/** What {@link stateFor} calls on the bridge's target. */
type Target = Record<string, unknown>;

/** GetLoginInfo tags answered at login (the OCX's, plus GetServerGubun). */
const LOGIN_TAGS = ['ACCOUNT_CNT', 'ACCNO', 'ACCLIST', 'USER_ID', 'USER_NAME', 'GetServerGubun', 'KEY_BSECGB', 'FIREW_SECGB'];

/** Getters whose answers ship with an event: event → method → the arguments to answer. */
const MEMO: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  OnEventConnect: { GetLoginInfo: LOGIN_TAGS },
  OnReceiveConditionVer: { GetConditionNameList: [''] },
};

/** The extra fields of an event message (`tr`, `memo`), or undefined when it carries none. */
export function stateFor(target: Target, event: string, args: readonly unknown[]): Record<string, unknown> | undefined {
  if (event === 'OnReceiveTrData') {
    const table = call(target, 'trSnapshot', [args[2], args[1]]);
    return table === undefined ? undefined : { tr: table };
  }
  if (event === 'OnEventConnect' && args[0] !== 0) return undefined;
  const wanted = MEMO[event];
  if (wanted === undefined) return undefined;
  const memo: Record<string, Record<string, unknown>> = {};
  for (const [method, keys] of Object.entries(wanted)) {
    const answers: Record<string, unknown> = {};
    for (const key of keys) {
      const answer = call(target, method, key === '' ? [] : [key]);
      if (answer !== undefined) answers[key] = answer;
    }
    memo[method] = answers;
  }
  return { memo };
}

/** A synchronous getter's answer; undefined when the target lacks it, it throws or it is async. */
function call(target: Target, method: string, args: unknown[]): unknown {
  const fn = target[method];
  if (typeof fn !== 'function') return undefined;
  try {
    const answer: unknown = fn.apply(target, args);
    if (answer instanceof Promise) {
      answer.catch(() => undefined);
      return undefined;
    }
    return answer ?? undefined;
  } catch {
    return undefined;
  }
}
