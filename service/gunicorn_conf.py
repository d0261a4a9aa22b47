"""Gunicorn settings for ``make run`` and the Docker image (``-c python:service.gunicorn_conf``).

Threads, not processes, carry the JSON API. Open widgets' live-update streams
hold no thread: the worker class is gthread's, but it hands each stream's
socket to the process's stream hub (``service.gunicorn_worker``,
``service.widget.hub``), so a process holds thousands of idle streams
(``PARLEY_MAX_STREAMS``) while its threads answer requests. Both numbers are
``settings.web`` (PARLEY_WEB_WORKERS, PARLEY_WEB_THREADS), so operators tune
them without rebuilding the image, and a bad value stops gunicorn before it
forks with the same one error that lists every problem.
"""

from service.multiproc import prepare_multiprocess
from service.settings import Settings

# gunicorn reads this module once, in its master process, to configure itself.
_settings = Settings.from_env()
_web = _settings.web

worker_class = "service.gunicorn_worker.StreamingWorker"
# Accepted connections a process holds at once besides the hub's streams (gunicorn stops
# accepting past it); handed-over streams no longer count.
worker_connections = 4000
workers = _web.workers
threads = _web.threads
# No control socket (gunicorn ≥ 25): its default path ($HOME/.gunicorn/gunicorn.ctl) is one for
# every gunicorn of the user, so a second instance takes it over, and it runs an asyncio loop on a
# thread of the master. Parley's processes are managed by signals (as the Isso harness runs too).
control_socket_disable = True
# PARLEY_ACCESS_LOG=off drops gunicorn's line per request (see service.settings.operations).
accesslog = "-" if _settings.operations.access_log else None
# Tokens and codes in addresses (OAuth callbacks, mail links, ?key=) never reach the log; the
# default line is formatted without gunicorn's every-header dictionary.
logger_class = "service.gunicorn_logger.RedactingLogger"
if _settings.operations.log_format == "json":
    # The app logs each request as one JSON line (service/logs.py); gunicorn's own lines are
    # JSON too.
    accesslog = None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "service.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },  # fmt: skip
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
    }

# Every worker process counts into files in one directory (PROMETHEUS_MULTIPROC_DIR, a new
# temporary one unless set), emptied at start; GET /metrics adds them up.
prepare_multiprocess(wipe=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    # A gone worker's live gauges (open streams) stop counting.
    multiprocess.mark_process_dead(worker.pid)
