"""One client of bench/python-realtime.mjs: receives the emulator's REAL stream for 100 codes x
0B/0D and reports what its handler got. Run by the benchmark, not by hand:

    python3 bench/python/realtime_client.py '{"mode": "plain" | "dropin", ...}'

- ``plain``: a client written as Kiwoom's official Python samples are (``websockets``, the
  asyncio API with ``ping_interval=None``; LOGIN, REG, PING echoed as received, ``json.loads``
  per frame, a handler per REAL entry).
- ``dropin``: the kiwoom_compat drop-in (``APIServer`` with an ``OnReceiveRealData`` method,
  the api_server sketch's idiom), its bridge pointed at the same emulator.

Both handlers do the same work: read FID 10 and the stamp FID the benchmark's emulator writes
into every entry (its clock when it sent the frame, µs since the epoch), and keep the latency.
Protocol with the benchmark: this prints ``{"ready": ...}`` once subscribed and then waits for a
line on stdin ("go"); then it measures ``warmup`` + ``seconds``; the drop-in then prints
``{"drain": true}`` and waits for a line (the stream has stopped) and for its backlog to arrive;
then it prints ``{"result": ...}``.
"""
import json
import os
import sys
import threading
import time

OPTS = json.loads(sys.argv[1])
STAMP = OPTS.get("stampFid", "9999")
CODES = OPTS["codes"]


class Meter(object):
    """What the handler saw during the measured window, and the CPU this process used in it."""

    def __init__(self):
        self.on = False
        self.count = 0
        self.lat = []
        self.cpu0 = self.wall0 = self.epoch0 = 0.0
        self.extra = {}

    def start(self):
        self.lat = []
        self.count = 0
        self.cpu0 = time.process_time()
        self.wall0 = time.monotonic()
        self.epoch0 = time.time()
        self.on = True

    def stop(self):
        self.on = False
        cpu = time.process_time() - self.cpu0
        wall = time.monotonic() - self.wall0
        lat = sorted(self.lat)

        def pct(p):
            return round(lat[min(len(lat) - 1, int(p * len(lat)))] / 1000.0, 3) if lat else None

        return {
            "events": self.count,
            "seconds": round(wall, 3),
            "eventsPerSec": round(self.count / wall),
            "cpuSeconds": round(cpu, 3),
            "cpuUsPerEvent": round(cpu * 1e6 / self.count, 2) if self.count else None,
            "cpuShare": round(cpu / wall, 3),
            "p50ms": pct(0.50),
            "p99ms": pct(0.99),
            "maxMs": round(lat[-1] / 1000.0, 3) if lat else None,
        }


METER = Meter()
#: Set when the benchmark says "go" (the stream runs from then on).
GO = threading.Event()


def on_entry(price, stamp):
    """The handler's work, the same in both clients."""
    if METER.on:
        METER.count += 1
        METER.lat.append(time.time() * 1e6 - int(stamp))
    return price


def stat_cpu(path):
    """User + system CPU seconds from a /proc stat file (a process's or a thread's), or None."""
    try:
        with open(path) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def proc_cpu(pid):
    """CPU seconds of another process (Linux /proc)."""
    return stat_cpu("/proc/%d/stat" % pid)


def thread_cpu():
    """CPU seconds of each of this process's threads, by thread name (Linux /proc)."""
    out = {}
    for t in threading.enumerate():
        cpu = stat_cpu("/proc/self/task/%d/stat" % t.native_id)
        if cpu is not None:
            out[t.name] = cpu
    return out


def proc_rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        return None
    return None


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def measure(other_pid=None):
    """Waits for "go", then the warm-up, then measures the window; returns the result."""
    sys.stdin.readline()
    GO.set()
    time.sleep(OPTS["warmup"])
    other0 = proc_cpu(other_pid) if other_pid else None
    threads0 = thread_cpu()
    METER.start()
    time.sleep(OPTS["seconds"])
    result = METER.stop()
    threads1 = thread_cpu()
    # Which of this process's threads used its CPU (the reader, the handlers' thread, ...).
    result["threadCpu"] = dict((name, round((threads1[name] - threads0[name]) / result["seconds"], 3)) for name in threads1 if name in threads0)
    if other_pid:
        other = proc_cpu(other_pid)
        result["bridgeCpuShare"] = round((other - other0) / result["seconds"], 3) if other is not None and other0 is not None else None
        result["bridgeRssMb"] = proc_rss_mb(other_pid)
    return result


# -- plain: as Kiwoom's official samples ------------------------------------------------------
def run_plain():
    import asyncio
    import urllib.request

    import websockets

    req = urllib.request.Request(
        OPTS["restUrl"] + "/oauth2/token",
        data=json.dumps({"grant_type": "client_credentials", "appkey": OPTS["appkey"], "secretkey": OPTS["secretkey"]}).encode(),
        headers={"Content-Type": "application/json;charset=UTF-8"},
    )
    token = json.loads(urllib.request.urlopen(req).read())["token"]
    done = {}

    async def main():
        async with websockets.connect(OPTS["wsUrl"] + "/api/dostk/websocket", ping_interval=None, max_size=None) as ws:
            await ws.send(json.dumps({"trnm": "LOGIN", "token": token}))
            loop = asyncio.get_running_loop()
            waiter = None
            while "result" not in done:
                message = await ws.recv()
                response = json.loads(message)
                trnm = response.get("trnm")
                if trnm == "REAL":
                    for entry in response["data"]:
                        values = entry["values"]
                        on_entry(values.get("10"), values[STAMP])
                elif trnm == "PING":
                    await ws.send(json.dumps(response))
                elif trnm == "LOGIN":
                    await ws.send(json.dumps({"trnm": "REG", "grp_no": "1", "refresh": "1", "data": [{"item": CODES, "type": ["0B", "0D"]}]}))
                elif trnm == "REG":
                    if response.get("return_code") != 0:
                        raise SystemExit("REG refused: %r" % response)
                    say({"ready": {"pid": os.getpid()}})
                    waiter = loop.run_in_executor(None, lambda: done.__setitem__("result", measure()))
                    waiter.add_done_callback(lambda _f: None)

    asyncio.run(main())
    say({"result": done["result"]})


# -- dropin: kiwoom_compat ------------------------------------------------------------------
def run_dropin():
    sys.path.insert(0, OPTS["pythonPath"])
    from kiwoom_compat import APIServer
    from stages import RX_FID, StageMeter

    chejan = []
    tr = []
    stage = []  # the StageMeter when --stages

    class Bench(APIServer):
        def OnReceiveRealData(self, code, rtype, data):
            on_entry(data.get("10"), data[STAMP])
            if stage and METER.on:
                stage[0].note(self._ctl.state.quote, data[STAMP], data.get(RX_FID) or 0)

        def OnReceiveTrData(self, screen, rqname, trcode, record, prev_next):
            tr.append(rqname)

        def OnReceiveChejanData(self, gubun, fids):
            chejan.append([gubun, fids.get("9203", ""), fids.get("913", ""), fids.get("909", "")])

    api = Bench(loop="thread")
    api.api_init(sim_no=1, use_rest=True, appkey=OPTS["appkey"], secretkey=OPTS["secretkey"], endpoints={"rest": OPTS["restUrl"], "ws": OPTS["wsUrl"]}, log_level="error")
    rc = api.CommConnect(block=True)
    if rc != 0:
        raise SystemExit("CommConnect returned %r" % rc)
    account = api.GetLoginInfo("ACCNO").split(";")[0]
    rc = api.SetRealReg("1000", ";".join(CODES), "", "0")
    if rc != 0:
        raise SystemExit("SetRealReg returned %r" % rc)
    bridge = api._ctl.wire.proc.pid
    if OPTS.get("stages"):
        stage.append(StageMeter(api._ctl.wire))
    say({"ready": {"pid": os.getpid(), "bridgePid": bridge, "nodeFlags": api._ctl.wire.info.get("nodeFlags")}})

    # TR requests and orders sent during the window: their events must all arrive, however
    # many quotes are merged.
    sent = {"tr": [], "orders": [], "at": []}

    def extras():
        GO.wait()
        time.sleep(OPTS["warmup"] + OPTS["seconds"] / 4.0)
        for i in range(OPTS.get("orders", 2)):
            sent["at"].append(time.time())
            api.SetInputValue("종목코드", CODES[i])
            rq = "bench-tr-%d" % i
            if api.CommRqData(rq, "opt10001", 0, "2000") == 0:
                sent["tr"].append(rq)
            rc = api.SendOrder("bench-order-%d" % i, "2001", account, 1, CODES[i], 1, 0, "03", "")
            sent["orders"].append(rc)

    sender = threading.Thread(target=extras, daemon=True)
    sender.start()
    result = measure(bridge)
    if stage:
        result["stages"] = stage[0].summary(METER.epoch0, sent["at"], OPTS.get("gcFile"))
    # The benchmark stops the stream; then whatever is still on its way (the backlog of a
    # reader that fell behind) arrives before the TR and order events are counted, so that a
    # missing one is lost, not late.
    say({"drain": True})
    sys.stdin.readline()
    t0 = time.monotonic()
    sender.join(OPTS.get("drainMax", 60.0))
    seen = -1
    placed = sum(1 for rc in sent["orders"] if rc == 0)
    while time.monotonic() - t0 < OPTS.get("drainMax", 60.0):
        now = api._ctl.wire.events_read
        filled = len(set(n for gubun, n, status, _ in chejan if gubun == "0" and status == "체결"))
        if now == seen and not len(api._ctl.delivery) and not api._ctl.pending and filled >= placed and len(tr) >= len(sent["tr"]):
            break
        seen = now
        time.sleep(1.0)
    result["drainSeconds"] = round(time.monotonic() - t0, 1)
    result["coalesced"] = api.coalesced
    result["coalescedBridge"] = api._ctl.wire.coalesced
    result["sent"] = sent
    result["trAnswered"] = [rq for rq in tr if rq.startswith("bench-tr-")]
    result["chejan"] = chejan
    say({"result": result})
    api.cleanup()


if __name__ == "__main__":
    {"plain": run_plain, "dropin": run_dropin}[OPTS["mode"]]()
