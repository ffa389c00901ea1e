#!/usr/bin/env python3
"""
How fast are renditions, and how much memory do they take?

    .venv/bin/python bench/renditions.py [--image PHOTO.jpg] [--repeat 5] [--avif]

Without --image it draws a 24-megapixel JPEG (6000×4000, with texture so that
it compresses like a photo) and a 12-megapixel one, the size Wagtail's figure
was measured on. Each case runs in a fresh process, so "peak MB" is that
process's whole maximum resident size (Python, Pillow and the images), which
is what a web worker would see. Times are the median of --repeat runs.

Naive path: full decode, every size resized from the original (Lanczos).
Draft + cascade: JPEG draft mode (libjpeg decodes at 1/2, 1/4 or 1/8 scale),
Pillow's reducing_gap (integer reduce() before a bicubic resample) and, for a
set of sizes, each made from the one before (cascading).
Shipped: the same, from the 2560-pixel working copy made at upload whenever
it is large enough (it is not timed here; the upload figure includes it).

It also times the upload path for the 24-megapixel file: check (decode), hash,
read metadata, store the original and make the admin's two thumbnails, as the
upload page does, on a throwaway SQLite database.
"""

import argparse
import io
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_photo(width, height, seed=1):
    """A JPEG that compresses like a photograph: gradients, shapes and sensor-like noise."""
    from PIL import Image, ImageDraw, ImageFilter

    small = Image.effect_noise((width // 8, height // 8), 64).convert("RGB")
    image = small.resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (seed * 7919 * (i + 1)) % width, (seed * 104729 * (i + 3)) % height
        draw.ellipse(
            [x, y, x + width // 10, y + height // 10], fill=(i * 6 % 255, 120, 200 - i * 4)
        )
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), grain, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _case(queue, path, spec_args, mode, repeat):
    from PIL import Image

    from media.imaging import WORKING_COPY_SIDE, render
    from media.specs import Spec

    data = Path(path).read_bytes()
    specs = [Spec(*args) for args in spec_args]
    size = None
    if mode == "shipped":
        # As the site does: from the working copy made at upload, when large enough.
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
        scale = WORKING_COPY_SIDE / max(size)
        if all(spec.size_for(*size)[0] <= size[0] * scale for spec in specs):
            data = Path(f"{path}.working.jpg").read_bytes()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        render(data, specs, fast=mode != "naive", size=size)
        times.append((time.perf_counter() - started) * 1000)
    queue.put((statistics.median(times), peak_resident_mb()))


def peak_resident_mb():
    # Not getrusage(): Linux carries the parent's peak across exec into ru_maxrss.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path, specs, mode, repeat):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    args = [(spec.ratio, spec.width, spec.file_format) for spec in specs]
    process = context.Process(target=_case, args=(queue, path, args, mode, repeat))
    process.start()
    result = queue.get()
    process.join()
    return result


def _upload(queue, path, repeat, rendition_path=None):
    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY="bench",
        NEWSROOM_VAR_DIR=workdir,
    )
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media.forms import check_upload
    from media.models import Photo, Rendition
    from media.specs import Spec

    if rendition_path:
        # End to end, as the rendition view makes one: read the working copy from
        # storage, render, write the file, insert the row.
        data = Path(rendition_path).read_bytes()
        photo = Photo.objects.create_from_file(data, "bench.jpg")
        spec = Spec("original", 800, "jpeg")
        times = []
        for _ in range(repeat):
            Rendition.objects.filter(photo=photo, spec=spec.name).delete()
            photo = Photo.objects.get(pk=photo.pk)
            started = time.perf_counter()
            photo.make_renditions([spec])
            times.append((time.perf_counter() - started) * 1000)
        queue.put((statistics.median(times), peak_resident_mb()))
        return
    data = Path(path).read_bytes()
    times = []
    for _ in range(repeat):
        Photo.objects.all().delete()
        uploaded = SimpleUploadedFile("bench.jpg", data, "image/jpeg")
        started = time.perf_counter()
        upload = check_upload(uploaded)
        Photo.objects.create_from_file(upload.data, upload.name, inspection=upload.inspection)
        times.append((time.perf_counter() - started) * 1000)
    queue.put((statistics.median(times), peak_resident_mb()))


def measure_upload(path, repeat, rendition_path=None):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_upload, args=(queue, path, repeat, rendition_path))
    process.start()
    result = queue.get()
    process.join()
    return result


def machine():
    from PIL import Image, features

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"Pillow {Image.__version__} (libjpeg-turbo {features.version('libjpeg_turbo')}, "
        f"libwebp {features.version('webp')}, libavif {features.version('avif')})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--image", type=Path, help="a JPEG to use instead of the drawn 24 MP one")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--avif", action="store_true", help="include AVIF (slow: seconds a case)")
    options = parser.parse_args()

    from media.specs import SHARE_SPEC, USAGES, Spec

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    big = options.image or workdir / "24mp.jpg"
    if not options.image:
        big.write_bytes(make_photo(6000, 4000))
    medium = workdir / "12mp.jpg"
    medium.write_bytes(make_photo(4240, 2832, seed=2))
    from media.imaging import working_copy

    for path in (big, medium):
        data = path.read_bytes()
        Path(f"{path}.working.jpg").write_bytes(working_copy(data) or data)
    print(f"Files kept in {workdir} (12mp.jpg is what bench/wagtail_rendition.py takes).")

    from PIL import Image

    with Image.open(big) as image:
        size = image.size
    print(f"Machine: {machine()}")
    print(f"Source: {size[0]}×{size[1]} ({size[0] * size[1] / 1e6:.1f} MP), "
          f"{big.stat().st_size / 1e6:.1f} MB; median of {options.repeat} runs\n")  # fmt: skip

    formats = ["jpeg", "webp"] + (["avif"] if options.avif else [])
    single = [
        Spec("original", 800, "jpeg"),
        *[Spec("original", width, fmt) for fmt in formats for width in (480, 1280, 1920)],
        Spec("16x9", 640, "webp"),
        Spec("1x1", 320, "jpeg"),
        SHARE_SPEC,
    ]
    print(
        "| rendition | naive ms | peak MB | draft+cascade ms | peak MB "
        "| shipped (working copy) ms | peak MB | speed-up |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = [(str(spec), big, [spec]) for spec in single]
    rows.insert(
        0,
        ("original-800.jpg from 12 MP (Wagtail: ~206 ms)", medium, [Spec("original", 800, "jpeg")]),
    )
    for usage in ("lead", "card"):
        for fmt in formats:
            rows.append(
                (
                    f"all of «{usage}» in {fmt} ({len(USAGES[usage].widths)} sizes)",
                    big,
                    USAGES[usage].specs(fmt),
                )
            )
    for label, path, specs in rows:
        naive = measure(path, specs, "naive", options.repeat)
        fast = measure(path, specs, "fast", options.repeat)
        shipped = measure(path, specs, "shipped", options.repeat)
        cells = " | ".join(f"{ms:.0f} | {mb:.0f}" for ms, mb in (naive, fast, shipped))
        print(f"| {label} | {cells} | {naive[0] / shipped[0]:.1f}× |")

    end_ms, end_mb = measure_upload(big, options.repeat, rendition_path=medium)
    print(
        f"\nEnd to end, original-800.jpg of the 12 MP photo as the rendition view makes it "
        f"(storage read, render, storage write, database row): {end_ms:.0f} ms, "
        f"peak {end_mb:.0f} MB"
        f"\n(Wagtail's get_rendition on the same file: bench/wagtail_rendition.py {medium})"
    )
    upload_ms, upload_mb = measure_upload(big, options.repeat)
    print(f"Upload of the {size[0] * size[1] / 1e6:.0f} MP JPEG (check, hash, metadata, store, "
          f"two admin thumbnails): {upload_ms:.0f} ms, peak {upload_mb:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
