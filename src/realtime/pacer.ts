/**
 * Paces REG and REMOVE to the live server's rate: at most `perWindow` messages in any
 * `windowMs`, callers served in the order they asked. The live servers refuse a sixth
 * REG within a second with rc 105110 (compat/live.json); a restore that sent every group at
 * once would lose subscriptions on each reconnect.
 *
 * A message counts from its answer, not from its sending: the server counts arrivals, and a
 * message that left on time may arrive late (network jitter, a busy server), which would put
 * six arrivals in the server's second although five left in ours. Counting from the answer, an
 * upper bound of the arrival, keeps 105110 away without knowing the delay.
 *
 * The budget belongs to one connection: when it ends, callers still waiting are refused at
 * once. Otherwise a restore cut short by a drop would keep the next connection's restore
 * waiting behind the slots of messages that can no longer be sent (20 groups: 3 s per drop).
 */

export class SendPacer {
  /** Messages still inside the window: the time of their answer, or Infinity while unanswered. */
  #sent: { at: number }[] = [];
  #turn: Promise<void> = Promise.resolve();
  /** Counts connections: a waiter of an earlier one is refused. */
  #epoch = 0;
  #refusal: Error = new Error('the connection ended');
  readonly #sleepers = new Set<() => void>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Resolves when one more message fits; the caller sends at once and calls the function it
   * resolves to when the answer came (or the request failed). Rejects when the connection ended
   * first.
   */
  slot(): Promise<() => void> {
    const epoch = this.#epoch;
    const next = this.#turn.then(() => this.#wait(epoch));
    this.#turn = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** The connection ended (or a new one starts): a fresh budget, and callers still waiting get `refusal`. */
  reset(refusal: Error): void {
    this.#sent = [];
    this.#epoch++;
    this.#refusal = refusal;
    for (const wake of [...this.#sleepers]) wake();
  }

  async #wait(epoch: number): Promise<() => void> {
    for (;;) {
      if (epoch !== this.#epoch) throw this.#refusal;
      const now = Date.now();
      this.#sent = this.#sent.filter((m) => m.at > now - this.windowMs);
      if (this.#sent.length < this.perWindow) {
        const entry = { at: Number.POSITIVE_INFINITY };
        this.#sent.push(entry);
        return () => {
          if (entry.at !== Number.POSITIVE_INFINITY) return;
          entry.at = Date.now();
          // A caller waiting for this message's answer may now know when its turn comes.
          for (const wake of [...this.#sleepers]) wake();
        };
      }
      const oldest = Math.min(...this.#sent.map((m) => m.at));
      // All unanswered: wait for an answer (it wakes the sleepers), not for a time.
      await this.#sleep(Number.isFinite(oldest) ? oldest + this.windowMs - now + 1 : 60_000);
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
