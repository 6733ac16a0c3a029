"""Prints a load run's figures (scripts/load.sh): p50/p95/p99 per route and
throughput once every user is at work, then the whole run's from Locust's CSV
statistics (its first seconds included: the users arriving at once on a server
just started), the errors and the server's memory; exits 1 on any failed
request, whenever it came.

Usage: summary.py STATS_CSV FAILURES_CSV TIMINGS_CSV RSS_SAMPLES DURATION WARMUP"""

import csv
import math
import sys


def percentile(sorted_ms, share):
    """The nearest-rank percentile: the smallest time at least `share` of the requests took."""
    return sorted_ms[max(0, math.ceil(share * len(sorted_ms)) - 1)]


def route_line(label, times, failed):
    times.sort()
    figures = [f"{percentile(times, p):>7.0f}" for p in (0.5, 0.95, 0.99)] + [f"{times[-1]:>7.0f}"]
    return f"{label:<38} {len(times):>8} {failed:>6} {' '.join(figures)}"


def main():
    stats_path, failures_path, timings_path, rss_path, duration, warmup = sys.argv[1:7]
    duration, warmup = float(duration), float(warmup)
    routes, failed = {}, {}
    with open(timings_path) as handle:
        for row in csv.DictReader(handle):
            if float(row["seconds"]) < warmup:
                continue
            routes.setdefault(row["route"], []).append(float(row["ms"]))
            failed[row["route"]] = failed.get(row["route"], 0) + (row["ok"] != "1")
    if not routes:
        raise SystemExit(f"load: no request after the first {warmup:.0f} s")
    print(f"from {warmup:.0f} s on, every user at work:")
    print(f"{'route':<38} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for route in sorted(routes, key=lambda r: r.split(" ", 1)[1]):
        print(route_line(route, routes[route], failed[route]))
    steady = [ms for times in routes.values() for ms in times]
    steady.sort()
    print(
        f"all: {len(steady)} requests in {duration - warmup:.0f} s ({len(steady) / (duration - warmup):.1f}/s), "
        f"{sum(failed.values())} errors, p50 {percentile(steady, 0.5):.0f} ms, "
        f"p95 {percentile(steady, 0.95):.0f} ms, p99 {percentile(steady, 0.99):.0f} ms"
    )
    with open(stats_path) as handle:
        total = next((row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"), None)
    if total is None:
        raise SystemExit("load: no aggregated statistics")
    print(
        f"whole run, its first {warmup:.0f} s included: {total['Request Count']} requests in {duration:.0f} s, "
        f"{total['Failure Count']} errors, p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, "
        f"max {float(total['Max Response Time']):.0f} ms"
    )
    with open(rss_path) as handle:
        rss = [int(line) for line in handle if line.strip().isdigit()]
    if rss:
        print(f"server memory (RSS): {rss[0] / 1024:.0f} MiB at start, {max(rss) / 1024:.0f} MiB at most, "
              f"{rss[-1] / 1024:.0f} MiB at the end")
    with open(failures_path) as handle:
        failures = list(csv.DictReader(handle))
    for failure in failures:
        print(f"error: {failure['Method']} {failure['Name']}: {failure['Error']} ({failure['Occurrences']}×)")
    if int(total["Failure Count"]) > 0:
        raise SystemExit("load: failed — error responses above")


if __name__ == "__main__":
    main()
