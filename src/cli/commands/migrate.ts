/** `kiwoom-compat migrate scan <dir>`: report a legacy code base's OCX call sites and their REST mapping. */
import { writeFileSync } from 'node:fs';
import { scanProject } from '../../migrate/scan.js';
import { count, toJson, toMarkdown } from '../../migrate/report.js';
import { parseFlags, UsageError } from '../options.js';
import { compatTables } from '../../migrate/compat-tables.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat migrate scan <dir|file> [options]

Scans Python, C# and TS/JS sources for OpenAPI+ OCX calls (dynamicCall("..."), direct
method calls, SetInputValue/CommRqData TRs and Korean field names, SetRealReg FID lists,
GetChejanData FIDs, SendOrder hoga codes) and reports, per call site, the REST / WebSocket
mapping, what cannot work over REST, and what to change.

  --format md|json   report format (default md)
  --out FILE         write the report to FILE instead of stdout
  --strict           exit 1 when any site cannot work as written`;

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    format: { type: 'string', default: 'md' },
    out: { type: 'string' },
    strict: { type: 'boolean', default: false },
  }, 2);
  const [sub, dir] = positionals;
  if (sub !== 'scan') throw new UsageError(`unknown migrate sub-command "${sub ?? ''}": use \`kiwoom-compat migrate scan <dir>\``);
  if (dir === undefined) throw new UsageError('a directory or file to scan is required: `kiwoom-compat migrate scan <dir>`');
  if (values.format !== 'md' && values.format !== 'json') throw new UsageError(`--format must be md or json, got "${values.format}"`);
  const result = scanProject(dir, compatTables(), (n, total) => console.error(`scanning: ${n}/${total} files`));
  const text = values.format === 'json' ? toJson(result) : toMarkdown(result);
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
  const s = result.summary;
  console.error(`scanned ${count(result.filesScanned, 'file')}: ${count(s.sites, 'OCX site')}, ${s.ok} ok, ${s.check} to check, ${s.unsupported} unsupported${values.out === undefined ? '' : ` → ${values.out}`}`);
  return values.strict && s.unsupported > 0 ? 1 : 0;
}

export const migrate: Command = { summary: 'scan legacy OCX code and report its REST mapping (migrate scan <dir>)', help, run };
