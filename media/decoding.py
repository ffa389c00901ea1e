"""
A few decoding slots per machine, so that memory stays bounded whatever arrives at once.

An 80-megapixel PNG takes some 400 MB while Pillow decodes it; four such
uploads at once took 1.7 GB. Every process on the machine (gunicorn workers,
task workers, management commands) takes a slot before it decodes a picture:
a slot is a lock file under NEWSROOM_DECODING_DIR, locked with flock(), which
the kernel releases when its process ends, however it ends, so a killed
worker never keeps a slot. The limit is per machine because memory is.
"""

import contextlib
import ctypes
import os
import random
import threading
import time

from django.conf import settings

try:
    import fcntl
except ImportError:  # Windows: a developer's machine, decoding is not limited
    fcntl = None

_held = threading.local()

try:
    # glibc keeps freed memory for the process's next malloc: after a picture
    # of hundreds of MB, every worker that ever decoded one would stay that large.
    _give_back_memory = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc
    _give_back_memory = None


class DecodingBusy(Exception):
    """Every decoding slot stayed taken for as long as the caller could wait."""


@contextlib.contextmanager
def slot(wait=None, background=False):
    """
    Hold one of the machine's decoding slots, waiting at most ``wait`` seconds
    (NEWSROOM_DECODING_WAIT_SECONDS by default) before DecodingBusy. A thread
    that holds one already (a step of a decoding that holds it for all) goes on.

    Background work (renditions in a task worker) never takes the first slot
    when there are two or more: a worker going from one photo to the next
    would otherwise leave a photographer waiting for a slot until refused.
    """
    if getattr(_held, "depth", 0) or not settings.NEWSROOM_DECODING_SLOTS or fcntl is None:
        _held.depth = getattr(_held, "depth", 0) + 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    descriptor = _take(
        settings.NEWSROOM_DECODING_WAIT_SECONDS if wait is None else wait, background
    )
    _held.depth = 1
    try:
        yield
    finally:
        _held.depth = 0
        os.close(descriptor)  # which releases the lock
        if _give_back_memory:
            _give_back_memory(0)


def _take(wait, background=False):
    folder = settings.NEWSROOM_DECODING_DIR
    os.makedirs(folder, exist_ok=True)
    deadline = time.monotonic() + wait
    slots = list(range(settings.NEWSROOM_DECODING_SLOTS))
    if background and len(slots) > 1:
        slots.remove(0)
    while True:
        random.shuffle(slots)
        for number in slots:
            descriptor = os.open(
                os.path.join(folder, f"slot-{number}"), os.O_RDWR | os.O_CREAT, 0o600
            )
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            return descriptor
        if time.monotonic() >= deadline:
            raise DecodingBusy
        time.sleep(random.uniform(0.05, 0.15))
