/**
 * Requests waiting for the server's reply. Kiwoom's replies carry no request id, only the
 * `trnm` they answer, and the server answers in order: one FIFO per trnm pairs them up.
 */
import { TimeoutError } from '../errors.js';

/** A control reply (LOGIN, REG, REMOVE, CNSRLST, CNSRREQ, CNSRCLR) as parsed. */
export interface ControlReply {
  trnm: string;
  return_code?: number | string;
  return_msg?: string;
  [key: string]: unknown;
}

interface Waiter {
  resolve(reply: ControlReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ReplyQueue {
  readonly #queues = new Map<string, Waiter[]>();

  constructor(private readonly timeoutMs: number) {}

  /** Wait for the next reply of this trnm; call before sending so that a fast reply is not missed. */
  expect(trnm: string): Promise<ControlReply> {
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(trnm);
      if (!queue) this.#queues.set(trnm, (queue = []));
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const q = this.#queues.get(trnm);
          const i = q?.indexOf(waiter) ?? -1;
          if (i >= 0) q?.splice(i, 1);
          reject(new TimeoutError(`No ${trnm} reply within ${this.timeoutMs} ms`, { phase: 'total' }));
        }, this.timeoutMs),
      };
      queue.push(waiter);
    });
  }

  /** Hand a reply to the oldest waiter of its trnm; false when nobody waits (an unexpected reply). */
  settle(reply: ControlReply): boolean {
    const waiter = this.#queues.get(reply.trnm)?.shift();
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  /** Reject every waiter (the socket is gone). */
  failAll(error: Error): void {
    for (const queue of this.#queues.values()) {
      for (const waiter of queue.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
      }
    }
  }
}
