"""Referral's rules: great-circle geometry and what the registry says about a facility. Pure."""
