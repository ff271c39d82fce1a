/**
 * Input checks made before anything is sent: the api-id must be a documented REST TR, the
 * body a plain object with every field the registry marks required, and every scalar field a string.
 */
import { ValidationError } from '../errors.js';
import { getApi, type ApiSpec } from '../registry/index.js';
import type { JsonBody } from './response.js';

/** The registry entry of a REST TR `call()` may send, or a ValidationError naming the problem. */
export function checkRequest(apiId: unknown, body: unknown): { spec: ApiSpec; body: JsonBody } {
  if (typeof apiId !== 'string' || apiId === '') {
    throw new ValidationError(`api-id must be a non-empty string, got ${typeof apiId}`, { field: 'apiId' });
  }
  const spec = getApi(apiId);
  if (spec === undefined) {
    throw new ValidationError(`${apiId}: unknown api-id (not in the Kiwoom registry)`, { apiId, field: 'apiId' });
  }
  if (spec.transport === 'websocket') {
    throw new ValidationError(`${apiId}: WebSocket-only api-id; use the realtime session, not a REST call`, {
      apiId,
      field: 'apiId',
    });
  }
  if (spec.category === 'auth') {
    throw new ValidationError(`${apiId}: token endpoint; use token() and revoke()`, { apiId, field: 'apiId' });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const kind = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw new ValidationError(`${apiId}: the request body must be a JSON object, got ${kind}`, { apiId, field: 'body' });
  }
  const record = body as JsonBody;
  for (const field of spec.request) {
    const value = record[field.key];
    // Kiwoom documents every scalar request field as String and answers a number with 1902
    // only after the request was sent (and counted against the budget).
    if (field.list === undefined && field.type === 'String' && value !== undefined && value !== null && typeof value !== 'string') {
      throw new ValidationError(`${apiId}: field '${field.key}' (${field.name}) must be a string, got ${Array.isArray(value) ? 'an array' : typeof value}`, {
        apiId,
        field: field.key,
      });
    }
    if (field.required && field.list === undefined && (record[field.key] === undefined || record[field.key] === null)) {
      throw new ValidationError(`${apiId}: required field '${field.key}' (${field.name}) is missing`, {
        apiId,
        field: field.key,
      });
    }
  }
  return { spec, body: record };
}
