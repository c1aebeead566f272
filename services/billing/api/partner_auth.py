"""Billing's partner API conventions: common.partner_auth over billing's partners table."""

from __future__ import annotations

from common.partner_auth import Partner, PartnerAuth
from services.billing.handlers.partners import active_partners, record_call

__all__ = ["Partner", "partner_call", "parsed", "signed_partner"]

_AUTH = PartnerAuth(active_partners, record_call)
signed_partner = _AUTH.signed
parsed = _AUTH.parsed
partner_call = _AUTH.call
