"""One log line per request, and errors under the same request id (pure ASGI middleware).

A line reads `GET /welcome/{token} 200 12.3ms id=3f9a1c2e`. What is logged is chosen so the log
holds nothing secret or personal: the method, the route with every text path parameter
(invite and reset tokens) replaced by its name, the status, the time taken and a random
request id; never the query string, the client's address, a form field or a cookie. An error
is logged as its type and where in the code it happened, under the same id, which the 500
page shows the person ("vermeld code …") so an administrator can find it. In production the
error's message is left out too, since it can quote a value someone typed.
"""

import logging
import secrets
import time
import traceback

from starlette.staticfiles import StaticFiles

requests_log = logging.getLogger("tafel.requests")
errors_log = logging.getLogger("tafel.errors")

# A path that matched no route is logged as its first segment only, at most this long.
MAX_UNMATCHED_SEGMENT = 32


def new_request_id() -> str:
    """Eight hex digits: short enough to read out on the phone, random enough per day."""
    return secrets.token_hex(4)


def request_id(scope) -> str:
    """The request's id (set by RequestLog), or "-" outside it."""
    return scope.get("state", {}).get("request_id", "-")


def loggable_route(scope) -> str:
    """The request's path with secrets left out: text parameters become `{name}`."""
    path = scope.get("path", "")
    if "endpoint" not in scope:
        first, _, rest = path.lstrip("/").partition("/")
        if len(first) > MAX_UNMATCHED_SEGMENT:
            first = "…"
        return "/" + first + ("/…" if rest else "")
    if isinstance(scope["endpoint"], StaticFiles):
        return path
    segments = path.split("/")
    for name, value in scope.get("path_params", {}).items():
        if isinstance(value, str):
            segments = [f"{{{name}}}" if segment == value else segment for segment in segments]
    return "/".join(segments)


def is_quiet(scope) -> bool:
    """Whether the request went to a quiet route (sending a concern or reading its fate,
    docs/rules.md "A quiet concern"): it gets no request line. The line's moment, beside the
    session the sender's next page stamps at that moment, would say who sent it; an error
    is still logged under its id."""
    permission = getattr(scope.get("endpoint"), "permission", None)
    return bool(getattr(permission, "quiet", False))


def describe_error(exc: BaseException, with_message: bool) -> str:
    """The error's type and the code lines it passed through (its message only if asked)."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    head = f"{type(exc).__name__}: {exc}" if with_message else type(exc).__name__
    return "\n".join([head, *lines])


class RequestLog:
    """Gives every HTTP request an id (scope state "request_id") and logs how it went.

    Wraps the whole app, outside Starlette's error middleware, so it sees the final status
    and any error after the 500 page went out. It keeps the error from the server (whose own
    log would print the message) unless `reraise`, which development and tests use.
    """

    def __init__(self, app, production: bool = False, reraise: bool = True):
        self.app = app
        self.production = production
        self.reraise = reraise

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = new_request_id()
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            errors_log.error(
                "error id=%s %s %s: %s",
                rid,
                scope["method"],
                loggable_route(scope),
                describe_error(exc, with_message=not self.production),
            )
            if self.reraise:
                raise
        finally:
            # A quiet route's line would carry its moment (see is_quiet): none is written.
            if not is_quiet(scope):
                requests_log.info(
                    "%s %s %d %.1fms id=%s",
                    scope["method"],
                    loggable_route(scope),
                    status,
                    (time.perf_counter() - started) * 1000,
                    rid,
                )


def server_log_config() -> dict:
    """uvicorn's logging, with Tafel's request and error lines beside it (`tafel serve`).

    Each line names its process, so the lines of several workers can be told apart.
    uvicorn's own access log is off: it would print query strings and client addresses.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = {**LOGGING_CONFIG, "loggers": dict(LOGGING_CONFIG["loggers"])}
    config["formatters"] = {
        **LOGGING_CONFIG["formatters"],
        "tafel": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"},
    }
    config["handlers"] = {
        **LOGGING_CONFIG["handlers"],
        "tafel": {
            "formatter": "tafel",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
    }
    config["loggers"]["tafel"] = {"handlers": ["tafel"], "level": "INFO", "propagate": False}
    return config
