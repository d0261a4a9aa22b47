"""The ceiling ``bench.cached_reads`` compares reads to: a Flask hello-world, served by gunicorn
with Parley's own configuration (as ``../shared/peers/parley/hello_app.py`` in the harness).

    gunicorn -c python:service.gunicorn_conf bench.hello_world:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return {"hello": "world"}
