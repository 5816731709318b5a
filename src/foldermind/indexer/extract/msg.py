"""Outlook messages (.msg, the Compound File Binary format Outlook saves a message in), read by python-oxmsg
(MIT; olefile underneath) and then as any e-mail (mail.py): subject as title, from/to/date as metadata, the
text body preferred over the HTML one, attachments of readable types as documents of their own.

python-oxmsg over extract-msg, the better-known reader: extract-msg is GPL-3.0, which foldermind (Apache-2.0)
cannot take in without becoming GPL itself; python-oxmsg is what Unstructured moved to for that reason."""

from __future__ import annotations

import email.utils
import struct
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import PurePath

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, Media, Part
from foldermind.indexer.extract.mail import message_document, message_parts


def _address(name: str, address: str) -> str:
    return email.utils.formataddr((name, address)) if name and name != address else address


def _as_email(data: bytes) -> EmailMessage:
    """The Outlook message as the e-mail it was: headers, text and HTML bodies, attachments.
    Raises ExtractionError for a file that is not a readable Outlook message."""
    from olefile import isOleFile
    from oxmsg import Message  # loaded when a .msg is read

    if not isOleFile(data=data):
        raise ExtractionError("not an Outlook message (.msg): not a Compound File; save it from Outlook again")
    try:
        outlook = Message.load(data)
        headers = outlook.message_headers
        recipients = [_address(r.name, r.email_address) for r in outlook.recipients]
        sent = outlook.sent_date
        mail = EmailMessage()
        for name, value in (
            ("Subject", outlook.subject),
            ("From", outlook.sender or ""),
            ("To", headers.get("to") or ", ".join(recipients)),
            ("Cc", headers.get("cc") or ""),
            ("Date", email.utils.format_datetime(sent) if sent else headers.get("date") or ""),
        ):
            if value:
                mail[name] = " ".join(value.split())
        mail.set_content(outlook.body or "")
        if outlook.html_body:
            mail.add_alternative(outlook.html_body, subtype="html")
        for attachment in outlook.attachments:
            if attachment.file_name and attachment.file_bytes:
                mail.add_attachment(
                    attachment.file_bytes, maintype="application", subtype="octet-stream", filename=attachment.file_name
                )  # read by its name's suffix, as every attachment
    except (OSError, ValueError, KeyError, IndexError, LookupError, struct.error, AssertionError) as exc:
        raise ExtractionError(f"not a readable Outlook message (.msg): {exc}") from exc
    return mail


def extract_msg(data: bytes, path: PurePath) -> Extracted:
    """The message alone (its attachments are read by msg_parts). Raises ExtractionError as _as_email does."""
    return message_document(_as_email(data), None)


def msg_parts(data: bytes, path: PurePath, media: Media) -> Iterator[Part]:
    """The message as the file's document, then its attachments of readable types as their own."""
    return message_parts(_as_email(data), "", path.stem, media)
