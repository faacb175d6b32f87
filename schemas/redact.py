"""Secrets out of sight: the one function that shows a URL, or any text holding URLs, to people.

A warehouse URL (``postgresql+psycopg://cb:S3cret@db/budgets``) and a link a portal serves
(``http://user:pw@host/…``) may carry a password; every message, log line, artifact, report
and stored address shows it as ``***`` instead (``postgresql+psycopg://cb:***@db/budgets``).
It lives in ``schemas`` because every layer shows URLs and depends on ``schemas`` alone.

Web addresses follow RFC 3986 (user information ends at the first ``/``, ``?`` or ``#``, so
``http://host:8080/a@b`` keeps its path); a database URL is read as SQLAlchemy reads it (a
password typed with a raw ``/`` is still hidden). A web link's lone user name is hidden too
(``http://***@host/``: it is a token as often as a name); a database URL keeps its user.
A ``password=`` query parameter (libpq accepts one) is hidden as well.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MASK = "***"
_WEB = ("http", "https", "ftp", "ftps", "ws", "wss")
# scheme://user[:password]@ — the password of a database URL may hold "/", a web address's may not
_USERINFO = re.compile(
    r"(?P<scheme>\b[a-z][a-z0-9+.\-]*)://(?P<user>[^:/?#@\s]*)(?::(?P<password>[^@\s]*))?@", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<key>[?&](?:password|passwd|pwd)=)[^&#\s]*", re.I)


def _masked(match: re.Match) -> str:
    scheme, user, password = match["scheme"], match["user"], match["password"]
    web = scheme.lower() in _WEB
    if web and password is not None and re.search(r"[/?#]", password):
        return match[0]  # not user information: a path that holds an "@" after a port (http://h:81/a@b)
    if password is None:
        return f"{scheme}://{MASK}@" if web and user else match[0]
    return f"{scheme}://{user}:{MASK}@"


def mask_url(text: object) -> str:
    """``text`` (a URL, or a message holding URLs) with every password in it shown as ``***``."""
    shown = _USERINFO.sub(_masked, str(text))
    return _QUERY_PASSWORD.sub(lambda m: m["key"] + MASK, shown)


def has_credentials(url: str) -> bool:
    """True when a web address carries a user name or password (``http://user:pw@host/``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None
