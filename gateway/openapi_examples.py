"""An example value for a JSON schema, for operations whose models state none.

Good enough for a reader and a client generator: the schema's own examples, default, const or
first enum value when it has one, else a plain value of its type and format.
"""

from __future__ import annotations

from typing import Any

_REF = "#/components/schemas/"
_MAX_DEPTH = 8  # a model that contains itself stops here
_BY_FORMAT = {
    "date": "2026-01-31",
    "date-time": "2026-01-31T09:00:00+07:00",
    "uuid": "3f2c1d9e-5b7a-4c8e-9f10-2a3b4c5d6e7f",
    "email": "member@example.com",
    "uri": "https://jkn.example/",
}


def example_of(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """A value `schema` accepts, reading $refs from `schemas` (components.schemas)."""
    if depth > _MAX_DEPTH:
        return None
    if "$ref" in schema:
        return example_of(schemas[schema["$ref"].removeprefix(_REF)], schemas, depth + 1)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if schema.get("default") is not None:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            branches = [b for b in schema[key] if b.get("type") != "null"] or schema[key]
            return example_of(branches[0], schemas, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    return _of_type(kind, schema, schemas, depth)


def _of_type(kind: Any, schema: dict[str, Any], schemas: dict[str, Any], depth: int) -> Any:
    if kind == "object" or "properties" in schema:
        return {name: example_of(sub, schemas, depth + 1)
                for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_of(schema.get("items", {}), schemas, depth + 1)]
    if kind == "string":
        text = _BY_FORMAT.get(schema.get("format", ""), "string")
        return text.ljust(schema.get("minLength", 0), "x")
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return float(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return True
    return None
