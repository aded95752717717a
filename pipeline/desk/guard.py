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
"""
from __future__ import annotations

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
