"""
How gunicorn serves Newsroom in production:

    gunicorn -c gunicorn.conf.py newsroom.wsgi:application

The environment chooses, as in newsroom/settings.py:

    NEWSROOM_BIND            address to listen on (default 127.0.0.1:8000; a socket: unix:/run/newsroom.sock)
    WEB_CONCURRENCY          number of worker processes (default: 2 × CPUs + 1)
    NEWSROOM_WORKER_TIMEOUT  seconds a request may take before its worker is replaced (default 30)
    NEWSROOM_CONTROL_SOCKET  path of gunicorn's control socket, for gunicornc (default: none)

`kill -HUP <master's pid>` reloads the code and this file without dropping a
request: new workers start, old ones finish what they are serving and leave.
"""  # noqa: E501

import os

from project.access_log import AccessLogger


def cpu_count():
    # The CPUs this process may run on, which a container or taskset may limit.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


bind = [os.environ.get("NEWSROOM_BIND", "127.0.0.1:8000")]

# Sync workers: a page is made in milliseconds (the page cache answers most),
# and a worker that waits on the database waits at most the pool's timeout.
# One request per process also keeps each process's memory its own to measure.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cpu_count() + 1)

# A worker silent for this long is killed and replaced: no request holds one for ever.
timeout = int(os.environ.get("NEWSROOM_WORKER_TIMEOUT", 30))
# On HUP or TERM, workers finish the requests they are serving, for this long at most.
graceful_timeout = 30

# Each worker is replaced after 50,000 to 75,000 requests (a minute at full
# speed from the page cache, hours on an ordinary day), so that a slow leak
# never grows a worker out of its memory. The wide jitter keeps workers from
# being replaced together: a new worker takes a second or two of CPU to start.
# With 5,000 ± 500, two workers serving the page cache at 700 requests a second
# were both replaced within the same second, every dozen seconds, and the
# slowest requests waited two seconds for them.
max_requests = 50_000
max_requests_jitter = 25_000

# Both logs to the standard streams, for systemd's journal or the container's log.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Apache's combined format and the time taken; the address without its query
# string or any token (project/access_log.py), and health checks not at all.
logger_class = AccessLogger
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# gunicorn's control socket lives at one path per user by default, so a second
# site (or a second copy of this one) run by the same user would take it over:
# off, unless given a path of its own. Signals (HUP, TERM) need no socket.
if os.environ.get("NEWSROOM_CONTROL_SOCKET"):
    control_socket = os.environ["NEWSROOM_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Only a proxy on this machine is believed about the client's address and scheme.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
