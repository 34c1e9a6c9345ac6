"""A pyinstrument profile of `articles_import` on generated files, in a
throwaway SQLite database: where an import's time goes. Prints the tree."""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import production_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="encyclopedia-profile-"))
    os.environ.update(production_env(f"sqlite:///{folder / 'profile.sqlite3'}"))
    import django

    django.setup()
    from django.core.management import call_command
    from pyinstrument import Profiler

    from articles.services import articles_import
    from bench.generate import World, populate_names, write_files

    call_command("migrate", verbosity=0)
    world = World(args.articles)
    populate_names(world)
    paths = write_files(world, folder / "files")
    profiler = Profiler(interval=0.001)
    profiler.start()
    articles_import(sources=[(str(p), p) for p in paths])
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False, timeline=False))


if __name__ == "__main__":
    main()
