"""Security headers on every response (pure ASGI middleware)."""

from webapp.request_log import is_quiet

NO_STORE = (b"cache-control", b"no-store")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Adds CSP, nosniff, a referrer policy and framing rules to every HTTP response, and
    `Cache-Control: no-store` to every response to a signed-in person (pages with health
    data and personal details stay out of browser and proxy caches), and to the quiet
    routes (a concern and its fate, read with a code, also without logging in); static
    files, the same for everyone, keep their own caching."""

    def __init__(self, app, https: bool = False):
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(self), geolocation=(), microphone=()"),
            # Nothing of an organisation's Tafel belongs in a search engine (robots.txt says
            # the same to the crawlers that ask; this holds for those that do not).
            (b"x-robots-tag", b"noindex, nofollow"),
        ]
        if https:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + self.headers
                private = signed_in(scope) or is_quiet(scope)  # a concern's page: anyone's
                if private and not scope.get("path", "").startswith("/static/"):
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def signed_in(scope) -> bool:
    """Whether the request's session (read by the session middleware inside) holds a sign-in
    key: when it is there as the response starts, the response is someone's own."""
    session = scope.get("session")
    return bool(session and session.get("sid"))
