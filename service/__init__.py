"""Parley's web service. ``create_app`` is the only place an app is built."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from service.settings import Settings

# Flask and the app's modules are imported by create_app, not by this package: a process
# that only reads settings (gunicorn's master, ``service.gunicorn_conf``) stays small.


def create_app(settings: Settings | None = None) -> Flask:
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from service.schemas import DatabaseIntConverter
    from service.settings import Settings

    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        # Bodies are at most 10,000 characters; leave room for JSON and UTF-8.
        MAX_CONTENT_LENGTH=256 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False
    # Before any blueprint binds its rules: an id past INTEGER matches no route (404).
    app.url_map.converters["int"] = DatabaseIntConverter
    if settings.web.proxy_hops:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=settings.web.proxy_hops, x_proto=settings.web.proxy_hops
        )
    else:
        _warn_about_an_untrusted_proxy(app)

    from service.runtime import Runtime

    app.extensions["parley"] = Runtime.build(settings)

    from service.errors import register_error_handlers

    register_error_handlers(app)

    from service import health
    from service.auth.email_views import bp as auth_email_bp
    from service.auth.views import bp as auth_bp
    from service.comments.feeds import bp as feeds_bp
    from service.comments.reader_views import bp as readers_bp
    from service.comments.views import bp as comments_bp
    from service.cors import install_cors
    from service.importing.api import bp as imports_bp
    from service.importing.dashboard import bp as import_page_bp
    from service.moderation.console import bp as console_bp
    from service.moderation.dashboard import bp as dashboard_bp
    from service.moderation.tokens import bp as tokens_bp
    from service.moderation.views import bp as moderation_bp
    from service.notifications.delivery_views import bp as deliveries_bp
    from service.notifications.views import bp as notifications_bp
    from service.openapi_view import bp as openapi_bp
    from service.privacy.views import bp as privacy_bp
    from service.site_views import bp as sites_bp
    from service.widget.views import bp as widget_bp

    for bp in (
        health.bp,
        comments_bp,
        readers_bp,
        feeds_bp,
        moderation_bp,
        openapi_bp,
        auth_email_bp,
        auth_bp,
        widget_bp,
        dashboard_bp,
        notifications_bp,
        tokens_bp,
        sites_bp,
        console_bp,
        privacy_bp,
        imports_bp,
        import_page_bp,
        deliveries_bp,
    ):
        app.register_blueprint(bp)
    install_cors(app)

    from service.security_headers import install_security_headers

    install_security_headers(app)

    from service.metrics_views import bp as metrics_bp
    from service.metrics_views import install_request_metrics

    app.register_blueprint(metrics_bp)
    install_request_metrics(app)

    from service.limits import install_limits

    install_limits(app)

    from service.logs import configure_logging, install_request_log

    if settings.operations.log_format == "json" or not logging.getLogger().handlers:
        configure_logging(settings.operations.log_format)
    install_request_log(app, settings.operations.log_format)
    from service.redaction import install_werkzeug_filter

    install_werkzeug_filter()

    from service.comments import warm_reads

    # Last, so it is the outermost layer: a warm read is answered before anything else runs.
    warm_reads.install(app, settings)
    return app


def _warn_about_an_untrusted_proxy(app: Flask) -> None:
    """Say once, clearly, that a proxy is in front but not trusted.

    With PARLEY_PROXY_HOPS=0 every reader behind the proxy has the proxy's
    address: one rate limit, one flood count, one ban for everybody. The header
    is never trusted without the setting (a client can send it); only reported.
    """
    from flask import request

    warned = threading.Event()

    @app.before_request
    def _check_forwarded() -> None:
        if not warned.is_set() and "X-Forwarded-For" in request.headers:
            warned.set()
            logging.getLogger(__name__).warning(
                "requests carry X-Forwarded-For but PARLEY_PROXY_HOPS=0: every reader "
                "behind the proxy shares its address (rate limits, flood checks, bans); "
                "set PARLEY_PROXY_HOPS to the number of proxies you run"
            )
