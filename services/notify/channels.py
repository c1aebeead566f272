"""Provider adapters: real SMTP for email, a JSON-over-HTTP SMS gateway, FCM HTTP v1 for push and
the WhatsApp Business Cloud API for chat. One attempt each.

All of notify's SMTP code is in this module. A `Permanent` failure will not succeed on retry
(a rejected address), `Gone` says the address itself is no more (an unregistered push token);
anything else may pass later. Each passes the notification id on (Message-ID, `reference`,
FCM data, WhatsApp's callback data) so a provider that saw an attempt whose answer we lost can
drop the duplicate, and each returns the provider's own id for the message when it gives one:
receipts may name either.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import aiohttp
import aiosmtplib
from pydantic import SecretStr

from common.tls import client_context
from services.notify.domain.delivery import Gone, Permanent
from services.notify.domain.templates import Message
from services.notify.settings import Settings

Sender = Callable[[str, Message, uuid.UUID], Awaitable[str | None]]
TIMEOUT = aiohttp.ClientTimeout(total=10)


async def send_email(s: Settings, to: str, msg: Message, notification_id: uuid.UUID) -> str:
    """Hand one message to the SMTP server, verifying its certificate under STARTTLS or SMTPS."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = s.mail_from, to, msg.subject
    message_id = make_msgid(idstring=notification_id.hex, domain="jkn.local")
    mail["Message-ID"] = message_id
    mail.set_content(msg.text)
    security = s.smtp_security
    try:
        await aiosmtplib.send(
            mail, hostname=s.smtp_host, port=s.smtp_port, timeout=10,
            use_tls=security == "smtps", start_tls=security == "starttls",
            # Under TLS the server proves who it is (chain and host name) before the login
            # and the mail go over; "none" is for the local sink.
            tls_context=client_context(s.smtp_ca_file) if security != "none" else None,
            username=s.smtp_username if s.smtp_password else None,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise Permanent("recipient refused") from exc
    return message_id


def _auth(token: SecretStr | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}


def _refused(status: int) -> None:
    """A 4xx other than 429 (slow down) and 408 (timeout) will not pass on a retry."""
    if 400 <= status < 500 and status not in (408, 429):
        raise Permanent(f"provider refused: HTTP {status}")


async def _post(client: aiohttp.ClientSession, url: str, token: SecretStr | None,
                body: dict[str, Any],
                gone: Callable[[int, dict[str, Any]], bool] | None = None) -> dict[str, Any]:
    """POST JSON; the provider's JSON answer on 2xx, else the failure it means."""
    async with client.post(url, json=body, headers=_auth(token), timeout=TIMEOUT) as response:
        answer: dict[str, Any] = {}
        if response.content_type == "application/json":
            answer = await response.json()
        if gone is not None and gone(response.status, answer):
            raise Gone(f"provider says the address is gone: HTTP {response.status}")
        _refused(response.status)
        response.raise_for_status()
        return answer


async def send_sms(client: aiohttp.ClientSession, s: Settings, to: str, msg: Message,
                   notification_id: uuid.UUID) -> str | None:
    """POST {to, text, reference} to the SMS provider; 2xx means accepted."""
    answer = await _post(client, s.sms_provider_url, s.sms_provider_token,
                         {"to": to, "text": msg.text, "reference": str(notification_id)})
    return answer.get("id")


def _fcm_unregistered(status: int, answer: dict[str, Any]) -> bool:
    # FCM v1 answers 404 NOT_FOUND (errorCode UNREGISTERED) for a token the app gave up, and
    # 400 INVALID_ARGUMENT for one that never was.
    error = answer.get("error") or {}
    codes = {d.get("errorCode") for d in error.get("details", []) if isinstance(d, dict)}
    return status == 404 or "UNREGISTERED" in codes


async def send_push(client: aiohttp.ClientSession, s: Settings, token: str, msg: Message,
                    notification_id: uuid.UUID) -> str | None:
    """One FCM HTTP v1 message to one device token; returns FCM's message name."""
    answer = await _post(client, s.push_provider_url, s.push_provider_token, {"message": {
        "token": token,
        "notification": {"title": msg.subject, "body": msg.text},
        "data": {"reference": str(notification_id)},
        "android": {"priority": "high"},
    }}, gone=_fcm_unregistered)
    return answer.get("name")


async def send_chat(client: aiohttp.ClientSession, s: Settings, phone: str, msg: Message,
                    notification_id: uuid.UUID) -> str | None:
    """One WhatsApp Cloud API text message; returns its wamid."""
    answer = await _post(client, s.chat_provider_url, s.chat_provider_token, {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": phone.lstrip("+"),
        "type": "text",
        "text": {"preview_url": False, "body": msg.text},
        "biz_opaque_callback_data": str(notification_id),
    })
    messages = answer.get("messages") or [{}]
    return messages[0].get("id")


class Channels:
    """Every way notify reaches someone, by channel name: what the dispatch handler sends with."""

    def __init__(self, s: Settings, client: aiohttp.ClientSession) -> None:
        self.senders: dict[str, Sender] = {
            "email": lambda to, msg, nid: send_email(s, to, msg, nid),
            "sms": lambda to, msg, nid: send_sms(client, s, to, msg, nid),
            "push": lambda to, msg, nid: send_push(client, s, to, msg, nid),
            "chat": lambda to, msg, nid: send_chat(client, s, to, msg, nid),
        }

    async def send(
        self, channel: str, to: str, msg: Message, notification_id: uuid.UUID
    ) -> str | None:
        """One attempt on the channel; raises Permanent when a retry cannot help."""
        return await self.senders[channel](to, msg, notification_id)
