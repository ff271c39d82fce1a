"""Where the drop-in's latency goes, for ``bench/python-realtime.mjs --stages`` (see
bench/lib/bridge-stages.mjs for the bridge's side of the stamps).

Each quote the handler sees is split into four stages, all on the wall clock the emulator's
send stamp uses (µs since the epoch):

- ``send->rx``: the emulator's send to the bridge's receive of the frame (loopback TCP, and the
  bridge being busy with earlier frames);
- ``rx->write``: the bridge's parse, facade and encoding, up to the write of the line carrying it;
- ``write->read``: the pipe, up to the Python reader taking the line;
- ``read->handler``: splitting the line, the delivery queue and the dispatch to the handler.

The stamps cost the handler a little, so a ``--stages`` run measures where time goes, not the
drop-in's CPU per event.
"""
import bisect
import gc
import json
import time

RX_FID = "9991"
STAGES = ("send->rx", "rx->write", "write->read", "read->handler")


class StageMeter(object):
    """Wraps the wire's line reader to note each line's write and read times; ``note`` records a quote."""

    def __init__(self, wire):
        self.rows = []
        self._firsts = []
        self._lines = []
        #: This process's cyclic collections: (start µs, ms, generation).
        self.gcs = []
        self._gc_start = [0.0]

        def on_gc(phase, info):
            if phase == "start":
                self._gc_start[0] = time.time() * 1e6
            else:
                start = self._gc_start[0]
                self.gcs.append((start, (time.time() * 1e6 - start) / 1000.0, info["generation"]))

        gc.callbacks.append(on_gc)
        take = wire._take

        def staged_take(line):
            # Noted before the line's events are queued: the handler may run before take returns.
            tw = int(line[6:line.index(b"}")]) if line.startswith(b'{"tw":') else 0
            self._lines.append((tw, time.time() * 1e6))
            self._firsts.append(wire.events_read + 1)
            take(line)

        wire._take = staged_take

    def note(self, quote, sent, rx):
        """Called by the handler for each quote it receives while measuring."""
        now = time.time() * 1e6
        # The last line whose first event is at or before this quote's.
        line = bisect.bisect_right(self._firsts, quote.seq) - 1
        tw, tread = self._lines[line]
        self.rows.append((int(sent), int(rx), tw, tread, now, quote.seq - self._firsts[line], line))

    def summary(self, window_start, extras=(), gc_file=None):
        """Percentiles per stage, the p99 tail's stages, when the tail happened, and the bridge's GCs."""
        rows = [r for r in self.rows if r[2] and r[1]]
        if not rows:
            return None
        split = [(r[1] - r[0], r[2] - r[1], r[3] - r[2], r[4] - r[3], r[4] - r[0], r) for r in rows]

        def pct(col, p):
            return round(col[min(len(col) - 1, int(p * len(col)))] / 1000.0, 2)

        out = {"events": len(split), "stages": {}}
        for i, name in enumerate(STAGES + ("total",)):
            col = sorted(s[i] for s in split)
            out["stages"][name] = {"p50": pct(col, 0.5), "p90": pct(col, 0.9), "p99": pct(col, 0.99), "max": round(col[-1] / 1000.0, 2)}
        split.sort(key=lambda s: s[4])
        tail = split[int(0.99 * len(split)):]
        # read->handler of each line's first quote: the hand-off from the reader to the handlers'
        # thread alone; the later quotes of a line also wait for the handlers before them.
        firsts = sorted(s[3] for s in split if s[5][5] == 0)
        sizes = [b - a for a, b in zip(self._firsts, self._firsts[1:])]
        out["handoff"] = {"lines": len(firsts), "p50": pct(firsts, 0.5), "p99": pct(firsts, 0.99), "max": round(firsts[-1] / 1000.0, 2)} if firsts else None
        out["tailLine"] = {
            "meanPosition": round(sum(s[5][5] for s in tail) / len(tail), 1),
            "meanLineEvents": round(sum(sizes[s[5][6]] if s[5][6] < len(sizes) else 0 for s in tail) / len(tail), 1),
            "meanLineEventsAll": round(sum(sizes) / len(sizes), 1) if sizes else None,
        }
        out["tailMeanMs"] = {name: round(sum(s[i] for s in tail) / len(tail) / 1000.0, 2) for i, name in enumerate(STAGES + ("total",))}
        # When the tail's quotes were sent, in 100 ms buckets from the window's start.
        buckets = {}
        for s in tail:
            b = int((s[5][0] / 1e6 - window_start) * 10) / 10.0
            buckets[b] = buckets.get(b, 0) + 1
        out["tailBuckets"] = sorted(buckets.items(), key=lambda kv: -kv[1])[:8]
        out["extras"] = [round(t - window_start, 2) for t in extras]
        if gc_file:
            out["gc"] = gc_summary(gc_file, rows[0][1], rows[-1][1], tail)
        out["pythonGc"] = python_gc_summary(self.gcs, rows[0][3], rows[-1][4], tail)
        return out


def python_gc_summary(gcs, start, end, tail):
    """This process's collections between ``start`` and ``end`` (µs) per generation, and how much of
    the tail quotes' read->handler time they took."""
    gcs = [g for g in gcs if start <= g[0] <= end]
    gens = {}
    for _, ms, gen in gcs:
        gens.setdefault(str(gen), []).append(ms)
    inside = [sum(max(0, min(t0 + ms * 1000, s[5][4]) - max(t0, s[5][3])) for t0, ms, _ in gcs) for s in tail]
    return {
        "seconds": round((end - start) / 1e6, 1),
        "generations": {k: {"n": len(v), "p50ms": round(sorted(v)[len(v) // 2], 3), "maxMs": round(max(v), 3), "sumMs": round(sum(v), 1)} for k, v in gens.items()},
        "tailGcMeanMs": round(sum(inside) / len(tail) / 1000.0, 3),
    }


def gc_summary(path, start, end, tail):
    """The bridge's collections between ``start`` and ``end`` (µs), and how much of the tail quotes' time in the bridge they took."""
    try:
        with open(path) as f:
            gcs = [json.loads(line) for line in f if line.strip()]
    except OSError:
        return None
    gcs = [g for g in gcs if start <= g["start"] <= end]
    kinds = {}
    for g in gcs:
        kinds.setdefault(g["kind"], []).append(g["ms"])
    spans = [(g["start"], g["start"] + g["ms"] * 1000) for g in gcs]
    # The collection time inside each tail quote's stay in the bridge (its receive to its write).
    inside = [sum(max(0, min(b, s[5][2]) - max(a, s[5][1])) for a, b in spans) for s in tail]
    return {
        "seconds": round((end - start) / 1e6, 1),
        "kinds": {k: {"n": len(v), "p50ms": sorted(v)[len(v) // 2], "maxMs": max(v), "sumMs": round(sum(v), 1)} for k, v in kinds.items()},
        "tailGcMeanMs": round(sum(inside) / len(tail) / 1000.0, 2),
        "tailInBridgeMeanMs": round(sum(s[1] for s in tail) / len(tail) / 1000.0, 2),
    }
