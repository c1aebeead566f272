"""Operators' commands of the referral service (`python -m services.referral <command>`)."""
