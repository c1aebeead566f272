"""Billing rules as pure functions: no I/O; handlers, the store and the API call these.

Amounts are integer rupiah; percentages are basis points rounded half up per person and share.
- periods: Period (YYYY-MM), due the 10th, local_date (WIB)
- tariffs: TariffVersion rows with effective_from, TariffTable.for_period, TARIFFS
- bills: payer_of, family_bill_lines, group_bills (one bill per payer and period)
- arrears: counted_arrears (24 at most), amount_due, coverage_status
- settlement: settle (oldest first, whole months, the rest as credit)
- penalty, rehab, first_premium, virtual_account, masking: one rule each
"""
