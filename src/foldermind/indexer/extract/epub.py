"""E-books (.epub): the XHTML chapters in the book's reading order (its spine), each read by the HTML reader,
so a chapter's headings become the heading path; title and author from the package's Dublin Core."""

from __future__ import annotations

import posixpath
from pathlib import PurePath, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.archive import open_zip, read_member
from foldermind.indexer.extract.base import Extracted, Section
from foldermind.indexer.extract.html import extract_html

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XHTML = {"application/xhtml+xml", "text/html"}
_parser = etree.XMLParser(resolve_entities=False, no_network=True)


def _xml(data: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, _parser)
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"the e-book's {what} is damaged ({exc}); re-save or re-download it") from exc


def extract_epub(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError for a file that is not an e-book (no container or package document), a zip bomb
    under its name, or a book whose chapters hold no text; a chapter that cannot be read is named in warnings."""
    archive = open_zip(data, ".epub")
    container = _xml(read_member(archive, "META-INF/container.xml", ".epub"), "container")
    package_path = container.find(".//c:rootfile", NS)
    if package_path is None or not package_path.get("full-path"):
        raise ExtractionError("the e-book names no package document in META-INF/container.xml; re-save it")
    opf_path = package_path.get("full-path", "")
    package = _xml(read_member(archive, opf_path, ".epub"), "package document")
    base = posixpath.dirname(opf_path)
    items = {
        item.get("id"): (
            posixpath.normpath(posixpath.join(base, unquote(item.get("href", "")))),
            item.get("media-type"),
        )
        for item in package.iterfind(".//opf:manifest/opf:item", NS)
    }
    sections: list[Section] = []
    warnings: list[str] = []
    for ref in package.iterfind(".//opf:spine/opf:itemref", NS):
        href, media_type = items.get(ref.get("idref"), (None, None))
        if href is None or media_type not in XHTML or ref.get("linear") == "no":
            continue
        try:
            chapter = extract_html(read_member(archive, href, ".epub"), PurePosixPath(href))
        except ExtractionError as exc:
            warnings.append(f"{href} left out: {exc}")
            continue
        sections.extend(chapter.sections)
    title = (package.findtext(".//dc:title", namespaces=NS) or "").strip()
    author = (package.findtext(".//dc:creator", namespaces=NS) or "").strip()
    return Extracted(
        sections=sections, title=title or None, metadata={"author": author} if author else {}, warnings=warnings
    )
