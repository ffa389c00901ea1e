"""Tasks that exist for the tests about the queue itself."""

from pathlib import Path

from django_tasks import task


@task()
def always_fails(message):
    raise RuntimeError(message)


@task()
def slow_the_first_time(log_path, seconds):
    """Notes each start in a file; the first run takes long enough to be killed in."""
    log = Path(log_path)
    starts = log.read_text().count("started") if log.exists() else 0
    with log.open("a") as file:
        file.write("started\n")
    if starts == 0:
        import time

        time.sleep(seconds)
    with log.open("a") as file:
        file.write("finished\n")
    return starts + 1
