/**
 * The page's static files (`page/` in the package: plain HTML, CSS and a script module, no
 * build step and nothing fetched from elsewhere), read once at start and served with headers
 * that keep the browser to them: a Content-Security-Policy allowing only this origin, no
 * framing, no referrer, nothing cached.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/** Where the files are: `page/` beside `src/` and `dist/` (both sit two levels under the package). */
const PAGE_DIR = new URL('../../page/', import.meta.url);

/** Served paths → file and type. The login page is served on its own (see {@link Page.login}). */
const ASSETS: Readonly<Record<string, readonly [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** What `{{error}}` in login.html becomes when a wrong token was given. */
const WRONG_TOKEN = '<p class="error" role="alert">토큰이 맞지 않습니다 · wrong token</p>';

/** The page, loaded. */
export class Page {
  private constructor(
    private readonly assets: ReadonlyMap<string, { body: Buffer; type: string }>,
    private readonly loginHtml: string,
    private readonly loginCsp: string,
  ) {}

  /** Reads the files (a missing one fails the server's start, not a browser's first visit). */
  static async load(): Promise<Page> {
    const assets = new Map<string, { body: Buffer; type: string }>();
    for (const [path, [file, type]] of Object.entries(ASSETS)) assets.set(path, { body: await readFile(new URL(file, PAGE_DIR)), type });
    const loginHtml = await readFile(new URL('login.html', PAGE_DIR), 'utf8');
    // The login page is one self-contained file: its inline style is allowed by its hash alone.
    const style = /<style>([\s\S]*?)<\/style>/.exec(loginHtml)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    return new Page(assets, loginHtml, `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`);
  }

  /** Whether `path` is one of the page's files. */
  has(path: string): boolean {
    return this.assets.has(path);
  }

  /** Sends the file at `path` (which {@link has} said exists). */
  serve(path: string, res: ServerResponse): void {
    const asset = this.assets.get(path)!;
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': asset.type,
      'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    });
    res.end(asset.body);
  }

  /** The login form, with `status` (401: not logged in, or a wrong token when `wrongToken`). */
  login(res: ServerResponse, status: number, wrongToken = false, headers: Record<string, string> = {}): void {
    res.writeHead(status, { ...COMMON_HEADERS, ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': this.loginCsp });
    res.end(this.loginHtml.replace('{{error}}', wrongToken ? WRONG_TOKEN : ''));
  }
}
