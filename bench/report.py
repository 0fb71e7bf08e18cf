"""The benchmark's report: each figure set against the hello runs beside it, and the table."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time

from ceiling import ratio
from observe import NOTE_INTERVAL
from public_page import PUBLISH_INTERVAL
from serving import ROOT

#: a read figure and the same read while notes arrive
UNDER_NOTES = (
    ("room_writer", "room", "another incident"),
    ("room_writer_same", "room", "its own incident"),
    ("search_writer", "search", "an incident"),
)


def build_report(args, ceiling, large: dict, small: dict, extras: dict) -> dict:
    """results.json: the figures with their ratios, the hello runs' spread, and `extras`."""
    figures = {}
    for name, result in large.items():
        figures[name] = {**result, "ratio_to_hello": ratio(result["rps"], result["hello_beside"])}
        if name in small:
            small_ratio = ratio(small[name]["rps"], small[name]["hello_beside"])
            # the two histories are measured minutes apart: compare their ratios, not req/s
            figures[name].update(
                small_rps=small[name]["rps"],
                small_ratio_to_hello=small_ratio,
                history_ratio=round(figures[name]["ratio_to_hello"] / small_ratio, 3),
            )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    middle = sorted(ceiling.runs, key=lambda run: run["rps"])[len(ceiling.runs) // 2]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit.strip(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "database": "postgresql" if args.database_url else "sqlite",
        "size": {
            "incidents": args.incidents,
            "events": args.events,
            "big_incident_events": args.big,
            "small_incidents": args.small,
        },
        "seconds_per_figure": args.seconds,
        "connections": args.connections,
        "hello": {**middle, "spread": ceiling.spread(), "runs": [r["rps"] for r in ceiling.runs]},
        # the same runs under the name readers of results.json look for
        "hello_spread": {**ceiling.spread(), "rps": [r["rps"] for r in ceiling.runs]},
        "figures": figures,
        **extras,
        "errors": sum(f["errors"] for f in large.values())
        + sum(f["errors"] for f in small.values())
        + sum(run["errors"] for run in ceiling.runs),
    }


def beside_sqlite(report: dict, sqlite_file) -> None:
    """Copy a PostgreSQL run's figures into the SQLite results (`postgresql`), so one file holds
    both databases; each part names its own commit and date."""
    if not sqlite_file.exists():
        return
    both = json.loads(sqlite_file.read_text())
    both["postgresql"] = {
        key: report[key] for key in ("date", "commit", "database", "size", "hello_spread")
    } | {
        "figures": {
            name: {key: figure.get(key) for key in ("rps", "ratio_to_hello", "errors")}
            for name, figure in report["figures"].items()
        },
        "write_profile": report.get("write_profile"),
        "delivery_latency": report.get("delivery_latency"),
    }
    sqlite_file.write_text(json.dumps(both, indent=2) + "\n")


def print_table(report: dict) -> None:
    """The report as a table and a few sentences."""
    print(
        f"\nCrisisDesk benchmark — {report['date']}, {report['machine']}, {report['database']}, "
        f"commit {report['commit']}"
    )
    spread = report["hello"]["spread"]
    print(
        f"hello: {spread['runs']} runs, one before the first figure and one after each: "
        f"{spread['min']}–{spread['max']} req/s, median {spread['median']} "
        f"(spread {spread['spread_percent']} %); each figure's /hello is over the two around it"
    )
    print(
        f"{'figure':<17}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'/hello':>8}"
        f"{'1k→big':>8}{'kept':>8}{'errors':>8}"
    )
    hello = report["hello"]
    print(
        f"{'hello (median)':<17}{hello['rps']:>9}{hello['p50_ms']:>9.2f}{hello['p95_ms']:>9.2f}"
        f"{hello['p99_ms']:>9.2f}{1:>8}{'':>8}{'':>8}{hello['errors']:>8}"
    )
    for name, f in report["figures"].items():
        kept = f"{f['hit_rate']:.1%}" if f.get("hit_rate") is not None else ""
        print(
            f"{name:<17}{f['rps']:>9}{f['p50_ms']:>9.2f}{f['p95_ms']:>9.2f}{f['p99_ms']:>9.2f}"
            f"{f['ratio_to_hello']:>8}{f.get('history_ratio', ''):>8}{kept:>8}{f['errors']:>8}"
        )
    figures = report["figures"]
    for name, read, where in UNDER_NOTES:
        if name in figures and read in figures:
            print(
                f"{name}: the {read} read by {report['connections']} connections "
                f"while one more adds a note every {int(NOTE_INTERVAL * 1000)} ms to {where} "
                f"({figures[name]['notes']} notes): "
                f"{figures[name]['rps'] / figures[read]['rps']:.2f} of the {read} read alone"
            )
    public = figures.get("public_notice")
    if public is not None:
        print(
            f"public_notice: the German notice page read by {report['connections']} connections "
            f"while an update is published every {PUBLISH_INTERVAL:g} s ({public['published']} "
            f"updates); the page showed the last update afterwards: {public['shows_last_update']}"
        )
    for name, profile in report.get("write_profile", {}).items():
        print(
            f"{name} in process: {profile['statements']} statements, "
            f"{profile['ms_p50']} ms (p50); serialised part {profile['serial_ms_p50']} / "
            f"{profile['serial_ms_p99']} ms (p50/p99, {profile['serial_from']} to commit)"
        )
    latency = report.get("delivery_latency")
    if latency is not None:
        print(
            f"delivery_latency: a note's event to its webhook call, {latency['notes']} notes, "
            f"worker every {latency['worker_interval_s']:g} s, waking on "
            f"{latency['wakes_on']}: p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms, "
            f"max {latency['max_ms']} ms"
        )
    audit = report["audit_verify"]
    print(
        f"audit verify: {audit['verify_events_per_s']:,} events/s"
        f" vs raw hashlib {audit['raw_hashlib_events_per_s']:,}"
        f" → {audit['ratio']}; in {audit['processes']} processes"
        f" {audit['split_events_per_s']:,} events/s"
        f" → {audit['split_ratio']} (chain ok: {audit['ok']})"
    )
    for name, cost in report.get("search_index_cost", {}).items():
        print(
            f"search index, {name}: {cost['indexed_ms']} ms with it, {cost['unindexed_ms']} ms "
            f"without ({cost['cost_percent']:+}%, median of {cost['writes']} writes in process)"
        )
    print(f"errors: {report['errors']}")
