"""Request body limit for every service: the edge refuses what it can see (Content-Length), and
a service still refuses a body that arrives chunked or past a misconfigured edge."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.problems import problem_body, problem_response

DEFAULT_MAX_BODY_BYTES = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised from the body stream: FastAPI lets HTTPException through its body parsing, and
    problems.install answers it as problem+json."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is over {limit} bytes.")


class BodyLimit:
    """413 for a declared Content-Length over the limit, and for streamed bytes past it."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            body = problem_body(413, "payload_too_large",
                                f"The request body is over {self.max_bytes} bytes.",
                                detail_id="Isi permintaan terlalu besar.")
            await problem_response(413, body, {"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counted, send)


def install(app: FastAPI, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
    app.add_middleware(BodyLimit, max_bytes=max_bytes)
