"""Prints a load run's figures from Locust's CSV statistics (scripts/load.sh):
p50/p95/p99 per route, throughput, errors, and the server's memory; exits 1
on any failed request.

Usage: summary.py STATS_CSV FAILURES_CSV RSS_SAMPLES DURATION"""

import csv
import sys


def main():
    stats_path, failures_path, rss_path, duration = sys.argv[1:5]
    with open(stats_path) as handle:
        rows = list(csv.DictReader(handle))
    print(f"{'route':<38} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    total = None
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        line = (
            f"{(row['Type'] + ' ' + name).strip():<38} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
        if row["Name"] == "Aggregated":
            total = row
        else:
            print(line)
    if total is None:
        raise SystemExit("load: no aggregated statistics")
    print(
        f"all: {total['Request Count']} requests in {duration} s ({float(total['Requests/s']):.1f}/s), "
        f"{total['Failure Count']} errors, p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms"
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
