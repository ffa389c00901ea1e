"""Timing shared by bench/pages.py and bench/wagtail_pages.py (standard library only)."""

import os
import platform
import statistics
import time


def machine():
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def counting(queries):
    """A database execute wrapper that collects the SQL it sees."""

    def wrapper(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    return wrapper


def measure(client, url, repeat, connection):
    """Warm up, count one request's queries, then time `repeat` requests: ms median and p95."""
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(counting(queries)):
        response = client.get(url)
    times = sorted(timed(client, url) for _ in range(repeat))
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def timed(client, url):
    start = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - start) * 1000
