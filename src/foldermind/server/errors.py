"""Errors in OpenAI's shape, {"error": {"message", "type", "param", "code"}}, so every client can read them."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from foldermind.errors import FoldermindError

log = logging.getLogger(__name__)


class APIError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        type_: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type_, param, code
        self.headers = headers or {}


def error_body(message: str, type_: str, param: str | None = None, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _validation_response(exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request", "type": ""}
    if first.get("type") == "json_invalid":
        return JSONResponse(
            error_body(
                "The request body is not valid JSON: " + str(first.get("ctx", {}).get("error", "")),
                "invalid_request_error",
                None,
                "invalid_json",
            ),
            status_code=400,
        )
    param = ".".join(str(part) for part in first["loc"] if part != "body") or None
    return JSONResponse(
        error_body(
            f"{param}: {first['msg']}" if param else first["msg"], "invalid_request_error", param, "invalid_value"
        ),
        status_code=400,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def api_error(request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, exc.type, exc.param, exc.code), exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        return JSONResponse(error_body(str(exc.detail), kind), exc.status_code, headers=exc.headers)

    @app.exception_handler(FoldermindError)
    async def foldermind_error(request: Request, exc: FoldermindError) -> JSONResponse:
        return JSONResponse(error_body(str(exc), "server_error", None, "foldermind_error"), status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        """Anything else: the traceback goes to the log, the client gets OpenAI's shape and no stack trace."""
        log.error("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        message = "The server failed to answer this request; its log has the details."
        return JSONResponse(error_body(message, "server_error", None, "internal_error"), status_code=500)
