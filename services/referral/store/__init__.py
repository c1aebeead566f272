"""Referral's SQL, one module per aggregate, beside migrations/."""
