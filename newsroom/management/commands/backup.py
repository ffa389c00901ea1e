import json
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsroom import backups


class Command(BaseCommand):
    help = (
        "Backs up the database and every uploaded file (public uploads and photo originals,"
        " on disk or object storage) into a new folder that `restore` reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a folder that does not exist yet, or is empty")

    def handle(self, directory, **options):
        target = Path(directory)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"{target} is not empty: a backup never overwrites another.")
        vendor = backups.engine()
        target.mkdir(parents=True, exist_ok=True)
        try:
            manifest = self.back_up(vendor, target)
        except BaseException:
            backups.remove_partial(target)
            raise
        files = sum(len(names) for names in manifest["files"].values())
        self.stdout.write(
            f"Backed up the {vendor} database and {files} files into {target}: "
            + ", ".join(f"{count} {label}" for label, count in manifest["rows"].items())
        )

    def back_up(self, vendor, target):
        # The database first, then the files: every file a row names was stored
        # before the row was committed, so it is there when the files are copied.
        started = timezone.now()
        rows = backups.counts()
        backups.dump_database(vendor, target / backups.database_file(vendor))
        files = {}
        for alias in backups.STORAGE_ALIASES:
            storage = storages[alias]
            root = backups.storage_files(target, alias)
            files[alias] = [
                backups.copy_out(storage, name, root / name)
                for name in backups.stored_names(storage)
            ]
        manifest = {
            "format": backups.FORMAT,
            "made_at": started.isoformat(),
            "database": {"engine": vendor, "file": backups.database_file(vendor)},
            "rows": rows,
            "files": files,
        }
        # Written last: a folder without a manifest is not a backup.
        (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        return manifest
