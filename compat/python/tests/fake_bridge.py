"""A stand-in for `kiwoom-compat bridge --stdio` speaking protocol 3, for tests of the wire.

Modes (argv[1]):
  echo   answer every call with its arguments; Emit first writes the messages it is given,
         Fail answers with the error it is given
  stuck  say ready, then never answer, and ignore the end of stdin
"""
import json
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "echo"
out = sys.stdout
out.write(json.dumps({"ready": {"protocol": 3, "version": "fake", "methods": ["api_init", "cleanup", "Echo", "Emit", "GetLoginInfo"], "events": [], "nodeFlags": []}}) + "\n")
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


for line in sys.stdin:
    call = json.loads(line)
    messages = []
    if call["method"] == "Emit":
        messages.extend(call["args"])
    if call["method"] == "Fail":
        messages.append({"id": call["id"], "error": call["args"][0]})
    else:
        messages.append({"id": call["id"], "result": call["args"]})
    out.write("\x1e".join(record(m) for m in messages) + "\n")
    out.flush()
