/**
 * The facade's own table (`compat/facade.json`): request defaults for REST-only keys, the OCX's
 * internal order sTrCodes, the reconciliation queries, constant login-info tags and the real
 * types of a SetRealReg without FIDs.
 */
import { readFileSync } from 'node:fs';

interface QuerySpec {
  apiId: string;
  body: Record<string, string>;
  /** Response list key. */
  list: string;
}

interface FacadeTable {
  requestDefaults: Record<string, string>;
  orderTrCodes: Record<string, string>;
  reconcile: { openOrders: QuerySpec; history: QuerySpec; maxPages: number; balances: QuerySpec & { fids: Record<string, string> } };
  loginInfo: Record<string, string>;
  /** Real types SetRealReg registers for an empty FID list, by item kind. */
  realRegDefaults: Record<string, string[]>;
}

/** The facade table. */
export const FACADE: Readonly<FacadeTable> = JSON.parse(
  readFileSync(new URL('../../compat/facade.json', import.meta.url), 'utf8'),
) as FacadeTable;
