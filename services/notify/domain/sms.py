"""SMS segment counting (3GPP TS 23.038 alphabets, TS 23.040 concatenation). Pure.

SMS is the one channel billed per segment, so the budget counts segments, not messages.
"""

from __future__ import annotations

from typing import Literal

Encoding = Literal["gsm7", "ucs2"]

# The GSM 03.38 default alphabet, 0x00..0x7F in table order without 0x1B (the escape to the
# extension table, never a character of its own).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ"
    "ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as escape + character, so it costs two septets. Form feed
# is in the table too (a page break on old phones); it counts like the others.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

# (single message, each part of a concatenated one): the 6-byte concatenation header takes
# 7 septets of GSM-7 and 3 UTF-16 units of UCS-2.
LIMITS: dict[Encoding, tuple[int, int]] = {"gsm7": (160, 153), "ucs2": (70, 67)}


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the default alphabet or its extension, else UCS-2."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return "gsm7"
    return "ucs2"


def _width(c: str, enc: Encoding) -> int:
    # Septets in GSM-7; UTF-16 code units in UCS-2 (a character beyond U+FFFF, like most
    # emoji, is a surrogate pair).
    if enc == "gsm7":
        return 2 if c in GSM7_EXTENSION else 1
    return 2 if ord(c) > 0xFFFF else 1


def length(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes on the air."""
    enc = encoding(text)
    return sum(_width(c, enc) for c in text)


def split(text: str) -> tuple[Encoding, list[str]]:
    """The encoding and the parts a provider sends. An escaped pair or a surrogate pair never
    straddles two parts: the character moves whole to the next part, which may leave a part
    one unit short (phones would otherwise show garbage at the join)."""
    enc = encoding(text)
    single, per_part = LIMITS[enc]
    if length(text) <= single:
        return enc, [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for c in text:
        w = _width(c, enc)
        if used + w > per_part:
            parts.append("".join(current))
            current, used = [], 0
        current.append(c)
        used += w
    parts.append("".join(current))
    return enc, parts


def segments(text: str) -> tuple[Encoding, int]:
    """(encoding, segments billed). An empty text is one segment: sent, it is still billed."""
    enc, parts = split(text)
    return enc, len(parts)
