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

from service.settings import Settings

# gunicorn reads this module once, in its master process, to configure itself.
_web = Settings.from_env().web

worker_class = "service.gunicorn_worker.StreamingWorker"
# Accepted connections a process holds at once besides the hub's streams (gunicorn stops
# accepting past it); handed-over streams no longer count.
worker_connections = 4000
workers = _web.workers
threads = _web.threads
accesslog = "-"
# Tokens and codes in addresses (OAuth callbacks, mail links, ?key=) never reach the log.
logger_class = "service.redaction.RedactingLogger"
