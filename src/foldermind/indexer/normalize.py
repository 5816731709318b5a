"""Text normalisation, in one place: how bytes become the text that is chunked, and how that text becomes the
words keyword search matches.

Two forms:
- `normalize_text` is what a reader sees, made canonical: line ends as "\\n" (so line numbers count right
  whatever the file used), Unicode NFC, typographic ligatures (U+FB00-FB06, which PDFs emit) and the long s
  as their letters, hyphens and minus signs as "-", zero-width characters, soft hyphens and the BOM removed.
  Evidence and answers show this form.
- `search_form` is for the full-text index and for queries only: compatibility forms folded (NFKC: full-width
  letters, superscripts, circled digits), case folded, and each character of a script written without spaces
  (Chinese, Japanese, Thai, ...) made its own token, so a query's run of such characters is matched as a
  phrase of single characters (the unigram approach; English words are left as they are).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# Zero-width space, word joiner, BOM (zero-width no-break space), soft hyphen, Mongolian vowel separator:
# invisible, but they split a word in two for every tokenizer. The zero-width joiner and non-joiner shape
# Persian, Indic scripts and emoji, so the text keeps them and only the search form drops them.
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u180e]")
JOINERS = re.compile("[\u200c\u200d]")
SURROGATE = re.compile("[\ud800-\udfff]")
LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
# The long s (U+017F), as a font's map gives the "st" ligature's glyph ("Laſt boarding"): an "s" to a reader
LIGATURES["\u017f"] = "s"
LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
# Hyphen (U+2010), non-breaking hyphen (U+2011) and minus sign (U+2212) as the ASCII hyphen-minus a user types:
# groff sets every "-" of a manual page as a minus in PostScript and PDF ("−z, −−gzip") and as U+2010 in UTF-8,
# word processors break words at U+2011; read as other characters, "--gzip" and "in-place" are not found.
HYPHENS = re.compile("[\u2010\u2011\u2212]")
# CR and CRLF: what editors count as line ends besides LF. U+2028/2029 and NEL are not (editors show them
# inside a line), and JSON allows them inside strings.
LINE_END = re.compile(r"\r\n?")

# Scripts written without spaces between words: Han (CJK ideographs and their extensions), Hiragana, Katakana,
# Thai, Lao, Khmer, Myanmar, Tibetan. Hangul uses spaces and is left to the word tokenizer.
UNSPACED = (
    "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
)
UNSPACED_CHAR = re.compile(f"([{UNSPACED}])")
UNSPACED_RUN = re.compile(rf"[{UNSPACED}]+")
PHRASE_RUN = 4  # a query's run of unspaced characters up to this long is searched as one phrase

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


def unmarked_unicode(data: bytes) -> str | None:
    """The codec of UTF-32 or UTF-16 text without a BOM, or None: of the four that decode the first 4 KB (cut
    to whole units) into text with no control characters but tabs and line ends, the one whose characters
    are most often assigned letters, digits, punctuation, symbols or spaces (UTF-16 read in the wrong byte order
    gives unassigned and private code points). ASCII bytes with a stray NUL or two are none of them (CJK read
    from them looks assigned). Where the NUL bytes sit mostly at odd or mostly at even offsets
    (`_utf16_order`: Latin text's high bytes), that decides UTF-16's byte order: Latin text read in the wrong
    order is CJK ideographs, as assigned as the right reading. Only asked of data with NUL bytes, which 8-bit
    encodings lack."""
    sample = data[:4096]
    if sample.count(0) * STRAY_NULS < len(sample) and max(sample) < 0x80 and not _rtl_or_cyrillic(sample):
        # ASCII with a stray NUL (padding, a binary part), not UTF-16: that has NULs, high bytes, or (Cyrillic,
        # Hebrew, Arabic: U+0400-U+06FF) the bytes 0x04-0x06 as each character's high byte
        return None
    order = _utf16_order(sample)
    best, best_share = None, 0.0
    for encoding, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if unit == 2 and order not in (None, encoding):
            continue
        sample = data[: 4096 - 4096 % unit]
        try:
            text = sample[: len(sample) - len(sample) % unit].decode(encoding)
        except UnicodeDecodeError:
            continue
        categories = [unicodedata.category(char) for char in text]
        if not text or any(cat == "Cc" and char not in "\t\n\r\f" for cat, char in zip(categories, text, strict=True)):
            continue
        share = sum(cat[0] in "LNPSZ" or cat == "Cc" for cat in categories) / len(text)
        if share > best_share:
            best, best_share = encoding, share
    return best if best_share >= 0.9 else None


SCRIPT_HIGH_BYTES = frozenset(b"\x04\x05\x06")  # the high byte of Cyrillic, Hebrew and Arabic characters in UTF-16
SCRIPT_SHARE = 0.3  # of the bytes at one parity: UTF-16 of such a script (its spaces and digits are the rest)


def _rtl_or_cyrillic(sample: bytes) -> bool:
    """Whether the bytes at odd or at even offsets are SCRIPT_SHARE or more 0x04-0x06, as UTF-16 of Cyrillic,
    Hebrew or Arabic text, all of whose bytes are below 0x80, is; an escape or a backspace of ASCII text (a
    coloured log, a manual page's overstrike) is not so many."""
    return any(
        sum(byte in SCRIPT_HIGH_BYTES for byte in half) >= SCRIPT_SHARE * len(half)
        for half in (sample[0::2], sample[1::2])
        if half
    )


STRAY_NULS = 10  # ASCII bytes with fewer NULs than one in this many are no UTF-16 (Latin UTF-16 is half NULs)
UTF16_ORDER_SKEW = 4  # NUL bytes this many times as often at one parity as at the other tell the byte order


def _utf16_order(sample: bytes) -> str | None:
    """ "utf-16-le" where NUL bytes sit mostly at odd offsets (the high byte of U+0000-U+00FF stored second),
    "utf-16-be" where mostly at even ones, None where neither is `UTF16_ORDER_SKEW` times the other (CJK text
    has few NULs)."""
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd >= UTF16_ORDER_SKEW * max(even, 1):
        return "utf-16-le"
    if even >= UTF16_ORDER_SKEW * max(odd, 1):
        return "utf-16-be"
    return None


def unicode_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) of data in a Unicode encoding it marks (a BOM) or shows (UTF-16's NUL pattern: BOM
    length 0); None when it is neither."""
    marked = bom_encoding(data)
    if marked:
        return marked
    encoding = unmarked_unicode(data) if b"\x00" in data[:4096] else None
    return (encoding, 0) if encoding else None


def normalize_text(text: str) -> str:
    """What a reader sees, canonical: "\\n" line ends, NFC, ligatures as letters, hyphens and minus signs as
    "-" (HYPHENS), no invisible characters.
    Idempotent; the one place extracted text is normalised (extract.extract and decode_text call it)."""
    if SURROGATE.search(text):
        # UTF-16 halves (PDFium gives an emoji as two): a pair becomes its character, a lone half U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = LINE_END.sub("\n", text)
    text = INVISIBLE.sub("", text)
    text = LIGATURE.sub(lambda match: LIGATURES[match.group()], text)
    text = HYPHENS.sub("-", text)
    return unicodedata.normalize("NFC", text)


def search_form(text: str) -> str:
    """The text as the keyword index stores it and queries read it: NFKC, case folded, invisible characters
    removed, and each character of an unspaced script set apart by spaces."""
    return UNSPACED_CHAR.sub(r" \1 ", _folded(text))


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", JOINERS.sub("", INVISIBLE.sub("", text))).casefold()


def search_terms(text: str) -> list[str]:
    """A query's terms in search form, in order, each once: its words, and for each run of unspaced-script
    characters the run as a phrase of characters ("東 京") when it is up to PHRASE_RUN long (a word or a name:
    most Chinese and Japanese words are 1-4 characters), else each overlapping pair of it (bigrams, the usual
    index unit for these scripts): a question typed as a sentence ("王建国的预算") then finds the note holding
    its words, ranked by how many pairs it holds. A space the user typed separates runs."""
    terms: list[str] = []
    for word in _folded(text).split():
        for piece in re.findall(rf"[{UNSPACED}]+|[^{UNSPACED}\W]+|\w+", word):
            if not UNSPACED_RUN.fullmatch(piece):
                terms.append(piece)
            elif len(piece) <= PHRASE_RUN:
                terms.append(" ".join(piece))
            else:
                terms.extend(f"{piece[i]} {piece[i + 1]}" for i in range(len(piece) - 1))
    return list(dict.fromkeys(terms))
