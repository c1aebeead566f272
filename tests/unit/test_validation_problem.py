"""pydantic's errors become the 422 problem, whatever shape the rejected input had."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from common.problems import validation_problem


class Body(BaseModel):
    card_number: str


def test_a_body_that_is_not_an_object_names_the_body() -> None:
    """A partner's JSON array (validated whole) once answered 500: its error has no loc."""
    try:
        Body.model_validate_json(b"[null, null]")
    except ValidationError as exc:
        problem = validation_problem(exc.errors(include_url=False))
    assert problem["status"] == 422
    assert problem["errors"][0]["field"] == "body"


def test_a_missing_field_is_named() -> None:
    try:
        Body.model_validate({})
    except ValidationError as exc:
        problem = validation_problem(exc.errors(include_url=False))
    assert problem["errors"][0]["field"] == "card_number"
