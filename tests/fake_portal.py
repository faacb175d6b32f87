"""A fake county disclosure portal: a real HTTP server on 127.0.0.1, random port, in a thread.

Routes are plain data (:class:`Route`) so a test can change the portal between two
"nightly" runs (replace a PDF, drop a link) and inject faults: 500s before success, a
delay past the client's timeout, a trickling body, headers sent a byte at a time, a
truncated body, a Content-Length that lies, redirects (loops too), an HTML error page
labelled ``application/pdf``, a body over the size cap, an endless body without a
Content-Length, extra headers (a Content-Encoding for compression bombs).
ETag / Last-Modified are served for every body and honoured with 304, like a real
CMS. Every request is logged, so tests can assert what was (not) fetched and how.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

from tests.conftest import SEED_PATH

LAST_MODIFIED = formatdate(1_600_000_000, usegmt=True)


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    fail_times: int = 0  # answer fail_status this many times before the real answer
    fail_status: int = 500
    fail_headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait before sending anything
    trickle_s: float = 0.0  # wait between 64-byte chunks of the body
    truncate_to: int | None = None  # promise the full length, send this many bytes, hang up
    redirect_to: str | None = None
    validators: bool = True  # send ETag/Last-Modified and answer 304 to a match
    header_trickle_s: float = 0.0  # send the status line and headers one byte per this many seconds
    content_length: str | None = None  # declare this Content-Length whatever the body is (a lie)
    stream_bytes: int = 0  # instead of body: this many zero bytes, no Content-Length, then close
    headers: dict[str, str] = field(default_factory=dict)  # extra headers of the answer
    served: int = field(default=0, init=False)


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when the request arrived


class FakePortal:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0  # most requests being answered at once (the concurrency cap)
        self._lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                portal._handle(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -------------------------------------------------------------- lifecycle
    def __enter__(self) -> FakePortal:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -------------------------------------------------------------- routes
    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{quote(path, safe='/?=&_.-')}"

    def add(self, path: str, body: bytes | str = b"", **kw) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **kw)
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(r.path == path for r in self.requests)

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # -------------------------------------------------------------- serving
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        from urllib.parse import unquote

        path = unquote(h.path)
        with self._lock:
            self.requests.append(Request(path, {k.lower(): v for k, v in h.headers.items()}, time.monotonic()))
            route = self.routes.get(path)
            if route is not None:
                route.served += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if route is None:
                return self._send(h, 404, b"<html><body>404 not found</body></html>", "text/html")
            if route.delay_s:
                time.sleep(route.delay_s)
            if route.served <= route.fail_times:
                page = f"<html><body>{route.fail_status} busy</body></html>".encode()
                return self._send(h, route.fail_status, page, "text/html", route.fail_headers)
            if route.redirect_to is not None:
                return self._send(h, 302, b"", "text/html", {"Location": route.redirect_to})
            extra = {}
            if route.validators:
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                extra = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
                if h.headers.get("If-None-Match") == etag:
                    return self._send(h, 304, b"", None, extra)
            self._send(h, route.status, route.body, route.content_type, extra | route.headers, route)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): that is the point
        finally:
            with self._lock:
                self.in_flight -= 1

    @staticmethod
    def _send(h, status, body, ctype, extra=None, route: Route | None = None) -> None:
        if route is not None and (route.header_trickle_s or route.stream_bytes):
            return FakePortal._send_raw(h, status, body, ctype, extra or {}, route)
        h.send_response(status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", route.content_length if route is not None and route.content_length
                      else str(len(body)))
        if route is not None and route.truncate_to is not None:
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body[: route.truncate_to])
            h.wfile.flush()
            h.close_connection = True
            return
        h.end_headers()
        if status == 304 or not body:
            return
        if route is not None and route.trickle_s:
            for i in range(0, len(body), 64):
                h.wfile.write(body[i : i + 64])
                h.wfile.flush()
                time.sleep(route.trickle_s)
            return
        h.wfile.write(body)


    @staticmethod
    def _send_raw(h, status, body, ctype, extra, route: Route) -> None:
        """Headers a byte at a time (``header_trickle_s``), or an endless body (``stream_bytes``)."""
        head = [f"HTTP/1.1 {status} OK", f"Content-Type: {ctype}", *(f"{k}: {v}" for k, v in extra.items())]
        head.append("Connection: close" if route.stream_bytes else f"Content-Length: {len(body)}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        h.close_connection = True
        if route.header_trickle_s:
            for i in range(len(raw)):
                h.wfile.write(raw[i : i + 1])
                h.wfile.flush()
                time.sleep(route.header_trickle_s)
        else:
            h.wfile.write(raw)
        if route.stream_bytes:
            chunk = bytes(65536)
            for _ in range(0, route.stream_bytes, len(chunk)):
                h.wfile.write(chunk)
        else:
            h.wfile.write(body)
        h.wfile.flush()


# ------------------------------------------------------------------ content
def html_page(title: str, links: list[tuple[str, str]], body: str = "") -> str:
    items = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><ul>{items}</ul>{body}"
        "<div class='footer'><a href='/about.html'>关于我们</a></div></body></html>"
    )


def seed_as_html() -> str:
    """The seed disclosure as a portal shows it: the text inside a detail page."""
    parts: list[str] = []
    rows: list[str] = []
    for line in SEED_PATH.read_text(encoding="utf-8").splitlines() + [""]:
        if "\t" in line:  # consecutive tab-separated rows of the text are one table on the page
            rows.append("<tr>" + "".join(f"<td>{c.strip()}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            parts.append(f"<p>{line.strip()}</p>")
    return html_page("高邑县信访局2021年部门预算", [], f"<div class='article'>{''.join(parts)}</div>")


def synthetic_pdf(seed: int) -> tuple[bytes, str]:
    """A PDF disclosure from the synthetic corpus generator, and its department name."""
    from tests.synthetic import generate_truth

    truth = generate_truth(seed)
    try:
        from tests.synthetic import render_seed_pdf

        return render_seed_pdf(truth), truth.department
    except (ImportError, AttributeError):
        return _reportlab_pdf(truth), truth.department


def _reportlab_pdf(truth) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from tests.synthetic import render_seed_text

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 9)
    y = 800
    for line in render_seed_text(truth).decode("utf-8").splitlines()[:60]:
        c.drawString(40, y, line.replace("\t", "  ")[:70])
        y -= 12
    c.save()
    return buf.getvalue()


# ------------------------------------------------------------------ portals
def build_gaoyi(portal: FakePortal) -> dict[str, str]:
    """A healthy county portal: 3 paginated index pages, detail pages, PDF/XLS/HTML documents.

    Returns the document URLs by name. Includes the seed as an HTML page, a PDF reachable
    from two URLs, a government-budget link that must be ignored and a link to a host
    outside the allow-list.
    """
    pdf_mz, dept_mz = synthetic_pdf(11)
    pdf_jy, _ = synthetic_pdf(12)
    pdf_cz, _ = synthetic_pdf(13)
    docs = {
        "seed_html": portal.url("/gaoyi/art/xinfang2021.html"),
        "mz_pdf": portal.add("/gaoyi/files/mz2021.pdf", pdf_mz, content_type="application/pdf"),
        "mz_xls": portal.add("/gaoyi/files/mz2021.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xls",
                             content_type="application/vnd.ms-excel"),
        "mz_copy": portal.add("/gaoyi/files/mz2021_copy.pdf", pdf_mz, content_type="application/pdf"),
        "jy_pdf": portal.add("/gaoyi/files/jy2022.pdf", pdf_jy, content_type="application/pdf"),
        "cz_pdf": portal.add("/gaoyi/files/cz2021.pdf", pdf_cz, content_type="application/pdf"),
    }
    portal.add("/gaoyi/art/xinfang2021.html", seed_as_html())
    portal.add("/gaoyi/art/mz2021.html", html_page(f"{dept_mz}2021年部门预算公开", [
        ("/gaoyi/files/mz2021.pdf", "附件1：2021年部门预算.pdf"),
        ("/gaoyi/files/mz2021.xls", "附件2：预算公开表.xls"),
    ], "<p>现将本部门2021年部门预算公开如下。</p>"))
    portal.add("/gaoyi/art/mz2021_repost.html", html_page("转载：高邑县民政局2021年部门预算", [
        ("/gaoyi/files/mz2021_copy.pdf", "2021年部门预算.pdf"),
    ]))
    portal.add("/gaoyi/art/jy2022.html", html_page("高邑县教育局2022年部门决算", [
        ("../files/jy2022.pdf", "高邑县教育局2022年部门决算.pdf"),
    ]))
    off_host = portal.url("/gaoyi/files/other.pdf", host="localhost")
    portal.add("/gaoyi/files/other.pdf", b"%PDF-1.4 elsewhere", content_type="application/pdf")
    portal.add("/gaoyi/index.html", html_page("预决算公开", [
        ("art/xinfang2021.html", "高邑县信访局2021年部门预算"),
        ("art/mz2021.html", "高邑县民政局2021年部门预算公开"),
        ("/gaoyi/zfys2021.html", "高邑县2021年政府预算"),
        (off_host, "高邑县某局2021年部门预算"),
        ("/gaoyi/contact.html", "县长信箱"),
        ("index_2.html", "下一页"),
    ]))
    portal.add("/gaoyi/index_2.html", html_page("预决算公开 第2页", [
        ("art/jy2022.html", "高邑县教育局2022年部门决算"),
        ("files/cz2021.pdf", "高邑县财政局2021年部门预算"),
        ("index.html", "上一页"),
        ("index_3.html", "下一页"),
    ]))
    portal.add("/gaoyi/index_3.html", html_page("预决算公开 第3页", [
        ("art/mz2021_repost.html", "转载：高邑县民政局2021年部门预算"),
        ("index_2.html", "上一页"),
    ]))
    return docs


FAULTS = {
    # name: (path, route kwargs, expected reason fragment or None when it must succeed)
    "flaky": ("/zhao/f/flaky.pdf", {"fail_times": 1}, None),
    "timeout": ("/zhao/f/hang.pdf", {"delay_s": 1.0}, "timed out"),
    "slow": ("/zhao/f/slow.pdf", {"trickle_s": 0.05}, "server too slow"),
    "truncated": ("/zhao/f/cut.pdf", {"truncate_to": 200}, "truncated"),
    "loop": ("/zhao/f/loop.pdf", {"redirect_to": "/zhao/f/loop2.pdf"}, "redirect loop"),
    "error_page": ("/zhao/f/err.pdf", {}, "served as application/pdf but the body is an HTML page"),
    "huge": ("/zhao/f/huge.pdf", {}, "-byte cap"),
    "gone": ("/zhao/f/gone.pdf", None, "HTTP 404"),
}


def build_zhaoxian(portal: FakePortal, max_bytes: int) -> dict[str, str]:
    """A portal where every document link hits a different fault."""
    pdf, _ = synthetic_pdf(21)
    links, urls = [], {}
    for i, (name, (path, kw, _)) in enumerate(FAULTS.items()):
        if kw is not None:
            body = pdf
            if name == "error_page":
                body = "<!DOCTYPE html><html><body>404 页面不存在</body></html>".encode()
            elif name == "huge":
                body = b"%PDF-1.4\n" + b"0" * (max_bytes + 1)
            elif name == "slow":
                body = pdf[:4000]
            portal.add(path, body, content_type="application/pdf", **kw)
        urls[name] = portal.url(path)
        links.append((path, f"赵县部门{i}2021年部门预算"))
    portal.add("/zhao/f/loop2.pdf", redirect_to="/zhao/f/loop.pdf")
    portal.add("/zhao/index.html", html_page("赵县预决算公开", links))
    return urls


def build_putuo(portal: FakePortal) -> dict[str, str]:
    pdf, _ = synthetic_pdf(31)
    url = portal.add("/putuo/p/sw2023.pdf", pdf, content_type="application/pdf")
    portal.add("/putuo/list.html", html_page("普陀区部门预决算", [
        ("/putuo/p/sw2023.pdf", "上海市普陀区商务委员会2023年部门预算"),
    ]))
    return {"sw_pdf": url}
