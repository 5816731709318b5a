#!/usr/bin/env python3
"""Checks bench/records/questions.jsonl against bench/records/docs/ (not against any answer).

For every answerable question: the source exists, the quote occurs in the source's text (runs of whitespace
count as one space, so a pretty-printed JSON record can be quoted on one line), the pattern matches the
answer and, except for yes/no questions, the quote, and it matches none of the plausible wrong answers listed
in WRONG below. Date patterns must also accept the date written as 2020-07-18, 18 July 2020 and July 18, 2020.

The spreadsheet `docs/ubuntu.xlsx` is checked through the CSV it was made from, `made-from/ubuntu.csv`: the
quote must be a line of that CSV, and every row of the spreadsheet (read here with zipfile and ElementTree,
date cells turned back into YYYY-MM-DD) must equal the CSV's row.

For every unanswerable question: answer, pattern, source and quote are null, and the regular expressions in
ABSENT (the asked fact and its key words) match no file in docs/.

Also the fields, the kinds, the ids (r001, r002, ... in order) and the split rule; prints the counts.
Standard library only. Run: python3 bench/records/check.py
"""

import collections
import csv
import datetime
import io
import json
import pathlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
DOCS = HERE / "docs"
MADE_FROM = {"ubuntu.xlsx": HERE / "made-from" / "ubuntu.csv"}  # spreadsheet -> the CSV LibreOffice read
FIELDS = ["id", "split", "question", "kind", "answer", "pattern", "source", "quote"]
KINDS = {"date", "number", "code", "name", "version", "yes/no", "unanswerable-near", "unanswerable-off"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Plausible wrong answers: the pattern of the question must match none of them.
WRONG = {
    "r001": ["2022-06-30", "30 June 2022", "2027-06-30", "2017-06-17", "2020-07-19"],
    "r002": ["947", "948", "CHF", "7560"],
    "r003": ["Australia/Melbourne", "Australia/Sydney", "Australia/Adelaide"],
    "r004": ["465", "25", "5870", "1587"],
    "r006": ["Lucid Lynx", "Natty Narwhal", "Karmic Koala"],
    "r007": ["2.1", "3.0", "12.2", "2.0", "2.22"],
    "r008": ["Cyrs", "Cyr", "Cyrillic", "220"],
    "r009": ["GER", "DE", "DDR", "DEN"],
    "r010": ["133", "6", "17", "1320"],
    "r011": ["1993-07-12", "1992-06-15", "1 January 1993", "1993"],
    "r013": ["cym", "cy", "wls"],
    "r014": ["3306", "5433", "54320"],
    "r015": ["Europe/Madrid", "Atlantic/Madeira", "Africa/Ceuta", "Europe/Lisbon"],
    "r016": ["2028-04-25", "2021-04-30", "2026-04-28", "2024-04-25"],
    "r018": ["PLZ", "ZLT", "985", "POL"],
    "r019": ["Sweden", "San Marino", "Norway"],
    "r020": ["Duployan", "Devanagari", "Desert"],
    "r021": ["2028-06-30", "2026-07-11", "2035-06-30", "2031-06-30"],
    "r022": ["svn", "subversion", "gitlab", "cvspserver"],
    "r024": ["ESP", "IPIP", "ETHERIP", "RSVP", "greek"],
    "r025": ["DDR", "DE", "GD", "DDDE"],
    "r026": ["Yes, me", "yes"],
    "r027": ["No, it is an interim release", "no"],
    "r028": ["America/Merida", "America/Mexico_City"],
    "r030": ["CFA Franc BEAC", "CFP Franc", "CFA franc"],
    "r031": ["Eritrea", "Republic of Eritrea"],
    "r032": ["Piqd", "290", "2930"],
    "r033": ["Forky", "Trixie", "Sid"],
    "r035": ["smtps", "ssmtp, smtps", "submission, smtp"],
    "r036": ["Timor-Leste", "East Timor", "Dutch Timor"],
    "r037": ["Estonian", "Ewe", "Esperanto"],
    "r038": ["6", "263", "2620"],
    "r039": ["24.10 Oracular Oriole", "14.04 LTS Trusty Tahr", "23.10"],
    "r041": ["+4457+03406", "+5026+03013", "50.43, 30.52"],
    "r042": ["VNM", "VN", "7040", "740"],
    "r043": ["XAU", "961", "962", "964"],
    "r045": ["2004-03-05", "2006-04-30", "2005-04-08"],
    "r046": ["2023-06-10", "2028-08-09", "2025-08-19", "9 August 2026"],
    "r047": ["88", "464", "750", "7490"],
    "r048": ["no", "nn", "nob", "nor"],
    "r050": ["Europe/Oslo", "Arctic/Longyearbyen", "Europe/Stockholm"],
    "r051": ["502", "500", "Hans", "5010"],
    "r052": ["South Korea", "Korea, Republic of", "Lao People's Democratic Republic", "Republic of Korea"],
    "r054": ["UAK", "UKR", "980", "HRV"],
    "r055": ["2024-07-11", "2023-04-20", "2024-01-15"],
    "r057": ["Czechia", "Czechoslovak Socialist Republic", "Czech and Slovak Federal Republic"],
    "r058": ["530", "533", "5320"],
    "r059": ["Yes", "yes, until 2030"],
    "r061": ["53", "5355", "53530"],
    "r064": ["2022-09-10", "2029-06-30", "2024-08-14", "2019-07-06"],
    "r065": ["2007-10-18", "2011-05-12", "2013-05-09", "2008-10-30"],
    "r066": ["8", "6.0", "17", "7.1", "Debian 8, released 2015-04-26"],
}

# Unanswerable questions: none of these may match any file (the asked fact, and for off-topic ones the key
# words). Each is (file or "*" for all files, regular expression).
ABSENT = {
    "r005": [("debian.csv", r"^16,"), ("*", r"debian\s*16")],
    "r012": [("*", r"\brates?\b"), ("*", r"exchange\s+rate"), ("iso_4217.json", r"\"(?:rate|value)\"")],
    "r017": [("*", r"yolk|\beggs?\b|boil")],
    "r023": [("*", r"capital|mbabane|lobamba")],
    "r029": [("*", r"night\s+watch|rembrandt|paint")],
    "r034": [("ubuntu.xlsx", r"^26\.10"), ("*", r"26\.10")],
    "r040": [("*", r"\bbones?\b|skeleton")],
    "r044": [("zone1970.tsv", r"\+0?5:30|\butc\b|\bgmt\b|offset"), ("zone1970.tsv", r"kolkata\t[^\n]")],
    "r049": [("*", r"pride|prejudice|austen")],
    "r053": [("*", r"elastic|(?<!\d)9[23]00/")],
    "r056": [("*", r"speed\s+of\s+light|vacuum")],
    "r060": [("*", r"tomato|watering")],
    "r062": [("*", r"speakers?\b|population")],
    "r063": [("*", r"ethanol|boiling")],
}


def split_of(group_rank: int) -> str:
    """The split rule: within each source file (and within each unanswerable kind), the questions are counted
    1, 2, 3, ... in id order; counts 2, 4, 7, 9, 12, ... (count % 5 is 2 or 4) are tune, the rest report."""
    return "tune" if group_rank % 5 in (2, 4) else "report"


def xlsx_rows(path: pathlib.Path) -> list:
    """The first sheet's rows as lists of strings; date cells as YYYY-MM-DD; trailing empty cells dropped."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                strings.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        formats = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{ns['m']}}}numFmt")}
        xfs = styles.find("m:cellXfs", ns)
        date_styles = set()
        for i, xf in enumerate(xfs.findall("m:xf", ns)):
            fid = int(xf.get("numFmtId", "0"))
            code = re.sub(r'"[^"]*"|\\.', "", formats.get(fid, ""))
            if 14 <= fid <= 22 or ("y" in code.lower() and "d" in code.lower()):
                date_styles.add(i)
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", ns):
            col = 0
            for ch in re.match(r"[A-Z]+", c.get("r")).group():
                col = col * 26 + ord(ch) - 64
            v = c.find("m:v", ns)
            t = c.get("t", "n")
            if t == "s":
                val = strings[int(v.text)]
            elif t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter(f"{{{ns['m']}}}t"))
            elif v is None:
                val = ""
            elif t == "n" and int(c.get("s", "0")) in date_styles:
                val = (datetime.date(1899, 12, 30) + datetime.timedelta(days=float(v.text))).isoformat()
            elif t == "n" and float(v.text).is_integer():
                val = str(int(float(v.text)))
            else:
                val = v.text
            cells[col] = val
        out = [cells.get(i, "") for i in range(1, max(cells, default=0) + 1)]
        while out and out[-1] == "":
            out.pop()
        rows.append(out)
    return rows


def text_of(name: str) -> str:
    """The text a quote is looked for in: the file as it is, or for a spreadsheet the CSV it was made from."""
    path = MADE_FROM.get(name, DOCS / name)
    return path.read_text(encoding="utf-8")


def collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def date_forms(iso: str) -> list:
    d = datetime.date.fromisoformat(iso)
    month = MONTHS[d.month - 1]
    return [iso, f"{d.day} {month} {d.year}", f"{month} {d.day}, {d.year}", f"{d.day} {month[:3]} {d.year}"]


def main() -> int:
    rows = [
        json.loads(line) for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    errors = []
    rank = collections.Counter()
    texts = {}
    for n, r in enumerate(rows, 1):
        where = r.get("id", f"line {n}")
        if list(r) != FIELDS:
            errors.append(f"{where}: fields {list(r)}")
            continue
        if r["id"] != f"r{n:03d}":
            errors.append(f"{where}: id out of order (expected r{n:03d})")
        if r["kind"] not in KINDS:
            errors.append(f"{where}: kind {r['kind']!r}")
        if not isinstance(r["question"], str) or not r["question"].strip().endswith("?"):
            errors.append(f"{where}: question should be a string ending in '?'")
        group = r["source"] or r["kind"]
        rank[group] += 1
        if r["split"] != split_of(rank[group]):
            errors.append(f"{where}: split should be {split_of(rank[group])}")
        if r["kind"].startswith("unanswerable"):
            if any(r[k] is not None for k in ("answer", "pattern", "source", "quote")):
                errors.append(f"{where}: unanswerable question with answer/pattern/source/quote")
            if where not in ABSENT:
                errors.append(f"{where}: no ABSENT check")
            for name, rx in ABSENT.get(where, []):
                names = sorted(p.name for p in DOCS.iterdir()) if name == "*" else [name]
                for f in names:
                    if f not in texts:
                        texts[f] = text_of(f)
                    if re.search(rx, texts[f], re.I | re.M):
                        errors.append(f"{where}: {rx!r} found in {f}")
            continue
        for k in ("answer", "pattern", "source", "quote"):
            if not isinstance(r[k], str) or not r[k]:
                errors.append(f"{where}: {k} missing")
        if errors and errors[-1].startswith(f"{where}: ") and "missing" in errors[-1]:
            continue
        try:
            pat = re.compile(r["pattern"], re.I)
        except re.error as e:
            errors.append(f"{where}: bad pattern: {e}")
            continue
        if not pat.search(r["answer"]):
            errors.append(f"{where}: pattern does not match answer")
        if r["kind"] != "yes/no" and not pat.search(r["quote"]):
            errors.append(f"{where}: pattern does not match quote")
        if r["kind"] == "yes/no" and r["pattern"] not in (r"\byes\b", r"\bno\b"):
            errors.append(f"{where}: a yes/no pattern is \\byes\\b or \\bno\\b")
        if r["kind"] == "date":
            for form in date_forms(r["answer"]):
                if not pat.search(form):
                    errors.append(f"{where}: date pattern does not accept {form!r}")
        if where not in WRONG:
            errors.append(f"{where}: no WRONG list")
        for w in WRONG.get(where, []):
            if pat.search(w):
                errors.append(f"{where}: pattern matches the wrong answer {w!r}")
        if not (DOCS / r["source"]).is_file():
            errors.append(f"{where}: no file docs/{r['source']}")
            continue
        if r["source"] not in texts:
            texts[r["source"]] = text_of(r["source"])
        if collapse(r["quote"]) not in collapse(texts[r["source"]]):
            errors.append(f"{where}: quote not in {r['source']}")
        if r["source"] in MADE_FROM and r["quote"] not in texts[r["source"]].splitlines():
            errors.append(f"{where}: quote is not a whole line of {MADE_FROM[r['source']].name}")

    # The spreadsheet holds what the CSV it was made from holds, cell for cell.
    for name, src in MADE_FROM.items():
        want = [row for row in csv.reader(io.StringIO(src.read_text(encoding="utf-8")))]
        got = xlsx_rows(DOCS / name)
        if got != want:
            bad = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
            errors.append(f"{name}: differs from {src.name} at row {bad + 1} ({len(got)} vs {len(want)} rows)")
        else:
            print(f"{name}: {len(got)} rows, the same as made-from/{src.name}")

    sources = sorted(p.name for p in DOCS.iterdir())
    asked = {r["source"] for r in rows if r["source"]}
    for f in sources:
        if f not in asked:
            errors.append(f"docs/{f}: no question")
    ids = [r["question"] for r in rows]
    for q, c in collections.Counter(ids).items():
        if c > 1:
            errors.append(f"question asked twice: {q}")

    kinds = collections.Counter((r["kind"], r["split"]) for r in rows)
    print(f"{'kind':18s} {'tune':>5s} {'report':>7s}")
    for kind in sorted({k for k, _ in kinds}):
        print(f"{kind:18s} {kinds[(kind, 'tune')]:5d} {kinds[(kind, 'report')]:7d}")
    per = collections.Counter((r["source"] or r["kind"], r["split"]) for r in rows)
    print(f"{'source':18s} {'tune':>5s} {'report':>7s}")
    for src in [*sources, "unanswerable-near", "unanswerable-off"]:
        print(f"{src:18s} {per[(src, 'tune')]:5d} {per[(src, 'report')]:7d}")
    answerable = [r for r in rows if not r["kind"].startswith("unanswerable")]
    splits = collections.Counter(r["split"] for r in rows)
    print(
        f"{len(rows)} questions ({splits['tune']} tune, {splits['report']} report), {len(answerable)} answerable "
        f"over {len({r['source'] for r in answerable})} of {len(sources)} files, "
        f"{len(rows) - len(answerable)} unanswerable"
    )
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
