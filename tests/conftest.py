import os
import uuid

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import make_staff

# Property-based tests (tests/newsroom/test_hostile_input.py): the same examples on
# every run, so that CI is reproducible and fast; HYPOTHESIS_PROFILE=deep searches wider.
hypothesis_settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "deep", parent=hypothesis_settings.get_profile("ci"), max_examples=500, derandomize=False
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# A Redis database the tests may empty at will (production's REDIS_URL is never read).
TEST_REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(autouse=True)
def russian_site(settings):
    # The site's language, whatever the machine running the tests speaks.
    settings.LANGUAGE_CODE = "ru"


@pytest.fixture(autouse=True)
def fresh_cache():
    # The cache holds the site's state (articles/caching.py): each test's
    # database starts empty, so its cache does too.
    from django.core.cache import cache

    from articles import caching

    cache.clear()
    caching._last_state[:] = [None]


# The newsroom's people, one in each role (and a second where two must differ).


@pytest.fixture
def editor(db):
    return make_staff("aigerim", "Editors", "Айгерим Нұрланқызы")


@pytest.fixture
def reporter(db):
    return make_staff("irina", "Reporters", "Ирина Капитанова")


@pytest.fixture
def other_reporter(db):
    return make_staff("daniyar", "Reporters", "Данияр Сейітқали")


@pytest.fixture
def photographer(db):
    return make_staff("daniyar", "Photographers", "Данияр Сейітқали")


@pytest.fixture
def other_photographer(db):
    return make_staff("aigul", "Photographers", "Айгүл Қасымова")


@pytest.fixture
def redis_cache(settings):
    """
    The page cache in a real Redis, as in production, under a key prefix of the
    test's own. Without a Redis the test skips and says why, except in CI, which
    starts one (.ci/run).
    """
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        reason = f"no Redis at {TEST_REDIS_URL} ({error}); set NEWSROOM_TEST_REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Redis tests, but {reason}")
        pytest.skip(reason)
    # Changing CACHES makes Django set up its caches anew (django.test.signals).
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    from django.core.cache import cache

    from articles import caching

    caching._last_state[:] = [None]
    yield cache
    for watch in cache._watches.values():
        watch.stop()


# An S3-compatible server for the object-storage tests: moto's, as a real HTTP
# server on a port of the tests' own, so that the wiring is tested over the wire.
def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A port of its own unless one is asked for: two test runs on one machine do not collide.
S3_PORT = int(os.environ.get("NEWSROOM_TEST_S3_PORT") or _free_port())


@pytest.fixture(scope="session")
def s3_server():
    """
    The address of a moto_server started for this test run. Without moto the
    tests skip and say why, except in CI, where they must run.
    """
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    endpoint = f"http://127.0.0.1:{S3_PORT}"
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    reason = None
    if executable is None:
        reason = "moto_server is not installed (pip install -r requirements-dev.txt)"
    else:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", S3_PORT)) == 0:
                reason = f"port {S3_PORT} is taken; set NEWSROOM_TEST_S3_PORT"
    if reason is None:
        server = subprocess.Popen(
            [executable, "-H", "127.0.0.1", "-p", str(S3_PORT)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            server.terminate()
            server.wait()
            reason = f"moto_server did not answer on {endpoint} within 10 seconds"
        if server.poll() is not None and reason is None:
            reason = f"moto_server stopped at start (exit code {server.returncode})"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the object-storage tests, but {reason}")
        pytest.skip(reason)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def object_storage(s3_server, settings, monkeypatch):
    """
    The site's storages on two fresh buckets of the S3 server, configured as an
    operator would, through NEWSROOM_STORAGE_URL: a public one and a private one
    for originals. Yields the names of both.
    """
    import boto3
    from django.core.files.storage import storages

    from media.models import Photo
    from newsroom.settings import object_storages

    run = uuid.uuid4().hex[:8]
    public, private = f"public-{run}", f"originals-{run}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=public)
    client.create_bucket(Bucket=private)
    host = s3_server.removeprefix("http://")
    url = f"s3://test:test@{host}/{public}?originals={private}&secure=0&region=us-east-1"
    settings.STORAGES = settings.STORAGES | object_storages({"NEWSROOM_STORAGE_URL": url})
    # Fields on "default" follow the setting; the originals' fields took their
    # storage from STORAGES once, at start, so they are pointed anew here.
    for name in ("original", "working_copy"):
        monkeypatch.setattr(Photo._meta.get_field(name), "storage", storages["originals"])
    yield {"client": client, "public": public, "originals": private}
