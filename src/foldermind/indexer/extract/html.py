"""HTML via BeautifulSoup: the main content (<main>/<article> when present), never menus or scripts."""

from __future__ import annotations

from pathlib import PurePath

from bs4 import BeautifulSoup, Tag

from foldermind.indexer.extract.base import Extracted, Section, SectionBuilder, decode_text

BOILERPLATE = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg"]
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
BLOCKS = [*HEADINGS, "p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "figcaption"]


def extract_html(data: bytes, path: PurePath) -> Extracted:
    soup = BeautifulSoup(decode_text(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    description = soup.find("meta", attrs={"name": "description"})
    for tag in soup(BOILERPLATE):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    builder = SectionBuilder()
    for block in root.find_all(BLOCKS):
        if not isinstance(block, Tag) or block.find_parent(BLOCKS[len(HEADINGS) :]) is not None:
            continue  # nested blocks are read as part of their outer block
        text = block.get_text(" ", strip=True)
        if text and block.name in HEADINGS:
            builder.heading(int(block.name[1]), text)
        elif text:
            builder.paragraph(text)
    sections = builder.finish()
    if not sections:
        loose = root.get_text("\n", strip=True)
        sections = [Section(text=loose)] if loose else []
    first_h1 = next((s.heading[0] for s in sections if s.heading), None)
    metadata = {"description": description.get("content")} if isinstance(description, Tag) else {}
    return Extracted(sections=sections, title=title or first_h1, metadata=metadata)
