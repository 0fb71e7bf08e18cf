"""The benchmark script runs end to end at its quick
size and produces every figure with zero errors.

Timing is not asserted here (a test machine's speed says nothing); the figures belong in the README.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BACKENDS, PG_URL

ROOT = Path(__file__).resolve().parent.parent
READS = {"api_list", "board", "room", "timeline_page", "postmortem", "dashboard", "search"}
#: every read is an answer kept under heads
KEPT = READS
WRITES = {"note", "tick", "ack", "alert_repeat", "open_incident"}
FIGURES = READS | WRITES | {"room_writer", "room_writer_same", "search_writer", "public_notice"}


@pytest.mark.slow
@pytest.mark.parametrize("database", BACKENDS)
def test_quick_benchmark_produces_every_figure(tmp_path, database):
    if shutil.which("wrk") is None:
        if (
            os.environ.get("CRISISDESK_REQUIRE_BROWSER") == "1"
        ):  # CI installs wrk alongside Chromium
            pytest.fail("wrk is not installed")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    out = tmp_path / "results.json"
    database_url = ["--database-url", PG_URL] if database == "postgres" else []
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--seconds",
            "2",
            "--out",
            str(out),
            *database_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["database"] == ("postgresql" if database == "postgres" else "sqlite")
    assert set(report["figures"]) == FIGURES
    assert report["errors"] == 0
    assert report["hello"]["rps"] > 0 and all(f["rps"] > 0 for f in report["figures"].values())
    # every figure is set against the hello runs just before and after it, and their spread shown
    assert all(len(f["hello_beside"]) == 2 for f in report["figures"].values())
    spread = report["hello"]["spread"]
    assert spread["runs"] == len(report["hello"]["runs"]) > len(FIGURES)
    assert spread["min"] <= spread["median"] <= spread["max"] and "hello: " in result.stdout
    assert report["hello_spread"]["rps"] == report["hello"]["runs"]
    # each write figure profiled in process: its statements and the serialised part's time
    profiled = report["write_profile"]
    assert set(profiled) == WRITES and all(p["failed"] == 0 for p in profiled.values())
    assert all(p["statements"] > 0 and p["serial_ms_p99"] > 0 for p in profiled.values())
    assert all("history_ratio" in report["figures"][name] for name in READS)
    # each read figure says how much it was answered from memory; the writers wrote their notes
    writers = {"room_writer", "search_writer"}
    assert all(report["figures"][name]["hit_rate"] is not None for name in KEPT | writers)
    assert all(report["figures"][name]["notes"] > 0 for name in writers)
    assert "room_writer:" in result.stdout and "search_writer:" in result.stdout
    public = report["figures"]["public_notice"]
    assert public["published"] > 0 and public["shows_last_update"] is True
    assert len(public["hello_beside"]) == 2 and "public_notice:" in result.stdout
    latency = report["delivery_latency"]
    assert latency["notes"] == 10 and 0 < latency["p50_ms"] <= latency["p95_ms"]
    assert latency["wakes_on"] == ("notify" if database == "postgres" else "timer")
    assert "delivery_latency:" in result.stdout
    assert report["audit_verify"]["ok"] and report["audit_verify"]["events"] > 20_000
    assert report["audit_verify"]["split_events_per_s"] > 0
    cost = report["search_index_cost"]
    assert set(cost) == {"open_incident", "note"} and all(c["writes"] > 0 for c in cost.values())
    assert "search index, note:" in result.stdout
    assert "audit verify:" in result.stdout and "errors: 0" in result.stdout
