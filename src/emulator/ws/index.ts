/**
 * The emulator's WebSocket side, attached to the emulator's HTTP server at
 * `/api/dostk/websocket`. (Stub until the WebSocket side lands: it refuses upgrades.)
 */
import type { Server } from 'node:http';
import type { EmulatorContext } from '../context.js';

/** Controls the HTTP side calls into. */
export interface WsSide {
  /** Close every socket abruptly (network drop). */
  dropAll(): void;
  /** SYSTEM R10001 to every session, then close. */
  kickAll(): void;
  /** REAL frames per second over all subscriptions. */
  setRate(framesPerSecond: number): void;
  close(): Promise<void>;
}

export function attachWebSocket(server: Server, _ctx: EmulatorContext): WsSide {
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 501 Not Implemented\r\n\r\n');
  });
  return { dropAll() {}, kickAll() {}, setRate() {}, close: async () => {} };
}
