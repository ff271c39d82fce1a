"""A stand-in for `kiwoom-compat bridge --stdio` speaking protocol 3, for tests of the wire.

Modes (argv[1]):
  echo   answer every call with its arguments; Emit first writes the messages it is given,
         Fail answers with the error it is given, Stream(lines, per_line) answers at once and
         then writes, beside later answers, ``lines`` lines of ``per_line`` quotes (주식체결, FID
         10 = the quote's number from 1, code = that number) and one chejan event (9203 = its
         number from 1) each, then an OnReceiveMsg "end"
  stuck  say ready, then never answer, and ignore the end of stdin
"""
import json
import sys
import threading
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "echo"
out = sys.stdout
out.write(json.dumps({"ready": {"protocol": 3, "version": "fake", "methods": ["api_init", "cleanup", "Echo", "Emit", "GetLoginInfo", "Stream"], "events": [], "nodeFlags": []}}) + "\n")
out.flush()
if mode == "stuck":
    sys.stdin.read()
    while True:
        time.sleep(60)


def record(message):
    """A message as protocol 3 writes it: a quote given as [code, schema, values] compact, anything else as JSON."""
    if isinstance(message, list):
        return "%s\t%s\t%s" % (message[1], message[0], message[2])
    return json.dumps(message, ensure_ascii=False)


write_lock = threading.Lock()


def write(messages):
    with write_lock:
        out.write("\x1e".join(record(m) for m in messages) + "\n")
        out.flush()


def stream(lines, per_line):
    write([{"schema": 90, "real": "주식체결", "fids": ["10"]}])
    n = 0
    for i in range(lines):
        quotes = []
        for _ in range(per_line):
            n += 1
            quotes.append(["%06d" % n, 90, str(n)])
        write(quotes + [{"event": "OnReceiveChejanData", "args": ["0", {"9203": str(i + 1)}]}])
    write([{"event": "OnReceiveMsg", "args": ["", "stream", "", "end"]}])


for line in sys.stdin:
    call = json.loads(line)
    messages = []
    if call["method"] == "Emit":
        messages.extend(call["args"])
    if call["method"] == "Fail":
        messages.append({"id": call["id"], "error": call["args"][0]})
    else:
        messages.append({"id": call["id"], "result": call["args"]})
    write(messages)
    if call["method"] == "Stream":
        threading.Thread(target=stream, args=call["args"], daemon=True).start()
