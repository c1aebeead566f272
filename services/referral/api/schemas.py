"""Referral's request bodies and query models: strict, so a number is not a card number and 0
is not a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from common.text import text


def _date_as_text(v: object) -> object:
    # Lax date parsing would read 0 as 1970-01-01; a client sends dates as YYYY-MM-DD.
    if not isinstance(v, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return v


Day = Annotated[date, BeforeValidator(_date_as_text)]
CardNumber = text(13, min_length=13, pattern=r"^[0-9]{13}$")
Nik = text(16, min_length=16, pattern=r"^[0-9]{16}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EligibilityQuery(Strict):
    """GET /v1/partners/facility/eligibility's query: one of card_number or nik, and a date
    (today in WIB when left out)."""

    card_number: CardNumber | None = None
    nik: Nik | None = None
    date: Day | None = None
