"""A multi-gigabyte export is read as a stream: memory stays the same whatever its size."""

import tracemalloc

from tests.wordpress.generated import write_export
from wordpress import wxr


def peak_while_reading(path):
    tracemalloc.start()
    try:
        items = 0
        with path.open("rb") as file:
            for part in wxr.read(file):
                items += part.kind == "item"
        return tracemalloc.get_traced_memory()[1], items
    finally:
        tracemalloc.stop()


def test_reading_an_export_takes_the_same_memory_at_any_size(tmp_path):
    sizes = {}
    for posts in (250, 2000):
        path = tmp_path / f"export-{posts}.xml"
        with path.open("w") as file:
            write_export(file, posts, body_chars=4000)
        sizes[posts] = path.stat().st_size
        peak, items = peak_while_reading(path)
        assert items == posts
        sizes[posts] = (path.stat().st_size, peak)
    small_file, small_peak = sizes[250]
    large_file, large_peak = sizes[2000]
    assert large_file > 7 * small_file  # about 16 MB against 2 MB
    # A chunk of the file, one item's tree and the parser's buffers: under 2 MB,
    # and no more for eight times the posts.
    assert large_peak < 2_000_000
    assert large_peak < small_peak * 1.5
