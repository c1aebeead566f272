"""Notify's HTTP API: the member's inbox, preferences and devices; providers' signed receipts;
the ops numbers. Routes parse, call a handler (mutations through the Idempotency-Key guard,
which is also the unit of work) and map the result."""

from services.notify.api import me, ops, providers

ROUTERS = [me.router, providers.router, ops.router]
