"""
The one settings module. The environment chooses; nothing here is secret.

    DATABASE_URL          postgres://user@host:5432/name  (unset: SQLite in var/)
    DJANGO_SECRET_KEY     required unless DJANGO_DEBUG is on
    DJANGO_DEBUG          "1" / "true" to turn debugging on (off by default)
    DJANGO_ALLOWED_HOSTS  comma-separated host names
    NEWSROOM_PUBLISHER    the publisher's name, printed in captions and feeds
    NEWSROOM_SERVE_UPLOADS  "0" when a web server or object storage serves uploads
    NEWSROOM_STORAGE_URL  s3://KEY:SECRET@host:port/public-bucket?originals=private-bucket
                          (or AWS_STORAGE_BUCKET_NAME + NEWSROOM_ORIGINALS_BUCKET): uploads
                          on an S3-compatible service instead of local files
    REDIS_URL             redis://host:6379/0, the cache every web process shares
    NEWSROOM_TASK_ATTEMPTS         how often a background task is tried before it counts as failed
    NEWSROOM_TASK_RETRY_SECONDS    the wait before its second try; each later wait doubles
    NEWSROOM_TASK_TIMEOUT_SECONDS  a task running longer than this lost its worker: it runs again
    NEWSROOM_FRONT_CACHE_DIR  nginx's proxy_cache_path on this machine, emptied on every change
    NEWSROOM_READINGS_KEEP_DAYS  days of hourly reading counts kept (most read uses the last day)
    NEWSROOM_DB_POOL_SIZE   PostgreSQL connections each process may hold (0: no pool)
    NEWSROOM_DB_POOL_TIMEOUT  seconds a request waits for one before the 503 page
    FORWARDED_ALLOW_IPS     proxies (as for gunicorn) whose X-Forwarded-For names the client
    NEWSROOM_LOGIN_FAILURE_LIMIT    wrong passwords for one username from one address before
                                    the lock-out
    NEWSROOM_LOGIN_COOLOFF_MINUTES  how long a lock-out lasts
    NEWSROOM_API_RATE, NEWSROOM_API_PARTNER_RATE  read API requests per client ("120/min")
    NEWSROOM_EDITORS_NEED_2FA       "0" lets editors and superusers in without a second factor
    NEWSROOM_SESSION_IDLE_HOURS     a staff session ends after this long without a request
    NEWSROOM_HSTS_SECONDS           Strict-Transport-Security's max-age under DJANGO_HTTPS
    NEWSROOM_UPLOADS_PER_WINDOW, NEWSROOM_UPLOAD_WINDOW_MINUTES  each user's upload rate
    NEWSROOM_DECODING_SLOTS, NEWSROOM_DECODING_WAIT_SECONDS, NEWSROOM_DECODING_DIR
                          pictures decoded at once on one machine (media/decoding.py)
"""

import os
import re
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from js_asset import static_lazy

# Time-zone data comes from the pinned tzdata package, never from the host:
# Kazakhstan moved Asia/Almaty from UTC+6 to UTC+5 on 2024-03-01, and a host
# with older data would print every publication time an hour late.
zoneinfo.reset_tzpath(to=())

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_number(name, default, kind=int):
    value = os.environ.get(name, default)
    try:
        number = kind(value)
    except ValueError:
        number = None
    if number is None or not 0 <= number < float("inf"):  # "nan" and "inf" parse as floats
        raise ImproperlyConfigured(f"{name} must be a {kind.__name__} of 0 or more, not {value!r}.")
    return number


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 on a developer's machine."
        )
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    # taggit first, so that articles.admin can replace taggit's own Tag admin.
    "taggit",
    "reversion",
    "newsroom",
    "media",
    "articles",
    # Imports a WordPress site's archive and answers its old addresses; nothing imports it.
    "wordpress",
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    # Load balancers' /healthz and /readyz, answered by this process itself.
    "project.middleware.HealthCheckMiddleware",
    # A WordPress site's old addresses (/?p=12, permalinks) answered with a 301 to the
    # story here: before the page cache, which would serve /?p=12 the front page.
    "wordpress.middleware.OldAddressMiddleware",
    # Readers' pages from the cache, before anything else (articles/caching.py): a
    # page is kept as it left every middleware below, security headers included.
    "articles.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "project.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The 503 page while the database is away; cached pages and files are still served.
    "project.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address only: / is Russian, /kk/ and /en/ the others.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose check reads the form: an admin form too large to read is
    # shown again with a message instead of a blank «Bad Request (400)».
    "project.middleware.OversizedFormMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who is signed in with a second factor (request.user.is_verified()); the editor
    # without one sent to set it up, and a staff session kept alive while used
    # (newsroom/accounts.py).
    "django_otp.middleware.OTPMiddleware",
    "newsroom.accounts.StaffSessionMiddleware",
    # Who did what from where, for the audit log (newsroom/audit.py).
    "newsroom.audit.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "project.middleware.SecurityHeadersMiddleware",
    # Last: turns a locked-out sign-in into the login page saying so (newsroom/accounts.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.publication",
                "articles.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# No DATABASE_URL means the embedded default: a SQLite file under var/.
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that is down or unreachable is found out in two seconds, not
    # the minutes a lost packet can take: readers then get the 503 page at once.
    options.setdefault("connect_timeout", 2)
    pool_size = env_number("NEWSROOM_DB_POOL_SIZE", 2)
    if pool_size > 0:
        # Each worker process keeps its own few connections open (psycopg's pool)
        # and checks one before lending it (CONN_HEALTH_CHECKS), so a database
        # restart costs no request an error once the database is back. The pool
        # replaces persistent connections: Django refuses both at once.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        options["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            # How long a request waits for a connection before the 503 page.
            "timeout": env_number("NEWSROOM_DB_POOL_TIMEOUT", 2, float),
            # While the database is down the pool retries in the background with
            # growing pauses; it gives up after this long and the next request
            # starts afresh, so that a database that is back is found within seconds.
            "reconnect_timeout": 2.0,
        }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A threaded server has several writers: take the write lock when a
    # transaction starts, and wait for it rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "newsroom.User"

AUTHENTICATION_BACKENDS = [
    # Refuses every sign-in of a locked-out username from that address, first.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kazakh dates (Django ships no format for them) and English ones that cannot be misread.
FORMAT_MODULE_PATH = ["newsroom.formats"]
# Every page speaks the language of its address, whatever the browser asks for:
# unprefixed addresses are Russian, /kk/ and /en/ the other editions (newsroom/urls.py).
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/uploads/"
# Uploads never land in an app package: media/ is our photo app.
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", VAR_DIR / "uploads"))
STORAGES = {
    # A full or read-only disk leaves no half-written file (media/storage.py).
    "default": {"BACKEND": "media.storage.WholeFileSystemStorage"},
    # Photos as uploaded, location data and all: for the archive and for making
    # renditions, never served. In production: a private bucket or folder.
    "originals": {
        "BACKEND": "media.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": os.environ.get("NEWSROOM_ORIGINALS_ROOT", VAR_DIR / "originals")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

S3_URL_OPTIONS = {"originals", "region", "secure", "custom_domain", "acl", "addressing"}


def object_storages(environ):
    """
    The "default" and "originals" storages on an S3-compatible service, from
    NEWSROOM_STORAGE_URL or the usual AWS_* variables; None means local files.

        s3://KEY:SECRET@host:port/public-bucket?originals=private-bucket
            &region=eu-central-1   the service's region (boto3's default otherwise)
            &secure=0              http instead of https to host:port
            &custom_domain=cdn.example.kz   public files' addresses (a CDN)
            &acl=public-read       what each public file is given; "acl=" for
                                   none, when a bucket policy makes it public
            &addressing=path       bucket in the path, not the host name
    """
    if url := environ.get("NEWSROOM_STORAGE_URL"):
        parts = urlsplit(url)
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = set(options) - S3_URL_OPTIONS
        if parts.scheme != "s3" or unknown:
            raise ImproperlyConfigured(
                "NEWSROOM_STORAGE_URL must read s3://KEY:SECRET@host:port/public-bucket"
                f"?originals=private-bucket; options are {', '.join(sorted(S3_URL_OPTIONS))}"
                + (f" (not {', '.join(sorted(unknown))})" if unknown else "")
            )
        scheme = (
            "http" if options.get("secure", "1").lower() in {"0", "false", "no", "off"} else "https"
        )
        host = parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""
        public, private = parts.path.strip("/"), options.get("originals", "")
        connection = {
            # Secrets may hold "/" or "+": written percent-encoded in the URL.
            "access_key": unquote(parts.username or "") or None,
            "secret_key": unquote(parts.password or "") or None,
            "endpoint_url": f"{scheme}://{host}" if host else None,
            "region_name": options.get("region") or None,
            "addressing_style": options.get("addressing") or None,
        }
        custom_domain = options.get("custom_domain") or None
        acl = options.get("acl", "public-read") or None
    elif public := environ.get("AWS_STORAGE_BUCKET_NAME"):
        private = environ.get("NEWSROOM_ORIGINALS_BUCKET", "")
        # boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY itself.
        connection = {
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        }
        custom_domain = environ.get("AWS_S3_CUSTOM_DOMAIN") or None
        acl = environ.get("AWS_DEFAULT_ACL", "public-read") or None
    else:
        return None
    if not public or not private or public == private:
        raise ImproperlyConfigured(
            "Object storage needs two buckets: a public one for renditions and a private one"
            " for photo originals (NEWSROOM_STORAGE_URL's ?originals=, or"
            " NEWSROOM_ORIGINALS_BUCKET)."
        )
    connection = {key: value for key, value in connection.items() if value is not None}
    # A name already taken gets another, as on local disk: two workers making the
    # same rendition at once must not overwrite each other's file, since the one
    # that loses the database race deletes its own (media/models.py).
    connection["file_overwrite"] = False
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": public,
                "default_acl": acl,
                "querystring_auth": False,
                "custom_domain": custom_domain,
            },
        },
        # Originals keep the camera's location data: no public address, only
        # addresses signed for a few minutes.
        "originals": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": private,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
            },
        },
    }


OBJECT_STORAGES = object_storages(os.environ)
if OBJECT_STORAGES:
    STORAGES |= OBJECT_STORAGES
# With local files and no web server in front (the embedded default), Django
# serves uploads itself; a production setup, and object storage, turns this off.
NEWSROOM_SERVE_UPLOADS = env_flag("NEWSROOM_SERVE_UPLOADS", default=not OBJECT_STORAGES)

FILE_UPLOAD_PERMISSIONS = 0o644

# The photo desk's limits: a 61-megapixel camera file passes, a decompression bomb does not.
NEWSROOM_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 80_000_000))
# Each photographer may upload this many files in a window of this many minutes
# (counted in the shared cache, so across every worker and machine); 0: no limit.
NEWSROOM_UPLOADS_PER_WINDOW = env_number("NEWSROOM_UPLOADS_PER_WINDOW", 60)
NEWSROOM_UPLOAD_WINDOW_MINUTES = env_number("NEWSROOM_UPLOAD_WINDOW_MINUTES", 10)
# Pictures decoded at once on this machine, by all its processes together
# (media/decoding.py): an 80-megapixel PNG takes some 400 MB while it is decoded.
# A request waits this long for a slot before its upload is refused as busy.
# 0 slots: no limit.
NEWSROOM_DECODING_SLOTS = env_number("NEWSROOM_DECODING_SLOTS", 2)
NEWSROOM_DECODING_WAIT_SECONDS = env_number("NEWSROOM_DECODING_WAIT_SECONDS", 15, float)
NEWSROOM_DECODING_DIR = Path(os.environ.get("NEWSROOM_DECODING_DIR", VAR_DIR / "decoding"))

# The story editor's toolbar in the admin's language, its image button opening the photo
# library (articles/static/articles/admin/desk-editor.js, configured by ArticleAdmin). It
# adds no markup, so what the text may hold is still the body field's own list.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/admin/desk-editor.js")],
        "extensions": {"DeskToolbar": lambda config, allowlist: None},
    }
]

# Long reads: a story's text (its HTML, as stored) may be up to this many characters,
# about 60,000 words; a longer one is refused on the body field. A form carrying the
# longest one in 4-byte characters, percent-encoded as browsers send it, is under
# 5 MB: forms are read up to 8 MB, and a larger one is shown again with a message
# (project.middleware.OversizedFormMiddleware), never a blank 400 page.
NEWSROOM_MAX_BODY_CHARS = int(os.environ.get("NEWSROOM_MAX_BODY_CHARS", 400_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 8 * 1024 * 1024)
)

NEWSROOM_PUBLISHER = os.environ.get("NEWSROOM_PUBLISHER", "Newsroom")
# The public address of the site, for every absolute link it gives away: canonical
# links, sitemaps, robots.txt, structured data, share cards.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Readers' pages are kept in Django's cache for at most this long, and never past
# an edit or a scheduled story's moment (articles/caching.py); 0 turns it off.
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", 600))

# The cache holds readers' pages and the site's state that retires them, so every
# process that serves pages must share it: Redis (REDIS_URL) across machines; on
# one machine with no Redis, files under var/cache, which every worker reads.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
            # A Redis that is away costs a request a fraction of a second, never a hang:
            # pages are then served uncached (newsroom/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Background work (every rendition of a new photo, …) waits in a table of the site's
# own database until a worker process takes it: `manage.py worker` (newsroom/tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed task is tried again after 1, 2, 4 … minutes, up to this many times in all;
# then it stays failed in the admin (Task results) with its traceback.
NEWSROOM_TASK_ATTEMPTS = int(os.environ.get("NEWSROOM_TASK_ATTEMPTS", 5))
NEWSROOM_TASK_RETRY_SECONDS = int(os.environ.get("NEWSROOM_TASK_RETRY_SECONDS", 60))
# A worker that was killed leaves its task marked as running; after this long,
# another worker takes it again (counted as an attempt). Longer than any task runs.
NEWSROOM_TASK_TIMEOUT_SECONDS = int(os.environ.get("NEWSROOM_TASK_TIMEOUT_SECONDS", 900))

# nginx's cache folder on this machine (deploy/nginx/newsroom.conf), emptied by
# every change readers could see (newsroom/frontcache.py); unset: no front cache.
NEWSROOM_FRONT_CACHE_DIR = os.environ.get("NEWSROOM_FRONT_CACHE_DIR", "")
# How long a story's share link works for people without an account.
NEWSROOM_PREVIEW_LINK_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_HOURS", 48))
# The longest any share link may work, whatever date its maker asks for (a week).
NEWSROOM_PREVIEW_LINK_MAX_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_MAX_HOURS", 168))

# Readings of each story are kept by the hour (articles/readings.py) for this many
# days, then pruned: the most-read list and the admin read the last 24 hours.
NEWSROOM_READINGS_KEEP_DAYS = int(os.environ.get("NEWSROOM_READINGS_KEEP_DAYS", 30))

TAGGIT_CASE_INSENSITIVE = True
# Tags are typed separated by commas and shown back as typed: no quotes, no sorting.
TAGGIT_TAGS_FROM_STRING = "articles.models.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "articles.models.string_from_tags"

# The proxies believed about the client's address (X-Forwarded-For), the same list
# gunicorn believes about the scheme (gunicorn.conf.py): nginx on this machine.
NEWSROOM_TRUSTED_PROXIES = [
    address.strip()
    for address in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",")
    if address.strip()
]

# Sign-in throttling (django-axes): a username is locked out from one address after
# this many wrong passwords in a row, for this long; `manage.py axes_reset_username`
# lifts it sooner. The lock-out is the login page saying so (newsroom/accounts.py).
AXES_FAILURE_LIMIT = env_number("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_number("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "newsroom.accounts.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.accounts.locked_out"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock-out are refused unread and do not prolong it: the time the
# page gives is the time it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failures are kept in the database (every process sees them); a success is not
# written on every sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
# Masked where axes writes a failed attempt down (the password always is): the code too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# Two-factor authentication (django-otp, TOTP): optional for every staff member,
# required of editors and superusers unless this is off. "Required" means the
# password still signs them in, and the next page is the one that sets it up.
NEWSROOM_EDITORS_NEED_2FA = env_flag("NEWSROOM_EDITORS_NEED_2FA", default=True)
# The issuer an authenticator app shows next to the account.
OTP_TOTP_ISSUER = os.environ.get("NEWSROOM_PUBLISHER", "Newsroom")

# A staff session ends after a working day without an admin page (newsroom/accounts.py
# renews it every few minutes of use); readers have no session.
SESSION_COOKIE_AGE = int(env_number("NEWSROOM_SESSION_IDLE_HOURS", 10, float) * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the site uses (project/middleware.py).
NEWSROOM_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)
if not DEBUG and env_flag("DJANGO_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A year, once the site is known to work over HTTPS; subdomains are left to
    # whoever runs them, and no preload list is joined on anyone's behalf.
    SECURE_HSTS_SECONDS = env_number("NEWSROOM_HSTS_SECONDS", 31_536_000)
    # check --deploy asks about both; they are the operator's decision (README).
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Content-Security-Policy (django-csp). No inline script, handler or style on
# readers' pages; the admin's scripts are files under /static/ too, and only its
# inline styles are allowed (project/middleware.py). Structured data
# (application/ld+json) is data, never run, so CSP does not apply to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if OBJECT_STORAGES:
    # Photos come from the bucket's own address or its CDN.
    public = OBJECT_STORAGES["default"]["OPTIONS"]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"https://{public['custom_domain']}"
        if public.get("custom_domain")
        else public.get("endpoint_url") or "https:"
    )

# The read API (api/, README «A read API»): JSON only, and the browsable pages when
# debugging; no sessions or passwords, only the optional partner key (api/clients.py).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.clients.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.clients.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # ?format= would be one more parameter to answer; the Accept header chooses.
    "URL_FORMAT_OVERRIDE": None,
}


# Requests per client (a DRF rate: "60/min", "1000/hour"): by address without a key,
# by key with a partner's key. Counted in the shared cache, so per site, not per process.
def env_rate(name, default):
    # Read on every API request: a typing mistake stops the start, not every request.
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must read like 120/min or 5000/hour, not {value!r}.")
    return value


NEWSROOM_API_RATE = env_rate("NEWSROOM_API_RATE", "120/min")
NEWSROOM_API_PARTNER_RATE = env_rate("NEWSROOM_API_PARTNER_RATE", "1200/min")
SPECTACULAR_SETTINGS = {
    "TITLE": f"{os.environ.get('NEWSROOM_PUBLISHER', 'Newsroom')} API",
    "DESCRIPTION": "Published stories, sections, tags and authors, read-only.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
