"""Comparing a typed name with the name on the participant record."""

from __future__ import annotations

import re
import unicodedata

# Apostrophes vanish ("Ma'ruf" is typed "Maruf"); dots, commas and hyphens separate words
# ("M.Yusuf" is typed "M. Yusuf", "Nur-Aini" as "Nur Aini"). Curly quotes are listed because
# NFKC leaves them as they are.
_DROPPED = re.compile(r"['`\u2018\u2019]")
_SEPARATORS = re.compile(r"[.,\-]")


def normalize_name(s: str) -> str:
    """NFKC, casefold, drop apostrophes, treat . , - as spaces and collapse whitespace."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = _SEPARATORS.sub(" ", _DROPPED.sub("", s))
    return " ".join(s.split())


def names_match(a: str, b: str) -> bool:
    """True when both names are equal after normalize_name; an empty name matches nothing."""
    # Deliberately exact after normalisation: no fuzzy matching and no honorific stripping
    # ("Hj.", "dr."), because this check stands in for identity during registration.
    na, nb = normalize_name(a), normalize_name(b)
    return bool(na) and na == nb
