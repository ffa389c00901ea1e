#!/usr/bin/env python3
"""
How long does moving a WordPress archive in take?

    .venv/bin/python bench/wordpress_import.py [--posts 2000] [--photos-every 10]
    DATABASE_URL=postgres://… .venv/bin/python bench/wordpress_import.py

On a throwaway database (SQLite in a temporary folder, or the empty PostgreSQL
database DATABASE_URL names; its tables are created and left behind) it writes
an export of --posts posts of about 2,000 characters in Russian and Kazakh, with
a photo (a 1200×800 JPEG in a media folder) for every --photos-every-th, then
runs `manage.py import_wordpress` on it twice: the first run imports, the second
finds nothing changed. It prints each run's time, posts a second, and the
process's peak resident memory.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import machine  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--photos-every", type=int, default=10)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-wp-"))
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["NEWSROOM_VAR_DIR"] = str(workdir)
    os.environ["NEWSROOM_MEDIA_ROOT"] = str(workdir / "uploads")
    os.environ["NEWSROOM_ORIGINALS_ROOT"] = str(workdir / "originals")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from media.imaging import drawn_landscape
    from tests.wordpress.generated import write_export

    call_command("migrate", verbosity=0)
    export = workdir / "export.xml"
    with export.open("w") as file:
        write_export(file, options.posts, photos_every=options.photos_every)
    media = workdir / "wp-uploads" / "2020" / "01"
    media.mkdir(parents=True)
    photos = options.posts // options.photos_every if options.photos_every else 0
    for number in range(1, options.posts + 1):
        if options.photos_every and number % options.photos_every == 0:
            (media / f"photo-{number}.jpg").write_bytes(drawn_landscape(1200, 800, seed=number))
    print(
        f"{connection.vendor}, {options.posts} posts, {photos} photos, "
        f"export {export.stat().st_size / 1e6:.1f} MB"
    )
    print(machine())
    for run in ("first run (imports)", "second run (nothing changed)"):
        started = time.monotonic()
        out = io.StringIO()
        call_command(
            "import_wordpress",
            str(export),
            "--media-dir",
            str(workdir / "wp-uploads"),
            stdout=out,
            stderr=io.StringIO(),
        )
        seconds = time.monotonic() - started
        summary = [line for line in out.getvalue().splitlines() if line.startswith("Stories")]
        print(f"{run:<30} {seconds:8.1f} s {options.posts / seconds:8.1f} posts/s   {summary[0]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
