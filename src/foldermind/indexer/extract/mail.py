"""E-mail: single messages (.eml) and mailboxes (.mbox), one document per message. A message is its sender,
recipients and date as lines a search finds, then its text: the plain-text part where it has one, else its
HTML part read by the HTML reader; a forwarded message (message/rfc822) follows under its subject. Its subject
is the document's title and its from/to/date are metadata `--where` can filter on (the date as YYYY-MM-DD).

Attachments of a readable type are read by their own extractor and are documents of their own (titled by
their name, with the message's from/to/date and `attached_to` its subject); one that cannot be read is a
warning on its message. A mailbox is read message by message from the open file, never whole: a 2 GB export
costs the memory of its largest message, and a message over the size limit keeps its headers and is left out
with a warning."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import PurePath, PurePosixPath
from typing import BinaryIO, cast

from foldermind.errors import EMPTY_FILE, ExtractionError
from foldermind.indexer.extract.base import Extracted, Media, Part, Section, without_unicode_marks
from foldermind.indexer.extract.html import extract_html

MAX_DEPTH = 3  # forwarded messages inside forwarded messages read this deep
SHOWN_HEADERS = ("From", "To", "Cc", "Date")
BLOCK_BYTES = 1 << 20  # a mailbox is read in blocks of this many bytes
LINE_BYTES = 1 << 16  # a `From ` line longer than this is not taken for the start of a message
BOUNDARY = re.compile(rb"\n\r?\nFrom [^\n]{0,65536}\n")  # an empty line, then a message's `From ` line
HEAD_BYTES = 1 << 16  # of a message over the size limit, this much is kept to read its headers from
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


def _header_lines(message: EmailMessage) -> str:
    return "\n".join(f"{name}: {value}" for name in SHOWN_HEADERS if (value := _header(message, name)))


def _sections(message: EmailMessage, heading: tuple[str, ...], depth: int) -> list[Section]:
    """The message's text, and the messages forwarded in it under their subjects (attachments are not here)."""
    body = _body(message).strip()
    sections = [Section(text=_header_lines(message) + ("\n\n" + body if body else ""), heading=heading)]
    for part in message.iter_attachments():
        if part.get_content_type() == "message/rfc822" and depth < MAX_DEPTH:
            inner = part.get_content()
            subject = _header(inner, "Subject") or "forwarded message"
            sections.extend(_sections(inner, (*heading, subject), depth + 1))
    return sections


def _metadata(message: EmailMessage) -> dict[str, str]:
    found = {"from": _header(message, "From"), "to": _header(message, "To"), "date": _date(message)}
    return {key: value for key, value in found.items() if value}


def _attachments(message: EmailMessage) -> Iterator[tuple[str, bytes]]:
    """(file name, content) of each attachment of a type foldermind reads."""
    from foldermind.indexer.extract import readable_alone  # the registry imports this module

    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if name and readable_alone(PurePosixPath(name)):
            yield PurePosixPath(name).name, part.get_payload(decode=True) or b""


def message_parts(message: EmailMessage, name: str, fallback_title: str, media: Media) -> Iterator[Part]:
    """The message as a document named `name`, then each attachment of a readable type as one named
    `name/FILE` (just FILE for the message that is the file itself), read with `media` (a scan by OCR). An
    attachment that cannot be read is a warning on the message."""
    from foldermind.indexer.extract import extract, file_type  # the registry imports this module

    subject = _header(message, "Subject")
    metadata = _metadata(message)
    warnings: list[str] = []
    attached: list[Part] = []
    for filename, content in _attachments(message):
        try:
            extracted = extract(content, PurePosixPath(filename), media)
        except ExtractionError as exc:
            warnings.append(f"attachment {filename} left out: {exc}")
            continue
        extracted.title = extracted.title or filename
        extracted.metadata = {**extracted.metadata, **metadata, "attached_to": subject or fallback_title}
        part_name = f"{name}/{filename}" if name else filename
        attached.append(Part(part_name, extracted, file_type(PurePosixPath(filename))))
    own = message_document(message, fallback_title)
    own.warnings = warnings
    yield Part(name, own)
    yield from attached


def message_document(message: EmailMessage, fallback_title: str | None) -> Extracted:
    """The message alone, as a document: its text and forwarded messages, titled by its subject."""
    return Extracted(
        sections=_sections(message, (), 0),
        title=_header(message, "Subject") or fallback_title,
        metadata=_metadata(message),
    )


def _parse(data: bytes, headers_only: bool = False) -> EmailMessage:
    return cast(EmailMessage, _parser.parsebytes(data, headersonly=headers_only))  # policy.default: EmailMessage


def _is_email(message: EmailMessage) -> bool:
    return any(_header(message, name) for name in ("From", "To", "Subject", "Date"))


def _checked_eml(data: bytes) -> EmailMessage:
    utf8 = without_unicode_marks(data)  # saved as "Unicode" (UTF-16) or with a UTF-8 BOM
    message = _parse(utf8)
    if not _is_email(message):
        raise ExtractionError("not an e-mail: no From, To, Subject or Date header")
    if utf8 is not data:
        _bodies_as_utf8(message)
    return message


def _bodies_as_utf8(message: EmailMessage) -> None:
    """A message saved in a Unicode encoding has its unencoded (7bit/8bit) text bodies in that encoding, now
    UTF-8, whatever charset they declare ("iso-8859-1" would read "Fähre" as "FÃ¤hre"); base64 and
    quoted-printable bodies keep their own charset's bytes."""
    for part in message.walk():
        unencoded = part.get("Content-Transfer-Encoding", "7bit").strip().lower() in ("7bit", "8bit", "binary")
        if part.get_content_maintype() == "text" and unencoded:
            part.set_param("charset", "utf-8")


def extract_eml(data: bytes, path: PurePath) -> Extracted:
    """The message alone (its attachments are read by eml_parts). Raises ExtractionError when the file has
    none of an e-mail's headers (From, To, Subject, Date)."""
    return message_document(_checked_eml(data), None)


def eml_parts(data: bytes, path: PurePath, media: Media) -> Iterator[Part]:
    """The message as the file's document, then its attachments of readable types as their own.
    Raises ExtractionError as extract_eml does."""
    return message_parts(_checked_eml(data), "", path.stem, media)


class _Message:
    """The bytes of one message of a mailbox as they are read: all of them up to the size limit, past it only
    the first HEAD_BYTES (where the headers are)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.data = bytearray()
        self.size = 0

    def add(self, piece: bytes | memoryview) -> None:
        self.size += len(piece)
        if self.size <= self.max_bytes:
            self.data += piece
        elif len(self.data) < HEAD_BYTES:
            self.data += piece[: HEAD_BYTES - len(self.data)]
        elif len(self.data) > HEAD_BYTES:
            del self.data[HEAD_BYTES:]

    def whole(self) -> bool:
        return self.size <= self.max_bytes


def split_mbox(file: BinaryIO, max_bytes: int) -> Iterator[tuple[bytes, bool]]:
    """The messages of a mailbox read from `file` in blocks: (message, whole) for each, where a message over
    `max_bytes` comes as its first HEAD_BYTES alone (whole = False). A message begins with a `From ` line at
    the start of the file or after an empty line (mbox(5)); the `From ` lines are left out.

    Raises ExtractionError when the file does not begin as a mailbox does."""
    first = file.readline(LINE_BYTES)
    if not first.strip():
        raise ExtractionError(EMPTY_FILE if not first else "not an mbox mailbox: it begins with an empty line")
    if not first.startswith(b"From "):
        raise ExtractionError("not an mbox mailbox: it does not begin with a 'From ' line")
    message = _Message(max_bytes)
    carry = b""
    while True:
        block = file.read(BLOCK_BYTES)
        data = memoryview(carry + block)
        position = 0
        for boundary in BOUNDARY.finditer(data):
            message.add(data[position : boundary.start() + 1])  # up to its last line's end, not the empty line
            yield bytes(message.data), message.whole()
            message = _Message(max_bytes)
            position = boundary.end()
        if not block:
            message.add(data[position:])
            yield bytes(message.data), message.whole()
            return
        keep = max(position, len(data) - LINE_BYTES)  # a boundary may begin in the last line read: look again
        message.add(data[position:keep])
        carry = bytes(data[keep:])


def read_mbox(file: BinaryIO, path: PurePath, max_bytes: int, media: Media) -> Iterator[Part]:
    """Each message of the mailbox as a document named by its number from 1, with its attachments as
    message_parts gives them. A message over `max_bytes` is its headers alone, with a warning. Raises
    ExtractionError for a file that is not a mailbox or holds no message."""
    found = False
    for number, (raw, whole) in enumerate(split_mbox(file, max_bytes), start=1):
        message = _parse(raw, headers_only=not whole)
        if not _is_email(message) and not _body(message).strip():
            continue  # an empty entry (a mailbox ending in a blank `From ` entry)
        found = True
        fallback = f"message {number}"
        if whole:
            yield from message_parts(message, str(number), fallback, media)
            continue
        warning = f"the message is over max_file_mb ({max_bytes / 1048576:.0f} MB): only its headers are read"
        text = _header_lines(message) or _header(message, "Subject") or fallback
        extracted = Extracted(
            sections=[Section(text=text)],
            title=_header(message, "Subject") or fallback,
            metadata=_metadata(message),
            warnings=[warning],
        )
        yield Part(str(number), extracted)
    if not found:
        raise ExtractionError("no messages in the mailbox")
