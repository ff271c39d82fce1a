/** One CLI command. `run` resolves to the process exit code. */
export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  run(args: string[]): Promise<number>;
  /** `--help` given with these arguments, when they ask for something narrower (`call ka10001 --help`); undefined for the full help. */
  helpFor?(args: string[]): string | undefined;
}
