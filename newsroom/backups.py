"""
What `manage.py backup` and `manage.py restore` share: a backup folder's layout,
the database's own dump tools, and the files of both storages read and written
through Django's storage API, so that object storage is backed up like disk.

    DIR/manifest.json         what is in the backup, every file's size and SHA-256
    DIR/database.pgdump       PostgreSQL: pg_dump's custom format (pg_restore reads it)
    DIR/database.sqlite3      SQLite: a copy made with SQLite's online backup API
    DIR/files/default/…       public uploads: renditions (and the old portrait files, authors/)
    DIR/files/originals/…     photo originals and working copies (private)
"""

import hashlib
import os
import posixpath
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files import File
from django.core.management.base import CommandError
from django.db import connection

FORMAT = 1
STORAGE_ALIASES = ("default", "originals")
# Counted when the backup is made and again after a restore: a restore that
# lost rows says so instead of reporting success.
COUNTED_MODELS = (
    "articles.Article",
    "media.Photo",
    "media.Rendition",
    "newsroom.Author",
    "reversion.Revision",
    "reversion.Version",
)
CHUNK = 1024 * 1024


def engine():
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise CommandError(f"Backups know PostgreSQL and SQLite, not {vendor}.")
    return vendor


def database_file(vendor):
    return "database.pgdump" if vendor == "postgresql" else "database.sqlite3"


def postgres_environment():
    """The connection's settings as the variables pg_dump and pg_restore read."""
    database = connection.settings_dict
    variables = {
        "PGHOST": database.get("HOST"),
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode"),
    }
    return os.environ | {key: value for key, value in variables.items() if value}


def run(command):
    try:
        result = subprocess.run(
            command, env=postgres_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise CommandError(
            f"{command[0]} is not installed (on Debian: apt-get install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed:\n{result.stderr.strip()}")


def dump_database(vendor, target):
    if vendor == "postgresql":
        run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    else:
        # The online backup API copies a consistent state while the site writes.
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()


def load_database(vendor, source, *, replace):
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        # One transaction: a restore that fails leaves the database as it was.
        command += ["--single-transaction", f"--dbname={connection.settings_dict['NAME']}"]
        if replace:
            command += ["--clean", "--if-exists"]
        run([*command, str(source)])
    else:
        connection.close()
        backup = sqlite3.connect(source)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        with target:
            backup.backup(target)
        target.close()
        backup.close()


def database_is_empty():
    return not connection.introspection.table_names()


def counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in COUNTED_MODELS}


def stored_names(storage, directory=""):
    """Every file in a storage, walked through the storage API (local disk or a bucket)."""
    if getattr(storage, "bucket", None) is not None and not directory:
        # One listing of the bucket, not one per folder: each photo has a folder.
        prefix = f"{storage.location.strip('/')}/".lstrip("/")
        for item in storage.bucket.objects.filter(Prefix=prefix):
            if not item.key.endswith("/"):
                yield item.key[len(prefix) :]
        return
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        # Local storage whose folder is not made yet: nothing stored.
        return
    for name in sorted(files):
        # A local file still being written (media/storage.py) is not a file yet.
        if not name.startswith(".part-"):
            yield posixpath.join(directory, name)
    for name in sorted(directories):
        yield from stored_names(storage, posixpath.join(directory, name))


def storage_is_empty(storage):
    return next(stored_names(storage), None) is None


def copy_out(storage, name, target):
    """Copy one stored file to target; its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source, open(target, "wb") as copy:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            copy.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def checksum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_in(storage, name, source, *, replace):
    if replace and storage.exists(name):
        storage.delete(name)
    with open(source, "rb") as file:
        saved = storage.save(name, File(file, name=name))
    if saved != name:
        raise CommandError(f"{name} is already in storage; restore with --replace.")


def storage_files(directory, alias):
    return Path(directory) / "files" / alias


def remove_partial(directory):
    """A backup that failed half-way is not left to be mistaken for a whole one."""
    shutil.rmtree(directory, ignore_errors=True)
