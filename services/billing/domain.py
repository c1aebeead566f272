"""Billing's rules: premiums per segment and class, monthly bills, arrears and the payment
window. Empty until issue 16 brings them; pure when it does (no database, Kafka or web imports).
"""
