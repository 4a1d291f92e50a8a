"""A build as the terminal shows it: the progress bar, the table per format, the closing line."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """A one-line bar on the terminal, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.last = 0.0
        self.counts = {"built": 0, "skipped": 0, "failed": 0, "unavailable": 0}

    def __call__(self, outcome, done: int, total: int) -> None:
        self.counts[outcome.status] += 1
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        width = 24
        filled = width * done // max(total, 1)
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  "
                f"built {self.counts['built']}, up to date {self.counts['skipped']}, "
                f"failed {self.counts['failed']}")
        self.stream.write("\r\033[K" + line)
        self.stream.flush()  # also so that a forked worker never inherits a half-written line

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


def table_lines(report) -> list[str]:
    """What was built, up to date and failed per format, with render seconds; none
    when nothing was planned."""
    rows = report.by_format()
    if not rows:
        return []
    table = [("format", "built", "up to date", "failed", "seconds")]
    for name, row in rows.items():
        table.append((name, str(row["built"]), str(row["skipped"]), str(row["failed"]),
                      f"{row['seconds']:.1f}"))
    table.append(("all", str(report.count("built")), str(report.count("skipped")),
                  str(report.count("failed")), f"{report.render_seconds:.1f}"))
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    return ["  ".join([row[0].ljust(widths[0])]
                      + [v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)]) for row in table]


def closing_line(report, out_rel: str) -> str:
    built, skipped, failed = (report.count(s) for s in ("built", "skipped", "failed"))
    workers = f" with {report.workers} workers" if report.workers > 1 else ""
    return (f"{built} built, {skipped} up to date, {failed} failed in {report.seconds:.1f} s"
            f"{workers} (rendering took {report.render_seconds:.1f} s), into {out_rel}/")
