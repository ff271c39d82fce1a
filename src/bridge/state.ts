/**
 * What ships with an event so that the reader answers the OCX's getters itself, without a
 * round trip: the OCX answered them at once from data the control held, and a legacy handler
 * calls them in tight loops (600 rows x 6 fields of GetCommData per chart page).
 *
 * - OnReceiveTrData carries `tr`: the answer as data (APIServer.trSnapshot: what GetCommData,
 *   GetRepeatCnt, GetDataCount, GetOutputValue and GetCommDataEx read).
 * - OnEventConnect(0) carries `memo` with what CommConnect loaded: GetLoginInfo for every tag,
 *   the code lists of every market and the master getters of every listed code, the theme
 *   list, the member firms. OnReceiveConditionVer carries `memo` with GetConditionNameList.
 *   `memo` is `{method: {argument: answer}}`: the answer the bridge would give to that call now.
 *
 * Only getters without side effects are called (no member that explains itself on
 * OnReceiveMsg). Chejan and real-time values need nothing extra: they are the event's own
 * arguments.
 */
import { MARKETS } from '../compat/markets.js';

/** What {@link stateFor} calls on the bridge's target. */
type Target = Record<string, unknown>;

/** GetLoginInfo tags answered at login (the OCX's, plus GetServerGubun). */
const LOGIN_TAGS = ['ACCOUNT_CNT', 'ACCNO', 'ACCLIST', 'USER_ID', 'USER_NAME', 'GetServerGubun', 'KEY_BSECGB', 'FIREW_SECGB'];
/** Master getters answered for every listed code at login. */
const PER_CODE = ['GetMasterCodeName', 'GetMasterListedStockCnt', 'GetMasterConstruction', 'GetMasterListedStockDate', 'GetMasterLastPrice', 'GetMasterStockState', 'GetMarketType'];

/** The extra fields of an event message (`tr`, `memo`), or undefined when it carries none. */
export function stateFor(target: Target, event: string, args: readonly unknown[]): Record<string, unknown> | undefined {
  switch (event) {
    case 'OnReceiveTrData': {
      const snapshot = call(target, 'trSnapshot', [args[2], args[1]]);
      return snapshot === undefined ? undefined : { tr: snapshot };
    }
    case 'OnEventConnect':
      return args[0] === 0 ? { memo: loginMemo(target) } : undefined;
    case 'OnReceiveConditionVer':
      return { memo: answers(target, { GetConditionNameList: [[]] }) };
    default:
      return undefined;
  }
}

function loginMemo(target: Target): Record<string, Record<string, unknown>> {
  const one = (list: readonly unknown[]): unknown[][] => list.map((a) => [a]);
  const memo = answers(target, {
    GetLoginInfo: one(LOGIN_TAGS),
    GetCodeListByMarket: one(Object.keys(MARKETS.markets)),
    GetThemeGroupList: [[0], [1]],
    GetBranchCodeName: [[]],
    GetAPIModulePath: [[]],
  });
  const all = memo['GetCodeListByMarket']?.[''];
  const codes = typeof all === 'string' ? all.split(';').filter((c) => c !== '') : [];
  Object.assign(memo, answers(target, Object.fromEntries(PER_CODE.map((m) => [m, one(codes)]))));
  return memo;
}

/** `{method: {argument: answer}}` for each method and argument list (keyed by its one argument as text, '' for none). */
function answers(target: Target, wanted: Record<string, readonly (readonly unknown[])[]>): Record<string, Record<string, unknown>> {
  const memo: Record<string, Record<string, unknown>> = {};
  for (const [method, calls] of Object.entries(wanted)) {
    const got: Record<string, unknown> = {};
    for (const args of calls) {
      const answer = call(target, method, [...args]);
      if (answer !== undefined) got[String(args[0] ?? '')] = answer;
    }
    if (Object.keys(got).length > 0) memo[method] = got;
  }
  return memo;
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
