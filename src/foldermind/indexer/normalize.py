"""Text normalisation, in one place: how bytes become the text that is chunked, and how that text becomes the
words keyword search matches.

Two forms:
- `normalize_text` is what a reader sees, made canonical: line ends as "\\n" (so line numbers count right
  whatever the file used), Unicode NFC, typographic ligatures (U+FB00-FB06, which PDFs emit) as their letters,
  zero-width characters, soft hyphens and the BOM removed. Evidence and answers show this form.
- `search_form` is for the full-text index and for queries only: compatibility forms folded (NFKC: full-width
  letters, superscripts, circled digits), case folded, and each character of a script written without spaces
  (Chinese, Japanese, Thai, ...) made its own token, so a query's run of such characters is matched as a
  phrase of single characters (the unigram approach; English words are left as they are).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from foldermind.errors import ExtractionError

# Zero-width space/non-joiner/joiner, word joiner, BOM (zero-width no-break space), soft hyphen, Mongolian
# vowel separator: invisible, but they split a word in two for every tokenizer.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
LINE_END = re.compile(r"\r\n?|[\u2028\u2029\x85]")

# Scripts written without spaces between words: Han (CJK ideographs and their extensions), Hiragana, Katakana,
# Thai, Lao, Khmer, Myanmar, Tibetan. Hangul uses spaces and is left to the word tokenizer.
UNSPACED = (
    "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
)
UNSPACED_CHAR = re.compile(f"([{UNSPACED}])")
SEARCH_TOKEN = re.compile(rf"[{UNSPACED}](?:\s+[{UNSPACED}])*|\w+")

BOMS = [  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) for data that starts with a Unicode byte order mark, else None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def unmarked_utf16(data: bytes) -> str | None:
    """The codec of UTF-16 without a BOM, told by where the NUL bytes fall: text in Latin script has a NUL in
    every other byte (the high byte), on the odd positions for little-endian, the even ones for big-endian."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.3 * half and even == 0:
        return "utf-16-le"
    if even >= 0.3 * half and odd == 0:
        return "utf-16-be"
    return None


def decode_unicode(data: bytes) -> str | None:
    """The text of data in a Unicode encoding it marks (a BOM) or shows (UTF-16's NUL pattern); None when
    it is neither. A file that claims an encoding and breaks it is an error, not binary."""
    marked = bom_encoding(data)
    encoding, skip = marked if marked else (unmarked_utf16(data), 0)
    if encoding is None:
        return None
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"not valid {encoding.upper()} at byte {exc.start + skip}; re-save it as UTF-8") from exc


def normalize_text(text: str) -> str:
    """What a reader sees, canonical: "\\n" line ends, NFC, ligatures as letters, no invisible characters.
    Idempotent; the one place extracted text is normalised (extract.extract and decode_text call it)."""
    text = LINE_END.sub("\n", text)
    text = INVISIBLE.sub("", text)
    text = LIGATURE.sub(lambda match: LIGATURES[match.group()], text)
    return unicodedata.normalize("NFC", text)


def search_form(text: str) -> str:
    """The text as the keyword index stores it and queries read it: NFKC, case folded, invisible characters
    removed, and each character of an unspaced script set apart by spaces."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold()
    return UNSPACED_CHAR.sub(r" \1 ", text)


def search_terms(text: str) -> list[str]:
    """A query's terms in search form, in order, each once: words, and runs of unspaced-script characters
    as one phrase ("東 京")."""
    return list(dict.fromkeys(" ".join(term.split()) for term in SEARCH_TOKEN.findall(search_form(text))))
