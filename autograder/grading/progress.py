"""A one-line progress bar for batch grading: counts, elapsed time and an estimate of what is left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from autograder.grading.batch import FAILED, GRADED, SKIPPED, Outcome


class ProgressBar:
    """Redraws one line on a terminal; elsewhere (CI logs, pipes) prints a line every 10%."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30):
        self.stream, self.width = stream, width
        self.counts = {GRADED: 0, SKIPPED: 0, FAILED: 0}
        self.started = time.perf_counter()
        self.tty = stream.isatty()
        self._last_decile = -1

    def __call__(self, outcome: Outcome, done: int, total: int) -> None:
        self.counts[outcome.status] += 1
        if outcome.status == FAILED:
            self._line(f"failed: {outcome.submission.name}: {outcome.reason}")
        decile = (10 * done) // max(total, 1)
        if self.tty or decile != self._last_decile or done == total:
            self._last_decile = decile
            self._draw(done, total)

    def _draw(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        worked = self.counts[GRADED] + self.counts[FAILED]
        remaining = total - done
        eta = f"{elapsed / worked * remaining:5.0f} s" if worked and remaining else "    -"
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "-" * (self.width - filled)
        text = (f"[{bar}] {done}/{total}  graded {self.counts[GRADED]}  skipped {self.counts[SKIPPED]}"
                f"  failed {self.counts[FAILED]}  elapsed {elapsed:5.0f} s  ETA {eta}")
        if self.tty:
            self.stream.write("\r" + text + ("\n" if done == total else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write(("\r\033[K" if self.tty else "") + text + "\n")
        self.stream.flush()
