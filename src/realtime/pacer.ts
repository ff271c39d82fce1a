/**
 * Paces REG and REMOVE to the live server's rate: at most `perWindow` messages in any
 * `windowMs`, callers served in the order they asked. The live servers refuse a sixth
 * REG within a second with rc 105110 (compat/live.json); a restore that sent every group at
 * once would lose subscriptions on each reconnect.
 */

export class SendPacer {
  /** Send times still inside the window, oldest first. */
  #sent: number[] = [];
  #turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /** Resolves when one more message fits; the caller sends at once. */
  slot(): Promise<void> {
    const next = this.#turn.then(() => this.#wait());
    this.#turn = next;
    return next;
  }

  /** A new connection has a fresh budget. */
  reset(): void {
    this.#sent = [];
  }

  async #wait(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - this.windowMs) this.#sent.shift();
      if (this.#sent.length < this.perWindow) {
        this.#sent.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.#sent[0]! + this.windowMs - now + 1));
    }
  }
}
