#!/usr/bin/env -S node --optimize-for-size
/**
 * `kiwoom-compat` command line. Each command is a module under ./commands exporting a
 * {@link Command}; this file only picks one and runs it.
 *
 * The shebang runs node with --optimize-for-size: bridge, serve and watch live as long as the
 * program they serve, and under default flags V8 lets the garbage of a fast real-time stream
 * pile up to a full GC, tens of MB (README, Performance).
 */
import { readFileSync } from 'node:fs';
import { commands } from './commands/index.js';
import { alreadyLogged } from './logging.js';
import { UsageError } from './options.js';

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'usage: kiwoom-compat <command> [options]',
    '',
    'commands:',
    ...rows,
    '',
    'kiwoom-compat help <command> (or <command> --help) for a command\'s options; kiwoom-compat --version.',
  ].join('\n');
}

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    console.log(usage());
    return 0;
  }
  const helpFor = name === 'help' ? rest[0]! : undefined;
  const commandName = helpFor ?? name;
  const command = Object.hasOwn(commands, commandName) ? commands[commandName] : undefined;
  if (command === undefined) {
    console.error(`kiwoom-compat: unknown command "${commandName}"\n\n${usage()}`);
    return 2;
  }
  try {
    if (helpFor !== undefined || rest.includes('--help') || rest.includes('-h')) {
      const args = helpFor === undefined ? rest : rest.slice(1);
      console.log(command.helpFor?.(args.filter((a) => a !== '--help' && a !== '-h')) ?? command.help);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`kiwoom-compat ${commandName}: ${err.message}\n${command.help.split('\n')[0]}   (kiwoom-compat help ${commandName})`);
    return 2;
  }
}

// A closed pipe (`kiwoom-compat demo | head -2`) is the reader saying it has enough: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // A warning or error the facade logged already says it; the exit status tells the rest.
    if (!alreadyLogged(message)) console.error(`kiwoom-compat: ${message}`);
    process.exitCode = 1;
  },
);
