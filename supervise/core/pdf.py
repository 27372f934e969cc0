"""Printed documents: one render_pdf() turning templates/pdf/<document>.html into an A4 PDF.

WeasyPrint fetches what a document refers to through url_fetcher, which serves the app's own
static files and refuses everything else (external URLs, other file:// paths): a document can
neither leak a request to the internet nor read the server's files.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import mimetypes
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from flask import current_app, has_request_context, render_template, request
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import safe_join

from .clock import utcnow
from .storage import delete_after_commit, storage

log = logging.getLogger(__name__)
# WeasyPrint reports every rendering step at INFO: too chatty for the app's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Documents are rendered with this base URL, so "/static/pdf.css" resolves inside the app.
BASE_URL = "https://supervise.internal/"
_APP_HOST = urlsplit(BASE_URL).netloc
_subset_checked: bool | None = None


def harfbuzz_subset_available() -> bool:
    """Whether libharfbuzz-subset is installed (WeasyPrint subsets fonts much faster with it).

    Says so once in the log when it is missing.
    """
    global _subset_checked
    if _subset_checked is None:
        _subset_checked = False
        for name in ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"):
            try:
                ctypes.CDLL(name)
            except OSError:
                continue
            _subset_checked = True
            break
        if not _subset_checked:
            log.warning(
                "libharfbuzz-subset0 is missing: PDF fonts are subset by the much slower fontTools. "
                "Install it with: apt-get install libharfbuzz-subset0"
            )
    return _subset_checked


class RefusedURL(ValueError):
    pass


def _static_prefixes() -> tuple[str, ...]:
    """The paths the app's static files have in a document: url_for('static') puts the script root
    (SCRIPT_NAME, e.g. /renda when the app runs under a sub-path) in front of /static/."""
    static = (current_app.static_url_path or "").rstrip("/") + "/"
    roots = {""}
    if has_request_context():
        roots.add(request.script_root.rstrip("/"))
    else:
        roots.add((current_app.config.get("APPLICATION_ROOT") or "/").rstrip("/"))
    # Longest first: /renda/static/ is tried before /static/.
    return tuple(sorted((root + static for root in roots), key=len, reverse=True))


def _static_folder() -> str:
    folder = current_app.static_folder
    assert folder is not None  # create_app() always names one
    return folder


def static_file_for(url: str) -> Path:
    """The app's static file a document URL names; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != _APP_HOST:
        raise RefusedURL(f"documents may not load {parts.scheme}: URLs ({url[:80]})")
    path = unquote(parts.path)
    prefix = next((p for p in _static_prefixes() if path.startswith(p)), None)
    if prefix is None:
        raise RefusedURL(f"documents may only load the app's static files ({url[:80]})")
    found = safe_join(_static_folder(), path[len(prefix) :])
    if found is None or not Path(found).is_file():
        raise RefusedURL(f"no such static file ({url[:80]})")
    return Path(found)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AppStaticFetcher(URLFetcher):
        """Serves the app's static files and data: URLs; refuses external and file:// URLs."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_for(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return AppStaticFetcher


def url_fetcher():
    """A WeasyPrint URL fetcher bound to this app's static folder."""
    return _fetcher_class()(allowed_protocols={"data", "http", "https"})


def render_pdf_html(template: str, **context: Any) -> str:
    """The HTML a document is printed from (hash it to know whether a stored PDF is current)."""
    return render_template(template, **context)


_per_thread = threading.local()


def font_config():
    """This thread's WeasyPrint font configuration, kept from one document to the next.

    A fresh one per document made fontconfig and Pango load the CJK fonts again every time
    (~40 ms of a ~300 ms sheet). Sharing is safe because no document declares @font-face (which
    would add faces to it for good); it is per thread because Pango's font maps are not thread-safe.
    """
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _per_thread.font_config = FontConfiguration()
    return config


# The one print stylesheet of every document (templates/pdf/*.html), added by render_document().
STYLESHEET = "pdf.css"
_parsed_stylesheet: dict[Path, tuple[int, Any]] = {}


def stylesheet() -> Any:
    """pdf.css as WeasyPrint parses it, made once per process (again when the file changes).

    Linked from each document, it was fetched, parsed and its rules indexed on every render. The
    parsed stylesheet is only read while documents are laid out (WeasyPrint shares its own default
    stylesheets the same way), so every thread uses one; it has no @font-face, so no font
    configuration keeps anything of it."""
    from weasyprint import CSS

    path = Path(_static_folder()) / STYLESHEET
    stamp = path.stat().st_mtime_ns
    kept = _parsed_stylesheet.get(path)
    if kept is None or kept[0] != stamp:
        url = BASE_URL.rstrip("/") + (current_app.static_url_path or "") + "/" + STYLESHEET
        kept = _parsed_stylesheet[path] = (stamp, CSS(url=url, url_fetcher=url_fetcher()))
    return kept[1]


_collector = threading.Lock()
_renders_running = 0
_collector_was_on = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a document is laid out and written.

    A render builds a tree of tens of thousands of boxes that lives until the PDF is written; the
    collector went through it again and again, and through every object of the app with it (a fifth
    of a render's time). The boxes are freed by reference counting, or by the first collection
    after the render: the peak memory is the same. Paused while any thread renders."""
    global _renders_running, _collector_was_on
    with _collector:
        if _renders_running == 0:
            _collector_was_on = gc.isenabled()  # a collector someone else turned off stays off
        _renders_running += 1
        gc.disable()
    try:
        yield
    finally:
        with _collector:
            _renders_running -= 1
            if _renders_running == 0 and _collector_was_on:
                gc.enable()


def render_document(html: str) -> Any:
    """Lay document HTML out (a WeasyPrint Document: pages to write, copy or lay over)."""
    from weasyprint import HTML

    with collector_paused():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render(
            stylesheets=[stylesheet()], font_config=font_config()
        )


def html_to_pdf(html: str) -> bytes:
    """Print rendered document HTML to PDF bytes."""
    harfbuzz_subset_available()
    with collector_paused():
        return render_document(html).write_pdf()


def render_pdf(template: str, **context: Any) -> bytes:
    """Render templates/pdf/<document>.html with its context into an A4 PDF."""
    return html_to_pdf(render_pdf_html(template, **context))


def overlay_pages(
    under: bytes, over: bytes, bookmarks: Sequence[tuple[str, int, float, float]] = ()
) -> bytes:
    """``over``'s pages, each laid over a copy of one of ``under``'s pages: page i of ``over`` over
    page i modulo the number of ``under``'s pages (e.g. one sheet's pages under each serial's stamp).

    ``under``'s pages become form XObjects drawn first on the pages they lie under: their content and
    fonts are in the file once, however many pages show them. ``bookmarks``: the outline, as (title,
    page index, x, y in PDF points). (pypdf: WeasyPrint lays out pages, it does not put PDFs together.)"""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, Fit, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(over)))
    drawn = []  # per page of under: (its name in a page's resources, the form, the stream drawing it)
    for number, page in enumerate(PdfReader(io.BytesIO(under)).pages):
        contents: Any = page.get_contents()
        form = DecodedStreamObject()
        form.set_data(contents.get_data() if contents is not None else b"")
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = page.mediabox
        form[NameObject("/Resources")] = page.get("/Resources", DictionaryObject()).clone(writer)
        name = NameObject(f"/UnderPage{number}")
        drawing = DecodedStreamObject()
        drawing.set_data(b"q " + name.encode() + b" Do Q\n")
        drawn.append((name, writer._add_object(form.flate_encode()), writer._add_object(drawing)))
    if not drawn:
        raise ValueError("nothing to lay pages over")
    for number, page in enumerate(writer.pages):
        name, under_form, draw = drawn[number % len(drawn)]
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources: Any = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = under_form
        contents = page.get("/Contents")
        if contents is None:
            page[NameObject("/Contents")] = draw
        else:
            listed = contents.get_object()
            rest = list(listed) if isinstance(listed, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([draw, *rest])
    for title, page_index, x, y in bookmarks:
        writer.add_outline_item(title=title, page_number=page_index, fit=Fit.xyz(left=x, top=y))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def content_hash(html: str) -> str:
    """What a stored PDF was printed from: the HTML and the stylesheet's bytes (a changed stylesheet
    prints differently, so it must make a new PDF too)."""
    import hashlib

    digest = hashlib.sha256(html.encode())
    digest.update(b"\0")
    digest.update((Path(_static_folder()) / STYLESHEET).read_bytes())
    return digest.hexdigest()


class StoredPdf:
    """The row of a stored PDF (a cache of what is printed, not history): see ``stored_pdf``.

    The bytes live in storage() under ``pdf_key`` (documents/<storage_folder>/<id>/<content_hash>.pdf),
    the row says which copy is current. A key names one content, so a row never points at bytes
    printed from other HTML, even after a rollback.
    """

    # Where a model's PDFs go in storage: documents/<storage_folder>/…
    storage_folder: ClassVar[str]
    # sha256 of the HTML and the stylesheet the PDF was printed from (content_hash above).
    content_hash: Mapped[str] = mapped_column(String(64))
    pdf_key: Mapped[str] = mapped_column(String(200))
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)


def pdf_key(model: type[Any], key: dict[str, Any], printed: str) -> str:
    """The storage key of a document's PDF printed from the HTML whose content_hash is ``printed``,
    e.g. documents/sheet/12/<sha256>.pdf or documents/evaluation/3-sheets/<sha256>.pdf."""
    identity = "-".join(str(value) for value in key.values())
    return f"documents/{model.storage_folder}/{identity}/{printed}.pdf"


def _row(model: type[Any], key: dict[str, Any]) -> Any:
    from ..extensions import db

    identity = tuple(key.values())
    return db.session.get(model, identity if len(identity) > 1 else identity[0])


def _stored_bytes(stored: Any, printed: str) -> bytes | None:
    if stored is None or stored.content_hash != printed:
        return None
    try:
        return storage().get(stored.pdf_key)
    except FileNotFoundError:  # replaced by a newer copy meanwhile, or lost: print it again
        return None


def stored_copy(model: type[Any], key: dict[str, Any]) -> bytes | None:
    """The document's stored PDF as it is, or None: never renders (public addresses, core/documents.py)."""
    stored = _row(model, key)
    if stored is None:
        return None
    try:
        return storage().get(stored.pdf_key)
    except FileNotFoundError:
        return None


def stored_pdf(
    model: type[Any], key: dict[str, Any], html: str, render: Callable[[str], bytes] | None = None
) -> tuple[bytes, bool]:
    """A document's PDF from its stored copy while the HTML it prints and the stylesheet are
    unchanged, else rendered and stored; returns (pdf, whether it was freshly rendered).

    `model` is a StoredPdf with the columns of `key` as its primary key. The bytes go to storage()
    before the row names them; the copy the row named before is deleted once the change is
    committed. Two first requests at once both render; the second keeps the row the first stored.
    """
    from sqlalchemy.exc import IntegrityError

    from ..extensions import db

    printed = content_hash(html)
    stored = _row(model, key)
    found = _stored_bytes(stored, printed)
    if found is not None:
        return found, False
    pdf = (render or html_to_pdf)(html)
    new_key = pdf_key(model, key, printed)
    storage().put(new_key, pdf)
    if stored is None:
        try:
            with db.session.begin_nested():
                db.session.add(model(**key, content_hash=printed, pdf_key=new_key))
        except IntegrityError:
            pass
    else:
        # A cache of what is printed, not history (the records' own events hold the history).
        if stored.pdf_key != new_key:
            delete_after_commit(db.session(), stored.pdf_key)
        stored.content_hash, stored.pdf_key = printed, new_key
    db.session.flush()
    return pdf, True
