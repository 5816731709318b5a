"""Extraction, measured: of a known text's words, the share the reading code finds, per format, and its seconds
per MB; the reading code of another revision (`--before`) in the same run; and the PDF libraries side by side.

The files are made by real tools from documentation this machine has installed (nobody on the project wrote
it): pandoc turns Markdown and reStructuredText documents into HTML and Word files, LibreOffice turns the Word
files into PDF, groff renders manual pages as PDF and HTML, and iconv writes the plain text as UTF-16; real
HTML pages and PDFs shipped with packages are read as they are. The known text of each file is what another
tool reads in it: pandoc's plain text of the source, groff's terminal rendering of a manual page, poppler's
pdftotext for a shipped PDF. A word counts as found as often as it occurs in both (multiset recall), after
NFKC and case folding on both sides.

Needs pandoc, LibreOffice (soffice), groff, ghostscript and poppler-utils (Debian packages).

    .venv/bin/python bench/extract_bench.py [--before REV] [--pdf-libraries]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "out" / "extract"
WORD = re.compile(r"\w+")

PROSE = [  # Markdown and reStructuredText guides shipped with Debian packages
    "/usr/share/doc/systemd/ENVIRONMENT.md.gz",
    "/usr/share/doc/systemd/UIDS-GIDS.md.gz",
    "/usr/share/doc/systemd/CODING_STYLE.md.gz",
    "/usr/share/doc/zstd/README.md.gz",
    "/usr/share/doc/man-db/README.md.gz",
    "/usr/share/doc/python3-pip/html/user_guide.rst.gz",
    "/usr/share/doc/python3-pip/html/cli/pip_install.rst.gz",
    "/usr/share/doc/nodejs/api/url.md",
]
MAN_PAGES = ["tar", "sed", "grep", "ssh", "find", "gzip"]
SHIPPED_HTML = [
    "/usr/share/doc/libffi8/html/The-Basics.html",
    "/usr/share/doc/libffi8/html/Closure-Example.html",
    "/usr/share/doc/libffi8/html/Types.html",
    "/usr/share/doc/python3/python-policy.html",
    "/usr/share/doc/libxslt1-dev/html/html/libxslt-templates.html",
    "/usr/share/doc/base-passwd/users-and-groups.html",
]
SHIPPED_PDF = ["/usr/share/doc/libtasn1-doc/libtasn1.pdf", "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"]


def run(*command: str, stdin: bytes | None = None, cwd: Path | None = None) -> bytes:
    return subprocess.run(command, input=stdin, capture_output=True, check=True, timeout=300, cwd=cwd).stdout


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def recall(known: str, found: str) -> float:
    want, have = words(known), words(found)
    return sum(min(count, have[word]) for word, count in want.items()) / max(1, sum(want.values()))


def _source(path: str) -> tuple[str, bytes]:
    """(package-name, contents) of a shipped document, e.g. ("zstd-README.md", ...)."""
    data = Path(path).read_bytes()
    package = Path(path).relative_to("/usr/share/doc").parts[0]
    name = f"{package}-{Path(path).name.removesuffix('.gz')}"
    return name, gzip.decompress(data) if path.endswith(".gz") else data


def build_corpus() -> list[dict[str, str]]:
    """Make every file (once; kept under bench/out/extract) and its known text; the list of both."""
    listing = CORPUS / "corpus.json"
    if listing.exists():
        return json.loads(listing.read_text())
    CORPUS.mkdir(parents=True, exist_ok=True)
    items: list[dict[str, str]] = []

    def add(file: Path, known: str, kind: str) -> None:
        known_path = file.with_name(file.name + ".known.txt")
        known_path.write_text(known)
        items.append({"file": str(file), "known": str(known_path), "kind": kind})

    for path in PROSE:
        name, data = _source(path)
        stem = CORPUS / re.sub(r"[^\w.-]+", "-", name).rsplit(".", 1)[0]
        markup = "rst" if name.endswith(".rst") else "gfm"
        source = stem.with_suffix("." + ("rst" if markup == "rst" else "md"))
        source.write_bytes(data)
        plain = run("pandoc", "-f", markup, "-t", "plain", "--wrap=none", str(source)).decode()
        if markup == "gfm":
            add(source, plain, "prose")
        run("pandoc", "-f", markup, "-s", "-o", str(stem.with_suffix(".html")), str(source))
        add(stem.with_suffix(".html"), plain, "prose")
        run("pandoc", "-f", markup, "-o", str(stem.with_suffix(".docx")), str(source))
        add(stem.with_suffix(".docx"), plain, "prose")
        run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(CORPUS), str(stem.with_suffix(".docx")))
        add(stem.with_suffix(".pdf"), plain, "prose")
        utf16 = stem.with_name(stem.name + "-utf16.txt")
        utf16.write_bytes(run("iconv", "-f", "UTF-8", "-t", "UTF-16", stdin=plain.encode()))
        add(utf16, plain, "prose")
        crlf = stem.with_name(stem.name + "-crlf.txt")
        crlf.write_bytes(plain.replace("\n", "\r\n").encode())
        add(crlf, plain, "prose")
    for page in MAN_PAGES:
        source = run("man", "-w", page).decode().strip()
        roff = gzip.decompress(Path(source).read_bytes()) if source.endswith(".gz") else Path(source).read_bytes()
        # The known text on one long line per paragraph: no line breaks, so no hyphenated words.
        known = run("groff", "-mandoc", "-Tutf8", "-rLL=3000n", "-P-cbou", stdin=roff).decode()
        pdf = CORPUS / f"man-{page}.pdf"
        pdf.write_bytes(run("ps2pdf", "-", "-", stdin=run("groff", "-mandoc", "-Tps", stdin=roff)))
        add(pdf, known, "manual page")
        html = CORPUS / f"man-{page}.html"
        html.write_bytes(run("groff", "-mandoc", "-Thtml", stdin=roff, cwd=CORPUS))
        add(html, known, "manual page")
    for path in SHIPPED_HTML:
        file = CORPUS / ("shipped-" + Path(path).name)
        shutil.copyfile(path, file)
        add(file, run("pandoc", "-f", "html", "-t", "plain", "--wrap=none", path).decode(), "shipped page")
    for path in SHIPPED_PDF:
        file = CORPUS / ("shipped-" + Path(path).name)
        shutil.copyfile(path, file)
        add(file, run("pdftotext", "-enc", "UTF-8", path, "-").decode(), "shipped book")
    listing.write_text(json.dumps(items, indent=1))
    return items


def measure(items: list[dict[str, str]]) -> list[dict[str, object]]:
    """Run the importable foldermind's reading code over every file: recall, seconds, MB, or the error."""
    from foldermind.indexer.extract import extract

    rows: list[dict[str, object]] = []
    for item in items:
        path = Path(item["file"])
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            text = _indexed_text(extract(data, PurePath(path.name)))
            error = ""
        except Exception as exc:  # a failure is a figure here: the file's words count as not found
            text, error = "", f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - started
        known = Path(item["known"]).read_text()
        rows.append({**item, "recall": recall(known, text), "seconds": seconds, "mb": len(data) / 1e6, "error": error})
    return rows


def _indexed_text(extracted: object) -> str:
    """The words the index holds of a document: each section's text and the headings above it (once each)."""
    parts: list[str] = []
    headings: list[str] = []
    for section in extracted.sections:  # type: ignore[attr-defined]
        parts.extend(name for name in section.heading if name not in headings)
        headings = list(section.heading)
        parts.append(section.text)
    return "\n".join(parts)


def measure_at(revision: str, items_path: Path) -> list[dict[str, object]]:
    """The same measurement with the reading code of another revision, in its own process."""
    checkout = Path(tempfile.mkdtemp(prefix="fm-extract-")) / "src"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(checkout), revision],
        check=True,
        capture_output=True,
    )
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--measure", str(items_path)],
            env={"PYTHONPATH": str(checkout / "src"), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)], check=True)
    return json.loads(output)


def fmt(path: str) -> str:
    suffix = PurePath(path).suffix.lstrip(".")
    return {"txt": "text (UTF-16, CRLF)"}.get(suffix, suffix)


def by_format(rows: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    groups: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(fmt(str(row["file"])), []).append(row)
    return dict(sorted(groups.items()))


def share(rows: list[dict[str, object]]) -> float:
    """Words found over words known, all files of the group together (weighted by their length)."""
    known = [sum(words(Path(str(r["known"])).read_text()).values()) for r in rows]
    return sum(float(r["recall"]) * k for r, k in zip(rows, known, strict=True)) / max(1, sum(known))


def speed(rows: list[dict[str, object]]) -> float:
    return sum(float(r["seconds"]) for r in rows) / max(1e-9, sum(float(r["mb"]) for r in rows))


def report(after: list[dict[str, object]], before: list[dict[str, object]] | None, revision: str) -> None:
    print("### Text recovered per format (share of the known text's words found; all files of a format together)\n")
    head = "| format | files | MB | words found | s per MB |"
    rule = "| --- | --- | --- | --- | --- |"
    if before:
        head = (
            f"| format | files | MB | words found, {revision} | words found, now "
            f"| s per MB, {revision} | s per MB, now |"
        )
        rule = "| --- | --- | --- | --- | --- | --- | --- |"
    print(head + "\n" + rule)
    old = by_format(before) if before else {}
    for name, rows in by_format(after).items():
        mb = sum(float(r["mb"]) for r in rows)
        if before:
            print(
                f"| {name} | {len(rows)} | {mb:.2f} | {share(old[name]):.3f} | {share(rows):.3f} | "
                f"{speed(old[name]):.2f} | {speed(rows):.2f} |"
            )
        else:
            print(f"| {name} | {len(rows)} | {mb:.2f} | {share(rows):.3f} | {speed(rows):.2f} |")
    print("\n### Lowest files now\n\n| file | kind | words found | error |\n| --- | --- | --- | --- |")
    for row in sorted(after, key=lambda r: float(r["recall"]))[:6]:
        print(f"| {Path(str(row['file'])).name} | {row['kind']} | {float(row['recall']):.3f} | {row['error']} |")


def pdf_libraries(items: list[dict[str, str]]) -> None:
    """pypdf, pdfplumber and pypdfium2 on the same PDFs: words found, glued words, ligatures, seconds per MB."""
    import logging

    import pdfplumber
    import pypdf
    import pypdfium2

    logging.disable(logging.WARNING)

    def with_pypdf(path: str) -> str:
        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)

    def with_pdfplumber(path: str) -> str:
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)

    def with_pdfium(path: str) -> str:
        document = pypdfium2.PdfDocument(path)
        return "\n".join(page.get_textpage().get_text_bounded() for page in document)

    pdfs = [item for item in items if item["file"].endswith(".pdf")]
    mb = sum(Path(item["file"]).stat().st_size for item in pdfs) / 1e6
    print(f"\n### PDF libraries on the same {len(pdfs)} PDFs ({mb:.2f} MB)\n")
    print("| library | words found | glued words (18+ letters) | ligature characters | s per MB |")
    print("| --- | --- | --- | --- | --- |")
    for name, read in [("pypdf", with_pypdf), ("pdfplumber", with_pdfplumber), ("pypdfium2", with_pdfium)]:
        found = known = glued = ligatures = 0
        seconds = 0.0
        for item in pdfs:
            started = time.perf_counter()
            text = read(item["file"])
            seconds += time.perf_counter() - started
            want = words(Path(item["known"]).read_text())
            have = words(text)
            found += sum(min(count, have[word]) for word, count in want.items())
            known += sum(want.values())
            glued += sum(1 for word in re.findall(r"[^\W\d_]+", text) if len(word) >= 18)
            ligatures += sum(1 for char in text if 0xFB00 <= ord(char) <= 0xFB06)
        print(f"| {name} | {found / known:.3f} | {glued} | {ligatures} | {seconds / mb:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="a git revision whose reading code is measured beside today's")
    parser.add_argument("--pdf-libraries", action="store_true", help="also compare pypdf, pdfplumber, pypdfium2")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure a corpus listing, print JSON
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(json.loads(Path(args.measure).read_text()))))
        return
    items = build_corpus()
    before = measure_at(args.before, CORPUS / "corpus.json") if args.before else None
    after = measure(items)
    print(f"{len(items)} files made from installed documentation (bench/out/extract)\n")
    report(after, before, args.before or "")
    if args.pdf_libraries:
        pdf_libraries(items)


if __name__ == "__main__":
    main()
