"""Gunicorn settings for ``make run`` and the Docker image (``-c python:service.gunicorn_conf``).

Threads, not processes, carry the load: every open widget holds one thread
for its live-update stream (an idle stream is a parked thread and a socket),
so the thread count is what limits concurrent readers. Both numbers come from
the environment so operators tune them without rebuilding the image.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("PARLEY_WEB_WORKERS", "2"))
threads = int(os.environ.get("PARLEY_WEB_THREADS", "64"))
accesslog = "-"
