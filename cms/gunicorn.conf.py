"""Gunicorn's settings for the production server (``make serve``).

Run ``gunicorn -c cms/gunicorn.conf.py``; each setting can be changed through
the environment variable named beside it. The defaults suit a small machine
with PostgreSQL and Redis beside the app: one process per core and a half
(the work is CPU-bound Python; a process waiting on the database lets
another run), two threads each for the waits (more only contend for the
interpreter: on two cores, 3 x 2 answered 260-275 submissions/s where 3 x 4
answered 220), and the app loaded once before the processes fork.
"""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(
    os.environ.get("WEB_CONCURRENCY", max(2, round(1.5 * multiprocessing.cpu_count())))
)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# Respondents' browsers keep their connection for the page and its answer.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
backlog = 2048
preload_app = True
# Recycle processes now and then, staggered, so none grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# Errors to standard error; one line per request only when asked for
# (GUNICORN_ACCESS_LOG=-), since at hundreds of answers a second it costs time.
# No control socket in the user's home directory; the process is managed by
# signals (HUP reloads, TERM stops).
control_socket_disable = True
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Never log a survey link: the token in the path is a respondent's key.
logger_class = "cms.serving.RedactingLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" %(M)sms'
raw_env = [
    "DJANGO_SETTINGS_MODULE="
    + os.environ.get("DJANGO_SETTINGS_MODULE", "cms.settings.production")
]


def post_fork(server, worker):
    """Each process opens its own database connections (the preloaded app's
    must not be shared across the fork)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
