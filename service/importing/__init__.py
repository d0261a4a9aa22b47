"""Moving in: comments exported by WordPress, Disqus, Isso, Commento/Comentario, Remark42 and
Parley itself, read as hostile input (``files``), turned into plain records by one reader per
format (``sources/``), mapped to thread keys (``keys``) and stored by one engine (``engine``)
that is idempotent and never runs the checks or notifies anyone. ``commands`` is the CLI,
``jobs_api`` the owners' upload API; export lives in ``service/exporting.py``."""
