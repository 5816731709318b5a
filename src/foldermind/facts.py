"""What a question asks for, and the facts a text states.

A check that knows only numbers and option names lets a wrong name, a wrong month or half an identifier
("7731" for "B-7731") through, and a quote chosen by shared words alone picks the sentence that repeats the
question instead of the one that answers it. So the answer path reads two things here:

- `facts(text)`: the tokens an answer can get wrong, whole: anything with a digit (numbers with their
  separators, dates, times, versions, identifiers like B-7731, paths like /etc/fstab), options (-l,
  --gzip), CONSTANTS, month and weekday names; and `names(text)`: capitalised words inside a sentence
  (not months or weekdays, which are dates), and a sentence's first word where the notes name it inside one.
- `asked_kind(question)`: the kind of fact a question asks for (a date, a number, a version, an option, a
  path or file, a name of a person or an organisation, a phone number, an e-mail address, or yes or no),
  where its words say so, and
  `states(kind, text, question)` (for a name, one the question does not give).

The patterns are English, and were written for the question kinds of bench/notes/questions.jsonl (prose
guides, handbooks, FAQs), bench/questions/manpages.jsonl (manual pages) and the record-like notes of
tests/ (tables, key: value lines), not fitted to one of them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection

from pysbd.lang.common.standard import Standard

MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# "april", "apr" -> 4: a month's full name and its abbreviations ("sept" too).
MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS[:12], start=1)}
MONTH_NUMBERS |= {name[:3]: number for name, number in MONTH_NUMBERS.items()} | {"sept": 9}
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
CALENDAR = set(MONTHS + WEEKDAYS) - {"may"}  # "may" is mostly the verb
DATE_WORDS = {word.capitalize() for word in CALENDAR}  # capitalised inside a sentence, yet a date ("May": a name)
EDGES = "\"'()[]{}<>.,;:!?*`“”‘’"  # stripped from a token's ends
CLOSING = "\"')]}”’"  # closing quotes and brackets, after a sentence's full stop
TOKEN_OPTION = re.compile(r"--?[A-Za-z0-9?#]")
CONSTANT = re.compile(r"[A-Z][A-Z0-9_]{2,}")
NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty "
    "hundred thousand million billion twice"
).split()

# A number standing as a word ("5432/tcp", "50,000", "10ms", "3rd", "-5"), a range ("10-15", "4–6 guests",
# "9am-5pm"), a number joined to its unit ("5-year", "30mins", "a 5-year-old") or a date ("until 2027-09-30"
# says how long); not a digit of a name or a key ("alpha_2", "639-2.name", "IPv6", "RFC8314", "x86_64",
# "1Password": a unit is no capitalised word).
DIGITS = r"\d(?:[\d,.]*\d)?"
# A unit: lower case ("ms", "km", "kWh", "am"), capitals ("GB", "EUR") or a prefixed one ("Mbps", "GHz", "MiB");
# not a capitalised word ("1Password", "3Com", "4Chan"). Case-sensitive inside the case-blind kind patterns.
UNIT = r"(?:%|(?-i:[a-z][a-zA-Z]*|[A-Z]{1,4}(?![a-z])|[kKMGTP](?:i?B|bit|bps|Hz|Wh?)s?))?"
NUMBER = (
    rf"(?<![\w.])(?<!\w-)(?P<low>{DIGITS})(?:(?P<unit>{UNIT})[-–](?P<high>{DIGITS}))?(?:(?:-[a-zA-Z]+)+|{UNIT})"
    r"(?![\w-]|\.\w)|\b\d{4}-\d\d-\d\d\b"
)
EXTENSIONS = (  # a file's name ends so: "notes.txt" names a file; ".log" alone is a kind of file, no dotfile
    r"txt|md|rst|conf|cfg|ini|json|ya?ml|toml|py|sh|c|h|html?|xml|log|list|deb|dsc|changes|tar|gz|xz|zip|pdf|service"
    r"|sources|rc"
)
HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# What may follow an hour written as a word: a day or "sharp" ("at eight on weekdays"); a noun may not ("at two
# sites", "after five years"), nor "-star", "%".
HOUR_END = r"(?![-%'’]|\s+(?!(?:on|in|at|every|each|sharp|daily|tonight|today|tomorrow|o['’]clock)\b)[a-z])"
# A time of day without minutes: "9am", "5 p.m.", "noon", "eight o'clock", and an hour in words after a word
# that sets a time, alone or as the start of a range ("opens at eight on weekdays", "closes at five.", "at two or
# three o'clock"); not "by one" (an increment), "one or more", nor after "from": "from seven to ten" may be
# hours, "grew from two to five" is not.
TIME_OF_DAY = (
    r"\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?|\b(?:noon|midday|midnight)\b"
    rf"|\b(?:\d{{1,2}}|{HOURS})\s+o['’]clock\b"
    rf"|\b(?:at|until|till|before|after)\s+(?:half\s+past\s+|(?:a\s+)?quarter\s+(?:past|to)\s+)?(?:{HOURS})\b"
    rf"(?:\s+(?:to|and|or|until|till)\s+(?:{HOURS}|\d{{1,2}}(?::\d\d)?)\b)?{HOUR_END}"
)
TIME_SAID = re.compile(TIME_OF_DAY, re.I)
HOUR_WORDS = frozenset(HOURS.split("|")) | {"noon", "midday", "midnight"}
# A month alone, said as a time by the word before it ("moves the office in May", "until March", "mid-June",
# "by the end of Sept."): capitalised, so "this may take" and "in march order" are none, and before no word in
# capitals, a name's next part ("by August Wilson", "by Jan Kowalski"; "Since June left" is taken for a date).
MONTH_SAID = (
    r"\b(?:in|by|until|till|from|since|before|after|during|through|early|late|mid|next|last|this"
    r"|(?:end|start|beginning|middle)\s+of)[\s-]+"
    rf"(?-i:{'|'.join(sorted((month.capitalize() for month in MONTHS), key=len, reverse=True))})\b"
    r"(?!\s+(?-i:[A-Z]))"
)
KIND_PATTERNS = {
    "date": re.compile(
        rf"\b\d{{4}}-\d\d(?:-\d\d)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\b|\b{MONTH}\s+(?:of\s+)?\d"
        rf"|{MONTH_SAID}"
        r"|\b(?:1[5-9]|20)\d\d\b|\b\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\b)?|\b(?:mon|tues|wednes|thurs|fri|satur|sun|week)days?\b|\bweekends?\b"
        rf"|{TIME_OF_DAY}",
        re.I,
    ),
    "number": re.compile(rf"{NUMBER}|\b(?:{'|'.join(NUMBER_WORDS)})\b", re.I),
    # A telephone number: 7 to 15 digits in groups apart by spaces, dashes, dots or brackets, perhaps after "+"
    # ("01632 960 471", "+47 22 33 44 55", "(555) 010-9999", "1-800-555-0199"; "Phone01632 960 471" as a page
    # without its style reads, "+49 30 1234567-0"), before a comma or a full stop too; not a date ("2025-06-02",
    # "05.06.2024"), an amount ("1,275", "12 500 000 NOK") or a version ("1.2.3"), nor a run of years (`_phone`).
    # An account number in groups ("12 34 56 78") is taken for one.
    "phone": re.compile(
        r"(?<![\d.,_-])(?!\d{4}[-.]\d\d[-.]\d\d\b|\d\d?\.\d\d?\.\d{4}\b)(?:\+\d{1,3}[\s.-]?)?(?:\(\d+\)[\s.-]?)?"
        r"\d+(?:[\s.-]\d{2,}){0,4}(?:-\d{1,4})?(?![\w-]|[.,]\d|\s*(?:[A-Z]{3}\b|%|[€$£]))"
    ),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # "2.7", "v1.7.9"; "version 2" and a record's field "version: 11" (an integer, named by its key)
    "version": re.compile(r"\b[vV]?\d+(?:\.\d+)+[a-z]?\b|\b(?i:version):?[ \t]+\d"),
    # "-z", "--gzip"; a constant of words in capitals naming a setting ("CONFIG_QUOTA", "SO_REUSEADDR", "O_CREAT";
    # not "UTF_8", "ISO_8601")
    "option": re.compile(r"(?<![\w-])--?[A-Za-z0-9?#][\w-]*|\b[A-Z]+(?:_[A-Z]+)+\b"),
    # "/etc/fstab", "~/x", "notes.txt", "a/b/"; a dotfile (".python_history"; not ".log", a kind of file, nor
    # ".NET"); a file a sentence names, quoted or joined ("a file named `git-daemon-export-ok`")
    "path": re.compile(
        rf"(?<![\w/])(?:~|\.{{1,2}})?/[\w.+-]+|\b[\w-]+\.(?:{EXTENSIONS})\b|\b[\w.-]+/[\w.-]+/"
        rf"|(?<![\w.])\.(?!(?:{EXTENSIONS}|com|org|net)\b)[a-z_][\w.-]*\w"
        r"|\bfiles?\s+(?:named|called)\s+(?:[`'\"“‘][\w.-]+|\w+[-_.][\w.-]*\w)"
    ),
}
# Titles that stand before a name ("Dr", "Capt", "Lt", "Rev"): pySBD's English list. Their full stop ends no
# sentence (evidence.sentences), and the name after one is a name even where it opens a sentence.
TITLES = frozenset(word.capitalize() for word in Standard.Abbreviation.PREPOSITIVE_ABBREVIATIONS)
# A section's number opening its heading ("8.10.1. Introduction and Prerequisites", "4.2. What kernels does Debian
# run?"), in a handbook's HTML, a PDF's lines or an FAQ's text: no version, though written like one.
SECTION_NUMBER = re.compile(r"^[ \t]*(?:[#*-]+[ \t]*)?\d+(?:\.\d+)+\.(?=[ \t]+[A-Z])", re.M)

# The verbs a yes/no question opens with ("Is it ...?", "Does rm ...?", "And can I ...?").
YES_NO_VERBS = "is|are|was|were|do|does|did|can|could|should|will|would|must|has|have"
# One word that may stand between "which" and what is asked for ("which PC makers", "what line length"), not a
# verb or an article: "What is Project Heron's budget?" does not ask for a project, "What might owners do?" for a
# name. Only before the words added for it (the older kinds' words follow "which" directly): "What drives
# project costs?" asks for no project.
QUALIFIER = rf"(?:(?!(?:{YES_NO_VERBS}|had|may|might|shall|the|a|an)\b)\w+\s+)?"
# "What", "which", and "what is the (minimum)" or "what is Ann's (membership)" before what a number measures
# ("What is the minimum number of days ...?", "What's the default size ...?", "What is Ann Lee's membership
# number?"); not "What is number 5?"
WHAT_IS_THE = r"(?:what|which)(?:(?:\s+(?:is|are|was|were)|'s)\s+(?:the|(?:[\w-]+\s+)?[\w-]+['’]s)(?:\s+\w+)?)?\s+"
# What a question asks of a file rather than for one: "which file extension", "what file format" want no path.
FILE_PROPERTY = r"(?:extension|suffix|type|format|size|system|mode|permission|encoding)s?\b"
# "Can you tell me when ...?" asks when, not yes or no.
POLITE = re.compile(
    r"^\s*(?:please\s+)?(?:can|could|would|will|do|does)\s+you\s+(?:please\s+)?"
    r"(?:tell|know|show|give|list|explain|say)\s+(?:me\s+)?(?:if\s+|whether\s+)?",
    re.I,
)
# A question's lead-in before its main clause: "On Windows, is ...?", "When two keys are equal, does sort ...?",
# "Coming from CVS: what's ...?". Only where a question word or a yes/no verb follows it, and the lead-in is not
# a question of its own ("Who leads it, and when does it start?": who, first).
QUESTION_START = rf"(?:and\s+)?(?:{YES_NO_VERBS}|what|what's|which|who|whom|whose|where|how|why)\b"
LEAD_IN = re.compile(
    rf"^\s*(?!{QUESTION_START}|when\s+(?:{YES_NO_VERBS})\b)[^,:;?]{{1,80}}?[,:]\s+(?=(?:{QUESTION_START}|when\b))", re.I
)
ASKS = [
    (
        "yes/no",
        re.compile(rf"^\s*(?:and\s+)?(?:{YES_NO_VERBS})\b", re.I),
    ),
    ("version", re.compile(rf"\b(?:what|which)\s+{QUALIFIER}version\b", re.I)),
    # A way to reach someone, by the words that name it: "What is the landlord's phone number?", "What's Ann's
    # e-mail address?", "How do I phone the pharmacy?"; not "Which phone did Ann buy?", "What is the email
    # policy?", "How can I call a function?"
    (
        "phone",
        re.compile(
            r"\b(?:tele)?phone\s+(?:number|no\.?)s?\b|\b(?:mobile|cell)\s+(?:phone\s+)?numbers?\b"
            r"|\bhow\s+(?:do|can|should)\s+i\s+(?:phone|ring)\b",
            re.I,
        ),
    ),
    ("email", re.compile(r"\be-?mail\s+address(?:es)?\b", re.I)),
    ("option", re.compile(r"\b(?:what|which)\s+(?:\w+\s+){0,2}(?:option|flag|switch)\b", re.I)),
    # "When ...?", "What year ...?"; "What's the release date of ...?", the word ending what is asked (not "the
    # day rate", "the year-end balance")
    (
        "date",
        re.compile(
            r"^\s*(?:and\s+)?when\b|\b(?:what|which)\s+(?:year|date|day|month|time|decade)\b(?!\s+(?:zone|format)s?\b)"
            r"|\bsince when\b|^\s*(?:and\s+)?(?:until|till|from|by)\s+when\b"  # opening it, not "How long from when"
            r"|\b(?:what|which)(?:\s+(?:is|are|was|were)|'s)\s+the\s+(?:\w+\s+)?deadline\b|"
            rf"\bin what year\b|\b{WHAT_IS_THE}(?:date|year|day)(?=\s+(?:of|for|in|on|at)\b|\s*[?,.]|\s*$)",
            re.I,
        ),
    ),
    (
        "number",
        re.compile(
            rf"\bhow (?:many|much|long|big|large|old|often|fast|far)\b|\b{WHAT_IS_THE}(?:number|percentage|"
            rf"port|size|amount|price|cost|limit)\b|\b{WHAT_IS_THE}{QUALIFIER}(?:delay|timeout|interval|"
            r"duration|length|width|height|temperature|fee)\b",
            re.I,
        ),
    ),
    (
        "path",
        re.compile(
            rf"\b(?:what|which)\s+{QUALIFIER}(?:file(?!\s+{FILE_PROPERTY})|directory|folder|path)\b|\bwhere\b.*\b(?:stored|kept|located|"
            r"saved|written|installed|placed)\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\s*(?:and\s+)?(?:who|whom|whose)\b|\b(?:what|which)\s+(?:person|people|company|organi[sz]ation|"
            r"project|team|group|doctor|author|developer|maintainer|distribution|firm|body|committee)s?\b|"
            rf"\b(?:what|which)\s+{QUALIFIER}(?:(?:maker|manufacturer|vendor|publisher|sponsor|founder|creator|"
            r"inventor)s?|companies)\b",
            re.I,
        ),
    ),
]


def _token_fact(token: str) -> str | None:
    token = token.strip(EDGES)
    if not token:
        return None
    if TOKEN_OPTION.match(token):
        return re.split(r"[=\[]", token)[0]
    if any(c.isdigit() for c in token) or CONSTANT.fullmatch(token) or token.lower().rstrip(".") in CALENDAR:
        return token
    if token.startswith(("/", "~/", "./")) or KIND_PATTERNS["path"].fullmatch(token):
        return token
    return None


DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH})\s*,?\s+(\d{{4}})\b", re.I | re.A)
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.I | re.A)
ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")  # also in "2025-04-20T10:00", "backup_2025-04-20"
# A date in numbers with its year last ("01/12/2026", "1.12.2026", "01-12-2026"): day first, as most of the world
# writes it, unless the second number cannot be a month ("12/31/2026"); a US note's "03/04/2026" is read as 3 April
NUMERIC_DATE = re.compile(r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?!\d|[./-]\d)")
YEAR = re.compile(r"\d{4}")


def iso_dates(text: str) -> set[str]:
    """The dates of the text written out ("20 April 2025", "April 20th, 2025"), as ISO 8601 ("2025-04-20", a
    timestamp's date) or in numbers (`NUMERIC_DATE`: "20/04/2025"), each as ISO 8601 (valid calendar dates
    only): what a question in words and a record in numbers share."""
    if not YEAR.search(text):
        return set()  # most text has no year: no date to find
    parts = [match.groups() for match in ISO_DATE.finditer(text)]
    parts += [(year, month, day) for day, month, year in DAY_MONTH_YEAR.findall(text)]
    parts += [(year, month, day) for month, day, year in MONTH_DAY_YEAR.findall(text)]
    parts += [
        (year, first, second) if int(second) > 12 else (year, second, first)
        for first, _, second, year in NUMERIC_DATE.findall(text)
    ]
    return {date for year, month, day in parts if (date := _iso(year, month, day))}


def _iso(year: str, month: str, day: str) -> str | None:
    """A date's ISO 8601 form, its month a number or a name; None where it is no calendar date ("31 February")."""
    number = int(month) if month.isdigit() else MONTH_NUMBERS[month.lower().rstrip(".")]
    try:
        return datetime.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


# A month of a year without its day: "June 2027", "2027-03" (not a full ISO date's first part)
MONTH_YEAR = re.compile(rf"\b({MONTH})\s*,?\s+(\d{{4}})\b|(?<![\d-])(\d{{4}})-(0[1-9]|1[0-2])(?![\d-])", re.I | re.A)
FULL_DATE = (ISO_DATE, DAY_MONTH_YEAR, MONTH_DAY_YEAR, NUMERIC_DATE)


# A day of a month without its year ("14 Dec", "Mon 14 December", "December 14th"), a personal note's way
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH})(?![\w.]*\s*,?\s+\d{{4}})", re.I | re.A)
MONTH_DAY = re.compile(rf"\b({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s+\d{{4}}|[:.]\d)", re.I | re.A)


def calendar_spans(text: str, today: datetime.date | None = None) -> list[tuple[datetime.date, datetime.date]]:
    """The days a text's dates span, first and last, in its order: a full date's one day ("12 March 2026",
    "2026-03-28", `iso_dates`' forms), a month's every day ("June 2027", "2027-03"), and a day written without
    its year ("Mon 14 Dec") on the year that puts it nearest `today` (default: the date today), as a diary's
    reader takes it."""
    return [(first, last) for _, first, last in written_days(text, today)]


def single_days(spans: list[tuple[datetime.date, datetime.date]]) -> set[datetime.date]:
    """The days of `calendar_spans` written as one day, not a month or a range: "15 November", "2026-11-15"."""
    return {first for first, last in spans if first == last}


def written_days(text: str, today: datetime.date | None = None) -> list[tuple[str, datetime.date, datetime.date]]:
    """`calendar_spans` with the words writing each date, in order: "Sat 21 Nov" gives ("21 Nov", day, day)."""
    found: list[tuple[int, str, datetime.date, datetime.date]] = []
    for pattern in FULL_DATE:
        for match in pattern.finditer(text):
            if iso := next(iter(iso_dates(match.group(0))), None):
                day = datetime.date.fromisoformat(iso)
                found.append((match.start(), match.group(0), day, day))
    rest = text
    for pattern in FULL_DATE:  # a full date's month is no month of its own
        rest = pattern.sub(lambda match: " " * len(match.group(0)), rest)
    for match in MONTH_YEAR.finditer(rest):
        month_name, year, iso_year, iso_month = match.groups()
        number = MONTH_NUMBERS[month_name.lower().rstrip(".")] if month_name else int(iso_month)
        first = datetime.date(int(year or iso_year), number, 1)
        following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        found.append((match.start(), match.group(0), first, following - datetime.timedelta(days=1)))
    today = today or datetime.date.today()
    for pattern, day_at in ((DAY_MONTH, 0), (MONTH_DAY, 1)):
        for match in pattern.finditer(rest):
            day, month = match.group(1 + day_at), match.group(2 - day_at)
            if day_of := _nearest(int(day), MONTH_NUMBERS[month.lower().rstrip(".")], today):
                found.append((match.start(), match.group(0), day_of, day_of))
    return [(said, first, last) for _, said, first, last in sorted(found)]


# What a heading may hold besides its date: a weekday, ordinals, "of", punctuation ("Mon 14 Dec", "Tuesday, 3 March
# 2026", "2026-11-02")
DATE_FILLER = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)}|{'|'.join(day[:3] for day in WEEKDAYS)}|of)\b\.?|[\W_]", re.I)


def heading_date(heading: str, today: datetime.date | None = None) -> str | None:
    """The date a section's heading is, where its last part (" > " joins a heading's path) is a date and
    nothing else: a diary's or a log's entry ("## 2 November 2026", "Sat 21 Nov", "2026-11-02", "November
    2026"), whose lines state no date of their own; None for any other heading ("Trip to Oslo, May 2026")."""
    part = heading.rsplit(" > ", 1)[-1].strip()
    if not part or not calendar_spans(part, today):
        return None
    rest = part
    for pattern in (*FULL_DATE, MONTH_YEAR, DAY_MONTH, MONTH_DAY):
        rest = pattern.sub(" ", rest)
    return None if DATE_FILLER.sub("", rest) else part


def _nearest(day: int, month: int, today: datetime.date) -> datetime.date | None:
    """The date of that day and month nearest `today` (this year's, last year's or next year's); None where
    it is no calendar day."""
    dates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            dates.append(datetime.date(year, month, day))
        except ValueError:
            continue
    return min(dates, key=lambda date: abs((date - today).days), default=None)


# What a question names as the thing it asks the value of, after "what is the" and the like ("Who is Noah's
# FOOTBALL COACH?", "What is the GYM MEMBERSHIP cost?"), up to a word that is no noun of it ("of", "for")
THING_ASKED = re.compile(
    r"^\W*(?:and\s+)?(?:(?:what|which|who)\s+(?:is|are|was|were)|what['’]s|who['’]s)\s+"
    r"(?:(?:the|a|an|my|our|your|his|her|their|its)\s+)?(?:[\w-]+['’]s?\s+)?((?:[\w-]+\s+){0,3}[\w-]+)",
    re.I,
)
THING_ENDS = frozenset(  # words of a question that end the thing asked ("the budget OF Project Heron", "CALLED")
    "of for in on at to from by with about that which who when where whose does do did is are was were will can"
    " called named sold spent paid bought made given held kept left done seen taken sent built set put won lost"
    " should must has have had and or".split()
)
SHAPE_WORD = re.compile(rf"(?:{HOURS}|\d+)-(?:letter|digit|character|char)s?", re.I)  # the value's: "four-letter"
# Words of what is asked that say the kind of its value or which one, not what it is of: "the babysitter's NAME",
# "the NEXT service", "the gym membership COST", "the insurance COMPANY".
KIND_NOUNS = frozenset(
    "name names nickname codename alias label abbreviation acronym symbol identifier spelling"
    " company organisation organization firm business person people country city town language"
    " file folder directory program package tool website site url link"
    " number numbers date day days time year month cost costs price fee fees amount total value address"
    " phone telephone mobile email e-mail code id type kind sort way place location reason difference meaning"
    " purpose status size length colour color version title term word option command default rule point"
    " next last first current latest main new old full exact usual official real other"
    " most least recent previous upcoming earliest oldest newest final only whole".split()
)


def _thing_words(question: str) -> list[str]:
    """The words of the thing a question asks the value of (`THING_ASKED`), read in its last line (a follow-up's),
    up to a word that ends it (`THING_ENDS`)."""
    match = THING_ASKED.search(main_question(question.rsplit("\n", 1)[-1]))
    words: list[str] = []
    for word in match.group(1).split() if match else ():
        if word.lower() in THING_ENDS:
            break
        words.append(word)
    return words


def _of_its_kind(word: str) -> bool:
    """Whether a word of the thing asked says the kind of its value or which one (`KIND_NOUNS`, `SHAPE_WORD`)."""
    return word.lower() in KIND_NOUNS or SHAPE_WORD.fullmatch(word) is not None


def thing_asked(question: str) -> list[str]:
    """The words of the thing a question asks the value of (`_thing_words`), past those of its kind (`_of_its_kind`):
    "Who is Noah's football coach?" asks of a "football coach", "What is the budget of Project Heron?" of a
    "budget"; none where it asks otherwise ("When does it open?")."""
    return [word for word in _thing_words(question) if not _of_its_kind(word)]


def thing_head(question: str) -> str | None:
    """The last word of the thing a question asks the value of, where it is no word of its kind: "population" of
    "What is the population of Norway?"; None for "What is the currency code for the zloty?" (a code, of a
    currency: what kind of record holds it) or where the question asks no such thing."""
    words = _thing_words(question)
    return words[-1] if words and not _of_its_kind(words[-1]) else None


# A question asking when the next or the last of dated events is, as of today: "When is my next dentist
# appointment?", "When was the last oil change?"; not "the last day to apply" (a deadline), "next to"
TURN_ASKED = re.compile(
    r"\b(?:(next|upcoming|coming|forthcoming)|(last|previous|latest|newest|most\s+recent))\b"
    r"(?!\s+(?:to|day|date|chance|minute|possible)\b)",
    re.I,
)


# The latest of dated things, whatever is asked of it ("What was the most recent invoice?"); not "the latest I can
# check in" (a time limit, where a date is asked: TURN_ASKED reads it then)
LATEST_ASKED = re.compile(r"\b(?:latest|newest|most\s+recent)\b(?!\s+(?:i|we|you|time|date|day)\b)", re.I)
# What a recurring payment costs now, the latest up to today: "How much do we pay for internet?", "How much is the
# rent?", "How much does the gym cost?"; not "How many ...?" (a count a record holds), nor a balance or a debt
PRESENT_ASKED = re.compile(
    r"\bhow\s+much\s+(?:(?:do|does)\b.*\b(?:pay|cost|charge)|(?:is|are)\b.*\b(?:bill|rent|fee|price|subscription|"
    r"membership|premium|tax|fare)s?)\b",
    re.I,
)
PAST_ASKED = re.compile(r"\b(?:was|were|did|had|have|has)\b|\w+ed\b", re.I)  # the last one up to now is past
QUOTED_WORDS = re.compile(r"(?<!\w)['\"“‘][^'\"“”‘’]+['\"”’](?!\w)")


def _names_a_date(line: str) -> bool:
    """Whether a question names a day, a month or a weekday ("the electricity bill for October")."""
    return bool(calendar_spans(line)) or bool(set(re.findall(r"[a-z]+", line.lower())) & CALENDAR)


def asked_turn(question: str) -> str | None:
    """ "next" or "last" where a question asks for a date (`asked_kind`) or an amount (`AMOUNT_ASKED`) relative to
    today (`TURN_ASKED`), read in its last line (a follow-up's); "last" only where it is asked in the past ("When
    was my last ...?", "When did I last ...?"), else it is the final one ("When does the last bus leave?"). A
    recurring payment asked in the present, of no day or month, is the latest up to today (`PRESENT_ASKED`),
    "last" too ("How much do we pay for internet?": this month's bill, not the first of a sheet's); the latest of
    anything asked so is "last" (`LATEST_ASKED`). None otherwise."""
    line = QUOTED_WORDS.sub(" ", main_question(question.rsplit("\n", 1)[-1]))  # not "the 'last change' field"
    amount = AMOUNT_ASKED.search(line) is not None
    match = TURN_ASKED.search(line) if amount or asked_kind(line) == "date" else None
    if match is None and PRESENT_ASKED.search(line) and not PAST_ASKED.search(line) and not _names_a_date(line):
        return "last"
    if match is None and LATEST_ASKED.search(line):
        return "last"  # "What was the latest meter reading?", "the most recent invoice from GreenLube"
    if match is None or (match.group(2) and not PAST_ASKED.search(line)):
        return None  # "When does the last bus leave?", "When is the last instalment due?": the final one
    return "next" if match.group(1) else "last"


# A length a question gives what it asks for, right after its "what" or "which" (past "is the", "its", a
# possessive): "What is the two-letter code ...?", "Which 5-digit postcode ...?", "What's North Korea's
# three-letter code?"; not "How do I match a 5-digit number?", "Who sent the two letters?"
SHAPE_ASKED = re.compile(
    r"(?:^|[;,:]\s*)\W*(?:and\s+)?(?:what|which)(?:\s+(?:is|are|was|were)|['’]s)?"
    r"(?:\s+(?:the|a|an|its|their|his|her|my|our|your))?(?:\s+(?:[\w-]+\s+){0,2}[\w-]+['’]s)?"
    r"(?-i:\s+[A-Z]{2,6})?"  # a standard's name, in capitals: "What is the ISO two-letter code ...?"
    rf"\s+({HOURS}|\d{{1,2}})[- ](letter|digit|character|char)s?\b",
    re.I,
)
GIVEN_AFTER = 3  # words after "the two-letter" that may give its value: "code is DE", not "code for the UK"
QUOTES = "\"'“‘"  # quotes around a value a question gives: "the three-letter code 'tlh'"
SHAPE_COUNTS = {word: number for number, word in enumerate(HOURS.split("|"), start=1)}


def asked_shape(question: str) -> tuple[int, str] | None:
    """The length and kind of character a question gives the value it asks for (`SHAPE_ASKED`): "What is the
    two-letter code for Faroese?" -> (2, "letter"), "Which 5-digit postcode ...?" -> (5, "digit"); None where it
    gives none, or where a value of that shape follows within `GIVEN_AFTER` words (in capitals, with a digit or
    in quotes; not a small word, "code of", nor a standard's name, "ISO"), which it then describes: "Which
    two-letter code is DE?"."""
    line = main_question(question.split("\n")[-1])
    found = SHAPE_ASKED.search(line)
    if found is None:
        return None
    count, unit = found.group(1).lower(), found.group(2).lower()
    shape = (int(count) if count.isdigit() else SHAPE_COUNTS[count], "character" if unit == "char" else unit)
    for token in line[found.end() :].split()[:GIVEN_AFTER]:
        value = token.strip(EDGES)
        given = value.isupper() or any(c.isdigit() for c in value) or token[:1] in QUOTES  # "DE", not "Oslo"
        if has_shape(token, shape) and given and not STANDARDS.match(value):
            return None
    return shape


def has_shape(token: str, shape: tuple[int, str]) -> bool:
    """Whether a token (its quotes and brackets aside) is a value of the shape: that many letters, digits, or
    letters and digits, nothing else ("nb" and "DD" of two letters, "0047" of four digits)."""
    value = token.strip(EDGES)
    count, unit = shape
    test = {"letter": str.isalpha, "digit": str.isdigit}.get(unit, str.isalnum)
    return len(value) == count and value.isascii() and test(value)


# A number before a slash and a word: a port's protocol, a rate's unit ("636/tcp", "3/day")
NUMBER_PER = re.compile(r"(?<![\w./-])(\d+)/[^\W\d_]+(?![\w/])")


def facts(text: str) -> set[str]:
    """The tokens of `text` an answer can get wrong, whole (see the module's docstring), the number of a number
    per word ("636" of services.txt's "636/tcp", `NUMBER_PER`) and the hours it writes as words ("eight" of
    "opens at eight": `TIME_OF_DAY`), in lower case."""
    hours = {word for said in TIME_SAID.findall(text) for word in said.lower().split() if word in HOUR_WORDS}
    per = set(NUMBER_PER.findall(text))
    return {fact for token in text.split() if (fact := _token_fact(token))} | per | hours


# Small words that are capitalised only where they open a clause ("Abstract: This is ...", "asciidoc How to"):
# pronouns, articles and question words, never a name alone ("IT" is written otherwise; "The Who" keeps "Who").
SMALL_WORDS = frozenset("I It Its The This That These Those There Their They How What When Where Which Why".split())


def names(text: str, known: Collection[str] = ()) -> set[str]:
    """Capitalised words inside a sentence (not a sentence's first word, unless a title like "Dr." stands
    before it, or it is in `known`; not a small word, `SMALL_WORDS`), a possessive's without its "'s": people,
    places, organisations, products.
    Months and weekdays, also in the plural, are dates, not names: "Who leads it?" is not answered by "in March"."""
    found: set[str] = set()
    previous = ""
    for token in text.split():
        word = re.sub(r"['’]s$", "", token.strip(EDGES))  # "Volk's" names Volk
        ended = previous.rstrip(CLOSING).endswith((".", "!", "?"))  # also 'it failed." Then'
        after_end = not previous or (ended and previous.strip(EDGES) not in TITLES)
        dated = word in DATE_WORDS or word.removesuffix("s") in DATE_WORDS  # "Saturdays" too
        capitalised = word[:1].isupper() and word not in TITLES and not dated and word not in SMALL_WORDS
        if capitalised and (not after_end or word in known):
            found.add(word)
        previous = token
    return found


def main_question(line: str) -> str:
    """A question's line without its polite opening or its lead-in (`POLITE`, `LEAD_IN`): "On Windows, is a
    .pyd a DLL?" asks yes or no, "When two keys are equal, which one comes first?" asks which, not when."""
    return LEAD_IN.sub("", POLITE.sub("", line), count=1)


def asked_kind(question: str) -> str | None:
    """The kind of fact the question asks for (yes/no, version, phone, email, option, date, number, path, name),
    if its words say so. A question of several lines is a follow-up read with the turn before it
    (answer.search_question): its last line says what is asked ("And when?"), else the line before ("Who ...?"
    then "And the gate?")."""
    for line in reversed(question.split("\n")):
        line = main_question(line)
        for kind, pattern in ASKS:
            if pattern.search(line):
                return kind
    return None


# A "where" question asking where a thing is kept may be about a place, not a file ("Where is the east greenhouse
# key kept?"); the place a preposition puts a thing ("under the blue pot", "in the potting shed drawer")
WHERE_PLACE = re.compile(r"\bwhere\b.*\b(?:stored|kept|located|placed|left|hidden|hung|parked)\b", re.I)
PLACE = re.compile(
    r"\b(?:in|into|under|underneath|on|behind|inside|beside|next\s+to|above|below|at|by|near|on\s+top\s+of)\s+"
    r"(?:(?:the|a|an|my|our|his|her|their|your)\s+(\w+)|(?-i:([A-Z]\w+)))",  # its first word: "blue", "Hartley"
    re.I,
)
# A line that says where by its label ("Passports: desk drawer"), as a storage list does
PLACE_LINE = re.compile(r"^\W*[\w ]{1,40}:\s+\w", re.M)


def places(text: str) -> set[str]:
    """The first word of each place a text gives (`PLACE`): "under the blue pot" -> "blue", "at Hartley & Sons"
    -> "Hartley"."""
    return {match.group(1) or match.group(2) for match in PLACE.finditer(text)}


def states(kind: str, text: str, question: str = "", known: Collection[str] | None = None) -> bool:
    """Whether the text states a fact of the kind (any statement can answer a yes/no question; a section's number
    is no version: `SECTION_NUMBER`; a manual's section, "mount(8)", is no number: `MANUAL_SECTION`; a date's
    or a clock time's numbers are no amount asked for: `CALENDAR_DATE`, `CLOCK`). For a name,
    one the question does not give ("Who leads Project Heron?" is not answered by "Project Heron starts in
    March."); a name may begin a sentence where `known` has it (default: `names(text)`; a sentence of a
    longer text is better judged by the names of the whole)."""
    if kind == "yes/no":
        return True
    if kind == "name":
        known = names(text) if known is None else known
        return bool(names(text, known) - names(question, known))
    if kind == "number":
        if _names_a_number(question) and references(text) - references(question):
            return True  # "the badge number": "B-7731", "M20931"
        counted = AMOUNT_ASKED.search(question)  # "How long does it run?" is answered by "until 2027-09-30"
        dated = [m.span() for pattern in (CALENDAR_DATE, CLOCK) for m in pattern.finditer(text)] if counted else []
        cited = {m.start(1) for m in MANUAL_SECTION.finditer(text)}
        named: set[str] | None = None  # the text's names, read where a number follows a word in title case

        def names_it(start: int) -> bool:
            nonlocal named
            before = NAME_BEFORE.search(text, max(0, start - 40), start)
            if before is not None and named is None:
                named = names(text, names(text) if known is None else known)
            return (before is not None and before.group(1) in (named or ())) or _dated(text, start)

        return any(
            _counts(match)
            and match.start() not in cited
            and not any(start < match.end() and match.start() < end for start, end in dated)
            and not (counted and names_it(match.start()))
            for match in KIND_PATTERNS["number"].finditer(text)
        )
    if kind == "version":
        text = SECTION_NUMBER.sub(" ", text)
    if kind == "path" and WHERE_PLACE.search(question) and (PLACE.search(text) or PLACE_LINE.search(text)):
        return True  # "Where is the greenhouse key kept?": "under the blue pot", "Spare key: blue pot"
    if kind in CONTACT:
        return bool(contacts(kind, text))
    return KIND_PATTERNS[kind].search(text) is not None


PHONE_DIGITS = (7, 15)  # the digits of a telephone number, fewest and most (ITU-T E.164: 15 at most)
YEAR_GROUP = re.compile(r"(?:19|20)\d\d")  # a group of a phone pattern's match that is a year


def contacts(kind: str, text: str) -> set[str]:
    """The phone numbers (their digits) or e-mail addresses (lower case) a text gives, by `kind`."""
    if kind == "phone":
        return {
            "".join(re.findall(r"\d", m.group())) for m in KIND_PATTERNS["phone"].finditer(text) if _phone(m.group())
        }
    if kind == "email":
        return {m.group().lower() for m in KIND_PATTERNS["email"].finditer(text)}
    return set()


def _phone(found: str) -> bool:
    """Whether a match of the phone pattern is one: PHONE_DIGITS digits, not a run of years ("2019 2020 2021")."""
    groups = re.findall(r"\d+", found)
    digits = sum(map(len, groups))
    return PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1] and not all(YEAR_GROUP.fullmatch(g) for g in groups)


# The kinds a quote must hold to answer: a way to reach someone is no use in other words (a quote of the
# landlord's name for his phone number).
CONTACT = frozenset({"phone", "email"})
# The words that name a way to reach someone, not whom it reaches ("the landlord's PHONE NUMBER")
CONTACT_WORDS = frozenset("phone telephone mobile cell number numbers no email e-mail mail address addresses".split())
# A number's word in a question ("badge number", "phone numbers") and the word before it.
NUMBER_WORD = re.compile(r"(\w+)\s+numbers?\b(\s+of\b)?", re.I)
# Words before "number of" that make it a count ("the total number of visitors"), not a thing's number.
COUNT_WORDS = frozenset(
    "the a an total minimum maximum min max average mean exact largest smallest greatest highest lowest least "
    "default same overall whole approximate estimated expected actual right correct usual typical".split()
)
# A reference of capitals and digits, three digits or more: parts joined by dashes ("B-7731", "INV-2024-0017")
# or capitals before four digits or more ("M20931"); not inside a path, a file name or a timestamp.
REFERENCE = re.compile(r"(?<![\w/.:-])(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{1,4}\d{4,})(?![\w/.:-])")
STANDARDS = re.compile(r"^(?:ISO|IEC|IEEE|RFC|SHA|MD|UTF|UCS|COVID|DIN|EN|ECMA|CP|X)\b|^(?:ISO|RFC|SHA|UTF|CP)\d", re.I)


def _names_a_number(question: str) -> bool:
    """Whether the question's last line asks for a thing's number by that word ("What is the badge number of
    Odile Brandt?"), not a count ("the total number of visitors", "How many people have a membership number?")."""
    line = main_question(question.strip().split("\n")[-1])
    if AMOUNT_ASKED.search(line) or re.search(r"\bhow (?:many|much)\b", line, re.I):
        return False
    return any(not (match.group(2) and match.group(1).lower() in COUNT_WORDS) for match in NUMBER_WORD.finditer(line))


def references(text: str) -> set[str]:
    """The references of capitals and digits a text holds (`REFERENCE`), three digits or more, not a standard's
    name ("ISO-8859-1", "RFC8314", "UTF-16", "COVID-19")."""
    return {
        found
        for found in REFERENCE.findall(text)
        if sum(char.isdigit() for char in found) >= 3 and not STANDARDS.match(found)
    }


# A date with a day or a month, whose numbers count nothing that "how many" or "how much" asks (AMOUNT_ASKED):
# "December 2011", "2024-04-25", "25 April" (a year alone may be a quantity: "1800 euros").
CALENDAR_DATE = re.compile(
    rf"\b\d{{4}}-\d\d(?:-\d\d)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?(?:\s+\d{{4}})?"
    rf"|\b{MONTH}\s+(?:(?:of\s+)?\d{{4}}\b|\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?)",
    re.I,
)
# A time of day ("9:30", "20:00", "9am", "noon"), whose numbers are no amount either: "How much did I pay at the
# dentist?" is not answered by "Dentist at 9:30."
CLOCK = re.compile(rf"(?<![\d:.,])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])|{TIME_OF_DAY}", re.I)
AMOUNT_ASKED = re.compile(  # not "how many nights": dates ("12 May to 15 May") count those
    r"\bhow (?:many(?!\s+(?:\w+\s+)?(?:minutes|hours|days|nights|weeks|months|years)\b)|much(?!\s+time\b))\b"
    r"|\b(?:what|which)\s+(?:amount|price|cost|fee|percentage)\b",
    re.I,
)


# A manual page's section after its lower-case name ("git-format-patch(1)", "mount(8)", "printf(3p)"): no number
# stated; a call in code looks the same ("time.sleep(5)"), and is taken for one.
MANUAL_SECTION = re.compile(r"(?<![\w.-])[a-z][\w.-]*\((\d)[a-z]*\)")
# A word in title case of three letters or more right before a number, with a word before it on its line ("the
# release of Debian 7", "in Section 5"): a name's number where the text writes the word as a name (`names`); not
# a line's or a table cell's first word ("Tents     450", "Raised 25,000") nor a currency ("Rs 500").
NAME_BEFORE = re.compile(r"(?<=\S )([A-Z][a-z]{2,})[ \t]+$")
# A year after the preposition that dates something ("in 2013, ...", "since 1998 and"); not "in 2000 cases", "a
# total of 1800", "a budget of 2000 for the trip" or "grew by 1700"
YEAR_DATED = re.compile(
    r"\b(?:in|since|until|till|from|before|after|during)\s+(?:1[5-9]|20)\d\d"
    r"(?=\s*(?:[,;:!?)\]]|\.(?!\d)|$)|\s+(?:and|or|but|the|when|with|as|it|was|is|were)\b)",
    re.I,
)


def _dated(text: str, start: int) -> bool:
    """Whether the number at `start` is a year after a preposition that dates something (`YEAR_DATED`)."""
    return any(year.end() - 4 == start for year in YEAR_DATED.finditer(text, max(0, start - 12), start + 40))


def _counts(match: re.Match[str]) -> bool:
    """Whether a NUMBER match is one: a range rises ("10-15", "4–6"), where a standard's number does not
    ("ISO 639-2", "8859-1"), or has its unit on both ends ("9am-5pm")."""
    low, high = match.group("low"), match.group("high")
    if not (low and high) or match.group("unit"):
        return True
    try:
        return float(low.replace(",", "")) < float(high.replace(",", ""))
    except ValueError:
        return False  # "1.2.3-4": no number of its own
