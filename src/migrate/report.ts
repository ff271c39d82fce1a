/** Renders a {@link ScanResult} as Markdown (for people) or JSON (for tools). */
import type { ScanResult } from './scan.js';
import type { Finding } from './analyse.js';

const MARK: Record<Finding['severity'], string> = { ok: 'ok', check: 'check', unsupported: '**unsupported**' };

/** The scan as pretty-printed JSON (stable key order, one finding per site). */
export function toJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** The scan as a Markdown report: summary, what must change, then every site per file. */
export function toMarkdown(result: ScanResult): string {
  const { summary: s } = result;
  const out = [
    `# OCX migration scan: ${result.root}`,
    '',
    `${count(s.sites, 'OCX call site')} in ${s.files} of ${count(result.filesScanned, 'source file')}: ${s.ok} map directly, ${s.check} ${s.check === 1 ? 'needs' : 'need'} a check, ${s.unsupported} cannot work as written.`,
    '',
  ];
  const blocking = result.findings.filter((f) => f.severity === 'unsupported');
  if (blocking.length > 0) {
    out.push('## Must change', '');
    // A site may have no note of its own (a KOA_Functions sub-command): then only what to change.
    for (const f of blocking) out.push(`- \`${f.file}:${f.line}\` ${f.name}: ${[...f.notes, f.change].filter((part) => part !== '').join('. ')}`);
    out.push('');
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    out.push(`## ${file}`, '', '| line | OCX | APIServer | REST / WebSocket | status | notes |', '|---:|---|---|---|---|---|');
    for (const f of findings) {
      out.push(`| ${f.line} | ${cell(f.name)} | ${cell(f.facade ?? '—')} | ${cell(f.maps)} | ${MARK[f.severity]} | ${cell([...f.notes, ...(f.severity === 'ok' ? [] : [f.change])].join('; '))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** `1 file`, `2 files`: a count in English. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
