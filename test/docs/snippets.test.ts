import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { typecheck } from './typecheck.js';

/** The documents whose TypeScript snippets users copy. */
const DOCS = ['README.md', 'MIGRATION.md'];

/** A fenced TypeScript snippet and the document line its code starts on. */
interface Snippet {
  doc: string;
  line: number;
  code: string;
}

/** Every ```ts / ```typescript block, fences indented inside list items included. */
export function snippets(doc: string, text: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript|mts)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = '', fence = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    out.push({ doc, line: i + 2, code: body.join('\n') });
    i = j;
  }
  return out;
}

describe('TypeScript snippets in the docs compile under --strict', () => {
  const all = DOCS.flatMap((doc) => snippets(doc, readFileSync(new URL(`../../${doc}`, import.meta.url), 'utf8')));

  it('finds the snippets (README has its three usage examples at least)', () => {
    expect(all.filter((s) => s.doc === 'README.md').length).toBeGreaterThanOrEqual(3);
  });

  it('each snippet type-checks as a module of its own, against the package', () => {
    // `export {}` keeps a snippet without imports a module, so top-level await is allowed.
    const names = all.map((s) => `${s.doc.replace(/\W/g, '_')}_${s.line}.ts`);
    const diagnostics = typecheck(Object.fromEntries(all.map((s, i) => [names[i]!, `${s.code}\nexport {};\n`])));
    const located = diagnostics.map((d) => {
      const s = all[names.indexOf(d.file)]!;
      return `${s.doc}:${s.line + d.line - 1}: TS${d.code} ${d.message}`;
    });
    expect(located).toEqual([]);
  }, 60_000);
});
