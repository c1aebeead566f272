"""The figures API's public routes (gateway/openapi.py reads ROUTERS, as for every service)."""

from services.ops.api.routes import router

ROUTERS = [router]
