#!/usr/bin/env -S node --optimize-for-size
/**
 * `kiwoom-compat` command line. Each command is a module under ./commands exporting a
 * {@link Command}; this file only picks one and runs it.
 *
 * The shebang runs node with --optimize-for-size: bridge, serve and watch live as long as the
 * program they serve, and under default flags V8 lets the garbage of a fast real-time stream
 * pile up to a full GC, tens of MB (README, Performance).
 */
import { commands } from './commands/index.js';

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: kiwoom-compat <command> [options]', '', 'commands:', ...rows, '', 'Run `kiwoom-compat <command> --help` for a command\'s options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    console.error(`kiwoom-compat: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`kiwoom-compat: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
