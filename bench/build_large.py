"""Build the large PostgreSQL database of `make bench` on its own (it is the
slow step: 100,000 articles through import_articles), to be used by
`bench/run.py --large-url URL`. Its import figures are saved beside, in
$TMPDIR/<database>.json, and reported by run.py."""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PG_SERVER, production_env  # noqa: E402
from bench.run import Dataset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--name", default="encyclopedia_bench_large")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="encyclopedia-large-"))
    ds = Dataset(args.articles, "postgres", tmp)
    ds.name = args.name
    ds.url = f"{PG_SERVER}/{args.name}"
    ds.env = production_env(ds.url)
    ds.create()
    record = Path(tempfile.gettempdir()) / f"{ds.name}.json"
    record.write_text(json.dumps({
        "articles": args.articles, "import_seconds": ds.import_seconds,
        "import_rss": ds.import_rss,
    }))
    print(ds.url)


if __name__ == "__main__":
    main()
