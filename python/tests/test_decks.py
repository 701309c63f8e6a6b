"""The lecture decks `virtlab slides` writes open in python-pptx (PowerPoint) and poppler (PDF):
slide count, titles, speaker notes, pictures, 16:9, text a lecturer can edit and search."""

import os
import subprocess
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Emu


@pytest.fixture(scope="module")
def decks(tmp_path_factory, binary):
    folder = tmp_path_factory.mktemp("decks")
    pptx, pdf = folder / "migration.pptx", folder / "migration.pdf"
    subprocess.run([binary, "slides", "migration", "-o", str(pptx)], check=True, capture_output=True)
    subprocess.run([binary, "slides", "migration", "-o", str(pdf)], check=True, capture_output=True)
    return pptx, pdf


def test_pptx_opens_with_titles_notes_and_pictures(decks):
    pptx, _ = decks
    deck = Presentation(str(pptx))
    assert deck.slide_width == Emu(12192000) and deck.slide_height == Emu(6858000)  # 16:9
    slides = list(deck.slides)
    assert len(slides) >= 4
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[0].startswith("Live migration")
    assert titles[1] == "The problem"
    assert titles[-1] == "What to take away"
    # The lesson file's classroom slides (Templates/lessons/migration.md).
    for title in ["The story", "Key activity", "Debate", "What if…?", "Questions"]:
        assert title in titles, title
    questions = slides[titles.index("Questions")]
    assert "A: " in questions.notes_slide.notes_text_frame.text
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert pictures, "no figure slides"
    for p in pictures:
        assert p.image.content_type == "image/png" and len(p.image.blob) > 1000
        assert p._element.xpath(".//p:cNvPr/@descr")[0], "a picture without alt text"
    figure_slides = [s for s in slides if any(sh.shape_type == 13 for sh in s.shapes)]
    for s in figure_slides:
        assert s.has_notes_slide
        assert "What to notice" in s.notes_slide.notes_text_frame.text or len(s.notes_slide.notes_text_frame.text) > 40
    # The SVG rides along for PowerPoint 2016+, and its labels are text.
    with zipfile.ZipFile(pptx) as z:
        svgs = [n for n in z.namelist() if n.endswith(".svg")]
        assert svgs and all(b"<text" in z.read(n) for n in svgs)
        assert z.testzip() is None
    # Core properties carry the provenance.
    assert "virtlab-provenance" in deck.core_properties.keywords


def test_decks_are_deterministic(decks, binary, tmp_path):
    pptx, pdf = decks
    again = tmp_path / "again.pptx"
    subprocess.run([binary, "slides", "migration", "-o", str(again)], check=True, capture_output=True)
    assert again.read_bytes() == pptx.read_bytes()
    again_pdf = tmp_path / "again.pdf"
    subprocess.run([binary, "slides", "migration", "-o", str(again_pdf)], check=True, capture_output=True)
    assert again_pdf.read_bytes() == pdf.read_bytes()
    assert (tmp_path / "again-notes.pdf").read_bytes() == pdf.with_name("migration-notes.pdf").read_bytes()


def test_pdf_deck_is_16_9_with_searchable_text_and_notes(decks):
    pptx, pdf = decks
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    assert pages == len(list(Presentation(str(pptx)).slides))
    assert "960 x 540 pts" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "The problem" in text and "What to take away" in text
    notes = pdf.with_name("migration-notes.pdf")
    assert notes.exists()
    notes_text = subprocess.run(["pdftotext", str(notes), "-"], check=True, capture_output=True, text=True).stdout
    assert "What to notice" in notes_text


def test_libreoffice_converts_the_pptx(decks, tmp_path):
    """LibreOffice (installed by .ci/run) opens the deck and exports every slide."""
    import shutil
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-impress)")
    pptx, _ = decks
    done = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
                          capture_output=True, text=True, timeout=300, env=dict(os.environ, HOME=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "migration.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    assert pages == len(list(Presentation(str(pptx)).slides))
