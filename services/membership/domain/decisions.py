"""The answer to a member's request: approved (from a date), rejected, or sent to an officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Outcome = Literal["approved", "rejected", "review"]
_OUTCOMES: frozenset[str] = frozenset({"approved", "rejected", "review"})


@dataclass(frozen=True)
class Decision:
    """One outcome with its rule code and reasons, or the date an approval takes effect."""

    outcome: Outcome
    rule: str | None = None
    reason_en: str | None = None
    reason_id: str | None = None
    effective_date: date | None = None

    def __post_init__(self) -> None:
        # Guard the invariants here so a half-filled decision never reaches a member's screen.
        if self.outcome not in _OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        if self.outcome == "approved":
            if self.effective_date is None:
                raise ValueError("an approval needs an effective date")
        elif not (self.rule and self.reason_en and self.reason_id):
            raise ValueError(f"a {self.outcome} decision needs a rule and both reasons")

    @classmethod
    def approve(cls, effective_date: date) -> Decision:
        """Approved, taking effect on effective_date."""
        return cls("approved", effective_date=effective_date)

    @classmethod
    def reject(cls, rule: str, reason_en: str, reason_id: str) -> Decision:
        """Refused under rule, with reasons in English and Indonesian."""
        return cls("rejected", rule=rule, reason_en=reason_en, reason_id=reason_id)

    @classmethod
    def review(cls, rule: str, reason_en: str, reason_id: str) -> Decision:
        """A branch officer must look; the reasons say what they will check."""
        return cls("review", rule=rule, reason_en=reason_en, reason_id=reason_id)
