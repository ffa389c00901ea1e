#!/usr/bin/env python3
"""
How much memory do photos just under the pixel cap take when they arrive at once?

    .venv/bin/python bench/upload_memory.py [--workers 4] [--uploads 4] [--format png]
                                            [--megapixels 79.9] [--task-workers 1]

It starts the site as production runs it (gunicorn with --workers sync workers,
and --task-workers `manage.py worker` processes for the renditions) on a
throwaway SQLite database under a temporary folder, logs a photographer in,
and sends --uploads uploads at the same moment, each a different image of
--megapixels (default just under NEWSROOM_MAX_IMAGE_PIXELS). While the
uploads and then the background renditions run, it samples every 50 ms the
resident memory (RSS) of all those processes together, and prints the figure
before the uploads, the peak, and each upload's answer.

RSS summed over forked workers counts the pages they share with gunicorn's
master more than once; the "peak above idle" line is the part the uploads
themselves cost, which is what the decoding limit bounds.
"""

import argparse
import http.client
import http.cookiejar
import io
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PASSWORD = "bench-password-9431"


def make_image(megapixels, index, file_format):
    """A picture of about ``megapixels`` that is different for each index and compresses well."""
    from PIL import Image, ImageDraw

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(megapixels * 1e6 // width)
    image = Image.new("RGB", (width, height), (30 + index * 20 % 200, 90, 160))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x, y = (index * 7919 + i * 104729) % width, (index * 3571 + i * 7717) % height
        draw.ellipse(
            [x, y, x + width // 6, y + height // 6], fill=(i * 20, 200 - i * 9, index * 40)
        )
    buffer = io.BytesIO()
    image.save(buffer, format=file_format, **({"quality": 90} if file_format == "JPEG" else {}))
    return buffer.getvalue(), (width, height)


def process_tree(root_pids):
    """Every process whose ancestry includes one of root_pids (the roots included)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except OSError:
                continue
    tree = set(root_pids)
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return tree & set(parents) | (set(root_pids) & set(parents))


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self, roots):
        super().__init__(daemon=True)
        self.roots, self.peak, self.current, self.running = roots, 0, 0, True
        self.at_peak = {}

    def run(self):
        while self.running:
            each = {pid: rss_kb(pid) for pid in process_tree(self.roots)}
            self.current = sum(each.values())
            if self.current > self.peak:
                self.peak, self.at_peak = self.current, each
            time.sleep(0.05)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(f"{value}\r\n".encode())
    for name, filename, data, content_type in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        body.write(data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def wait_until_up(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("The site did not start.")


def log_in(port):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "photographer", "password": PASSWORD}
    ).encode()
    opener.open(f"http://127.0.0.1:{port}/admin/login/?next=/admin/", data)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        sys.exit("Could not log in.")
    return cookies


def upload(port, cookies, name, data, content_type, answers):
    body, body_type = multipart(
        {"csrfmiddlewaretoken": cookies["csrftoken"]}, [("files", name, data, content_type)]
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.monotonic()
    connection.request(
        "POST",
        "/admin/media/photo/upload/",
        body,
        {
            "Content-Type": body_type,
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{port}/admin/media/photo/upload/",
        },
    )
    response = connection.getresponse()
    page = response.read().decode(errors="replace")
    refused = re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page)
    answers.append((name, response.status, round(time.monotonic() - started, 1), refused[:1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--task-workers", type=int, default=1)
    parser.add_argument("--uploads", type=int, default=4, help="uploads sent at once")
    parser.add_argument("--megapixels", type=float, default=79.9)
    parser.add_argument("--format", choices=["png", "jpeg"], default="png")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--settle", type=float, default=20, help="seconds sampled after")
    parser.add_argument("--keep", action="store_true", help="keep the folder and site.log")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the site")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsroom-upload-bench-"))
    env = {
        **os.environ,
        "NEWSROOM_VAR_DIR": str(folder),
        "DJANGO_SECRET_KEY": "bench-only",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(item.split("=", 1) for item in args.env)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group;"
            "from newsroom.models import User;"
            f"u = User.objects.create_user('photographer', password='{PASSWORD}', is_staff=True);"
            "u.groups.add(*Group.objects.all())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    file_format = args.format.upper()
    print(f"Drawing {args.uploads} {file_format} images of {args.megapixels} MP …", flush=True)
    images = [make_image(args.megapixels, i, file_format) for i in range(args.uploads)]
    sizes = ", ".join(f"{len(data) / 1e6:.1f} MB" for data, _ in images)
    print(f"  {images[0][1][0]}×{images[0][1][1]} px; files {sizes}")

    log = open(folder / "site.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "bench/gunicorn_bench.conf.py",
            "--workers",
            str(args.workers),
            "--timeout",
            "300",
            "--bind",
            f"127.0.0.1:{args.port}",
            "newsroom.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    task_workers = [
        subprocess.Popen(
            [*manage, "worker", "--no-reload", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(args.task_workers)
    ]
    try:
        wait_until_up(args.port)
        cookies = log_in(args.port)
        # Every worker has served a page once, as after some minutes of traffic.
        for _ in range(args.workers * 3):
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/").read()
        sampler = Sampler([server.pid, *(w.pid for w in task_workers)])
        sampler.start()
        time.sleep(1)
        idle = sampler.current
        answers = []
        threads = [
            threading.Thread(
                target=upload,
                args=(args.port, cookies, f"big-{i}.{args.format}", data, f"image/{args.format}"),
                kwargs={"answers": answers},
            )
            for i, (data, _size) in enumerate(images)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        uploads_took = time.monotonic() - started
        time.sleep(args.settle)
        sampler.running = False
        sampler.join()
    finally:
        for process in [server, *task_workers]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [server, *task_workers]:
            process.wait(timeout=30)
        log.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    settings_line = " ".join(args.env) or "(defaults)"
    print(
        f"\n{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()};"
        f" {args.workers} gunicorn workers, {args.task_workers} task workers; {settings_line}"
    )
    print(f"{args.uploads} uploads at once took {uploads_took:.1f} s:")
    for name, status, seconds, refused in sorted(answers):
        print(f"  {name}: {status} in {seconds} s {refused[0] if refused else ''}")
    print(f"Total RSS idle:            {idle / 1024:7.0f} MB")
    print(f"Total RSS peak:            {sampler.peak / 1024:7.0f} MB")
    print(f"Peak above idle:           {(sampler.peak - idle) / 1024:7.0f} MB")
    each = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(sampler.at_peak.values(), reverse=True))
    print(f"Each process at the peak (MB): {each}")


if __name__ == "__main__":
    main()
