"""The project's one HTTP client (``kg push``, ``kg query --endpoint``, Wikidata): authentication,
a time limit, bounded retries that honour ``Retry-After``.

Plain ``urllib``, no extra dependency. (urllib3 retries by status and honours ``Retry-After``
itself but has no digest authentication, which Virtuoso's update endpoint asks for; httpx has
digest but sends the body before the challenge, and Virtuoso drops a connection that sends a
large body unauthenticated. The retries are :func:`with_retries`, the same for every caller.)
Basic authentication is sent with the first request, so a large body is not sent twice; digest
answers the server's challenge, asked for with a body-less ``HEAD`` first. Credentials never
appear in a message: errors name the URL without any user information.

A failure is *transient* (worth another try) when the server answers 5xx, 408 or 429, when the
connection is refused, reset or dropped, or when no answer comes within the time limit; a 429
or 503 with ``Retry-After: SECONDS`` is tried again after that long (at most ``max_wait``).

>>> Credentials("dba", "secret", scheme="digest")
Credentials(user='dba', password='***', scheme='digest')
>>> safe_url("http://u:p@example.org:8890/sparql")
'http://example.org:8890/sparql'
"""

from __future__ import annotations

import base64
import enum
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from kg import __version__

__all__ = [
    "AuthScheme",
    "Credentials",
    "HttpClient",
    "HttpFailure",
    "RetryPolicy",
    "safe_url",
    "with_retries",
]

T = TypeVar("T")


class AuthScheme(enum.Enum):
    BASIC = "basic"
    DIGEST = "digest"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP authentication (the password is never shown)."""

    user: str
    password: str = field(repr=False)
    scheme: str = AuthScheme.BASIC.value

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password='***', scheme={self.scheme!r})"


@dataclass(frozen=True)
class RetryPolicy:
    """``tries`` attempts in all, waiting ``backoff``, then twice that, ... between them, or
    the ``Retry-After`` the server asks for, at most ``max_wait`` seconds."""

    tries: int = 3
    backoff: float = 0.5
    max_wait: float = 300.0

    def delays(self) -> list[float]:
        return [self.backoff * 2**i for i in range(max(0, self.tries - 1))]


class HttpFailure(Exception):
    """A request that failed; ``transient`` says whether trying again may help."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status
        #: the seconds the server asked to wait before another try (``Retry-After``)
        self.retry_after = retry_after


def _retry_after(headers: object) -> float | None:
    value = headers.get("Retry-After") if isinstance(headers, http.client.HTTPMessage) else None
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def safe_url(url: str) -> str:
    """``url`` without user information, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("<"):
            return line[:200]
    return ""


class HttpClient:
    """Sends requests with the given credentials and time limit; raises :class:`HttpFailure`."""

    def __init__(
        self,
        *,
        credentials: Credentials | None = None,
        timeout: float = 30.0,
        user_agent: str = f"aikg/{__version__}",
    ) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self._basic: str | None = None
        self._digest: _DigestHandler | None = None
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None:
            if credentials.scheme == AuthScheme.BASIC.value:
                token = f"{credentials.user}:{credentials.password}".encode()
                self._basic = "Basic " + base64.b64encode(token).decode("ascii")
            elif credentials.scheme == AuthScheme.DIGEST.value:
                self._digest = _DigestHandler(_Everywhere(credentials))
                handlers.append(self._digest)
            else:
                raise ValueError(f"unknown authentication scheme {credentials.scheme!r}")
        self._opener = urllib.request.build_opener(*handlers)
        self._plain = urllib.request.build_opener()

    def _answer_challenge_first(self, request: urllib.request.Request) -> None:
        """Get a digest challenge with a body-less ``HEAD`` and answer it in ``request``.

        Some servers (Virtuoso) close the connection on a 401 while a large body is still being
        sent, so the body must go with the answer to the challenge, not before it.
        """
        if self._digest is None:
            return
        probe = urllib.request.Request(
            request.full_url, method="HEAD", headers={"User-Agent": self.user_agent}
        )
        try:
            with self._plain.open(probe, timeout=self.timeout):
                return
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
            exc.close()
            if exc.code != 401 or not challenge.lower().startswith("digest "):
                return
        fields = urllib.request.parse_keqv_list(
            [f for f in urllib.request.parse_http_list(challenge.split(" ", 1)[1]) if f]
        )
        answer = self._digest.get_authorization(request, fields)
        if answer:
            request.add_unredirected_header("Authorization", f"Digest {answer}")

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
    ) -> bytes:
        """The body of the answer to one request (2xx), else :class:`HttpFailure`."""
        headers = {"User-Agent": self.user_agent}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self._basic:
            headers["Authorization"] = self._basic
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        where = safe_url(url)
        try:
            if body:
                self._answer_challenge_first(request)
            with self._opener.open(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read() or b"")
            code = exc.code
            transient = code >= 500 or code in (408, 429)
            if code == 401:
                message = f"{where}: HTTP 401, the server refused the credentials"
            elif code == 403:
                message = f"{where}: HTTP 403, not allowed (may this user write?)"
            else:
                message = f"{where}: HTTP {code} {exc.reason}" + (f": {detail}" if detail else "")
            wait = _retry_after(exc.headers) if code in (429, 503) else None
            raise HttpFailure(message, transient=transient, status=code, retry_after=wait) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise HttpFailure(
                    f"{where}: no answer within {self.timeout:g} s", transient=True
                ) from None
            raise HttpFailure(f"{where}: cannot connect ({reason})", transient=True) from None
        except TimeoutError:
            message = f"{where}: no answer within {self.timeout:g} s"
            raise HttpFailure(message, transient=True) from None
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            what = type(exc).__name__ if not str(exc) else str(exc)
            raise HttpFailure(f"{where}: the connection broke ({what})", transient=True) from None

    def post_query(self, url: str, query: str, *, accept: str) -> bytes:
        """A SPARQL 1.1 Protocol query, sent as an HTML form with POST."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        return self.send(
            "POST",
            url,
            body=body,
            content_type="application/x-www-form-urlencoded",
            accept=accept,
        )


class _Everywhere(urllib.request.HTTPPasswordMgr):
    """The one user and password, for whichever realm and URL the server names."""

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def find_user_password(self, realm: str | None, authuri: str) -> tuple[str, str]:
        del realm, authuri
        return self._credentials.user, self._credentials.password


class _DigestHandler(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that answers one challenge only (urllib would try six times)."""

    def http_error_401(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
    ) -> object:
        if req.get_header(self.auth_header) is not None:
            return None  # our answer was refused: the default handler raises HTTP 401
        return super().http_error_401(req, fp, code, msg, headers)  # type: ignore[arg-type]


def with_retries(
    action: Callable[[], T],
    *,
    policy: RetryPolicy,
    on_retry: Callable[[HttpFailure, float], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``action()``, tried again after a transient failure, at most ``policy.tries`` times;
    between tries, the server's ``Retry-After`` if it gave one, else the policy's back-off."""
    delays = policy.delays()
    while True:
        try:
            return action()
        except HttpFailure as exc:
            if not exc.transient or not delays:
                raise
            delay = delays.pop(0)
            if exc.retry_after is not None:
                delay = exc.retry_after
            delay = min(delay, policy.max_wait)
            if on_retry is not None:
                on_retry(exc, delay)
            sleep(delay)
