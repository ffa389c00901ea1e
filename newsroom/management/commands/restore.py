import json
from pathlib import Path

from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsroom import backups


class Command(BaseCommand):
    help = (
        "Restores a folder made by `backup` into an empty database and empty storages"
        " (--replace to overwrite what is there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a folder made by manage.py backup")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="restore over a database and storages that already hold a site",
        )

    def handle(self, directory, replace, **options):
        source = Path(directory)
        manifest = self.read_manifest(source)
        vendor = backups.engine()
        if manifest["database"]["engine"] != vendor:
            raise CommandError(
                f"The backup holds a {manifest['database']['engine']} database;"
                f" this site runs on {vendor}."
            )
        if not replace:
            if not backups.database_is_empty():
                raise CommandError(
                    "The database is not empty. Restore into a new, empty database,"
                    " or add --replace to overwrite this one."
                )
            for alias in backups.STORAGE_ALIASES:
                if not backups.storage_is_empty(storages[alias]):
                    raise CommandError(
                        f'The "{alias}" storage holds files. Restore into empty storage,'
                        " or add --replace to overwrite them."
                    )
        self.check_files(source, manifest)

        backups.load_database(vendor, source / manifest["database"]["file"], replace=replace)
        for alias in backups.STORAGE_ALIASES:
            storage, root = storages[alias], backups.storage_files(source, alias)
            for entry in manifest["files"][alias]:
                backups.copy_in(storage, entry["name"], root / entry["name"], replace=replace)

        rows = backups.counts()
        if rows != manifest["rows"]:
            raise CommandError(f"Restored rows {rows} differ from the backup's {manifest['rows']}.")
        # A backup of an older release is brought up to this one's tables.
        call_command("migrate", interactive=False, verbosity=0)
        files = sum(len(entries) for entries in manifest["files"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['made_at']}: {files} files, "
            + ", ".join(f"{count} {label}" for label, count in rows.items())
        )

    def read_manifest(self, source):
        try:
            manifest = json.loads((source / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(
                f"{source} is not a whole backup (manifest.json: {error})."
            ) from None
        if manifest.get("format") != backups.FORMAT:
            raise CommandError(f"{source} is a backup in a format this release does not read.")
        return manifest

    def check_files(self, source, manifest):
        """Every file whole before anything is touched: a damaged backup restores nothing."""
        damaged = []
        for alias in backups.STORAGE_ALIASES:
            root = backups.storage_files(source, alias)
            for entry in manifest["files"][alias]:
                path = root / entry["name"]
                if not path.is_file() or backups.checksum(path) != entry["sha256"]:
                    damaged.append(f"{alias}/{entry['name']}")
        if not (source / manifest["database"]["file"]).is_file():
            damaged.append(manifest["database"]["file"])
        if damaged:
            raise CommandError(
                "The backup is damaged; nothing was restored. Missing or changed: "
                + ", ".join(damaged[:10])
                + (f" and {len(damaged) - 10} more" if len(damaged) > 10 else "")
            )
