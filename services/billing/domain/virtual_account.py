"""The family's virtual account: 16 digits from a bank prefix and the head's card number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.errors import InvalidInput, NotFound

# domain.md §3 "Payment" [S6]: 88888 + the last 11 digits of the card number (BRI, BNI, BTN,
# BCA), 89888 for Mandiri; one VA per family, derived from the family head's card.
DEFAULT_PREFIX = "88888"
PREFIXES: dict[str, str] = {"default": DEFAULT_PREFIX, "mandiri": "89888"}
SUFFIX_DIGITS = 11
VA_DIGITS = len(DEFAULT_PREFIX) + SUFFIX_DIGITS
# The JKN card number (noka) has 13 digits (§3 "Payment" example 0001944358911).
CARD_DIGITS = 13

_CARD = re.compile(rf"[0-9]{{{CARD_DIGITS}}}")
_VA = re.compile(rf"[0-9]{{{VA_DIGITS}}}")


@dataclass(frozen=True)
class ParsedVa:
    """A virtual account split into its channel and the 11 card digits it was made from."""

    channel: str
    card_suffix: str


def _prefix(channel: str) -> str:
    prefix = PREFIXES.get(channel.strip().lower()) if isinstance(channel, str) else None
    if prefix is None:
        raise InvalidInput("channel_unknown", "Unknown payment channel.",
                           "Kanal pembayaran tidak dikenal.", field="channel")
    return prefix


def virtual_account(head_card_number: str, channel: str = "default") -> str:
    """The family's 16-digit VA for a channel from its head's 13-digit card number."""
    # The number itself never goes into the error text (no personal data in exceptions).
    if not isinstance(head_card_number, str) or not _CARD.fullmatch(head_card_number):
        raise InvalidInput("card_number_format",
                           f"A card number has exactly {CARD_DIGITS} digits.",
                           f"Nomor kartu terdiri dari tepat {CARD_DIGITS} angka.",
                           field="card_number")
    return _prefix(channel) + head_card_number[-SUFFIX_DIGITS:]


def parse_virtual_account(va: str) -> ParsedVa:
    """A VA as a bank sends it: 16 digits with a known prefix; NotFound for any other."""
    # Product decision: a malformed VA gets the same not-found answer as an unknown one, so
    # the inquiry cannot be used to learn which prefixes or lengths exist.
    if isinstance(va, str) and _VA.fullmatch(va):
        prefix, suffix = va[: len(DEFAULT_PREFIX)], va[len(DEFAULT_PREFIX) :]
        for channel, known in PREFIXES.items():
            if prefix == known:
                return ParsedVa(channel, suffix)
    raise NotFound("va_unknown", "No such virtual account.",
                   "Nomor virtual account tidak ditemukan.", field="va")
