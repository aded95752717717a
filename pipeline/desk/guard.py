"""ASGI guards in front of the whole desk (installed by the plugin's ``asgi_wrapper`` hook, so they run
before Datasette's CSRF middleware and routes read anything).

- :func:`bounded_body`: a request body is at most MAX_BODY bytes. A declared Content-Length above it
  is refused with 413 before a byte is read; a body without one (chunked) is read here, counting,
  and refused as soon as it passes the limit. The desk's forms (login, a note of ≤ 2,000
  characters) are a few kilobytes; without this, one 47 MB form POST made the CSRF middleware
  buffer the whole body (4 GB of memory) before the route refused it.
- :func:`read_only_methods`: GET and HEAD everywhere; POST only where the desk takes a form (the
  login, logout, 办结 marks and notes). Anything else is 405 with ``Allow`` (Datasette answered a
  POST to a table or a canned query with a 500).
- :func:`csrf_cookie_required`: a form POST must carry the ``ds_csrftoken`` cookie, so Datasette's
  CSRF check (which lets a request without cookies through, as an API call) always runs on it.
- :class:`LoginThrottle`: password guessing is slowed down. Each failed login (the /-/login form, or
  HTTP basic auth answered 401) counts against the client's address and the user name; from the
  5th failure on, that client or user gets 429 (with Retry-After) for 30 s, doubling with each
  further failure up to an hour. A success clears the user's and the client's count.
"""
from __future__ import annotations

import base64
import time
from urllib.parse import parse_qs

MAX_BODY = 64 * 1024


def header(scope, name: bytes) -> bytes | None:
    for k, v in scope.get("headers") or []:
        if k.lower() == name:
            return v
    return None


async def send_text(send, status: int, text: str, headers=()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers]})
    await send({"type": "http.response.body", "body": (text + "\n").encode("utf-8")})


def bounded_body(app, limit: int = MAX_BODY):
    """Wrap an ASGI app so no request body above ``limit`` bytes reaches it (413 instead)."""
    too_large = f"request body too large (at most {limit // 1024} KB)"

    async def guarded(scope, receive, send):
        if scope.get("type") != "http":
            return await app(scope, receive, send)
        length = header(scope, b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                return await send_text(send, 400, "bad Content-Length")
            if int(length) > limit:
                return await send_text(send, 413, too_large, [(b"connection", b"close")])
        # read the body here, at most ``limit`` bytes, then hand it on
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                return await send_text(send, 413, too_large, [(b"connection", b"close")])
            chunks.append(body)
            if not message.get("more_body"):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return await app(scope, replay, send)

    return guarded


POST_PATHS = frozenset({"/-/login", "/-/logout", "/-/messages", "/-/desk/status", "/-/desk/note"})


def read_only_methods(app, post_paths=POST_PATHS):
    """Wrap an ASGI app: 405 for a method the path does not take."""
    async def guarded(scope, receive, send):
        if scope.get("type") == "http":
            method, path = scope.get("method", "GET"), scope.get("path", "")
            allowed = ("GET", "HEAD", "POST") if path in post_paths else ("GET", "HEAD")
            if method not in allowed:
                return await send_text(send, 405, f"{method} not allowed here",
                                       [(b"allow", ", ".join(allowed).encode())])
        return await app(scope, receive, send)

    return guarded


CSRF_COOKIE = "ds_csrftoken"


def _cookies(scope) -> set[str]:
    raw = (header(scope, b"cookie") or b"").decode("latin-1")
    return {part.split("=", 1)[0].strip() for part in raw.split(";") if "=" in part}


def csrf_cookie_required(app, post_paths=POST_PATHS):
    """Wrap an ASGI app: a POST to a form path without the CSRF cookie is refused (403)."""
    async def guarded(scope, receive, send):
        if scope.get("type") == "http" and scope.get("method") == "POST" and scope.get("path") in post_paths \
                and CSRF_COOKIE not in _cookies(scope):
            return await send_text(send, 403, "form expired or cookies disabled: reload the page and try again "
                                              "(CSRF token missing)")
        return await app(scope, receive, send)

    return guarded


class LoginThrottle:
    """Counts failed logins per client address and per user name; refuses (429) while one is locked."""

    FREE = 5  # failures allowed before a lock
    BASE = 30.0  # seconds of the first lock, doubled for each further failure
    CAP = 3600.0
    MAX_KEYS = 10_000

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.failures: dict[tuple, tuple[int, float]] = {}  # key -> (count, locked until)

    def locked_for(self, *keys) -> float:
        now = self.clock()
        return max([0.0, *(self.failures.get(k, (0, 0.0))[1] - now for k in keys if k)])

    def failed(self, *keys) -> None:
        now = self.clock()
        if len(self.failures) > self.MAX_KEYS:  # forget the oldest locks first
            for k, _ in sorted(self.failures.items(), key=lambda kv: kv[1][1])[: self.MAX_KEYS // 2]:
                del self.failures[k]
        for k in keys:
            if not k:
                continue
            count = self.failures.get(k, (0, 0.0))[0] + 1
            until = now + min(self.CAP, self.BASE * 2 ** (count - self.FREE)) if count >= self.FREE else 0.0
            self.failures[k] = (count, until)

    def succeeded(self, *keys) -> None:
        for k in keys:
            self.failures.pop(k, None)

    def wrap(self, app, login_path="/-/login"):
        """An ASGI app that applies the throttle to the login form and to HTTP basic auth. Expects the
        whole body in the first receive() (behind :func:`bounded_body`)."""
        throttle = self

        async def guarded(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            user, form = None, scope.get("path") == login_path and scope.get("method") == "POST"
            auth = (header(scope, b"authorization") or b"").decode("latin-1")
            if auth.lower().startswith("basic "):
                try:
                    user = base64.b64decode(auth[6:].strip()).decode("utf-8", "replace").split(":", 1)[0]
                except ValueError:
                    user = ""
            if form:
                message = await receive()
                fields = parse_qs(message.get("body", b"").decode("utf-8", "replace"))
                user = (fields.get("username") or [""])[0]
                first = [message]

                async def replay():
                    return first.pop() if first else await receive()
            else:
                replay = receive
            if user is None:
                return await app(scope, receive, send)
            client = ("client", (scope.get("client") or ("?",))[0])
            name = ("user", user[:100])
            wait = throttle.locked_for(client, name)
            if wait > 0:
                return await send_text(send, 429, f"too many failed logins: try again in {int(wait) + 1} s",
                                       [(b"retry-after", str(int(wait) + 1).encode())])
            status = []

            async def watch(message):
                if message["type"] == "http.response.start":
                    status.append(message["status"])
                await send(message)

            await app(scope, replay, watch)
            code = status[0] if status else 500
            if (form and code == 200) or (not form and code == 401):  # the form shown again / 401: wrong
                throttle.failed(client, name)
            elif (form and code in (301, 302, 303)) or (not form and code < 400):
                throttle.succeeded(client, name)

        return guarded
