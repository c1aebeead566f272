"""Billing's operator commands (`python -m services.billing <command>`), one module each."""
