"""Work on stories that no reader or editor should wait for."""

from django_tasks import task

from articles import readings


@task()
def tidy_readings():
    """
    Move the readings Redis counted into their hourly rows, and forget the hours
    past NEWSROOM_READINGS_KEEP_DAYS. Queued by the beacon every few minutes
    (articles/readings.py); safe to run twice, and two at once add nothing twice
    (each takes what it moves out of Redis in one step).
    """
    moved, pruned = readings.counted_by_now()
    return {"moved": moved, "pruned": pruned}
