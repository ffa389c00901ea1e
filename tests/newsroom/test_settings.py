"""Production is the default: no debugging, and no start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]


def start_django(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " print(settings.DEBUG, settings.TIME_ZONE, settings.LANGUAGE_CODE)"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )  # fmt: skip


def test_site_refuses_to_start_without_a_secret_key():
    result = start_django()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert start_django(DJANGO_SECRET_KEY="x").stdout.split() == ["False", "Asia/Almaty", "ru"]
    assert start_django(DJANGO_DEBUG="1").stdout.split()[0] == "True"


# Object storage: NEWSROOM_STORAGE_URL or the usual AWS_* variables.


def test_storage_url_gives_a_public_bucket_and_a_private_one_for_originals():
    from newsroom.settings import object_storages

    storages = object_storages(
        {
            "NEWSROOM_STORAGE_URL": "s3://KEY:se%2Fcr%2Bet@minio.internal:9000/site"
            "?originals=site-originals&secure=0&region=kz-1&custom_domain=cdn.example.kz"
        }
    )
    public, private = storages["default"]["OPTIONS"], storages["originals"]["OPTIONS"]
    assert public["bucket_name"] == "site" and private["bucket_name"] == "site-originals"
    assert public["endpoint_url"] == private["endpoint_url"] == "http://minio.internal:9000"
    assert (public["access_key"], public["secret_key"]) == ("KEY", "se/cr+et")
    assert public["region_name"] == "kz-1" and public["custom_domain"] == "cdn.example.kz"
    assert (public["default_acl"], public["querystring_auth"]) == ("public-read", False)
    assert (private["default_acl"], private["querystring_auth"]) == ("private", True)
    assert "custom_domain" not in private, "originals never get a public address"
    assert public["file_overwrite"] is private["file_overwrite"] is False


def test_aws_variables_give_the_same_two_buckets():
    from newsroom.settings import object_storages

    storages = object_storages(
        {"AWS_STORAGE_BUCKET_NAME": "site", "NEWSROOM_ORIGINALS_BUCKET": "site-originals"}
    )
    assert storages["default"]["OPTIONS"]["bucket_name"] == "site"
    assert storages["originals"]["OPTIONS"]["bucket_name"] == "site-originals"
    assert "endpoint_url" not in storages["default"]["OPTIONS"], "AWS itself"
    assert object_storages({}) is None, "no variable: local files"


@pytest.mark.parametrize(
    "environ",
    [
        {"NEWSROOM_STORAGE_URL": "s3://k:s@host/site"},
        {"NEWSROOM_STORAGE_URL": "s3://k:s@host/site?originals=site"},
        {"NEWSROOM_STORAGE_URL": "s3://k:s@host/?originals=private"},
        {"NEWSROOM_STORAGE_URL": "s3://k:s@host/site?originals=private&orignals=x"},
        {"NEWSROOM_STORAGE_URL": "https://k:s@host/site?originals=private"},
        {"AWS_STORAGE_BUCKET_NAME": "site"},
    ],
    ids=["no-originals", "same-bucket", "no-public", "misspelt-option", "not-s3", "aws-one"],
)
def test_object_storage_without_two_distinct_buckets_refuses_to_start(environ):
    from newsroom.settings import object_storages

    with pytest.raises(ImproperlyConfigured):
        object_storages(environ)


def test_with_object_storage_django_no_longer_serves_uploads():
    url = "s3://k:s@127.0.0.1:1/site?originals=private&secure=0"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " from django.core.files.storage import storages;"
         " print(settings.NEWSROOM_SERVE_UPLOADS, type(storages['originals']).__name__)"],
        cwd=ROOT, capture_output=True, text=True,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "newsroom.settings",
                          "DJANGO_SECRET_KEY": "x", "NEWSROOM_STORAGE_URL": url},
    )  # fmt: skip
    assert result.stdout.split() == ["False", "S3Storage"], result.stderr


def test_storage_url_without_a_host_or_keys_means_aws_and_boto3s_own_credentials():
    from newsroom.settings import object_storages

    options = object_storages({"NEWSROOM_STORAGE_URL": "s3:///site?originals=private&acl="})[
        "default"
    ]["OPTIONS"]
    assert "endpoint_url" not in options and "access_key" not in options
    assert options["default_acl"] is None, "a bucket policy makes the files public"
