"""Article URLs ranked for a Zipf law, shared by wrk (bench/zipf.lua) and the
editor process of bench/editing_bench.py, so that the articles most read
are also the ones most edited, as on a real encyclopedia.

The rank order is a seeded shuffle of the published articles (so that the
most read are not all at one end of the alphabet); the path of rank k is
drawn with probability proportional to 1 / k^s.
"""

from __future__ import annotations

import bisect
import random
import urllib.parse
from pathlib import Path

LUA = Path(__file__).resolve().parent / "zipf.lua"
EXPONENT = 1.0


def ranked(slugs: list[str], seed: int = 14) -> list[str]:
    """The slugs in rank order (most read first), the same for the same set."""
    order = sorted(slugs)
    random.Random(seed).shuffle(order)
    return order


def article_path(slug: str) -> str:
    return urllib.parse.quote(f"/wiki/{slug}/")


def write_paths(slugs: list[str], path: Path) -> Path:
    """The file zipf.lua reads: one URL path a line, in rank order."""
    path.write_text("".join(article_path(slug) + "\n" for slug in slugs), encoding="utf-8")
    return path


class Zipf:
    """Draws ranks 0..n-1 with P(k) proportional to 1 / (k + 1)^s."""

    def __init__(self, n: int, s: float = EXPONENT, seed: int = 1):
        total, self.cdf = 0.0, []
        for k in range(1, n + 1):
            total += 1 / k**s
            self.cdf.append(total)
        self.total = total
        self.rng = random.Random(seed)

    def draw(self) -> int:
        return min(bisect.bisect_left(self.cdf, self.rng.random() * self.total),
                   len(self.cdf) - 1)

    def share_of_top(self, k: int) -> float:
        """The share of the draws that fall on the k first ranks."""
        return self.cdf[min(k, len(self.cdf)) - 1] / self.total


def wrk_command(binary: str, url: str, paths: Path, duration: float, threads: int,
                connections: int, seed: int, s: float = EXPONENT) -> list[str]:
    return [binary, f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency",
            "-s", str(LUA), url, "--", str(paths), f"{s:g}", str(seed)]
