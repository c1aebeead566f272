"""The one OpenAPI 3.1 document of the public /v1 API, as the edge routes it.

Built in this process from each service's own routers (the routes its app mounts; building the
service's app itself would need its database and secrets, which the gateway does not hold),
keeping only the paths gateway/routes.py sends to that service by the longest-prefix rule, so
the document never lists a path the edge would answer 404 or send elsewhere. Then
gateway/openapi_rules.py states what each operation really answers: our problem+json errors,
its security scheme, its tag and examples.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from typing import Any

from fastapi import FastAPI

from gateway import openapi_rules
from gateway.routes import ROUTES, route_for

SERVICES = ("membership", "billing", "referral", "notify", "ops")
_REF = "#/components/schemas/"


def service_document(name: str) -> dict[str, Any]:
    """What the service's own app.openapi() says of its public routes."""
    api = importlib.import_module(f"services.{name}.api")
    app = FastAPI(title=f"JKN {name}", docs_url=None, redoc_url=None)
    for router in api.ROUTERS:
        app.include_router(router)
    return app.openapi()


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    """`node` with every schema $ref in `renames` pointed at its new name."""
    if not renames:
        return node
    text = json.dumps(node)
    for old, new in renames.items():
        text = text.replace(f'"{_REF}{old}"', f'"{_REF}{new}"')
    return json.loads(text)


def merge(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Paths each service answers at the edge, and their schemas; a schema name two services
    use for different shapes is prefixed with the later service's name."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for name, doc in documents.items():
        own = doc.get("components", {}).get("schemas", {})
        renames = {s: f"{name.capitalize()}{s}" for s, body in own.items()
                   if s in schemas and schemas[s] != body}
        own = _rename_refs(own, renames)
        for schema, body in own.items():
            schemas[renames.get(schema, schema)] = body
        for path, item in _rename_refs(doc["paths"], renames).items():
            prefix = route_for(path)
            if prefix is not None and ROUTES[prefix] == name:
                paths[path] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "JKN public API",
            "version": "1",
            "description": "Every public /v1 route of the member platform, as the gateway "
                           "routes it. Errors are RFC 9457 application/problem+json.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas},
    }


@cache
def document() -> dict[str, Any]:
    """The public document (built once per process: the routes do not change while it runs)."""
    return openapi_rules.apply(merge({name: service_document(name) for name in SERVICES}))
