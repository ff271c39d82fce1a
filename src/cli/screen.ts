/**
 * Drawing a frame in place on a terminal the way full-screen tools do: the alternate screen,
 * cursor home, each line cleared to its end, the rest of the screen cleared. Nothing depends on
 * counting what the last frame took, so a resize (which reflows what is on screen) cannot make
 * frames stack; a resize redraws at once. Off a terminal, each frame is a snapshot followed by a blank line.
 */
export class Screen {
  private active = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  /** Whether frames are drawn in place. */
  get inPlace(): boolean {
    return this.out.isTTY === true;
  }

  /** The terminal's size; 80x24 off a terminal. */
  size(): { columns: number; rows: number } {
    return { columns: this.out.columns ?? 80, rows: this.out.rows ?? 24 };
  }

  /** Calls `redraw` whenever the terminal is resized; returns the unsubscribe. */
  onResize(redraw: () => void): () => void {
    this.out.on('resize', redraw);
    return () => this.out.off('resize', redraw);
  }

  draw(lines: readonly string[]): void {
    if (!this.inPlace) {
      this.out.write(`${lines.join('\n')}\n\n`);
      return;
    }
    if (!this.active) {
      this.active = true;
      this.out.write('\x1b[?1049h\x1b[?25l'); // alternate screen, cursor hidden
    }
    this.out.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[J`);
  }

  /** Leaves the alternate screen and prints `last` where the shell continues, so the final state stays visible. */
  close(last: readonly string[]): void {
    if (this.active) this.out.write('\x1b[?25h\x1b[?1049l');
    this.active = false;
    this.out.write(`${last.join('\n')}\n`);
  }
}
