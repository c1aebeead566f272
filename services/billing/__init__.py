"""Billing: premiums, bills, virtual accounts and payments (a later issue); the shape is here."""
