"""Billing rules as pure functions: tariffs, bills, arrears, settlement, penalty, REHAB and VAs.

No I/O: handlers, the store and the API call these. Amounts are integer rupiah throughout.
"""
