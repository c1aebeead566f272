"""Domain errors map to one status each, and to problem+json naming their fields."""

from common import errors
from common.problems import from_domain


def test_each_kind_has_its_status() -> None:
    assert errors.status_of(errors.NotFound("x", "en", "id")) == 404
    assert errors.status_of(errors.Conflict("x", "en", "id")) == 409
    assert errors.status_of(errors.TooMany("x", "en", "id", retry_after=5)) == 429


def test_subclass_inherits_its_kind() -> None:
    class CodeLocked(errors.Locked):
        pass

    assert errors.status_of(CodeLocked("code_locked", "en", "id")) == 423


def test_problem_names_field_and_retry_after() -> None:
    p = from_domain(errors.TooMany("codes_capped", "Too many codes.", "Terlalu banyak kode.",
                                   field="phone", retry_after=60))
    assert p.status == 429 and p.headers == {"Retry-After": "60"}
    assert p.body["errors"] == [{"field": "phone", "reason": "Too many codes.",
                                 "code": "codes_capped"}]
    assert p.body["detail_id"] == "Terlalu banyak kode."
