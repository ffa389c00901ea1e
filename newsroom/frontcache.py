"""
Emptying nginx's front cache (deploy/nginx/newsroom.conf) on this machine.

Debian's nginx has no purge module, but nginx takes a cache entry whose file
is gone for a miss: it asks upstream and keeps the answer anew. So whenever a
process hears of a new site state (articles/caching.py), it empties the folder
nginx keeps pages in, NEWSROOM_FRONT_CACHE_DIR, while nginx keeps running.

Each level folder nginx made is first renamed (one step, after which none of
its pages can be found) and then deleted in a thread of its own. Only what
nginx writes there is touched: folders of one or two hex digits and files
named by a 32-digit key. Symbolic links are never followed nor removed.
"""

import logging
import os
import re
import secrets
import shutil
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

LEVEL = re.compile(r"[0-9a-f]{1,2}")
ENTRY = re.compile(r"[0-9a-f]{32}")
TRASH = ".purged-"
# The state the folder was last emptied for: every worker on the machine hears
# each new state, and only the first needs to empty the folder.
MARKER = ".newsroom-state"
# A page made under the old state may reach nginx just after the purge (it was
# on its way); the app marks such a page uncacheable, and this second purge
# catches the one that was already in the pipe.
SETTLE_SECONDS = 3.0

_lock = threading.Lock()


def purge_for(token):
    """Empty the front cache unless it was already emptied for the state ``token``."""
    folder = settings.NEWSROOM_FRONT_CACHE_DIR
    if not folder or token is None:
        return False
    with _lock:
        if _read_marker(folder) == token:
            return False
        if not purge(folder):
            return False
        _write_marker(folder, token)
    settle = threading.Timer(SETTLE_SECONDS, purge, [folder])
    settle.daemon = True
    settle.start()
    return True


def purge(folder):
    """Make every page in ``folder`` unreachable now, and delete them in the background."""
    try:
        entries = list(os.scandir(folder))
    except OSError as error:
        logger.error("The front cache %s cannot be emptied: %s", folder, error)
        return False
    trash = []
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.name.startswith(TRASH) and entry.is_dir(follow_symlinks=False):
            trash.append(entry.path)  # left by a purge that did not finish
        elif LEVEL.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            moved = os.path.join(folder, f"{TRASH}{secrets.token_hex(6)}")
            try:
                os.rename(entry.path, moved)
            except FileNotFoundError:
                continue  # another worker moved it first
            trash.append(moved)
        elif ENTRY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)  # a cache without levels=
            except FileNotFoundError:
                pass
    if trash:
        threading.Thread(target=_delete, args=(trash,), daemon=True).start()
    return True


def _delete(paths):
    # rmtree never follows a link; another worker may be deleting the same folder.
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
        if os.path.lexists(path):
            # nginx makes its folders for its own user only: the app must run as that user.
            logger.warning("The front cache's old pages in %s cannot be deleted.", path)


def _read_marker(folder):
    try:
        with open(os.path.join(folder, MARKER)) as marker:
            return marker.read().strip()
    except OSError:
        return None


def _write_marker(folder, token):
    path = os.path.join(folder, MARKER)
    temporary = f"{path}.{os.getpid()}"
    try:
        with open(temporary, "w") as marker:
            marker.write(token)
        os.replace(temporary, path)
    except OSError as error:
        logger.warning("The front cache's marker %s cannot be written: %s", path, error)
