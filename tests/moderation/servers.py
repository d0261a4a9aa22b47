"""Local servers the notification tests talk to: SMTP (aiosmtpd) and an HTTP
receiver for webhooks, both on free ports on 127.0.0.1, stopped after the test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from werkzeug.wrappers import Request, Response

from tests.support.live_server import free_port, serve_wsgi


@dataclass
class Mailbox:
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Receiver:
    """Answers ``fail_first`` requests with a 500, then 200; keeps every request."""

    url: str = ""
    fail_first: int = 0
    # Answer every request with a 302 to this URL instead.
    redirect_to: str = ""
    # Every attempt, failed or not: (headers, raw body, status answered).
    attempts: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)

    def __call__(self, environ, start_response):
        request = Request(environ)
        status = 500 if len(self.attempts) < self.fail_first else 200
        if self.redirect_to:
            status = 302
        self.attempts.append((dict(request.headers), request.get_data(), status))
        if status == 302:
            return Response("", status=302, headers={"Location": self.redirect_to})(
                environ, start_response
            )
        return Response("ok" if status == 200 else "try later", status=status)(
            environ, start_response
        )


@contextmanager
def http_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with serve_wsgi(receiver, name="webhook-receiver") as live:
        receiver.url = f"{live.url}/hook"
        yield receiver
