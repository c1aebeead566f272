"""Staff accounts membership disabled (StaffDisabled): their tokens are refused here.
The SQL is common.revocation's, shared with billing."""

from common.revocation import record_staff_disabled as disable
from common.revocation import staff_disabled_since as disabled_since

__all__ = ["disable", "disabled_since"]
