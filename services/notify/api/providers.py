"""Providers' delivery receipts, signed per channel (domain/signatures.py). Unsigned, stale or
wrongly signed receipts are refused before the body is even read as a receipt."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from common.errors import Unauthenticated
from services.notify.api.deps import Guarded, Now, SettingsDep
from services.notify.api.schemas import ReceiptIn, ReceiptOut
from services.notify.domain.signatures import BadSignature, verify
from services.notify.handlers.receipts import on_receipt

router = APIRouter(prefix="/v1/providers", tags=["providers"])


def _unsigned() -> Unauthenticated:
    return Unauthenticated("receipt_signature_invalid",
                           "The receipt's signature is missing, stale or wrong.",
                           "Tanda tangan tanda terima tidak ada, kedaluwarsa, atau salah.",
                           field="X-Signature")


@router.post("/{channel}/receipts", response_model=ReceiptOut)
async def receipt(channel: Literal["push", "chat", "email", "sms"], request: Request,
                  s: SettingsDep, guard: Guarded, now: Now,
                  x_signature: Annotated[str | None, Header()] = None,
                  x_timestamp: Annotated[str | None, Header()] = None):
    """One receipt: {message_id, status, at}. Repeats and late ones change nothing."""
    raw = await request.body()
    secret = s.receipt_secret(channel)
    try:
        if secret is None:
            raise BadSignature("not configured")
        verify(secret.get_secret_value().encode(), x_timestamp, x_signature, raw, now)
    except BadSignature:
        raise _unsigned() from None
    try:
        body = ReceiptIn.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    return await guard.run(body, lambda conn: on_receipt(conn, channel, body.message_id,
                                                         body.status, body.at))
