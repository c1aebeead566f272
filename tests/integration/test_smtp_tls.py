"""Mail to a relay goes only over TLS whose certificate checks out, by STARTTLS or SMTPS.

A real SMTP server (aiosmtpd) on a loopback port with a certificate made here: untrusted by
default, so refused; trusted through SMTP_CA_FILE, so the mail is delivered (and logged in).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from devstack.ports import free_port
from services.notify import channels
from services.notify.settings import Settings


@dataclass(frozen=True)
class _Message:  # what send_email reads of a rendered template
    subject: str
    text: str


MESSAGE = _Message(subject="Kode verifikasi", text="Kode Anda: 123456")


def _certificate(tmp: Path, name: str, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for `host` (a DNS name and 127.0.0.1), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName(host)] + ([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                                        if host == "localhost" else [])), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp / f"{name}.pem", tmp / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str]]] = []
        self.logins: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((envelope.mail_from, envelope.rcpt_tos))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.logins.append(auth_data.login)
        return AuthResult(success=True)


async def _relay(cert: Path, key: Path, implicit: bool) -> tuple[asyncio.Server, Inbox, int]:
    """A relay on a free loopback port: SMTPS (TLS at once) or STARTTLS required before MAIL."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(inbox, hostname="localhost", authenticator=inbox.authenticate,
                     tls_context=None if implicit else context, require_starttls=not implicit,
                     # aiosmtpd cannot tell an SMTPS socket is TLS; STARTTLS gates AUTH itself.
                     auth_require_tls=not implicit),
        "127.0.0.1", port, ssl=context if implicit else None)
    return server, inbox, port


@pytest.fixture
def certs(tmp_path: Path) -> dict[str, tuple[Path, Path]]:
    return {"good": _certificate(tmp_path, "good", "localhost"),
            "other": _certificate(tmp_path, "other", "relay.example.org")}


@pytest.fixture(params=["starttls", "smtps"])
async def relay(request, certs) -> AsyncIterator[tuple[str, Inbox, int]]:
    server, inbox, port = await _relay(*certs["good"], implicit=request.param == "smtps")
    yield request.param, inbox, port
    server.close()
    await server.wait_closed()


def _settings(monkeypatch, **env: str) -> Settings:
    monkeypatch.setenv("JKN_SEAL_KEY", "x")
    monkeypatch.setenv("JKN_JWT_SECRET", "x")
    monkeypatch.setenv("NOTIFY_DATABASE_URL", "postgresql://unused/notify")
    for name in ("SMTP_TLS", "SMTP_STARTTLS", "SMTP_CA_FILE", "SMTP_USERNAME", "SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


async def _send(s: Settings) -> None:
    await channels.send_email(s, "peserta@example.org", MESSAGE, uuid.uuid4())


async def test_an_untrusted_certificate_is_refused(relay, monkeypatch) -> None:
    mode, inbox, port = relay
    s = _settings(monkeypatch, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_TLS=mode,
                  SMTP_USERNAME="relay-user", SMTP_PASSWORD="relay-secret")
    with pytest.raises(Exception) as refused:
        await _send(s)
    assert "CERTIFICATE_VERIFY_FAILED" in repr(refused.value) + repr(refused.value.__cause__)
    assert inbox.received == [] and inbox.logins == []  # the password never left


async def test_a_certificate_signed_by_smtp_ca_file_is_accepted(relay, certs,
                                                                monkeypatch) -> None:
    mode, inbox, port = relay
    s = _settings(monkeypatch, SMTP_HOST="localhost", SMTP_PORT=str(port), SMTP_TLS=mode,
                  SMTP_CA_FILE=str(certs["good"][0]), SMTP_USERNAME="relay-user",
                  SMTP_PASSWORD="relay-secret")
    await _send(s)
    assert inbox.received == [("no-reply@jkn.local", ["peserta@example.org"])]
    assert inbox.logins == [b"relay-user"]


async def test_the_host_name_is_checked(certs, monkeypatch) -> None:
    cert, key = certs["other"]  # trusted, but issued to relay.example.org
    server, inbox, port = await _relay(cert, key, implicit=False)
    try:
        s = _settings(monkeypatch, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port),
                      SMTP_STARTTLS="true", SMTP_CA_FILE=str(cert))
        with pytest.raises(Exception) as refused:
            await _send(s)
        assert "CERTIFICATE_VERIFY_FAILED" in repr(refused.value) + repr(
            refused.value.__cause__)
        assert inbox.received == []
    finally:
        server.close()
        await server.wait_closed()


def test_security_follows_smtp_tls_then_the_old_smtp_starttls(monkeypatch) -> None:
    assert _settings(monkeypatch).smtp_security == "none"  # the local sink
    assert _settings(monkeypatch, SMTP_STARTTLS="true").smtp_security == "starttls"
    assert _settings(monkeypatch, SMTP_TLS="smtps").smtp_security == "smtps"
    assert _settings(monkeypatch, SMTP_STARTTLS="true",
                     SMTP_TLS="none").smtp_security == "none"
