"""One error format for every HTTP answer that is not a success: RFC 9457 problem+json.

Each problem names the field and the reason where there is one, in English and Indonesian.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.errors import DomainError, status_of
from common.language import preferred
from common.validation_text import reason_id

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://jkn.example/problems/"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    423: "Locked",
    429: "Too many requests",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
}


class Problem(Exception):
    """Raise to answer with a problem document; extra keyword fields are added to it."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        detail_id: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.headers = headers or {}
        self.body: dict[str, Any] = problem_body(status, code, detail, detail_id=detail_id)
        if field:
            self.body["errors"] = [{"field": field, "reason": detail, "code": code}]
        self.body.update(extra)


def from_domain(error: DomainError) -> Problem:
    """The one mapping from a use case's refusal to its problem+json answer."""
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    extra = {"retry_after": error.retry_after} if error.retry_after is not None else {}
    problem = Problem(status_of(error), error.code, error.detail, detail_id=error.detail_id,
                      headers=headers, **extra, **error.extra)
    if error.fields:
        problem.body["errors"] = [{"field": f, "reason": error.detail, "code": error.code}
                                  for f in error.fields]
    return problem


def problem_body(
    status: int, code: str, detail: str, *, detail_id: str | None = None
) -> dict[str, Any]:
    """The members every problem has."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if detail_id:
        body["detail_id"] = detail_id
    return body


def problem_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
    """A JSONResponse with the problem media type."""
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def in_language(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """The problem as a caller reading `lang` gets it: in Indonesian, `detail` and each error's
    reason are the Indonesian texts (detail_id and reason_id stay, so both are always there)."""
    if lang != "id" or not body.get("detail_id"):
        return body
    english = body["detail"]
    out = {**body, "detail": body["detail_id"], "detail_en": english}
    if "errors" in body:
        out["errors"] = [
            {**e, "reason": e.get("reason_id") or (body["detail_id"] if e.get("reason") == english
                                                   else e.get("reason"))}
            for e in body["errors"]]
    return out


def localized(request: Request, status: int, body: dict[str, Any],
              headers: dict[str, str] | None = None):
    """`problem_response` in the language the caller's Accept-Language ranks first."""
    lang = preferred(request.headers.get("accept-language"))
    if lang == "id" and not body.get("detail_id"):
        lang = "en"  # no Indonesian text to give: say so rather than label English as id
    return problem_response(status, in_language(body, lang),
                            {**(headers or {}), "Content-Language": lang,
                             "Vary": "Accept-Language"})


# An answer stays a few KiB whatever the body was (a 64 KB body of unknown keys once answered
# 804 KB): the first errors, each field and reason cut short, and how many there were.
MAX_ERRORS = 20
DETAIL_ERRORS = 3
_MAX_TEXT = 120


def _cut(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "\u2026"


def validation_problem(raw: list[dict[str, Any]]) -> dict[str, Any]:
    """The 422 body for pydantic's errors, bounded in size."""
    errors = [
        {"field": _cut(_field_path(e)), "reason": _cut(e["msg"]), "reason_id": reason_id(e),
         "code": e["type"]}
        for e in raw[:MAX_ERRORS]
    ]
    # The detail names the first few; `errors` has each (up to MAX_ERRORS) in both languages.
    named = errors[:DETAIL_ERRORS]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in named)
    detail_id = "; ".join(f"{e['field']}: {e['reason_id']}" for e in named)
    if len(raw) > len(named):
        detail += f"; and {len(raw) - len(named)} more"
        detail_id += f"; dan {len(raw) - len(named)} lainnya"
    body = problem_body(422, "validation_failed", detail, detail_id=detail_id)
    body["errors"] = errors
    if len(raw) > MAX_ERRORS:
        body["errors_total"] = len(raw)
    return body


def _field_path(error: dict[str, Any]) -> str:
    if error["type"] == "json_invalid":
        return "body"  # its loc is ("body", character position): the body is what is wrong
    parts = [str(p) for p in error["loc"] if p not in ("body", "query", "path", "header")]
    # A partner's body validated whole (common.partner_auth) that is not an object has no loc.
    return ".".join(parts) or (str(error["loc"][-1]) if error["loc"] else "body")


# FastAPI answers a body its JSON decoder choked on (not a syntax error) with a bare 400
# "There was an error parsing the body", the decoder's exception as the cause. Say why.
_UNREADABLE: tuple[tuple[type[BaseException], str, str], ...] = (
    (UnicodeDecodeError, "The request body is not valid UTF-8.",
     "Isi permintaan bukan UTF-8 yang sah."),
    (RecursionError, "The request body is nested too deeply.",
     "Isi permintaan bersarang terlalu dalam."),
    (ValueError, "The request body has a number with too many digits.",
     "Isi permintaan memuat angka dengan terlalu banyak digit."),
)


# Starlette's own refusals (its default texts) in Indonesian.
_HTTP_ID = {
    "Not Found": "Tidak ditemukan.",
    "Method Not Allowed": "Metode ini tidak diizinkan.",
    "Payload Too Large": "Isi permintaan terlalu besar.",
    "Content Too Large": "Isi permintaan terlalu besar.",
}


def _unreadable_body(exc: StarletteHTTPException) -> dict[str, Any] | None:
    """The problem for a body that could not be decoded, naming `body`; None if it is not."""
    cause = exc.__cause__
    if exc.status_code != 400 or cause is None:
        return None
    detail, detail_id = "The request body cannot be read as JSON.", "Isi permintaan tidak terbaca."
    for kind, en, id_ in _UNREADABLE:
        if isinstance(cause, kind):
            detail, detail_id = en, id_
            break
    body = problem_body(400, "body_unreadable", detail, detail_id=detail_id)
    body["errors"] = [{"field": "body", "reason": detail, "code": "body_unreadable"}]
    return body


def install(app: FastAPI) -> None:
    """Make every error the app raises answer as problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return localized(request, exc.status, exc.body, exc.headers)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        p = from_domain(exc)
        return localized(request, p.status, p.body, p.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return localized(request, 422, validation_problem(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if (unreadable := _unreadable_body(exc)) is not None:
            return localized(request, 400, unreadable)
        code = {404: "not_found", 405: "method_not_allowed",
                413: "payload_too_large"}.get(exc.status_code, "http_error")
        detail = str(exc.detail)
        return localized(
            request,
            exc.status_code,
            problem_body(exc.status_code, code, detail, detail_id=_HTTP_ID.get(detail)),
            getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.error("unhandled error", exc_info=exc)
        return localized(request, 500, problem_body(
            500, "internal", "Something went wrong on our side.",
            detail_id="Terjadi kesalahan di sisi kami."))
