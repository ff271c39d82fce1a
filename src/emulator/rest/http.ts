/**
 * The HTTP half of Kiwoom's protocol as a server: read a JSON body, answer an envelope with
 * Kiwoom's headers, and a 1999 answer rather than a crash when a handler fails. The emulator
 * and the gateway each give it their own routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Envelope } from './envelope.js';

/** Request bodies larger than this are refused (Kiwoom bodies are a few hundred bytes). */
const MAX_BODY = 1 << 20;

/** Kiwoom's content type. */
export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json;charset=UTF-8' };

/** What a route answers: the envelope and any headers beyond the content type (api-id, cont-yn, next-key). */
export interface Answer {
  envelope: Envelope;
  headers?: Record<string, string>;
}

/** One request: its path (no query), its parsed JSON body (`{}` when empty, undefined when not JSON). */
export interface KiwoomRequest {
  req: IncomingMessage;
  /** The response the answer will be written to (a route may watch it for a client hanging up). */
  res: ServerResponse;
  path: string;
  body: unknown;
  /** The raw body text. */
  text: string;
}

/** A route: an answer, or undefined when it dealt with the socket itself (a dropped request). */
export type KiwoomHandler = (request: KiwoomRequest) => Promise<Answer | undefined> | Answer | undefined;

/** The 404 of a path no route serves. */
export function notFound(path: string): Answer {
  return { envelope: { status: 404, body: { return_code: 2, return_msg: `지원하지 않는 URI입니다. URI=${path}` } } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function write(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  res.writeHead(answer.envelope.status, { ...JSON_HEADERS, ...answer.headers });
  res.end(JSON.stringify(answer.envelope.body));
}

/** A certificate and its private key (PEM), to serve HTTPS and WSS. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

/** Creates the HTTP (or, with `tls`, HTTPS) server, not yet listening; `handle` routes every request. */
export function createKiwoomHttpServer(handle: KiwoomHandler, tls?: TlsFiles): Server {
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let text: string;
    try {
      text = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const answer = await handle({ req, res, path, body: parseJson(text), text });
    if (answer !== undefined) write(res, answer);
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    serve(req, res).catch(() => {
      // A handler bug answers 1999 rather than killing the server.
      if (!res.headersSent && !res.destroyed) {
        write(res, { envelope: { status: 500, body: { return_code: 2, return_msg: '입력 값 오류입니다[1999:예기치 못한 에러가 발생했습니다.]' } } });
      }
    });
  };
  return tls === undefined ? createServer(listener) : createTlsServer({ cert: tls.cert, key: tls.key }, listener);
}
