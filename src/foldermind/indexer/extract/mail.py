"""E-mail: single messages (.eml) and mailboxes (.mbox). A message is its sender, recipients and date as lines
a search finds, then its text: the plain-text part where it has one, else its HTML part read by the HTML
reader. Attachments of a readable type are read by their own extractor and follow under `attachment NAME`;
a forwarded message (message/rfc822) follows under its subject.

A .eml's subject is the document's title and its from/to/date are metadata `--where` can filter on (the date
as YYYY-MM-DD). A mailbox is one document with one section per message, headed by the message's subject."""

from __future__ import annotations

import email.utils
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import PurePath, PurePosixPath
from typing import cast

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, Section
from foldermind.indexer.extract.html import extract_html

MAX_DEPTH = 3  # forwarded messages inside forwarded messages read this deep
SHOWN_HEADERS = ("From", "To", "Cc", "Date")
MBOX_SEPARATOR = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_parser = BytesParser(policy=policy.default)


def _header(message: EmailMessage, name: str) -> str:
    try:
        return " ".join(str(message.get(name, "") or "").split())
    except (ValueError, IndexError, TypeError):  # a malformed header the parser could not fold
        return ""


def _date(message: EmailMessage) -> str:
    try:
        return email.utils.parsedate_to_datetime(_header(message, "Date")).date().isoformat()
    except (ValueError, TypeError):
        return ""


def _text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset or a broken transfer encoding
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    return content if isinstance(content, str) else ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text(part)
    if part.get_content_subtype() == "html":
        return extract_html(text.encode(), PurePosixPath("body.html")).text
    return text


def _attachment_sections(part: EmailMessage, heading: tuple[str, ...], depth: int) -> tuple[list[Section], list[str]]:
    from foldermind.indexer.extract import extract, supported  # the registry imports this module

    if part.get_content_type() == "message/rfc822" and depth < MAX_DEPTH:
        inner = part.get_content()
        return _message_sections(inner, (*heading, _header(inner, "Subject") or "forwarded message"), depth + 1)
    name = part.get_filename() or ""
    if not name or not supported(PurePosixPath(name)):
        return [], []
    try:
        extracted = extract(part.get_payload(decode=True) or b"", PurePosixPath(name))
    except ExtractionError as exc:
        return [], [f"attachment {name} left out: {exc}"]
    under = (*heading, f"attachment {name}")
    sections = [Section(text=s.text, heading=(*under, *s.heading), page=s.page) for s in extracted.sections]
    return sections, [f"attachment {name}: {warning}" for warning in extracted.warnings]


def _message_sections(
    message: EmailMessage, heading: tuple[str, ...], depth: int = 0
) -> tuple[list[Section], list[str]]:
    lines = [f"{name}: {value}" for name in SHOWN_HEADERS if (value := _header(message, name))]
    body = _body(message).strip()
    sections = [Section(text="\n".join(lines) + ("\n\n" + body if body else ""), heading=heading)]
    warnings: list[str] = []
    for part in message.iter_attachments():
        found, trouble = _attachment_sections(part, heading, depth)
        sections.extend(found)
        warnings.extend(trouble)
    return sections, warnings


def _parse(data: bytes) -> EmailMessage:
    return cast(EmailMessage, _parser.parsebytes(data))  # policy.default makes every message an EmailMessage


def extract_eml(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError when the file has none of an e-mail's headers (From, To, Subject, Date)."""
    message = _parse(data)
    if not any(_header(message, name) for name in ("From", "To", "Subject", "Date")):
        raise ExtractionError("not an e-mail: no From, To, Subject or Date header")
    sections, warnings = _message_sections(message, ())
    metadata = {"from": _header(message, "From"), "to": _header(message, "To"), "date": _date(message)}
    return Extracted(
        sections=sections,
        title=_header(message, "Subject") or None,
        metadata={key: value for key, value in metadata.items() if value},
        warnings=warnings,
    )


def extract_mbox(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError when the file does not begin as a mailbox does (a `From ` line)."""
    if not data.startswith(b"From "):
        raise ExtractionError("not an mbox mailbox: it does not begin with a 'From ' line")
    sections: list[Section] = []
    warnings: list[str] = []
    raw = MBOX_SEPARATOR.split(data)[1:]
    for number, chunk in enumerate(raw, start=1):
        message = _parse(chunk)
        found, trouble = _message_sections(message, (_header(message, "Subject") or f"message {number}",))
        sections.extend(found)
        warnings.extend(f"message {number}: {warning}" for warning in trouble)
    return Extracted(sections=sections, metadata={"messages": len(raw)}, warnings=warnings)
