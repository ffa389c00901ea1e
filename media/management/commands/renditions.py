"""
Make the renditions pages ask for, ahead of the readers.

    manage.py renditions                      every missing rendition of every photo
    manage.py renditions --photo 12 --photo 15
    manage.py renditions --formats avif       AVIF only (pages offer it once it exists)
    manage.py renditions --replace            remake existing ones too (new encoder settings)
    manage.py renditions --start-after 340    go on where an interrupted run stopped

Safe while the site serves: each rendition is made once (a database constraint
settles races with the rendition view), and photos are taken one at a time in
id order, so an interrupted run loses at most the photo it was on.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from media.models import Photo
from media.specs import FORMATS, standard_specs


class Command(BaseCommand):
    help = "Makes the renditions that pages use, for all or some photos."

    def add_arguments(self, parser):
        parser.add_argument(
            "--photo", type=int, action="append", help="Only this photo (repeatable)."
        )
        parser.add_argument(
            "--formats",
            default=",".join(FORMATS),
            help="Comma-separated: jpeg, webp, avif (default: all three).",
        )
        parser.add_argument("--replace", action="store_true", help="Remake existing renditions.")
        parser.add_argument("--start-after", type=int, default=0, help="Skip photos up to this id.")

    def handle(self, *args, photo=None, formats="", replace=False, start_after=0, **options):
        chosen = [name.strip() for name in formats.split(",") if name.strip()]
        unknown = set(chosen) - set(FORMATS)
        if unknown or not chosen:
            raise CommandError(f"Unknown format(s): {', '.join(sorted(unknown)) or '—'}")
        specs = standard_specs(tuple(chosen))
        photos = Photo.objects.filter(pk__gt=start_after).order_by("pk")
        if photo:
            photos = photos.filter(pk__in=photo)
        total, made, started = photos.count(), 0, time.monotonic()
        progress = Progress(self.stderr, total, quiet=options["verbosity"] == 0)
        last = start_after
        try:
            for number, current in enumerate(photos.iterator(chunk_size=100), 1):
                before = current.renditions.count()
                current.make_renditions(specs, replace=replace)
                made += len(specs) if replace else current.renditions.count() - before
                last = current.pk
                progress.show(number, f"photo {current.pk}, {made} renditions made")
        except KeyboardInterrupt:
            progress.end()
            raise CommandError(f"Interrupted. Resume with: --start-after {last}") from None
        progress.end()
        self.stdout.write(
            f"{made} renditions made for {total} photos in {time.monotonic() - started:.1f} s."
        )


class Progress:
    """A progress bar on a terminal, a line every tenth of the way elsewhere."""

    WIDTH = 30

    def __init__(self, stream, total, quiet=False):
        self.stream, self.total, self.quiet = stream, max(total, 1), quiet
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.step = max(self.total // 10, 1)

    def show(self, done, note):
        if self.quiet:
            return
        filled = round(self.WIDTH * done / self.total)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.total} {note}"
        if self.tty:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        elif done % self.step == 0 or done == self.total:
            self.stream.write(line)

    def end(self):
        if self.tty and not self.quiet:
            self.stream.write("")
