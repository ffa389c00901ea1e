import os
import tempfile

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_makedirs


def failures():
    """
    What a storage raises when it cannot keep a file, whatever the file: a full
    or read-only disk, an object store that refuses or does not answer.
    """
    errors = [OSError]
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # object storage is not installed, so not in use
        pass
    else:
        errors += [Boto3Error, BotoCoreError, ClientError]
    return tuple(errors)


class WholeFileSystemStorage(FileSystemStorage):
    """
    Local files that are whole or absent. Django writes straight to the final
    name, so a disk that fills up (or turns read-only) part-way leaves half a
    photo there; this writes beside it first and moves the file in only once
    every byte is on disk.
    """

    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
        else:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        part = self._write_part(directory, content)
        try:
            # Django moves a file with a path into place (a rename, on one disk).
            return super()._save(name, WrittenFile(part))
        finally:
            if os.path.exists(part):
                os.unlink(part)

    def _write_part(self, directory, content):
        """Every byte of content in a hidden file of directory; nothing left if that fails."""
        fd, part = tempfile.mkstemp(dir=directory, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        except BaseException:
            os.unlink(part)
            raise
        return part


class WrittenFile(File):
    def __init__(self, path):
        super().__init__(None, name=path)

    def temporary_file_path(self):
        return self.name


class PrivateFileSystemStorage(WholeFileSystemStorage):
    """Files with no public address: photo originals, location data and all."""

    def url(self, name):
        raise ValueError("Photo originals are private; readers get renditions.")
