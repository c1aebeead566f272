"""Member sessions membership ended (SessionEnded): their access tokens are refused here.
The SQL is common.revocation's, shared with referral."""

from common.revocation import ended_since as revoked_since
from common.revocation import record_ended as revoke

__all__ = ["revoke", "revoked_since"]
