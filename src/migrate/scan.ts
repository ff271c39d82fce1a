/**
 * `scanProject(dir)`: walks a legacy code base, finds its OCX call sites and analyses them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { extractSites, languageOf } from './extract.js';
import { analyse, type Finding } from './analyse.js';
import { OCX_EVENTS, OCX_METHODS } from './surface.js';
import type { ScanTables } from './tables.js';

/** What a scan found. */
export interface ScanResult {
  /** The scanned directory as given. */
  root: string;
  /** Files read (relative, `/`-separated), whether or not they use the OCX. */
  filesScanned: number;
  findings: Finding[];
  summary: { sites: number; ok: number; check: number; unsupported: number; files: number };
}

/** Source files the scanner reads. */
export const SOURCE_EXTENSIONS: readonly string[] = ['.py', '.pyw', '.cs', '.ts', '.tsx', '.js', '.mjs', '.cjs'];
const SKIP_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', 'dist', 'build', 'bin', 'obj', '.idea', '.vs']);

/**
 * Scans every source file under `root` (or the one file `root` names).
 * @param tables lookups over the compat tables (see ./compat-tables.ts for the shipped ones).
 * @param onProgress called every 250 files on large code bases.
 */
export function scanProject(root: string, tables: ScanTables, onProgress?: (filesRead: number, total: number) => void): ScanResult {
  const paths = statSync(root).isFile() ? [root] : walk(root);
  const methods = new Set(Object.keys(OCX_METHODS));
  const events = new Set(Object.keys(OCX_EVENTS));
  const files = paths.map((p, i) => {
    if (i % 250 === 249) onProgress?.(i + 1, paths.length);
    const text = readFileSync(p, 'utf8');
    const file = (relative(root, p) || p.split(sep).at(-1) || p).split(sep).join('/');
    return { file, text, sites: extractSites(text, methods, events, languageOf(p)) };
  });
  const findings = analyse(files.filter((f) => f.sites.length > 0), tables);
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  return {
    root,
    filesScanned: files.length,
    findings,
    summary: { sites: findings.length, ok: count('ok'), check: count('check'), unsupported: count('unsupported'), files: new Set(findings.map((f) => f.file)).size },
  };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...walk(path));
    } else if (entry.isFile() && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      out.push(path);
    }
  }
  return out;
}
