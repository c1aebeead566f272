"""Provider adapters: real SMTP for email, a JSON-over-HTTP SMS gateway. One attempt each.

All of notify's SMTP code is in this module. A `Permanent` failure will not succeed on retry
(a rejected address); anything else may. Both pass the notification id on (Message-ID,
`reference`) so a provider that saw an attempt whose answer we lost can drop the duplicate.
A new channel (push, an in-app inbox) is one more sender in `Channels`.
"""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import make_msgid

import aiohttp

from services.notify.domain.delivery import Permanent
from services.notify.domain.templates import Message
from services.notify.settings import Settings

Sender = Callable[[str, Message, uuid.UUID], Awaitable[None]]


def _send_mail(s: Settings, to: str, msg: Message, notification_id: uuid.UUID) -> None:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = s.mail_from, to, msg.subject
    mail["Message-ID"] = make_msgid(idstring=notification_id.hex, domain="jkn.local")
    mail.set_content(msg.text)
    with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10) as smtp:
        if s.smtp_starttls:
            smtp.starttls()
        if s.smtp_username and s.smtp_password:
            smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
        try:
            smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise Permanent("recipient refused") from exc


async def send_email(s: Settings, to: str, msg: Message, notification_id: uuid.UUID) -> None:
    """Hand one message to the SMTP server (in a thread: smtplib blocks)."""
    await asyncio.to_thread(_send_mail, s, to, msg, notification_id)


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
