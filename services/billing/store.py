"""Billing's SQL, in one place, beside its migrations; none yet (issue 16).

The common tables (outbox, processed events, idempotency keys) are migrated for billing already.
"""
