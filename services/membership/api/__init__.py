"""Membership's HTTP API: registration/auth/card, the member's own routes, branch staff.

Routes parse, build a command, run its handler through the Idempotency-Key guard (which is
also the unit of work) and map the result; domain errors become problem+json in one place
(common.problems).
"""

from services.membership.api import me, registration, staff

ROUTERS = [registration.router, me.router, staff.router]
