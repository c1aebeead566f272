"""Local stand-ins for the mail, SMS, push (FCM HTTP v1) and chat (WhatsApp Cloud API) providers:
`python -m devstack.sinks`.

Each HTTP provider can be told to fail or slow down (`POST /api/faults`), so tests and demos can
watch notify's retries: {"down_seconds": 60} answers 503 for a minute, {"delay_ms": 300} slows
every answer, {"gone_tokens": [...]} makes push answer 404 UNREGISTERED for those tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import html
import json
import os
import re
import signal
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session
from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from common.redaction import redact


class Store:
    """Messages in memory, optionally mirrored to a JSON-lines file that survives restarts."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.items: list[dict[str, Any]] = []
        if path is not None and path.is_file():
            self.items = [json.loads(line) for line in path.read_text().splitlines() if line]
        # Providers dedupe on the client's reference; a dict keeps that O(1) under load.
        self.by_reference = {m["reference"]: m for m in self.items if m.get("reference")}

    def add(self, item: dict[str, Any]) -> None:
        """Keep one message."""
        self.items.append(item)
        if item.get("reference"):
            self.by_reference[item["reference"]] = item
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as fh:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")

    def clear(self) -> None:
        """Forget every message."""
        self.items.clear()
        self.by_reference.clear()
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def select(self, match: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Messages for which match is true, oldest first."""
        return [m for m in self.items if match(m)]


class Faults(BaseModel):
    """What a provider sink is told to do wrong; `down_seconds` counts from when it is set."""

    down_seconds: float = Field(0, ge=0, le=3600)
    delay_ms: int = Field(0, ge=0, le=30_000)
    status: int = Field(503, ge=400, le=599)
    gone_tokens: list[str] = Field(default_factory=list, max_length=1000)


class FaultState:
    def __init__(self) -> None:
        self.faults, self.down_until = Faults(), 0.0

    def set(self, faults: Faults) -> None:
        self.faults, self.down_until = faults, time.monotonic() + faults.down_seconds

    async def refusal(self) -> Response | None:
        """Sleep as told; the failing answer while down, else None."""
        if self.faults.delay_ms:
            await asyncio.sleep(self.faults.delay_ms / 1000)
        if time.monotonic() < self.down_until:
            return Response(status_code=self.faults.status)
        return None


def _fault_routes(app: FastAPI, state: FaultState) -> None:
    @app.post("/api/faults", status_code=204)
    def set_faults(body: Faults) -> Response:
        state.set(body)
        return Response(status_code=204)


def _accepted_once(store: Store, reference: str | None) -> dict[str, Any] | None:
    """The message already accepted under this client reference (providers dedupe on it), and
    the count of such repeats kept on it."""
    seen = store.by_reference.get(reference) if reference else None
    if seen is not None:
        seen["repeats"] = seen.get("repeats", 0) + 1
    return seen


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _plain_text(msg: email.message.EmailMessage) -> str:
    """Decoded text body (quoted-printable, base64, any charset); HTML stripped as a fallback."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = str(part.get_content())
    if part.get_content_subtype() == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text.strip()


class MailHandler:
    """aiosmtpd handler that accepts every message and stores it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        msg = email.message_from_bytes(bytes(raw), policy=email.policy.default)
        assert isinstance(msg, email.message.EmailMessage)
        item = {
            "id": uuid.uuid4().hex, "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
            "subject": str(msg.get("subject", "")), "text": _plain_text(msg),
            "message_id": str(msg.get("message-id", "")), "received_at": _now(),
        }
        self.store.add(item)
        # Subject only: bodies may carry verification codes, which stay on the web page.
        # The inbox shows the recipient; the log line must not (no personal data in any log).
        print(redact(f"mail to {', '.join(item['to'])}: {item['subject']}"), flush=True)
        return "250 Message accepted for delivery"


def _page(title: str, rows: list[dict[str, Any]], cols: list[str]) -> HTMLResponse:
    """A plain HTML table, newest first, refreshing itself so new codes appear."""
    head = "".join(f"<th>{c}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in cols) + "</tr>"
        for r in reversed(rows)
    )
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset=utf-8><meta http-equiv=refresh content=5>"
        f"<title>{title}</title><style>body{{font-family:sans-serif}}td{{white-space:pre-wrap;"
        f"border-top:1px solid #ccc;padding:4px;vertical-align:top}}</style></head><body>"
        f"<h1>{title} ({len(rows)})</h1><table><tr>{head}</tr>{body}</table></body></html>"
    )


def _cell(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def mail_app(store: Store) -> FastAPI:
    """HTTP view of the mail sink."""
    app = FastAPI(title="mail sink")

    @app.get("/api/messages")
    def list_mail(to: str | None = None) -> list[dict[str, Any]]:
        want = to.lower() if to else None
        return store.select(lambda m: want is None or want in (a.lower() for a in m["to"]))

    @app.delete("/api/messages", status_code=204)
    def clear_mail() -> Response:
        store.clear()
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse)
    def mail_page() -> HTMLResponse:
        return _page("Mail sink", store.items, ["received_at", "from", "to", "subject", "text"])

    @app.get("/healthz")
    def mail_health() -> dict[str, str]:
        return {"status": "ok"}

    return app


class SmsIn(BaseModel):
    """Request body of the SMS provider's send call."""

    to: str = Field(min_length=3)
    text: str
    reference: str | None = None


def sms_app(store: Store) -> FastAPI:
    """HTTP API imitating an SMS provider, plus a view of what it 'sent'."""
    app = FastAPI(title="sms sink")
    faults = FaultState()
    _fault_routes(app, faults)

    @app.post("/v1/messages", status_code=202, response_model=None)
    async def send_sms(body: SmsIn) -> dict[str, str] | Response:
        if (refused := await faults.refusal()) is not None:
            return refused
        # Providers dedupe on the client's reference: retries are safe.
        if (seen := _accepted_once(store, body.reference)) is not None:
            return {"id": seen["id"], "status": "accepted"}
        item = {"id": uuid.uuid4().hex, "to": body.to, "text": body.text,
                "reference": body.reference, "received_at": _now()}
        store.add(item)
        print(redact(f"sms to {body.to} ({len(body.text)} chars)"), flush=True)
        return {"id": item["id"], "status": "accepted"}

    _listing(app, store, "SMS sink", ["received_at", "to", "text", "reference"])
    return app


def _listing(app: FastAPI, store: Store, title: str, cols: list[str]) -> None:
    @app.get("/api/messages")
    def list_messages(to: str | None = None) -> list[dict[str, Any]]:
        return store.select(lambda m: to is None or m["to"] == to.strip())

    @app.delete("/api/messages", status_code=204)
    def clear_messages() -> Response:
        store.clear()
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse)
    def page() -> HTMLResponse:
        return _page(title, store.items, cols)

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}


def push_app(store: Store) -> FastAPI:
    """HTTP API shaped like FCM HTTP v1's messages:send, plus a view of what it 'pushed'."""
    app = FastAPI(title="push sink")
    faults = FaultState()
    _fault_routes(app, faults)

    @app.post("/v1/projects/{project}/messages:send", response_model=None)
    async def send_push(project: str, body: dict[str, Any]) -> dict[str, str] | Response:
        if (refused := await faults.refusal()) is not None:
            return refused
        message = body.get("message") or {}
        token = str(message.get("token", ""))
        if token in faults.faults.gone_tokens:
            return Response(json.dumps({"error": {
                "code": 404, "status": "NOT_FOUND", "message": "Requested entity was not found.",
                "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                             "errorCode": "UNREGISTERED"}]}}), 404,
                media_type="application/json")
        reference = (message.get("data") or {}).get("reference")
        if (seen := _accepted_once(store, reference)) is not None:
            return {"name": seen["id"]}
        note = message.get("notification") or {}
        item = {"id": f"projects/{project}/messages/{uuid.uuid4().int % 10**16}", "to": token,
                "title": note.get("title", ""), "text": note.get("body", ""),
                "reference": reference, "received_at": _now()}
        store.add(item)
        return {"name": item["id"]}

    _listing(app, store, "Push sink", ["received_at", "to", "title", "text", "reference"])
    return app


def chat_app(store: Store) -> FastAPI:
    """HTTP API shaped like the WhatsApp Business Cloud API's /messages, plus a view."""
    app = FastAPI(title="chat sink")
    faults = FaultState()
    _fault_routes(app, faults)

    @app.post("/{version}/{phone_number_id}/messages", response_model=None)
    async def send_chat(version: str, phone_number_id: str,
                        body: dict[str, Any]) -> dict[str, Any] | Response:
        if (refused := await faults.refusal()) is not None:
            return refused
        to = str(body.get("to", ""))
        reference = body.get("biz_opaque_callback_data")
        seen = _accepted_once(store, reference)
        if seen is None:
            seen = {"id": f"wamid.{uuid.uuid4().hex}", "to": to,
                    "text": (body.get("text") or {}).get("body", ""), "reference": reference,
                    "received_at": _now()}
            store.add(seen)
            print(redact(f"chat to {to} ({len(seen['text'])} chars)"), flush=True)
        return {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": seen["id"]}]}

    _listing(app, store, "Chat sink", ["received_at", "to", "text", "reference"])
    return app


class _Server(uvicorn.Server):
    """uvicorn server that leaves signal handling to main(): two servers share one process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(host: str, smtp_port: int, http_port: int, sms_port: int,
                store: Path | None = None, sms_store: Path | None = None, *,
                mail_sink: bool = True, sms_sink: bool = True,
                push_port: int | None = None, chat_port: int | None = None) -> None:
    """Run the SMTP sink and both HTTP apps (or the one wanted) until SIGTERM/SIGINT."""
    loop = asyncio.get_running_loop()
    smtp = None
    apps = []
    if mail_sink:
        mail = Store(store)
        handler = MailHandler(mail)
        # SMTP first: once /healthz answers, mail can be sent too.
        smtp = await loop.create_server(
            lambda: SMTP(handler, hostname="localhost", enable_SMTPUTF8=True,
                         # Accept any login so services configured for a real relay work
                         # unchanged.
                         authenticator=lambda *_: AuthResult(success=True),
                         auth_require_tls=False),
            host, smtp_port)
        apps.append((mail_app(mail), http_port))
    if sms_sink:
        apps.append((sms_app(Store(sms_store)), sms_port))
    if push_port:
        apps.append((push_app(Store(None)), push_port))
    if chat_port:
        apps.append((chat_app(Store(None)), chat_port))
    servers = [
        _Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
        for app, port in apps
    ]

    def _exit() -> None:
        for s in servers:
            s.should_exit = True

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _exit)
    print("sinks: " + ", ".join(
        ([f"smtp {host}:{smtp_port}, mail http://{host}:{http_port}/"] if mail_sink else [])
        + ([f"sms http://{host}:{sms_port}/"] if sms_sink else [])
        + ([f"push http://{host}:{push_port}/"] if push_port else [])
        + ([f"chat http://{host}:{chat_port}/"] if chat_port else [])), flush=True)
    try:
        await asyncio.gather(*(s.serve() for s in servers))
    finally:
        if smtp is not None:
            smtp.close()
            await smtp.wait_closed()


def main(argv: list[str] | None = None) -> None:
    """Parse ports (flags, then env, then defaults) and serve."""
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m devstack.sinks", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=int(env("SMTP_PORT", "1025")))
    parser.add_argument("--http-port", type=int, default=int(env("MAIL_SINK_HTTP_PORT", "8025")))
    parser.add_argument("--sms-port", type=int, default=int(env("SMS_SINK_PORT", "8026")))
    # Push and chat sinks run only when given a port (make up passes 8027 and 8028), so an
    # older command line does not start to bind ports it never asked for.
    parser.add_argument("--push-port", type=int, default=env("PUSH_SINK_PORT"))
    parser.add_argument("--chat-port", type=int, default=env("CHAT_SINK_PORT"))
    parser.add_argument("--no-push", action="store_true", help="push goes to real FCM")
    parser.add_argument("--no-chat", action="store_true", help="chat goes to the real WhatsApp API")
    parser.add_argument("--store", type=Path, help="JSON-lines file that keeps mail")
    parser.add_argument("--sms-store", type=Path, help="JSON-lines file that keeps SMS")
    parser.add_argument("--no-mail", action="store_true", help="mail goes to a real relay")
    parser.add_argument("--no-sms", action="store_true", help="SMS go to a real provider")
    a = parser.parse_args(argv)
    # aiosmtpd itself touches its deprecated Session.login_data on every AUTH; not our bug.
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")
    asyncio.run(serve(a.host, a.smtp_port, a.http_port, a.sms_port, a.store, a.sms_store,
                      mail_sink=not a.no_mail, sms_sink=not a.no_sms,
                      push_port=None if a.no_push else a.push_port,
                      chat_port=None if a.no_chat else a.chat_port))


if __name__ == "__main__":
    main()
