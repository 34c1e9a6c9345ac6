"""A progress bar with the time left, for commands run on a terminal."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02}m"
    return f"{seconds // 60}:{seconds % 60:02}"


class ProgressBar:
    """``[#####.....]  512/10000   5%  480/s  0:19 left``, redrawn in place
    at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper, total: int, clock=time.monotonic):
        self.stream = stream
        self.total = total
        self.done = 0
        self.clock = clock
        self.started = clock()
        self.drawn = float("-inf")

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if now - self.drawn >= 0.1 or self.done >= self.total:
            self.drawn = now
            self.stream.write("\r" + self.line(now), ending="")
            self.stream.flush()

    def line(self, now: float) -> str:
        total = max(self.total, 1)
        filled = self.WIDTH * self.done // total
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.done >= self.total:
            tail = f"{duration(elapsed)} in all"
        elif self.done:
            tail = f"{duration((self.total - self.done) / rate)} left"
        else:
            tail = "--:-- left"
        return (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{self.done:>{len(str(self.total))}}/{self.total} "
            f"{100 * self.done // total:>3}%  {rate:,.0f}/s  {tail}"
        )

    def finish(self) -> None:
        self.stream.write("")  # the line break after the bar
        self.stream.flush()
