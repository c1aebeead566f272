"""The one text type every request field and text path segment goes through.

Control characters are refused at the edge: PostgreSQL cannot store NUL in `text`, a C1 or
lone surrogate cannot be encoded to UTF-8, and neither means anything in a name, an address or
a code. Text is NFC-normalised (a name typed on two keyboards compares equal, a length is
counted in characters as a reader sees them) and trimmed. Multi-line text (a complaint, an
officer's answer) keeps newlines and tabs; a CR/LF pair becomes one newline.

`text(max_length)` builds the annotated type for a field, so each field states its own limits.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, Field

_MULTILINE_ALLOWED = frozenset("\n\t")


def _refuse_controls(s: str, allowed: frozenset[str] = frozenset()) -> None:
    for ch in s:
        if ch in allowed:
            continue
        # Cc: C0, DEL and C1 controls; Cs: lone surrogates ("\ud800" in JSON).
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise ValueError(f"must not contain control characters (found U+{ord(ch):04X})")


def clean_line(s: str) -> str:
    """One line of text: no control characters at all; NFC; trimmed."""
    _refuse_controls(s)
    return unicodedata.normalize("NFC", s).strip()


def clean_multiline(s: str) -> str:
    """Text with lines: newlines and tabs allowed, other controls refused; NFC; trimmed."""
    s = s.replace("\r\n", "\n")
    _refuse_controls(s, _MULTILINE_ALLOWED)
    return unicodedata.normalize("NFC", s).strip()


def clean_secret(s: str) -> str:
    """A password or token: no control characters, but kept exactly as typed (no NFC, no trim
    beyond what the model does), so an existing password still hashes to what it did."""
    _refuse_controls(s)
    return s


def text(max_length: int, *, min_length: int = 1, multiline: bool = False,
         **constraints: Any) -> Any:
    """A text field: its length (in characters) and any pattern, then cleaned."""
    clean = clean_multiline if multiline else clean_line
    return Annotated[str, Field(min_length=min_length, max_length=max_length, **constraints),
                     AfterValidator(clean)]


def secret(max_length: int, *, min_length: int = 1) -> Any:
    """A password or token field: control characters refused, nothing else changed."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length),
                     AfterValidator(clean_secret)]


def path_text(max_length: int, *, min_length: int = 1, **constraints: Any) -> Any:
    """A text path segment (a ticket, a facility code): the same rules as a one-line field;
    a refusal names the segment (`ticket`, `code`) like a body field."""
    return Annotated[str, Path(min_length=min_length, max_length=max_length, **constraints),
                     AfterValidator(clean_line)]
