from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public address: photo originals, location data and all."""

    def url(self, name):
        raise ValueError("Photo originals are private; readers get renditions.")
