"""Gunicorn settings for ``make run`` and the Docker image (``-c python:service.gunicorn_conf``).

Threads, not processes, carry the load: every open widget holds one thread
for its live-update stream (an idle stream is a parked thread and a socket),
so the thread count is what limits concurrent readers. Both numbers are
``settings.web`` (PARLEY_WEB_WORKERS, PARLEY_WEB_THREADS), so operators tune
them without rebuilding the image, and a bad value stops gunicorn before it
forks with the same one error that lists every problem.
"""

from service.metrics import prepare_multiprocess
from service.settings import Settings

# gunicorn reads this module once, in its master process, to configure itself.
_web = Settings.from_env().web

worker_class = "gthread"
workers = _web.workers
threads = _web.threads
accesslog = "-"
# Tokens and codes in addresses (OAuth callbacks, mail links, ?key=) never reach the log.
logger_class = "service.redaction.RedactingLogger"

# Every worker process counts into files in one directory (PROMETHEUS_MULTIPROC_DIR, a new
# temporary one unless set), emptied at start; GET /metrics adds them up.
prepare_multiprocess(wipe=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    # A gone worker's live gauges (open streams) stop counting.
    multiprocess.mark_process_dead(worker.pid)
