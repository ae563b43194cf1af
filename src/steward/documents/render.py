"""Render a :class:`~steward.documents.model.Document` as Markdown, HTML or PDF.

Markdown and HTML come from the Jinja2 templates in ``documents/templates/`` (HTML with
autoescaping on: every value is evidence or an answer someone typed, never markup). PDF is
the HTML laid out by WeasyPrint, an optional dependency (the ``documents`` extra: it needs
the system's Pango library and pulls in Pillow and fontTools, which Markdown and HTML users do
not need). WeasyPrint embeds font subsets whose timestamps follow ``SOURCE_DATE_EPOCH``, so a
PDF is reproducible byte for byte when that variable is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from steward.documents.model import Document
from steward.errors import UsageError
from steward.markdown import table_row

PDF_HINT = (
    "PDF output needs WeasyPrint: pip install 'steward-cra[documents]' "
    "(and the Pango library, e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


def _md(value: object) -> str:
    """Text for Markdown: no raw HTML (``<`` escaped), no line breaks that end a list item."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "").replace("\n", " ")


def _row(cells: Iterable[object]) -> str:
    return table_row(*(_md(c) for c in cells))


def _rule(cells: Iterable[object]) -> str:
    return "|" + "---|" * len(list(cells))


@cache
def _environment(autoescape: bool) -> Environment:
    # Markdown escapes every value with the md filter; HTML autoescapes
    env = Environment(
        loader=PackageLoader("steward.documents", "templates"),
        autoescape=autoescape,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=_md, row=_row, rule=_rule)
    return env


def to_markdown(doc: Document) -> str:
    """The document as Markdown (GitHub-flavoured tables)."""
    return _environment(False).get_template("document.md.j2").render(doc=doc)


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page, laid out for screen and print (A4)."""
    return _environment(True).get_template("document.html.j2").render(doc=doc)


def to_pdf(doc: Document) -> bytes:
    """The document as PDF (A4, page numbers). :class:`UsageError` when WeasyPrint is missing."""
    html = to_html(doc)
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: WeasyPrint present, Pango missing
        raise UsageError(PDF_HINT) from None
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def pdf_available() -> bool:
    """Whether :func:`to_pdf` can work here (WeasyPrint and Pango importable)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True
