"""The inbox's copy of a message: the same text as the other channels, except a code, whose copy
says where it went and never holds the code (the inbox sits behind the login the code may be
unlocking). Pure."""

from __future__ import annotations

from services.notify.domain.fanout import mask_destination
from services.notify.domain.message import Message
from services.notify.domain.templates import render, security_code_notice

CODES = {"verification_code"}


def _no_secrets(_sealed: str) -> str:
    raise ValueError("the inbox never unseals a secret")


def inbox_copy(template: str, params: dict, locale: str, destination: str | None,
               sent_at: str) -> Message:
    if template in CODES:
        return security_code_notice({"purpose": params.get("purpose", "registration"),
                                     "destination_masked": mask_destination(destination or ""),
                                     "sent_at": sent_at}, locale)
    return render(template, params, locale, "inbox", _no_secrets)
