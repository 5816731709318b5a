"""Shared fixtures: a real home folder on disk, the real bundled embedding model loaded once per session."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from foldermind.config import Config
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder("sentence-transformers/all-MiniLM-L6-v2")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [n for n in os.environ if n.startswith("FOLDERMIND_")]:
        monkeypatch.delenv(name)
    path = tmp_path / "home"
    init_home(path)
    (path / "context" / "README.md").unlink()  # tests choose their own files
    return path


@pytest.fixture
def config(home: Path) -> Config:
    return open_home(home)


@pytest.fixture
def context(config: Config) -> Path:
    return config.context_dir


@pytest.fixture
def index(config: Config, embedder: Embedder) -> Iterator[Index]:
    idx = Index(config, embedder=embedder)
    yield idx
    idx.close()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def make_pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Pump manual")
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def make_docx(title: str, sections: dict[str, str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for heading, body in sections.items():
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


MIXED_FILES: dict[str, str | bytes] = {
    "recipes/bread.md": (
        "---\ntitle: Sourdough bread\ntags: [baking]\nsource: grandma\n---\n"
        "# Sourdough\n\nFeed the starter with rye flour every twelve hours. #fermentation\n\n"
        "## Baking\n\nBake the loaf at 250 degrees for forty minutes. See [[Oven notes]].\n"
    ),
    "work/meeting.txt": "The quarterly budget review with Alice Moreau is on Thursday in room 4B.\n",
    "work/team.csv": "name,role\nBob Lindqvist,database administrator\nCarla Dunn,designer\n",
    "notes/garden.html": (
        "<html><head><title>Garden log</title></head><body><nav>Home | About | Contact</nav>"
        "<main><h1>Tomatoes</h1><p>The San Marzano tomatoes were planted on the 3rd of May.</p></main>"
        "<footer>Copyright 2026</footer></body></html>"
    ),
    "notes/travel.json": '{"trip": {"city": "Lisbon", "hotel": "Casa Azul", "nights": 4}}',
    "code/util.py": "def frobnicate_widgets(count):\n    return count * 42\n",
}
