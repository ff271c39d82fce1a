/** One CLI command. `run` resolves to the process exit code. */
export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  run(args: string[]): Promise<number>;
}
