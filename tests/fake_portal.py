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


# ------------------------------------------------------------------ CMS habits (portal layouts)
def content_disposition(name: str, style: str) -> str:
    """A ``Content-Disposition`` value as county servlets send it, as Latin-1 characters of its bytes:
    ``rfc5987`` (filename*=UTF-8''…), ``gbk`` (raw GBK bytes in quotes), ``percent`` (a Java
    servlet's URLEncoder, UTF-8), ``utf8`` (raw UTF-8 bytes in quotes)."""
    from urllib.parse import quote as pct

    if style == "rfc5987":
        return f"attachment; filename=\"download.pdf\"; filename*=UTF-8''{pct(name)}"
    if style == "gbk":
        return 'attachment; filename="' + name.encode("gbk").decode("latin-1") + '"'
    if style == "percent":
        return f"attachment;filename={pct(name)}"
    return 'attachment; filename="' + name.encode("utf-8").decode("latin-1") + '"'


def build_static_pager(portal: FakePortal) -> list[str]:
    """A column paged as index.html, index_1.html, index_2.html, linked by page numbers and 下一页."""
    urls = []
    for i, dept in enumerate(("审计局", "统计局", "水利局")):
        urls.append(portal.add(f"/st/files/{i}.pdf", b"%PDF-1.4 static " + bytes([48 + i]),
                               content_type="application/pdf"))
    pager = [("index.html", "1"), ("index_1.html", "2"), ("index_2.html", "3")]
    for i, page in enumerate(("index.html", "index_1.html", "index_2.html")):
        nxt = [(pager[i + 1][0], "下一页")] if i < 2 else []
        portal.add(f"/st/{page}", html_page(f"预决算公开 第{i + 1}页", [
            (f"files/{i}.pdf", f"某县{('审计局', '统计局', '水利局')[i]}2021年部门预算"), *pager, *nxt]))
    return urls


def build_script_pager(portal: FakePortal) -> list[str]:
    """A TRS column: no pager links at all, only ``createPageHTML(3, 0, "index", "html")``."""
    urls = []
    for i in range(3):
        urls.append(portal.add(f"/trs2/f/{i}.pdf", b"%PDF-1.4 trs " + bytes([48 + i]), content_type="application/pdf"))
        stem = "index" if i == 0 else f"index_{i}"
        portal.add(f"/trs2/{stem}.html", "<html><body><ul>"
                   f"<li><a href='f/{i}.pdf'>某县第{i}局2022年部门决算</a></li></ul>"
                   f"<script>createPageHTML(3, {i}, \"index\", \"html\");</script></body></html>")
    return urls


SERVLET_FILES = {
    # path: (file name the server gives, Content-Disposition style)
    "/sv/downfile.jsp?id=101": ("高邑县民政局2021年部门预算.pdf", "rfc5987"),
    "/sv/download.do?fileId=202": ("高邑县教育局2020年部门决算.pdf", "gbk"),
    "/sv/attach/303": ("高邑县审计局2021年部门预算公开表.xls", "percent"),
}


def build_servlet_portal(portal: FakePortal) -> dict[str, str]:
    """Detail pages whose attachments are download scripts: "附件1" → downfile.jsp?id=101, the
    name only in Content-Disposition (RFC 5987, raw GBK, percent-encoded)."""
    urls = {}
    for path, (name, style) in SERVLET_FILES.items():
        body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xls" if name.endswith(".xls") else b"%PDF-1.4 " + path.encode()
        ctype = "application/vnd.ms-excel" if name.endswith(".xls") else "application/octet-stream"
        urls[path] = portal.add(path, body, content_type=ctype,
                                headers={"Content-Disposition": content_disposition(name, style)})
    portal.add("/sv/art/1.html", html_page("信息公开", [("/sv/downfile.jsp?id=101", "附件1")]))
    portal.add("/sv/art/2.html", html_page("信息公开", [("/sv/download.do?fileId=202", "下载")]))
    portal.add("/sv/art/3.html", html_page("信息公开", [("/sv/attach/303", "附件：预算公开表.xls"),
                                                    ("/sv/print.jsp?id=3", "打印本页")]))
    portal.add("/sv/index.html", html_page("预决算公开", [
        ("art/1.html", "部门预算公开"), ("art/2.html", "部门决算公开"), ("art/3.html", "预算公开表")]))
    return urls


GKML_ROWS = [
    # (index number, title link text, publisher, written date, detail path)
    ("000014349/2021-00012", "2021年部门预算", "高邑县民政局", "2021年03月01日", "/gk/c/1.html"),
    ("000014350/2021-00031", "高邑县教育局2020年部门决算", "高邑县教育局", "2021-08-20", "/gk/c/2.html"),
    ("000014351/2021-00002", "关于办公设备采购项目的中标公告", "高邑县财政局", "2021-05-06", "/gk/c/3.html"),
]


def build_gkml(portal: FakePortal, *, servlet: bool = False) -> dict[str, str]:
    """A 政府信息公开 platform: tables of 序号/索引号/标题/发布机构/成文日期, two pages (?page=2).

    Each disclosure's detail page attaches a PDF (through ``downfile.jsp?id=`` when ``servlet``)."""
    def table(rows) -> str:
        head = "<tr><th>序号</th><th>索引号</th><th>标题</th><th>发布机构</th><th>成文日期</th></tr>"
        body = "".join(f"<tr><td>{n}</td><td>{idx}</td><td><a href='{path}' title='{title}'>{title}</a></td>"
                       f"<td>{pub}</td><td>{date}</td></tr>" for n, (idx, title, pub, date, path) in enumerate(rows, 1))
        return f"<table class='gkml'>{head}{body}</table>"

    rows = [*GKML_ROWS, ("000014352/2022-00007", "2022年单位预算", "高邑县林业站", "2022.2.9", "/gk/c/4.html")]
    docs = {}
    for n, (_, title, pub, _, path) in enumerate(rows, 1):
        file_path = f"/gk/downfile.jsp?id={n}" if servlet else f"/gk/f/{n}.pdf"
        docs[title] = portal.add(file_path, b"%PDF-1.4 gkml " + str(n).encode(), content_type="application/pdf",
                                 headers={"Content-Disposition": content_disposition(f"{n}.pdf", "utf8")})
        portal.add(path, html_page(f"{pub}{title}", [(file_path, "附件")]))
    portal.add("/gk/list.html", html_page("政府信息公开目录", [("/gk/list.html?page=2", "下一页")], table(rows[:3])))
    portal.add("/gk/list.html?page=2", html_page("政府信息公开目录", [], table(rows[3:])))
    return docs


def build_mixed_column(portal: FakePortal) -> dict[str, str]:
    """A column page that mixes budgets and finals with procurement notices and the government budget."""
    docs = {name: portal.add(f"/mx/f/{name}.pdf", b"%PDF-1.4 " + name.encode(), content_type="application/pdf")
            for name in ("sj2021", "tj2020")}
    portal.add("/mx/index.html", html_page("信息公开", [("col/index.html", "2021年预决算公开"),
                                                       ("notice/index.html", "通知公告")]))
    portal.add("/mx/col/a/sj.html", html_page("某县审计局2021年部门预算", [("../../f/sj2021.pdf", "附件.pdf")]))
    portal.add("/mx/col/a/tj.html", html_page("某县统计局2020年部门决算", [("../../f/tj2020.pdf", "附件.pdf")]))
    portal.add("/mx/col/index.html", html_page("2021年预决算公开", [
        ("a/sj.html", "某县审计局2021年部门预算"),
        ("a/zb.html", "某县审计局办公楼维修项目招标公告"),
        ("a/cg.html", "某县统计局2021年政府采购意向公开"),
        ("a/zf.html", "某县2021年政府预算"),
        ("a/zx.html", "关于某县2020年预算执行情况的报告"),
        ("a/tj.html", "某县统计局2020年部门决算"),
        ("index_1.html", "下一页"),
    ]))
    portal.add("/mx/col/index_1.html", html_page("2021年预决算公开", [("a/hy.html", "某县某局会议通知")]))
    return docs
