/** Opening and closing one WebSocket, with the failures mapped onto the error tree. */
import WebSocket from 'ws';
import { HttpError, NetworkError } from '../errors.js';

/** How long closeSocket waits for the server's close frame before terminating. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Resolves with the open socket; rejects with HttpError (upgrade refused) or NetworkError.
 * A frame longer than `maxPayload` bytes closes the socket (1009) instead of being buffered.
 */
export function openSocket(url: string, handshakeTimeoutMs: number, maxPayload: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: handshakeTimeoutMs, maxPayload });
    const fail = (error: Error): void => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(error);
    };
    ws.once('unexpected-response', (_req, res) => {
      fail(new HttpError(`WebSocket upgrade to ${url} answered HTTP ${res.statusCode}`, { status: res.statusCode ?? 0 }));
    });
    ws.once('error', (error) => fail(new NetworkError(`WebSocket connect to ${url} failed: ${error.message}`, { cause: error })));
    ws.once('open', () => {
      ws.removeAllListeners();
      resolve(ws);
    });
  });
}

/** Close politely, terminate if the server does not answer in time. */
export function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1000, 'client closing');
  });
}
