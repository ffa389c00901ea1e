"""What tests that start processes of their own (workers, servers) share."""

import time
from urllib.parse import quote

from django.db import connection


def database_url_for_processes():
    """The test database as DATABASE_URL, for a process the test starts."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return (
        f"postgres://{quote(database['USER'] or '')}{password}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def wait_for(condition, seconds=5.0, step=0.02):
    """True as soon as condition() is, False if it is not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True
