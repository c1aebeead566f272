"""Which of the platform's two languages a caller reads, from its Accept-Language header
(RFC 9110 §12.5.4): Indonesian when it ranks `id` above `en`, English otherwise, so a caller
that names neither keeps the English every client already parses."""

from __future__ import annotations

LANGUAGES = ("en", "id")
DEFAULT = "en"


def _ranges(header: str) -> list[tuple[str, float]]:
    out = []
    for item in header.split(",")[:20]:  # a header of thousands of ranges is not read whole
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        out.append((tag.strip().lower(), quality))
    return out


def preferred(header: str | None) -> str:
    """"id" or "en": the caller's best-ranked of the two; a tie goes to the one named first,
    and `*` or a header naming neither gives English."""
    if not header:
        return DEFAULT
    best, best_q = DEFAULT, 0.0
    for tag, quality in _ranges(header):
        primary = tag.split("-", 1)[0]
        if primary in LANGUAGES and quality > best_q:
            best, best_q = primary, quality
    return best
