/**
 * Type-checks TypeScript sources that exist only in memory (documentation snippets, probes of
 * the typed REST client) against the package's own sources, under the project's --strict
 * options, the way a user's program importing `kiwoom-compat` is checked.
 */
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One diagnostic, located in the virtual file it came from. */
export interface Diagnostic {
  file: string;
  line: number;
  code: number;
  message: string;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    // The package's public names, resolved to its sources so that no build is needed.
    paths: { 'kiwoom-compat': ['./src/index.ts'], 'kiwoom-compat/emulator': ['./src/emulator/index.ts'] },
  };
}

/**
 * Diagnostics of `sources` (virtual file name → text). The files are placed under the package
 * root, so they are ES modules (top-level await works) as a user's file in a `"type": "module"`
 * package is.
 */
export function typecheck(sources: Readonly<Record<string, string>>): Diagnostic[] {
  const virtual = new Map(Object.entries(sources).map(([name, text]) => [join(ROOT, '.typecheck', name), text]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = virtual.get(f);
    return text === undefined ? getSourceFile.call(host, f, lang, ...rest) : ts.createSourceFile(f, text, lang, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const out: Diagnostic[] = [];
  for (const file of [...virtual.keys()].map((f) => program.getSourceFile(f)!)) {
    for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line + 1;
      out.push({ file: file.fileName.slice(join(ROOT, '.typecheck').length + 1), line, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
    }
  }
  return out;
}
