"""Billing's SQL, in one place (one module per aggregate), beside migrations/."""
