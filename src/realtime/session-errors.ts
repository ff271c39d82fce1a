/** The session's own errors: closed, kicked by another login (R10001), auth circuit open. */
import { SessionError, type AuthError } from '../errors.js';

const R10001_MESSAGE =
  'Another login with the same app key took over this WebSocket session (SYSTEM R10001). ' +
  'Kiwoom allows one WebSocket session per app key; this session has stopped and will not reconnect. ' +
  'Close the other program or use a different app key.';

/** R10001: another login with the same app key took the session. */
export function kickedError(serverMessage: string): SessionError {
  return new SessionError(`${R10001_MESSAGE} Server: ${serverMessage}`, { code: 'R10001' });
}

/** The session was closed by its owner (or stopped for good). */
export function closedError(): SessionError {
  return new SessionError('RealtimeSession is closed', { code: 'closed' });
}

/** A request waited `ms` for an open session that never came: the server keeps dropping it, or cannot be reached. */
export function notOpenError(ms: number, reconnects: number): SessionError {
  return new SessionError(
    `The WebSocket session was not open within ${ms} ms (it is reconnecting in the background; ${reconnects} reconnects so far). ` +
      'The server keeps closing it or cannot be reached; the request was not sent.',
    { code: 'not-open' },
  );
}

/** Too many consecutive login refusals: what a person should check. */
export function circuitError(failures: number, last: AuthError): SessionError {
  return new SessionError(
    `WebSocket login refused ${failures} times in a row; stopped retrying (last: ${last.kiwoomMessage || last.message}). ` +
      'Check the app key and secret key, that this machine\'s IP is registered for the key, and that simNo matches ' +
      'the key (production keys fail on mockapi.kiwoom.com and paper-trading keys on api.kiwoom.com).',
    { code: 'auth-circuit-open', cause: last },
  );
}

/** Message and name only: a whole error object could drag request details into a log. */
export function errorSummary(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };
}
