"""The last line of defence for logs: personal values masked, driver errors told without values.

Log calls pass ids only (see common.logs). But exception text is written by libraries: asyncpg's
UniqueViolationError carries `DETAIL: Key (nik)=(1871...) already exists`, pydantic's
ValidationError carries the input. So an exception is told by its type and structured fields
(SQLSTATE, constraint), and every string that reaches a log line is scrubbed of anything shaped
like a NIK or KK number, a JKN card number, an Indonesian phone number, an email address or a
6-digit code.
"""

from __future__ import annotations

import re
import traceback

# Order matters: longer digit runs first, so a NIK is not taken for a phone or a code.
_PATTERNS = (
    # NIK and KK number: exactly 16 digits (a uuid's hex never is 16 digits and nothing else).
    ("nik", re.compile(r"(?<!\d)\d{16}(?!\d)")),
    # JKN card number: 000 and 10 more digits.
    ("card", re.compile(r"(?<!\d)000\d{10}(?!\d)")),
    # Indonesian mobile numbers: 08..., 628..., +628..., with spaces or dashes between groups.
    ("phone", re.compile(r"(?<![\w+-])(?:\+62|62|0)[ -]?8\d(?:[ -]?\d){6,11}(?![\w-])")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # Verification codes are 6 digits on their own: not part of a longer number, a decimal, a
    # time or an id (a uuid's hex can hold a run of 6 digits).
    ("code", re.compile(r"(?<![\w.:-])\d{6}(?![\w-]|\.\d)")),
)


# Every shape above has a digit or an @: a text with neither (most log messages, routes) is
# passed as it is after one scan instead of five (each access log line redacts three texts).
_MAYBE_PERSONAL = re.compile(r"[\d@]")


def redact(text: str) -> str:
    """Mask every personal value shape in text (`[nik]`, `[phone]`, ...)."""
    if _MAYBE_PERSONAL.search(text) is None:
        return text
    for name, pattern in _PATTERNS:
        text = pattern.sub(f"[{name}]", text)
    return text


def _sqlstate_fields(exc: BaseException) -> str:
    """SQLSTATE and the names of what failed (never the values) of a driver error."""
    diag = getattr(exc, "diag", None)  # psycopg keeps them here, asyncpg on the exception
    fields = {
        "sqlstate": getattr(exc, "sqlstate", None),
        "constraint": getattr(exc, "constraint_name", None) or getattr(diag, "constraint_name",
                                                                         None),
        "table": getattr(exc, "table_name", None) or getattr(diag, "table_name", None),
        "column": getattr(exc, "column_name", None) or getattr(diag, "column_name", None),
    }
    return " ".join(f"{k}={v}" for k, v in fields.items() if v) or "(details withheld)"


def describe(exc: BaseException) -> str:
    """One line naming the exception, safe to log or to store with a dead letter."""
    kind = type(exc)
    name = (kind.__qualname__ if kind.__module__ == "builtins"
            else f"{kind.__module__}.{kind.__qualname__}")
    module = kind.__module__.split(".")[0]
    if module in ("asyncpg", "psycopg"):
        # Server messages and client-side encoding errors both quote the values.
        return f"{name}: {_sqlstate_fields(exc)}"
    if module in ("pydantic", "pydantic_core") and hasattr(exc, "errors"):
        try:
            where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}"
                              for e in exc.errors(include_input=False, include_url=False))
        except TypeError:  # not pydantic's own errors() signature
            where = "(details withheld)"
        return f"{name}: {where}"
    return redact(f"{name}: {exc}")


def format_exception(exc: BaseException) -> str:
    """A traceback (frames, causes and contexts) with each exception told by describe()."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception:"
        else:
            current = None
    parts: list[str] = []
    for i, (e, _) in enumerate(reversed(chain)):
        if i:
            parts.append(f"\n{chain[len(chain) - i][1]}\n\n")
        if e.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(e.__traceback__))
        parts.append(describe(e) + "\n")
    return redact("".join(parts)).rstrip("\n")
