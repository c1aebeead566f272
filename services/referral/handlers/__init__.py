"""Referral's use cases: one async function per command, query and consumed event.

Each takes a connection (the caller's unit of work) and what it needs by keyword; domain
errors, no HTTP, no SQL (that is store/).
"""
