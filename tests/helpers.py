"""What the tests share: fixture documents, helpers that write them, a real server in a thread, waiting for
real processes, and a hub stand-in on loopback."""

from __future__ import annotations

import hashlib
import io
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from foldermind.config import Config
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.server.app import create_app
from foldermind.server.state import ServerState
from foldermind.server.thread import free_port as free_port  # tests import it from here with the rest
from foldermind.server.thread import server_in_thread


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # the thing waited for may not answer yet
            pass
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class HubServer:
    """Files served the way the Hugging Face hub serves them (`/{repo}/resolve/{revision}/{file}`, with the
    commit and etag headers huggingface_hub reads), on loopback: `HF_ENDPOINT` points a real download here."""

    COMMIT = "0123456789abcdef0123456789abcdef01234567"

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files  # "owner/repo/file.gguf" -> local path
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, body: bool) -> None:
                hub.requests.append(f"{self.command} {self.path}")
                repo_file = self.path.split("?")[0].lstrip("/").replace("/resolve/main/", "/")
                path = hub.files.get(repo_file)
                if path is None:
                    self.send_response(404)
                    self.send_header("X-Error-Code", "EntryNotFound")
                    self.end_headers()
                    return
                data = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
                self.send_header("X-Repo-Commit", hub.COMMIT)
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def do_HEAD(self) -> None:
                self._send(body=False)

            def do_GET(self) -> None:
                self._send(body=True)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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


def table_pdf(rows: list[tuple[str, ...]], title: str, **options: object) -> bytes:
    """A title line over a table drawn with ruled cells by fpdf2 (`options`: its table's), as a word processor
    prints one (its first row the column names)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 8, title)
    with pdf.table(**options) as table:  # type: ignore[arg-type]
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    return bytes(pdf.output())


def scanned_pdf(pages: list[list[str]], dpi: int = 200) -> bytes:
    """A PDF of page images, as a scanner makes: pages of these lines typeset by fpdf2 (make_pdf), rendered by
    PDFium in grey and saved by Pillow as a PDF of images, with no text layer."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(make_pdf(["\n".join(lines) for lines in pages]))
    images = [source[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(source))]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buffer.getvalue()


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


FACT = "The Quillfeather bridge was painted teal in 1987 by Marta Okonkwo."
NOTES = {
    "history/bridge.md": f"# Quillfeather bridge\n\n{FACT} It spans the river Ostra near the mill.\n",
    "history/town.md": f"# Town walk\n\nOn the walk we crossed the bridge. {FACT}\n\nThe mill still grinds rye.\n",
    "history/paint.md": f"# Paint log\n\nColours used in town. {FACT} The railings were repainted later.\n",
    "garden/roses.md": "# Roses\n\nThe climbing roses by the shed bloom in June and need pruning in March.\n",
    "garden/compost.md": "# Compost\n\nTurn the compost heap every two weeks and keep it as damp as a wrung sponge.\n",
    "work/standup.md": "# Standup\n\nThe team meets at 9:15 every weekday in the small room by the kitchen.\n",
}


def snapshot(index: Index) -> dict[str, list[tuple[str, str, int | None]]]:
    """Every document's chunks; also checks that Chroma holds exactly the manifest's chunks."""
    assert index.vectors.all_ids() == index.manifest.all_chunk_ids()
    rows = index.manifest.db.execute(
        "SELECT d.path, c.text, c.heading, c.page FROM chunks c JOIN documents d ON d.id = c.document_id"
        " ORDER BY d.path, c.position"
    )
    result: dict[str, list[tuple[str, str, int | None]]] = {}
    for path, text, heading, page in rows:
        result.setdefault(path, []).append((text, heading, page))
    return result


def make_config(root: Path, files: dict[str, str | bytes], **server: object) -> Config:
    init_home(root)
    (root / "context/README.md").unlink()
    for name, content in files.items():
        write(root / "context" / name, content)
    config = open_home(root)
    for key, value in server.items():
        setattr(config.server, key, value)
    return config


@contextmanager
def running_server(config: Config, embedder: Embedder) -> Iterator[tuple[str, ServerState]]:
    state = ServerState(config, index=Index(config, embedder=embedder))
    try:
        with server_in_thread(create_app(config, state), timeout=30) as url:
            yield url, state
    finally:
        state.close()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, installed by scripts/install-browser.sh
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


MADE = Path(__file__).parent / "data" / "made"  # inputs made by Debian's tools (data/made/README.md)


def memo_repeated(times: int) -> bytes:
    """The voice memo said `times` times with a second of silence between, as a WAV written by FFmpeg (PyAV)."""
    import av  # FFmpeg's libraries: only for the tests that make recordings

    with av.open(str(MADE / "memo.ogg")) as original:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
        pcm = b"".join(
            bytes(f.planes[0])[: f.samples * 2] for p in original.decode(audio=0) for f in resampler.resample(p)
        )
    pcm = (pcm + bytes(2 * 16000)) * times
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        frame.planes[0].update(pcm)
        frame.rate = 16000
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def table_file(suffix: str, rows: list[list[str | None]], bold: int = 0) -> bytes:
    """A table, none of its rows marked as a header, as Word (python-docx), OpenDocument (odfpy) and HTML write
    it; a cell followed by None spans the next column; with `bold` = n, every n-th cell from the first of a row
    set in bold (a form's labels: 2)."""
    strong = [[bool(bold) and c % bold == 0 for c in range(len(row))] for row in rows]
    if suffix == "docx":
        import docx

        document = docx.Document()
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is not None and (c + 1 == len(row) or row[c + 1] is not None):
                    table.cell(r, c).paragraphs[0].add_run(cell).bold = strong[r][c]
                elif cell is not None:
                    table.cell(r, c).merge(table.cell(r, c + 1)).text = cell
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    spans = [
        [(cell, 2 if c + 1 < len(row) and row[c + 1] is None else 1) for c, cell in enumerate(row)] for row in rows
    ]
    if suffix == "odt":
        from odf.opendocument import OpenDocumentText
        from odf.style import Style, TextProperties
        from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
        from odf.text import P, Span

        document = OpenDocumentText()
        heavy = Style(name="Bold", family="text")
        heavy.addElement(TextProperties(fontweight="bold"))
        document.automaticstyles.addElement(heavy)
        table = Table(name="Form")
        table.addElement(TableColumn(numbercolumnsrepeated=len(rows[0])))
        for r, row in enumerate(spans):
            element = TableRow()
            for c, (cell, span) in enumerate(row):
                odf_cell = CoveredTableCell() if cell is None else TableCell(numbercolumnsspanned=span)
                if cell and strong[r][c]:
                    paragraph = P()
                    paragraph.addElement(Span(stylename=heavy, text=cell))
                    odf_cell.addElement(paragraph)
                elif cell:
                    odf_cell.addElement(P(text=cell))
                element.addElement(odf_cell)
            table.addElement(element)
        document.text.addElement(table)
        buffer = io.BytesIO()
        document.write(buffer)
        return buffer.getvalue()
    html = "".join(
        "<tr>"
        + "".join(
            f"<td colspan={span}>{f'<b>{cell}</b>' if strong[r][c] else cell}</td>"
            for c, (cell, span) in enumerate(row)
            if cell is not None
        )
        + "</tr>"
        for r, row in enumerate(spans)
    )
    return f"<html><body><p>The form.</p><table>{html}</table></body></html>".encode()
