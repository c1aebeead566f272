"""Membership rules as pure functions: NIK, contacts, names, passwords and verification codes."""

from services.membership.domain.errors import RuleViolation

__all__ = ["RuleViolation"]
