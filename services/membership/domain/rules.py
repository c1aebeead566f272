"""Tunable limits for accounts and verification codes, kept in one place with their sources."""

from __future__ import annotations

from datetime import timedelta

from common import member_tokens

# Verification codes (domain.md §0: codes go by SMS, email, push or kiosk, never email-only).
# Six digits is what Mobile JKN users already know from its SMS OTP (domain.md §1, S1).
CODE_LENGTH = 6
# NIST SP 800-63B §5.1.3 caps out-of-band secrets at 10 minutes; long enough for an SMS that
# arrives late on an unstable connection, which the study lists as an inhibitor.
CODE_TTL = timedelta(minutes=10)
# Product decision: 5 guesses at a 10**6 space is a 1-in-200,000 chance per issued code.
MAX_CODE_ATTEMPTS = 5
# Product decision: SMS was judged too expensive in the study, so resends are throttled.
RESEND_COOLDOWN = timedelta(seconds=60)

# Passwords: NIST SP 800-63B §5.1.1.2 asks for at least 8 characters; the upper bound only
# keeps the hashing cost of a single request bounded.
PASSWORD_MIN = 8
PASSWORD_MAX = 128

# Sessions (product decision): a short access token limits a stolen token's use, a long
# refresh token spares older members from logging in again, which they found hard.
ACCESS_TOKEN_TTL = member_tokens.ACCESS_TOKEN_TTL  # the token is a cross-service contract
REFRESH_TOKEN_TTL = timedelta(days=30)
