#!/usr/bin/env python3
"""Turns bench/chat/run.sh's RESULT lines into a markdown table, with marcel/ncat and marcel/floor ratios."""
import sys

rows = {}
order = []
for raw in open(sys.argv[1], encoding="utf-8"):
    label, server, result = raw.rstrip("\n").split("|", 2)
    fields = dict(kv.split("=", 1) for kv in result.split()[1:] if "=" in kv)
    if label not in rows:
        rows[label] = {}
        order.append(label)
    rows[label][server] = fields


def num(f, key):
    try:
        return float(f.get(key, "nan"))
    except ValueError:
        return float("nan")


def ratio(m, n):
    if n != n or m != m or n == 0:
        return "–"
    return f"{m / n:.2f}×"


print("| Scenario | Server | Delivered lines/s | p50 ms | p99 ms | Loss | Corrupt | Out of order | Server CPU ns/line | CPU ns/arrived line | Notes |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for label in order:
    group = rows[label]
    for server in [s for s in ("floor", "ncat", "marcel", "marcel-ws", "marcel-jit") if s in group or s not in ("marcel-jit", "floor", "marcel-ws")]:
        f = group.get(server, {})
        mode = f.get("mode", "")
        if mode == "load":
            note = f"connected {f.get('connected')}, seated in {f.get('seat_s')} s, closed {f.get('closed')}, server alive {f.get('server_alive')}"
            if f.get("error"):
                note = f"error {f.get('error')}: " + note
            print(f"| {label} | {server} | {f.get('lines_per_s', '–')} | {f.get('p50_ms', '–')} | {f.get('p99_ms', '–')} | {f.get('loss', '–')} "
                  f"| {f.get('corrupt', '–')} | {f.get('out_of_order', '–')} | {f.get('cpu_ns_per_line', '–')} | {f.get('cpu_ns_per_arrived', '–')} | {note} |")
        elif mode == "idle":
            note = (f"held {f.get('held')}/{f.get('clients')}, RSS {f.get('rss_before_kib')} → {f.get('rss_after_kib')} KiB, "
                    f"**{f.get('bytes_per_conn')} B per connection**, server alive {f.get('server_alive')}")
            print(f"| {label} | {server} | | | | | | | | | {note} |")
        elif mode == "churn":
            note = (f"{f.get('rounds_ok')}/{f.get('rounds')} rounds with a line crossing, {f.get('seconds')} s, "
                    f"last crowd connected {f.get('last_crowd_connected')}, server alive {f.get('server_alive')}")
            print(f"| {label} | {server} | | | | | | | | | {note} |")
        else:
            print(f"| {label} | {server} | | | | | | | | | {' '.join(k + '=' + v for k, v in f.items()) or 'no result'} |")
    n, m = group.get("ncat", {}), group.get("marcel", {})
    pairs = [("marcel", m, "ncat", n), ("marcel", m, "floor", group.get("floor")), ("marcel-ws", group.get("marcel-ws"), "marcel", m)]
    for name, m, anchor, a in pairs:
        if a is None or m is None or m.get("mode") != "load":
            continue
        print(f"| {label} | {name} ÷ {anchor} | {ratio(num(m, 'lines_per_s'), num(a, 'lines_per_s'))} | {ratio(num(m, 'p50_ms'), num(a, 'p50_ms'))} "
              f"| {ratio(num(m, 'p99_ms'), num(a, 'p99_ms'))} | | | | {ratio(num(m, 'cpu_ns_per_line'), num(a, 'cpu_ns_per_line'))} "
              f"| {ratio(num(m, 'cpu_ns_per_arrived'), num(a, 'cpu_ns_per_arrived'))} | |")
