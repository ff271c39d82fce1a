/**
 * The few OCX calls the control API makes, done the OCX way (SetInputValue + CommRqData, then
 * read inside OnReceiveTrData), so that `serve` goes through exactly the facade a legacy
 * program uses: same validation, same limits, same backends.
 */
import { getOpError, opErrorMessage } from '../compat/op-errors.js';
import type { APIServer, OrderType } from '../facade/index.js';

/** What `serve` needs of an APIServer. */
export type ServeApi = Pick<APIServer, 'SetInputValue' | 'CommRqData' | 'GetCommData' | 'GetRepeatCnt' | 'SendOrder' | 'SetRealReg' | 'SetRealRemove' | 'GetMasterCodeName' | 'GetLoginInfo' | 'GetLastError' | 'orderOutcome' | 'on' | 'off'>;

/** An OCX call that returned a non-zero code. */
export class OcxCallError extends Error {
  override name = 'OcxCallError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

let serial = 0;
/** A fresh rqname, so concurrent requests never read each other's answers. */
export const nextRqName = (what: string): string => `serve-${what}-${(serial += 1)}`;

/** Whether `rqname` is one of this module's own queries (not an order, and not another program's). */
export const isOwnQuery = (rqname: string): boolean => rqname.startsWith('serve-') && !rqname.startsWith('serve-order-');

/**
 * Runs one TR query and reads its answer inside OnReceiveTrData.
 * @param read called inside the handler with the rqname; what it returns is the result.
 */
export async function query<T>(api: ServeApi, trcode: string, inputs: Record<string, string>, screen: string, read: (rqname: string) => T): Promise<T> {
  const rqname = nextRqName(trcode);
  let messages: string[] = [];
  const answer = new Promise<T>((resolve, reject) => {
    const onTr = (_screen: string, rq: string): void => {
      if (rq !== rqname) return;
      done();
      try {
        resolve(read(rqname));
      } catch (err) {
        reject(err as Error);
      }
    };
    const onMsg = (_s: string, rq: string, _tr: string, msg: string): void => {
      if (rq === rqname) messages = [...messages, msg];
    };
    const done = (): void => {
      api.off('OnReceiveTrData', onTr);
      api.off('OnReceiveMsg', onMsg);
    };
    api.on('OnReceiveTrData', onTr);
    api.on('OnReceiveMsg', onMsg);
    // Inputs and the request go out in one synchronous run, so concurrent queries cannot mix inputs.
    for (const [name, value] of Object.entries(inputs)) api.SetInputValue(name, value);
    void Promise.resolve(api.CommRqData(rqname, trcode, 0, screen)).then(
      (ret) => {
        if (ret !== 0) {
          done();
          const why = api.GetLastError()?.message ?? messages.join('; ');
          reject(new OcxCallError(`${trcode}: CommRqData returned ${ret}${why === '' ? '' : `: ${why}`}`, ret));
        }
      },
      (err: unknown) => {
        done();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
  return answer;
}

/**
 * Sends one order through SendOrder and resolves with its rqname (the key of
 * `api.orderOutcome`) and its order number from OnReceiveTrData: empty while its fate is
 * unknown (the answer was lost and the facade is settling it).
 */
export async function order(api: ServeApi, args: { accno: string; orderType: number; code: string; qty: number; price: number; hoga: string; orgOrderNo: string }, screen: string): Promise<{ rqname: string; orderNo: string; message: string }> {
  const rqname = nextRqName('order');
  let message = '';
  let orderNo: string | undefined;
  const onTr = (_s: string, rq: string, trcode: string): void => {
    if (rq === rqname) orderNo = api.GetCommData(trcode, rq, 0, '주문번호').trim();
  };
  const onMsg = (_s: string, rq: string, _tr: string, msg: string): void => {
    if (rq === rqname) message = msg;
  };
  api.on('OnReceiveTrData', onTr);
  api.on('OnReceiveMsg', onMsg);
  try {
    // The number comes from a request body: SendOrder checks it and answers -300 for one outside 1..6.
    const ret = await api.SendOrder(rqname, screen, args.accno, args.orderType as OrderType, args.code, args.qty, args.price, args.hoga, args.orgOrderNo);
    if (ret !== 0) {
      const why = api.GetLastError()?.message ?? (message === '' ? opErrorMessage(ret) : message);
      throw new OcxCallError(`SendOrder returned ${ret} (${getOpError(ret)?.name ?? 'OP_ERR'}): ${why}`, ret);
    }
    return { rqname, orderNo: orderNo ?? '', message };
  } finally {
    api.off('OnReceiveTrData', onTr);
    api.off('OnReceiveMsg', onMsg);
  }
}
