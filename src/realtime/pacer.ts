/**
 * Paces REG and REMOVE to the live server's rate: at most `perWindow` messages in any
 * `windowMs`, callers served in the order they asked. The live servers refuse a sixth
 * REG within a second with rc 105110 (compat/live.json); a restore that sent every group at
 * once would lose subscriptions on each reconnect.
 *
 * The budget belongs to one connection: when it ends, callers still waiting are refused at
 * once. Otherwise a restore cut short by a drop would keep the next connection's restore
 * waiting behind the slots of messages that can no longer be sent (20 groups: 3 s per drop).
 */

export class SendPacer {
  /** Send times still inside the window, oldest first. */
  #sent: number[] = [];
  #turn: Promise<void> = Promise.resolve();
  /** Counts connections: a waiter of an earlier one is refused. */
  #epoch = 0;
  #refusal: Error = new Error('the connection ended');
  readonly #sleepers = new Set<() => void>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /** Resolves when one more message fits; the caller sends at once. Rejects when the connection ended first. */
  slot(): Promise<void> {
    const epoch = this.#epoch;
    const next = this.#turn.then(() => this.#wait(epoch));
    this.#turn = next.catch(() => undefined);
    return next;
  }

  /** The connection ended (or a new one starts): a fresh budget, and callers still waiting get `refusal`. */
  reset(refusal: Error): void {
    this.#sent = [];
    this.#epoch++;
    this.#refusal = refusal;
    for (const wake of [...this.#sleepers]) wake();
  }

  async #wait(epoch: number): Promise<void> {
    for (;;) {
      if (epoch !== this.#epoch) throw this.#refusal;
      const now = Date.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - this.windowMs) this.#sent.shift();
      if (this.#sent.length < this.perWindow) {
        this.#sent.push(now);
        return;
      }
      await this.#sleep(this.#sent[0]! + this.windowMs - now + 1);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }
}
