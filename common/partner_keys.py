"""Partner keys rotate with an overlap (issue 19), pure: a partner holds at most two secrets at
once, the current one and the next, each valid from a time until a time (or for good), and a
call signed with either during the overlap is accepted. Billing and referral keep the keys in
their own `partner_keys` tables (common.partner_key_store); the rules are the same for both.

A rotation makes the next key, valid at once, and sets every older key to expire after the
overlap, so the partner can switch without a refused call; revoking the old key ends the
overlap early, once the partner signs with the new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from common import bridging
from common.errors import Conflict, Unauthenticated

MAX_KEYS_AT_ONCE = 2  # the current key and the next
_KEY_NO = re.compile(r"^k(\d+)$")


@dataclass(frozen=True)
class PartnerKey:
    """One secret of a partner and when it signs. `key_id` names it in the call audit; the
    secret itself is never logged or audited."""

    key_id: str
    secret: str
    valid_from: datetime
    valid_until: datetime | None = None

    def valid_at(self, now: datetime) -> bool:
        return self.valid_from <= now and (self.valid_until is None or now < self.valid_until)

    def open_at(self, now: datetime) -> bool:
        """Not expired yet (valid now, or from a later time)."""
        return self.valid_until is None or now < self.valid_until


def next_key_id(existing: Iterable[str]) -> str:
    """k1, k2, ...: one past the highest key id the partner ever had (ids are never reused,
    so an audit row's key id names one secret for good)."""
    numbers = [int(m.group(1)) for k in existing if (m := _KEY_NO.match(k))]
    return f"k{max(numbers, default=0) + 1}"


@dataclass(frozen=True)
class Rotation:
    """What a rotation writes: the new key's id and valid_from, and each older key's end."""

    key_id: str
    valid_from: datetime
    expiries: dict[str, datetime]


def rotation(keys: list[PartnerKey], *, now: datetime, overlap: timedelta) -> Rotation:
    """The next key, valid from now; every open older key expires after `overlap` (or sooner,
    if it already ends sooner). Refused while two keys are open: revoke the old one first."""
    open_keys = [k for k in keys if k.open_at(now)]
    if len(open_keys) >= MAX_KEYS_AT_ONCE:
        raise Conflict(
            "rotation_in_progress",
            "The partner already holds two keys; revoke the old one first (revoke-old).",
            "Mitra sudah memegang dua kunci; cabut kunci lama terlebih dahulu (revoke-old).",
        )
    ends = now + overlap
    # max(): a key whose valid_from is past the overlap's end (clocks apart) ends unused.
    expiries = {k.key_id: max(ends, k.valid_from) for k in open_keys
                if k.valid_until is None or k.valid_until > ends}
    return Rotation(next_key_id(k.key_id for k in keys), now, expiries)


def revocation(keys: list[PartnerKey], *, now: datetime) -> dict[str, datetime]:
    """The end of the overlap now: every open key but the newest expires at once. Refused when
    the partner has only one open key (there is no old key to revoke)."""
    open_keys = sorted((k for k in keys if k.open_at(now)), key=lambda k: k.valid_from)
    if len(open_keys) < MAX_KEYS_AT_ONCE:
        raise Conflict("no_old_key", "The partner has no old key to revoke.",
                       "Mitra tidak memiliki kunci lama untuk dicabut.")
    return {k.key_id: max(now, k.valid_from) for k in open_keys[:-1]}


def signing_key(keys: Iterable[PartnerKey], cons_id: str, timestamp: str, signature: str,
                now: datetime) -> PartnerKey:
    """The key valid now whose signature the call carries; Unauthenticated (naming the header)
    for a stale timestamp or when no valid key signed it. Every valid key is tried, so the
    answer takes as long whichever matched."""
    valid = [k for k in keys if k.valid_at(now)]
    matched: PartnerKey | None = None
    for key in valid or [PartnerKey("", "", now)]:  # no key: still check the timestamp
        try:
            bridging.verify(cons_id, timestamp, signature, key.secret, now)
        except Unauthenticated as error:
            if error.code != "bad_signature":
                raise
            continue
        if key.secret:
            matched = matched or key
    if matched is None:
        raise Unauthenticated("bad_signature", "X-signature does not match.",
                              "X-signature tidak sesuai.", field="X-signature")
    return matched
