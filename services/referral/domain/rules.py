"""Referral's tunable rules in one place, each with its source or the decision behind it.

domain.md asks for rules that may change (validity windows, quotas) to be data kept together,
not literals scattered through the code. Every day count here counts the issue day as day 0.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

# Visit dates, booking windows and expiry days follow the day in Jakarta (WIB), like membership.
WIB = ZoneInfo("Asia/Jakarta")

# R19 (domain.md §8, S10): a visit needs referral date >= visit date - 90 days, so a referral
# issued on day 0 is still good on day 90 and expired on day 91.
REFERRAL_VALID_DAYS = 90
# Product decision (domain.md §0): a referral serves repeat visits to the same poli until expiry.
REFERRAL_MULTI_VISIT = True
# Product decision: free-text notes (VClaim `catatan`) are short; longer clinical text belongs in
# the medical record, not a referral letter.
NOTES_MAX = 200

# Product decision for the control letter (surat kontrol, domain.md §3): the hospital sets a
# planned date after the visit and within the referral's validity; the member may come on that
# day or up to this many days later (a missed day should not cost a new referral), never after
# the referral's last valid day.
CONTROL_LETTER_GRACE_DAYS = 7

# Online queue (product decisions; domain.md §3 leaves the window to the facility):
# bookings are taken for today (day 0) through this many days ahead.
BOOKING_DAYS_AHEAD = 14
# Check-in opens this long before the session starts and closes when it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=60)
# A facility's task time may run ahead of ours by at most the bridging clock skew.
TASK_CLOCK_SKEW = timedelta(minutes=5)
