"""The two refusals referral's rules raise: bad input, or a programme rule saying no."""

from __future__ import annotations

from typing import Any

from common.errors import InvalidInput, RuleViolated


def invalid(field: str, code: str, en: str, id_: str, **extra: Any) -> InvalidInput:
    """The value cannot be read or used as given (its form, its range)."""
    return InvalidInput(code, en, id_, field=field, **extra)


def refused(field: str, code: str, en: str, id_: str, **extra: Any) -> RuleViolated:
    """A programme rule refuses it (expired, not registered here, no room)."""
    return RuleViolated(code, en, id_, field=field, **extra)
