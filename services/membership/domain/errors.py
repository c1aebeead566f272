"""The one error type the membership rules raise."""

from __future__ import annotations


class RuleViolation(Exception):
    """A member-facing rule was broken: a stable code plus reasons in English and Indonesian."""

    def __init__(self, field: str | None, rule: str, reason_en: str, reason_id: str) -> None:
        # All four go to Exception.args so the error survives pickling (worker pools, retries).
        super().__init__(field, rule, reason_en, reason_id)
        self.field = field
        self.rule = rule
        self.reason_en = reason_en
        self.reason_id = reason_id

    def __str__(self) -> str:
        return self.reason_en
