"""OpenAPI for partner routes that read their input themselves (common.partner_auth parses it
so a bad one is answered bridged): FastAPI cannot see that input, so the route states it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def body_doc(model: type[BaseModel], example: dict) -> dict:
    """The body's schema and an example, so /docs shows and tries what a partner sends."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": model.model_json_schema(), "example": example}
            },
        }
    }


def query_doc(model: type[BaseModel], examples: dict[str, Any]) -> dict:
    """The query parameters `model` reads, each with its schema and example."""
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return {"parameters": [
        {"name": name, "in": "query", "required": name in required, "schema": sub,
         "example": examples[name]}
        for name, sub in schema["properties"].items()]}
