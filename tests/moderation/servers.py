"""Local servers the notification tests talk to: SMTP (aiosmtpd) and an HTTP
receiver for webhooks, both on free ports on 127.0.0.1, stopped after the test."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
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
def http_receiver(ssl_context: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    receiver = Receiver()
    with serve_wsgi(receiver, name="webhook-receiver", ssl_context=ssl_context) as live:
        scheme = "https" if ssl_context else "http"
        receiver.url = f"{scheme}://{live.host}:{live.port}/hook"
        yield receiver


def tls_for(name: str, directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate for ``name`` from a throwaway CA, and
    the CA's certificate file a client trusts it with."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)

    def certificate(subject, key, issuer, signer, ca: bool, names=()):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca = certificate("Parley test CA", ca_key, "Parley test CA", ca_key, ca=True)
    leaf = certificate(name, leaf_key, "Parley test CA", ca_key, ca=False, names=[name])
    pem = serialization.Encoding.PEM
    ca_file, cert_file, key_file = (directory / f for f in ("ca.pem", "cert.pem", "key.pem"))
    ca_file.write_bytes(ca.public_bytes(pem))
    cert_file.write_bytes(leaf.public_bytes(pem))
    key_file.write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, ca_file
