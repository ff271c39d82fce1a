/**
 * The bridge protocol: the APIServer facade as a child process, for programs that are not
 * JavaScript (the Python drop-in in compat/python). One JSON object per line, UTF-8, `\n`-ended.
 *
 * **Calls in (stdin):** `{"id": 7, "method": "SendOrder", "args": ["buy", "2000", "1234567890", 1, "005930", 10, 0, "03", ""]}`
 * - `id` is the caller's (a number or string); it comes back on the reply and nowhere else.
 * - `method` is an APIServer method with its OCX name (`CommConnect`, `SetRealReg`, ...) or
 *   `api_init` / `cleanup`; `args` are its positional arguments (`api_init` takes one object:
 *   `{"sim_no": 1, "use_rest": false, "appkey": ..., "secretkey": ..., "log_level": "info"}`).
 * - Calls are started in the order their lines arrive (so SetInputValue before CommRqData holds);
 *   replies can come back in another order when an earlier call waits on the wire. `api_init`
 *   and `cleanup` are barriers: calls after them start once they have finished.
 *
 * **Replies out (stdout):** `{"id": 7, "result": 0}`, or `{"id": 7, "error": {"name": "ValidationError",
 * "message": "...", "field": "nQty"}}` (plus `code`, `category`, `apiId` when the error has them).
 * A line that is not a call gets `{"id": null, "error": {...}}`.
 *
 * **Events out (stdout):** `{"event": "OnReceiveRealData", "seq": 12, "args": ["005930", "주식체결", {"10": "+71200", ...}]}`.
 * Events carry no `id`; `seq` counts events from 1 so a consumer can tell it missed none. An
 * event caused by a call is written before that call's reply when the facade raises it before
 * the call resolves (CommConnect(true) → OnEventConnect, then the reply).
 *
 * **Start and end:** the first line is `{"ready": {"protocol": 1, "version": "...", "methods": [...], "events": [...], "nodeFlags": [...]}}`
 * (`nodeFlags`: the Node options the bridge runs under, e.g. `--optimize-for-size`).
 * When stdin ends the bridge calls `cleanup()` (if `api_init` ran) and exits 0.
 * Logs go to stderr only; stdout carries protocol lines and nothing else.
 */

/** Protocol revision; bumped on an incompatible change. */
export const PROTOCOL_VERSION = 1;

/** A call line. */
export interface CallMessage {
  id: number | string;
  method: string;
  args?: unknown[];
}

/** A serialised error. */
export interface ErrorBody {
  name: string;
  message: string;
  code?: number;
  field?: string;
  category?: string;
  apiId?: string;
}

/** A reply line. */
export type ReplyMessage = { id: number | string | null; result: unknown } | { id: number | string | null; error: ErrorBody };

/** An event line. */
export interface EventMessage {
  event: string;
  seq: number;
  args: unknown[];
}

/** The first line. */
export interface ReadyMessage {
  ready: { protocol: number; version: string; methods: string[]; events: string[]; nodeFlags: string[] };
}
