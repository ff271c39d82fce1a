/**
 * The bridge protocol: the APIServer facade as a child process, for programs that are not
 * JavaScript (the Python drop-in in compat/python). UTF-8, `\n`-ended lines of JSON.
 *
 * **Calls in (stdin), one per line:** `{"id": 7, "method": "SendOrder", "args": ["buy", "2000", "1234567890", 1, "005930", 10, 0, "03", ""]}`
 * - `id` is the caller's (a number or string); it comes back on the reply and nowhere else.
 * - `method` is an APIServer method with its OCX name (`CommConnect`, `SetRealReg`, ...) or
 *   `api_init` / `cleanup`; `args` are its positional arguments (`api_init` takes one object:
 *   `{"sim_no": 1, "use_rest": false, "appkey": ..., "secretkey": ..., "log_level": "info"}`).
 * - Calls are started in the order their lines arrive (so SetInputValue before CommRqData holds);
 *   replies can come back in another order when an earlier call waits on the wire. `api_init`
 *   and `cleanup` are barriers: calls after them start once they have finished.
 *
 * **Out (stdout):** the first line is `{"ready": {"protocol": 3, "version": "...", "methods": [...], "events": [...], "nodeFlags": [...]}}`
 * (`nodeFlags`: the Node options the bridge runs under). Every later line holds the messages of
 * one event-loop turn (or of 1 ms of a longer turn), in the order they happened (so a burst of quotes costs one write), as
 * records joined by the ASCII record separator U+001E (JSON escapes it inside strings). A record
 * starting with a digit is a quote; any other is one JSON object:
 * - reply: `{"id": 7, "result": 0}`, or `{"id": 7, "error": {"name": "ValidationError", "message": "...", "field": "nQty"}}`
 *   (plus `code`, `category`, `apiId` when the error has them). A line that is not a call gets
 *   `{"id": null, "error": {...}}`. An event caused by a call comes before that call's reply
 *   when the facade raises it before the call resolves (CommConnect(true): OnEventConnect, then the reply).
 * - event: `{"event": "OnReceiveChejanData", "args": ["0", {"9203": "0000012", ...}]}`.
 * - quote (OnReceiveRealData), compact: `3\t005930\t152301\t+71200\t...`: a schema number, the
 *   code, and the values TAB-joined in the schema's FID order (for the OCX's FIDs, the OCX's
 *   sRealData order), split by the reader without a JSON decode. The schema comes first, once:
 *   `{"schema": 3, "real": "주식체결", "fids": ["20", "10", ...], "ocx": 38}` (`ocx`: how many leading
 *   FIDs make the OCX's sRealData). A quote that cannot be joined (a value that is not a
 *   string, or that holds a TAB, a line break or U+001E) comes as an event with a FID object instead.
 * - `{"coalesced": 12}`: the reader fell behind and quotes were merged: 12 so far. While the
 *   reader does not read, quotes for a code and real type that already wait replace the waiting
 *   one (latest values, in the first one's place); replies and every other event wait in order
 *   and are never merged or dropped. So the bridge's memory stays bounded.
 *
 * **End:** when stdin ends the bridge calls `cleanup()` (if `api_init` ran) and exits 0. Logs go
 * to stderr only; stdout carries protocol lines and nothing else.
 */

/** Protocol revision; bumped on an incompatible change. */
export const PROTOCOL_VERSION = 3;

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

/** An event message. */
export interface EventMessage {
  event: string;
  args: unknown[];
}

/** The first line. */
export interface ReadyMessage {
  ready: { protocol: number; version: string; methods: string[]; events: string[]; nodeFlags: string[] };
}
