"""Provider adapters: real SMTP for email, a JSON-over-HTTP SMS gateway. One attempt each.

All of notify's SMTP code is in this module. A `Permanent` failure will not succeed on retry
(a rejected address); anything else may. Both pass the notification id on (Message-ID,
`reference`) so a provider that saw an attempt whose answer we lost can drop the duplicate.
A new channel (push, an in-app inbox) is one more sender in `Channels`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import make_msgid

import aiohttp
import aiosmtplib

from common.tls import client_context
from services.notify.domain.delivery import Permanent
from services.notify.domain.templates import Message
from services.notify.settings import Settings

Sender = Callable[[str, Message, uuid.UUID], Awaitable[None]]


async def send_email(s: Settings, to: str, msg: Message, notification_id: uuid.UUID) -> None:
    """Hand one message to the SMTP server, verifying its certificate under STARTTLS or SMTPS."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = s.mail_from, to, msg.subject
    mail["Message-ID"] = make_msgid(idstring=notification_id.hex, domain="jkn.local")
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


async def send_sms(
    client: aiohttp.ClientSession, s: Settings, to: str, msg: Message, notification_id: uuid.UUID
) -> None:
    """POST {to, text, reference} to the SMS provider; 2xx means accepted."""
    headers = {}
    if s.sms_provider_token:
        headers["Authorization"] = f"Bearer {s.sms_provider_token.get_secret_value()}"
    async with client.post(
        s.sms_provider_url,
        json={"to": to, "text": msg.text, "reference": str(notification_id)},
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=10),
    ) as response:
        if 400 <= response.status < 500 and response.status != 429:
            raise Permanent(f"provider refused: HTTP {response.status}")
        response.raise_for_status()


class Channels:
    """Every way notify reaches someone, by channel name: what the dispatch handler sends with."""

    def __init__(self, s: Settings, client: aiohttp.ClientSession) -> None:
        self.senders: dict[str, Sender] = {
            "email": lambda to, msg, nid: send_email(s, to, msg, nid),
            "sms": lambda to, msg, nid: send_sms(client, s, to, msg, nid),
        }

    async def send(
        self, channel: str, to: str, msg: Message, notification_id: uuid.UUID
    ) -> None:
        """One attempt on the channel; raises Permanent when a retry cannot help."""
        await self.senders[channel](to, msg, notification_id)
