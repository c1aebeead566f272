"""The errors a use case raises: what went wrong in the programme's terms, never an HTTP status.

Handlers raise these; `common.problems` maps each kind to its status and problem+json in one
place. Pure (no I/O, no web framework), so domain code and handlers may raise them freely.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal with a stable code, reasons in English and Indonesian, and the field it names."""

    def __init__(
        self,
        code: str,
        detail: str,
        detail_id: str,
        *,
        field: str | None = None,
        fields: tuple[str, ...] = (),
        retry_after: int | None = None,
        commit: bool = False,
        **extra: Any,
    ) -> None:
        super().__init__(code, detail, detail_id)
        self.code, self.detail, self.detail_id = code, detail, detail_id
        self.fields = (field, *fields) if field else fields
        self.retry_after = retry_after
        # The refusal is itself an outcome that must be kept (a counted wrong code, a revoked
        # login): the unit of work commits what the handler wrote before raising it.
        self.commit = commit
        self.extra = extra

    def __str__(self) -> str:
        return self.detail


class InvalidInput(DomainError):
    """The request cannot be read or applied as given (a value a later step cannot use)."""


class RuleViolated(DomainError):
    """A programme rule refuses the request (a waiting period, a segment, an arrears month)."""


class WrongCode(DomainError):
    """A verification code or credential was wrong; the attempt is counted."""


class Unauthenticated(DomainError):
    """No valid credentials."""


class Forbidden(DomainError):
    """Authenticated, but not allowed to do this."""


class NotFound(DomainError):
    """No such thing, or not the caller's (never tell the two apart)."""


class Conflict(DomainError):
    """The state the request needs is not the state there is (taken, already open, closed)."""


class Gone(DomainError):
    """It existed but was replaced or ended for good (a superseded registration)."""


class Locked(DomainError):
    """Too many failed attempts: locked until something resets it."""


class TooMany(DomainError):
    """A rate or cost cap: try again after `retry_after` seconds."""


class NotReady(DomainError):
    """What answers it is not ready yet (a projection still being built): retry after
    `retry_after` seconds."""


STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    RuleViolated: 422,
    WrongCode: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    Locked: 423,
    TooMany: 429,
    NotReady: 503,
}


def status_of(error: DomainError) -> int:
    """The HTTP status for a domain error: the nearest kind in its class hierarchy."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 422
