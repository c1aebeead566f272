"""Masking a name for a bank's VA inquiry: enough to recognise, never the full name."""

from __future__ import annotations

import unicodedata

MASK = "*"
SHOWN = 2  # letters shown at the start of a long word ("HENDRA" -> "HE****")


def mask_word(word: str) -> str:
    """One word with at most its first 2 characters shown and at least half of it masked."""
    # Product decision: a short word ("AN", "M.") would otherwise be shown whole; showing at
    # most half of every word means no word, and so no name, is ever revealed in full.
    shown = min(SHOWN, len(word) // 2)
    return word[:shown] + MASK * (len(word) - shown)


def mask_name(full_name: str) -> str:
    """The name upper-cased, each word masked: HENDRA SAPUTRA -> HE**** SA*****."""
    # NFC first, so an accented letter typed as letter + combining mark counts as one letter.
    words = unicodedata.normalize("NFC", full_name).upper().split()
    return " ".join(mask_word(w) for w in words)
