/** The command table: name → module. A new command is a row here and a file beside it. */
import type { Command } from './command.js';
import { demo } from './demo.js';
import { emulator } from './emulator.js';
import { call } from './call.js';
import { migrate } from './migrate.js';
import { bridge } from './bridge.js';
import { serve } from './serve.js';
import { compare } from './compare.js';
import { watch } from './watch.js';
import { gateway } from './gateway.js';
import { runCommand } from './run.js';

export const commands: Record<string, Command> = { demo, emulator, call, migrate, bridge, serve, compare, watch, gateway, run: runCommand };
