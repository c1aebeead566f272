"""Membership: programme records, registration and verification, accounts and login."""
