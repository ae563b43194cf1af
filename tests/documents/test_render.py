"""Markdown, HTML and PDF renderings: escaping, and a PDF a person can read (rendered to PNG
with pdftoppm, as the issue asks; the PNGs are kept for a look under the test's tmp dir)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from steward.documents import render
from steward.documents.inputs import gather
from steward.documents.kinds import resolve
from steward.documents.model import Document, Fact, Item, Section
from tests.documents.project import ANSWERS, make_project


def _doc(value: str) -> Document:
    return Document(
        key="annex-ii",
        title="Information and instructions to the user",
        basis="Regulation (EU) 2024/2847, Art. 13 and Annex II",
        subject="widget 1.0.0",
        generated_at="2026-11-29T00:00:00Z",
        sections=[Section("Manufacturer", "Annex II (1)",
                          items=[Item("(1)", "Name", Fact(value, "steward.yml:3"), "answer"),
                                 Item("(1)", "Postal address", None, "answer it")])],
    )  # fmt: skip


def test_html_escapes_what_people_typed() -> None:
    html = render.to_html(_doc('<script>alert("x")</script> & Co'))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html


def test_markdown_carries_no_raw_html_and_keeps_tables_whole() -> None:
    md = render.to_markdown(_doc("<img src=x onerror=y> | pipe\nsecond line"))
    assert "<img" not in md
    line = next(x for x in md.splitlines() if x.startswith("- **(1) Name:**"))
    assert "&lt;img src=x onerror=y&gt; | pipe second line" in line
    missing = md.split("## Missing")[1]
    assert "| (1) | Postal address | answer it |" in missing


#: in CI (.ci/run installs both) a missing tool fails the tests instead of skipping them
needs_pdf = pytest.mark.skipif(
    not os.environ.get("CI") and (not render.pdf_available() or shutil.which("pdftoppm") is None),
    reason="needs WeasyPrint (the documents extra) and poppler-utils' pdftoppm",
)


@needs_pdf
@pytest.mark.parametrize(
    "name", ["annex-ii", "annex-vii", "annex-v", "annex-vi", "art24-policy", "art25-attestation"]
)
def test_pdf_renders_to_readable_pages(
    name: str, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764374400")
    root = make_project(tmp_path / "widget", shared_data, answers=ANSWERS)
    kind = resolve(name)
    doc = kind.build(gather(root, role=kind.role))
    pdf = render.to_pdf(doc)
    assert pdf.startswith(b"%PDF-")
    assert render.to_pdf(doc) == pdf  # reproducible with SOURCE_DATE_EPOCH
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / name)], check=True)
    pages = sorted(tmp_path.glob(f"{name}*.png"))
    assert pages and all(p.stat().st_size > 5_000 for p in pages)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert doc.title in text
    assert {"annex-ii": "Acme Widgets GmbH", "annex-v": "Acme Widgets GmbH",
            "annex-vi": "is in compliance with Regulation (EU) 2024/2847",
            "art24-policy": "Widget Foundation", "art25-attestation": "STW-VUL-01",
            "annex-vii": "Annex I Part I: applicability"}[name] in text  # fmt: skip
    assert "Missing" in text and "Sources" in text
    assert "Page 1 of" in text


def test_pdf_without_weasyprint_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise ImportError("no weasyprint")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    assert not render.pdf_available()
    with pytest.raises(Exception, match="steward-cra\\[documents\\]"):
        render.to_pdf(_doc("x"))


def test_the_declaration_is_signed_after_the_signatory(full_project: Path) -> None:
    """Reproducer (seen in the PDF): the signature line of Annex V (8) came before "Signed
    for and on behalf of", the place, date, name and function it closes."""
    doc = resolve("annex-v").build(gather(full_project, role="manufacturer"))
    for text in (render.to_markdown(doc), render.to_html(doc)):
        part = text.split("Additional information", 1)[1]
        assert part.index("Signed for and on behalf of") < part.index("Function")
        assert part.index("Function") < part.index("Signature: ____")
        assert part.index("Signature: ____") < part.index("Sources")


def test_identifiers_in_table_cells_are_not_broken(full_project: Path) -> None:
    """Reproducer (seen in the attestation PDF): the last column broke anywhere, so a short
    identifier like STW-GOV-03 was split over two lines; a URL there may still break."""
    html = render.to_html(resolve("art25-attestation").build(gather(full_project, role="project")))
    assert '<td class="token">STW-VUL-01</td>' in html
    assert "td.token { white-space: nowrap;" in html
    assert '<td class="token">met, https://' not in html


@needs_pdf
def test_a_table_caption_stays_with_its_table(full_project: Path, tmp_path: Path) -> None:
    """Reproducer (seen in the Annex VII PDF): the caption of the Annex I Part I table stood
    alone at the foot of page 3, its table on page 4."""
    doc = resolve("annex-vii").build(gather(full_project, role="manufacturer"))
    html = render.to_html(doc)
    assert '<p class="caption">Annex I Part I: applicability' in html
    assert "<caption>" not in html
    path = tmp_path / "vii.pdf"
    path.write_bytes(render.to_pdf(doc))
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")  # fmt: skip
    for page in pages:
        lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
        for caption in (t.caption for s in doc.sections for t in s.tables):
            if caption in lines:  # a caption is followed on its page by its table's header
                at = lines.index(caption)
                assert at + 1 < len(lines) - 1, f"caption alone at the foot: {caption}"
