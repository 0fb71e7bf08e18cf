"""Hello beside every figure: the ceiling each figure is divided by, measured next to it.

The machine's speed drifts over minutes (one run's single hello, taken at the start, was 18 %
above every other that day), so a hello run goes before the first figure and after each one,
and each figure is set against the mean of the two hellos around it. The spread of all the
hello runs is printed, so a reader sees how much of a ratio is noise.
"""

from __future__ import annotations

import statistics

from serving import Server, wrk


class Ceiling:
    """A bare Flask "hello" on the same gunicorn settings, kept running between its runs."""

    def __init__(self, seconds: int, connections: int):
        self.seconds, self.connections = seconds, connections
        self.server = Server("bench.hello:app", {})
        self.runs: list[dict] = []
        wrk(self.server.url + "/", 1, 2)  # warm up

    def measure(self, seconds: int | None = None) -> dict:
        """One hello run, kept among the runs the spread is taken over."""
        result = wrk(self.server.url + "/", seconds or self.seconds, self.connections)
        self.runs.append(result)
        return result

    def spread(self) -> dict:
        """The hello runs: how many, least, median, most, and (most − least) / median in %."""
        rates = [run["rps"] for run in self.runs]
        middle = statistics.median(rates)
        return {
            "runs": len(rates),
            "min": min(rates),
            "median": round(middle, 1),
            "max": max(rates),
            "spread_percent": round((max(rates) - min(rates)) / middle * 100, 1),
        }

    def stop(self) -> None:
        self.server.stop()


def ratio(rps: float, beside: list[float]) -> float:
    """A figure over the mean of the hello runs around it."""
    return round(rps / (sum(beside) / len(beside)), 3)
