"""The import's progress bar: count, percentage, rate and time left."""

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from django.core.management.base import OutputWrapper

from encyclopedia.progress import ProgressBar, duration


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_bar_shows_count_rate_and_time_left():
    out = io.StringIO()
    clock = Clock()
    bar = ProgressBar(OutputWrapper(out), total=1000, clock=clock)
    clock.now += 1.0
    bar.advance(250)
    assert out.getvalue() == "\r[#######.......................] " + " 250/1000  25%  250/s  0:03 left"
    clock.now += 0.05
    bar.advance(10)  # within a tenth of a second: not redrawn
    assert out.getvalue().count("\r") == 1
    clock.now += 2.95
    bar.advance(740)
    assert out.getvalue().endswith("\r[##############################] 1000/1000 100%  250/s  0:04 in all")
    bar.finish()
    assert out.getvalue().endswith("in all\n")


def test_durations():
    assert duration(5) == "0:05"
    assert duration(125) == "2:05"
    assert duration(3 * 3600 + 61) == "3h01m"


def _read_all(leader: int) -> bytes:
    """What the command wrote to the pseudo-terminal, once it has exited."""
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return output


def test_import_command_draws_the_bar_on_a_terminal(tmp_path):
    """Run for real on a pseudo-terminal: the bar appears, with the time left."""
    folder = tmp_path / "files"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"= Group{n} in Testland =\n\nText {n}.\n")
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
           "DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, check=True,
                   cwd=Path(__file__).resolve().parent.parent)
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(folder)],
        env=env, stdout=follower, stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent, timeout=120,
    )
    os.close(follower)
    output = _read_all(leader)
    assert proc.returncode == 0, proc.stderr
    text = output.decode()
    assert "\r[##############################] 3/3 100%" in text
    assert "in all" in text
    assert "Imported 3 article(s): 3 created, 0 updated." in text


def test_mediawiki_import_draws_the_bar_over_every_revision_on_a_terminal(tmp_path):
    """The bar counts the revisions to import (four in the dump: three of one page)."""
    dump = Path(__file__).resolve().parent / "mediawiki" / "data" / "diaspora.xml"
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
           "DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, check=True, cwd=root)
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_mediawiki", str(dump)],
        env=env, stdout=follower, stderr=subprocess.PIPE, cwd=root, timeout=120,
    )
    os.close(follower)
    output = _read_all(leader)
    assert proc.returncode == 0, proc.stderr
    text = output.decode()
    assert "\r[##############################] 4/4 100%" in text
    assert "Imported 2 article(s) with 4 revision(s): 2 created, 0 updated." in text
