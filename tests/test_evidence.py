"""Evidence: which lines of the retrieved notes answer a question, and whether an answer says what they say."""

from __future__ import annotations

import datetime
import io
import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

import numpy as np
import openpyxl
import pytest

from foldermind import evidence, facts
from foldermind.answer import Check, Plan, search_question
from foldermind.evidence import Passage, find_evidence, grounded, passages, quote, score, terms, with_head
from foldermind.facts import states
from foldermind.indexer.embed import Embedder
from foldermind.indexer.extract import extract
from foldermind.indexer.search import Hit
from foldermind.prompt import NOT_STATED
from tests.helpers import make_pdf, table_pdf, write

MADE = Path(__file__).parent / "data" / "made"
GREP = (
    "OPTIONS\n"
    "       -c, --count\n"
    "              Suppress normal output; instead print a count of matching lines\n"
    "              for each input file.\n"
    "\n"
    "       -l, --files-with-matches\n"
    "              Suppress normal output; instead print the name of each input\n"
    "              file from which output would normally have been printed.\n"
    "\n"
    "       -n, --line-number\n"
    "              Prefix each line of output with the 1-based line number within\n"
    "              its input file.\n"
)


def hit(text: str, start: int = 0, line: int | None = 10, title: str = "grep", chunk_id: str = "c1") -> Hit:
    return Hit(chunk_id, 1, "man/grep.txt", title, "", None, 1.0, 0.5, text, start, start + len(text), {}, line)


def first_passages(*texts: str) -> list[Passage]:
    """The first passage of each text, each its own chunk."""
    return [passages(hit(text, chunk_id=f"c{i}"))[0] for i, text in enumerate(texts)]


def scores_of(question: str, candidates: list[Passage], embedder: Embedder) -> dict[str, float]:
    """Each candidate's evidence score for the question, by its text."""
    return {p.text: p.score for p in score(question, candidates, embedder.encode, 0.5)}


def by_text(found: list[Passage], needle: str) -> Passage:
    return next(p for p in found if needle in p.text)


def test_each_option_entry_is_one_passage_with_its_name_and_lines() -> None:
    found = passages(hit(GREP))
    entry = by_text(found, "--files-with-matches")
    assert entry.text.splitlines()[0].strip() == "-l, --files-with-matches"
    assert "name of each input" in entry.text and "--line-number" not in entry.text
    assert (entry.first_line, entry.last_line) == (15, 17)  # the chunk starts on line 10
    assert GREP[entry.start : entry.end].startswith("-l, --files-with-matches")
    assert entry.location() == "lines 15-17"


def test_a_long_paragraph_is_cut_into_windows_that_keep_its_heading_line() -> None:
    rules = "".join(f"              Colour rule number {i} is described here.\n" for i in range(9))
    long_entry = "       --colour\n" + rules
    windows = passages(hit(long_entry))
    assert len(windows) > 1
    late = by_text(windows, "number 7")
    assert late.text.startswith("--colour\n…\n") and "number 2" not in late.text


def test_a_paragraph_that_does_not_end_a_sentence_is_read_with_the_next() -> None:
    # An FAQ's question, a lead-in ending mid-sentence before a command, and a list's "as follows:" line,
    # three kinds of notes: each is read with what answers it, and none is a passage on its own.
    faq = (
        "14.1. Can I make and sell Debian CDs?\n\nGo ahead. You do not need permission to distribute it.\n\n"
        "14.2. Can Debian be packaged with non-free programs?\n\nYes. Some of them may be sold.\n"
    )
    found = passages(hit(faq))
    assert by_text(found, "Go ahead").text.startswith("14.1. Can I make and sell Debian CDs?")
    assert by_text(found, "Yes. Some").text.startswith("14.2.")
    assert not any(p.text.strip().endswith("?") for p in found)

    guide = "and hack away. The equivalent of cvs update is\n\n$ git pull origin\n\nwhich merges in the work.\n"
    assert "The equivalent of cvs update is\n\n$ git pull origin" in by_text(passages(hit(guide)), "git pull").text

    delays = "Here are the recommended delays:\n\n" + "".join(
        f"- Upload fixing bug class {i}: {i} days\n" for i in range(9)
    )
    windows = passages(hit(delays))
    assert len(windows) > 1
    assert all(w.text.startswith("Here are the recommended delays:\n…\n") for w in windows)


def test_a_passage_stating_the_kind_of_fact_asked_for_scores_higher(embedder: Embedder, monkeypatch) -> None:
    # Kinds of notes, each with a passage that states what is asked and one on the topic that does not: a
    # manual page's option, a handbook's date, a record's number; a yes or a no.
    cases = [
        ("Which grep option counts lines?", "-c, --count\n  Print a count of lines.", "Print a count of lines."),
        ("When did the LTS project start?", "The LTS project started in June 2014.", "The LTS project started."),
        ("How many beds does the Kestrel ward have?", "Ward: Kestrel\nBeds: 24", "Ward: Kestrel\nBeds: few"),
        # a yes/no question: the passage with the notes' yes or no (an FAQ's, a handbook's, a record's)
        (
            "Is a .pyd extension module a DLL?",
            "Yes, .pyd files are DLLs, with a few differences.",
            "In a DLL, linkage is declared in the source; in a .pyd module, in a list.",
        ),
        ("Must I reboot to upgrade a package?", "No. Packages are upgraded in place.", "Upgrade packages with apt."),
        ("Are pets allowed in the Orchard cabin?", "cabin: Orchard\nsleeps: 4\npets allowed: no", "cabin: Orchard"),
    ]
    for question, stating, silent in cases:
        candidates = first_passages(stating, silent)
        scored = scores_of(question, candidates, embedder)
        monkeypatch.setattr(evidence, "KIND_BONUS", 0.0)
        unweighted = scores_of(question, candidates, embedder)
        monkeypatch.undo()
        assert round(scored[candidates[0].text] - unweighted[candidates[0].text], 4) == evidence.KIND_BONUS, question
        assert scored[candidates[1].text] == unweighted[candidates[1].text], question


def test_the_passage_that_answers_ranks_first(embedder: Embedder) -> None:
    best = find_evidence(
        "Which grep option prints only the names of files with a match?", [hit(GREP)], embedder.encode, 0.5, 1, 0.1
    )
    assert len(best) == 1 and "--files-with-matches" in best[0].text


def test_a_description_cut_from_its_option_gets_the_option_line_from_the_chunk_before() -> None:
    previous = GREP[: GREP.index("Suppress normal output; instead print the name")]
    rest = GREP[len(previous) :]
    cut = passages(hit(rest, start=len(previous), chunk_id="c2"))[0]
    assert not cut.text.startswith("-l")
    headed = with_head(cut, (previous, 0))
    assert headed.text.startswith("-l, --files-with-matches\n…\nSuppress normal output")
    assert (headed.start, headed.end) == (cut.start, cut.end)


def test_an_answer_is_grounded_only_by_the_fact_the_passage_is_about() -> None:
    entry = by_text(passages(hit(GREP)), "--files-with-matches")
    question = "Which grep option prints only file names?"
    assert grounded("Use -l, --files-with-matches [1].", question, entry)
    assert not grounded("Use the -c option.", question, entry)  # an option the passage does not hold
    assert not grounded("The grep option prints only file names.", question, entry)  # no fact at all
    prose = passages(hit("We moved the team meeting to the blue room on the third floor.", title="Notes"))[0]
    assert grounded("It is in the blue room on the third floor.", "Where is the meeting?", prose)
    assert not grounded("It is in the cafeteria.", "Where is the meeting?", prose)


KEYED_FIELDS = {  # a record whose keys join their words, the question, the right answer, another field's value
    "code list (JSON)": (
        "3166-1.alpha_2: KE\n3166-1.alpha_3: KEN\n3166-1.name: Kenya\n3166-1.numeric: 404\n"
        "3166-1.official_name: Republic of Kenya",
        "What is the official name of Kenya?",
        "The official name of Kenya is Republic of Kenya.",
        "The official name of Kenya is KEN.",
    ),
    "contact note": (
        "Name: Dr. Saskia Brandt\nPractice_phone: 0431 555 0192\nEmergency_phone: 0431 555 0100",
        "What is the vet's emergency phone number?",
        "The emergency phone number is 0431 555 0100.",
        "The emergency phone number is 0431 555 0192.",
    ),
    "sheet": (
        "Project: Heron\nStart-Date: 2025-03-01\nEnd-Date: 2025-09-30\nBudget: 48,000 euros",
        "What is Heron's end date?",
        "Heron's end date is 2025-09-30.",
        "Heron's end date is 2025-03-01.",
    ),
}


@pytest.mark.parametrize("kind", KEYED_FIELDS)
def test_a_fact_must_be_in_the_field_whose_key_holds_the_words_asked(kind: str) -> None:
    """A key's words count apart ("official_name", "Emergency_phone", "End-Date"): the field they name is the one
    asked about, so its value grounds the answer and another field's does not."""
    text, question, right, wrong = KEYED_FIELDS[kind]
    record = passages(hit(text, title="records"))[0]
    assert grounded(right, question, record)
    assert not grounded(wrong, question, record)


def test_a_bullet_list_is_prose_and_an_answer_must_keep_to_its_names() -> None:
    team = passages(hit("- Alice Moreau leads the project.\n- Bob Lindqvist runs the migration.", title="Heron"))[0]
    question = "Who leads Project Heron?"
    assert quote(team, question) == "Alice Moreau leads the project."
    assert grounded("Alice Moreau is the project leader.", question, team)
    assert not grounded("Carla Dunn leads it.", question, team)


def test_from_key_value_records_the_quote_is_the_record_asked_about() -> None:
    trip = passages(hit("trip.city: Lisbon\ntrip.hotel: Casa Azul\ntrip.nights: 4", title="travel"))[0]
    # the field that answers, with the one that says which record it is
    assert quote(trip, "Which hotel do we stay at in Lisbon?") == "trip.city: Lisbon; trip.hotel: Casa Azul"
    assert quote(trip, "And how many nights?") == "trip.nights: 4"


@pytest.mark.parametrize(
    ("name", "content", "question", "identifier", "when"),
    [
        (
            "ubuntu.csv",
            "version,codename,series,created,release\n11.10,Oneiric Ocelot,oneiric,2011-04-28,2011-10-13\n",
            "Which Ubuntu release was called Oneiric Ocelot?",
            "version: 11.10",
            "When did Oneiric Ocelot come out?",
        ),
        (
            "debian.tsv",
            "version\tcodename\tseries\trelease\teol\n12\tBookworm\tbookworm\t2023-06-10\t2026-06-10\n",
            "Which Debian release is codenamed Bookworm?",
            "version: 12",
            "What is the release date of Bookworm?",
        ),
        (
            "apache-releases.json",
            '[{"version": "2.4.52", "release": "2021-12-20", "fixes": "CVE-2021-44790"}]',
            "Which Apache release fixes CVE-2021-44790?",
            "version: 2.4.52",
            "When was the release that fixes CVE-2021-44790?",
        ),
    ],
)
def test_which_one_of_a_record_is_said_by_its_first_field_not_by_a_date(
    name: str, content: str, question: str, identifier: str, when: str
) -> None:
    # "Which Ubuntu release ...?" names the row's "release" field, whose date does not say which release it is
    record = passages(hit(extract(content.encode(), Path(name)).text, title=Path(name).stem))[0]
    said = quote(record, question)
    assert said.startswith(identifier)
    assert "release: 20" in said  # with the field the question named
    assert identifier not in quote(record, when)  # a date asked: the date answers


def test_an_ungrounded_answer_is_replaced_by_the_notes_own_words() -> None:
    entry = by_text(passages(hit(GREP)), "--files-with-matches")
    question = "Which grep option prints only the names of files?"
    assert quote(entry, question).startswith("-l, --files-with-matches: Suppress normal output; instead print the name")
    check = Check(Plan(question, [], [entry]), fit=lambda text: text)
    assert check.feed("The option ") == []  # held back until its first sentence can be checked
    shown = check.feed("-v prints the names. Then more.")
    assert check.replaced and shown[0].startswith('Your notes say: "-l, --files-with-matches:')
    kept = Check(Plan(question, [], [entry]), fit=lambda text: text)
    # held until the next sentence begins ("-l." could go on as "-l.5"), then shown; each later sentence is
    # shown once the one after it has begun, where a sentence of the notes says what it says
    assert kept.feed("Use -l [1].") == [] and kept.feed(" It") == ["Use -l [1]."]
    assert kept.feed(" suppresses normal output.") == [] and kept.feed(" More") == [" It suppresses normal output."]
    assert kept.feed(" text") == []
    assert kept.finish() == [] and kept.cut and not kept.replaced  # "More text" is not the notes'


def test_the_quote_is_the_sentence_about_what_is_asked_not_the_one_naming_the_subject() -> None:
    text = (
        "Project Heron replaces the warehouse scanners with handheld tablets.\n"
        "The budget is 48,000 euros and the deadline is the 30th of June."
    )
    said = quote(passages(hit(text, title="Project Heron"))[0], "What is the budget of Project Heron?")
    assert said.startswith("The budget is 48,000 euros")


@pytest.mark.parametrize(
    ("text", "question", "said"),
    [
        (
            "Vet: Dr. med. vet. Saskia Brandt, Tue. 11 Nov. at 10:45 (bring the card).\nThe shed key is in the pot.",
            "When is the vet appointment?",
            "Vet: Dr. med. vet. Saskia Brandt, Tue. 11 Nov. at 10:45 (bring the card).",
        ),
        (
            "Dentist: Dr. Ilka Brenner. Thu. 14 March at 09:30, room 4.\nOptician: in April.",
            "When is the dentist?",
            "Dentist: Dr. Ilka Brenner. Thu. 14 March at 09:30, room 4.",
        ),
        (
            "Chairs for the party: borrowed from the church hall. 42 in all, stacked in the shed.\nCake: Ada.",
            "How many chairs are there for the party?",
            "Chairs for the party: borrowed from the church hall. 42 in all, stacked in the shed.",
        ),
    ],
)
def test_the_quote_goes_on_to_the_next_sentence_of_its_line_where_that_states_what_is_asked(
    text: str, question: str, said: str
) -> None:
    # The line's label shares the question's words; the fact is in its next sentence, which shares none
    assert quote(passages(hit(text, title="notes"))[0], question) == said


def test_a_question_naming_a_number_the_evidence_does_not_hold_is_told_the_notes_do_not_say() -> None:
    release = "Debian 13 is called trixie and came out in August 2025. Debian 12, bookworm, came out in 2023."
    prose = passages(hit(release, title="Release notes"))[0]
    rooms = passages(hit("room 12: booked by Ada Fenwick\nroom 15: booked by Bram Olsen", title="bookings"))[0]
    man = passages(hit("       This manual page documents GNU tar v1.34, with Python 3.12 bindings.\n"))[0]
    budget = passages(hit("The budget is 48,000 euros over 12 months.", title="Project Heron"))[0]
    assert evidence.unheld_numbers("What is Debian 14 called?", [prose]) == {"14"}
    assert evidence.unheld_numbers("What is Debian 12 called?", [prose]) == set()
    assert evidence.unheld_numbers("Who booked room 14?", [rooms]) == {"14"}
    assert evidence.unheld_numbers("Who booked room 15?", [rooms]) == set()
    assert evidence.unheld_numbers("Does tar 1.35 support zstd?", [man]) == {"1.35"}
    assert evidence.unheld_numbers("Does tar 1.34 work with Python 3?", [man]) == set()  # 3 leads 3.12
    assert evidence.unheld_numbers("Does tar work with Python 12?", [man]) == {"12"}  # 12 is not 3.12
    assert evidence.unheld_numbers("Does tar 1.35 or room 12 work?", [man, rooms]) == set()  # one is held
    assert evidence.unheld_numbers("Is budget 48000 enough?", [budget]) == set()  # "48,000"
    # counts, spans, times, references and names with digits name nothing the notes must hold
    for question in (
        "What are the 3 steps?",
        "What happens every 6 months?",
        "Who is in the top 5?",
        "What is at 10:30?",
        "What does ls(1) say?",
        "Is IPv4 in it?",
        "What was the 14th?",
    ):
        assert evidence.unheld_numbers(question, [budget]) == set(), question

    def shown(question: str, answer: str, found: Passage) -> list[str]:
        check = Check(Plan(question, [], [found]), fit=lambda text: text)
        return [*check.feed(answer + " More"), *check.finish()]

    assert shown("When did Debian 14 come out?", "Debian 14 came out in 2023 [1].", prose) == [NOT_STATED]
    assert shown("When did Debian 12 come out?", "Debian 12 came out in 2023 [1].", prose) != [NOT_STATED]
    assert shown("Who booked room 14?", "Bram Olsen booked it [1].", rooms) == [NOT_STATED]
    # a follow-up that names nothing of its own is about the earlier turn's number
    leaning = search_question(
        [{"role": "user", "content": "Who booked room 14?"}, {"role": "user", "content": "And when?"}]
    )
    assert evidence.unheld_numbers(leaning, [rooms]) == {"14"}
    renamed = search_question(
        [{"role": "user", "content": "Who booked room 14?"}, {"role": "user", "content": "And room 15?"}]
    )
    assert shown(renamed, "Bram Olsen booked it [1].", rooms) != [NOT_STATED]
    # a yes or no about a wrong number is answered by the notes' own number, not refused
    assert shown("Is the budget 50,000 euros?", "Yes, it is 50,000 euros [1].", budget) != [NOT_STATED]


def test_a_yes_or_no_in_the_questions_own_words_is_grounded_and_a_term_is_not() -> None:
    faq = "14.1. Can I make and sell Debian CDs?\n\nGo ahead. You do not need permission to distribute it.\n"
    answer = by_text(passages(hit(faq)), "Go ahead")
    question = "Do I need permission to make and sell Debian CDs?"
    assert grounded("No, you do not need permission to make and sell Debian CDs.", question, answer)
    tails = passages(hit("Tails (The Amnesic Incognito Live System) aims at anonymity."))[0]
    assert not grounded("Tails stands for Tails.", "What does Tails stand for?", tails)
    assert grounded("Tails stands for The Amnesic Incognito Live System.", "What does Tails stand for?", tails)


def test_a_yes_or_no_must_agree_with_what_the_notes_say() -> None:
    # A 135M model answers "Yes, it is." to most yes/no questions; each kind of notes below says no (or yes).
    handbook = passages(
        hit(
            "Do not name your test executable test: test is a shell builtin, so typing test runs the builtin.",
            title="Programming tips",
        )
    )[0]
    man = passages(hit("       By default, rm does not remove directories.\n", title="rm"))[0]
    record = passages(hit("cabin: Orchard\nsleeps: 4\npets allowed: no\n", title="cabins"))[0]
    faq = by_text(
        passages(hit("14.2. Can Debian be sold with non-free programs?\n\nYes. Some of them may be sold.\n")), "Yes."
    )
    script = "Is it a good idea to call my test executable test?"
    assert not grounded("Yes, it is.", script, handbook)
    assert grounded("No, do not name it test.", script, handbook)
    assert not grounded("Yes, rm removes directories by default.", "Does rm remove directories by default?", man)
    assert grounded("No, rm does not remove directories by default.", "Does rm remove directories by default?", man)
    assert not grounded("Yes, pets are allowed.", "Are pets allowed in the Orchard cabin?", record)
    assert grounded("No, pets are not allowed.", "Are pets allowed in the Orchard cabin?", record)
    assert grounded("Yes, some of them may be sold.", "Can Debian be sold with non-free programs?", faq)
    assert not grounded("No.", "Can Debian be sold with non-free programs?", faq)
    # Right answers stay grounded: a no in other words, a negation in a condition or an option, a curly
    # apostrophe, a question that offers a choice.
    cat = passages(hit("       With no FILE, or when FILE is -, read standard input.\n", title="cat"))[0]
    assert grounded("Yes, cat reads standard input.", "Can cat read standard input?", cat)
    gzip = passages(hit("       Compression is disabled by default; use --no-name to drop the name.\n", title="zz"))[0]
    assert grounded("No, compression is disabled by default.", "Is compression enabled by default?", gzip)
    curly = passages(hit("You don’t need permission to distribute it.", title="FAQ"))[0]
    assert grounded("No, you don’t need permission.", "Do I need permission to distribute it?", curly)
    assert evidence.contradicts("Yes.", "Do I need permission?", "You don’t need permission.")
    assert not evidence.contradicts("Yes.", "Does tar recurse?", "Use --no-recursion to stay; a no-op otherwise.")
    style = passages(hit("The style guide uses spaces, not tabs.", title="Style"))[0]
    assert grounded("Yes, it uses spaces.", "Does the style guide use tabs or spaces?", style)
    # the check shows the notes' words instead of a wrong yes
    check = Check(Plan(script, [], [handbook]), fit=lambda text: text)
    assert "Do not name" in "".join([*check.feed("Yes, it is. More"), *check.finish()]) and check.replaced


def test_an_answer_that_turns_a_negation_around_fails_without_a_yes_or_no() -> None:
    # Three kinds of notes, each answered the other way round in the model's words, with no yes or no to judge
    rules = passages(
        hit("All doors into the machine room are self-closing fire doors and must never be\nwedged open with chocks.")
    )[0]
    man = passages(hit("       By default, rm does not remove directories.\n", title="rm"))[0]
    record = passages(hit("cabin: Orchard\nsleeps: 4\npets allowed: no\n", title="cabins"))[0]
    wedged = "Can the machine room doors be wedged open?"
    assert not grounded("The machine room doors can be wedged open with chocks.", wedged, rules)
    assert not grounded("The machine room doors are not fire doors.", "Are the machine room doors fire doors?", rules)
    assert not grounded("rm removes directories by default.", "Does rm remove directories by default?", man)
    assert not grounded("Pets are allowed in the Orchard cabin.", "Are pets allowed in the Orchard cabin?", record)
    # The same facts the right way round pass, as does a yes to what the sentence does not deny, and the
    # opposite of a sentence that denies by "no" before a noun (its other side may be what is asked)
    assert grounded("The machine room doors must never be wedged open.", wedged, rules)
    assert grounded("Yes, they are self-closing fire doors.", "Are the machine room doors fire doors?", rules)
    assert not grounded("Yes, the machine room doors can be wedged open.", wedged, rules)
    assert grounded("rm does not remove directories by default.", "Does rm remove directories by default?", man)
    assert grounded("Pets are not allowed in the Orchard cabin.", "Are pets allowed in the Orchard cabin?", record)
    visits = passages(hit("No visitors are allowed before 14:00.", title="Ward 3"))[0]
    assert grounded("Visitors are allowed after 14:00.", "When are visitors allowed?", visits)
    # a review's: right answers that were rejected, and contradictions that passed
    right = [
        (
            "Do not park in the yard\nDeliveries use the side gate\nThe bell is by the door.",
            "Deliveries use the side gate.",
        ),
        ("No visitors are allowed before 14:00.", "Visitors are not allowed before 14:00."),
        ("Don't forget to bring your staff badge on the first day.", "Bring your staff badge."),
        ("cabin: Orchard\nPets allowed: no", "No pets are allowed."),
        ("The room is not only quiet but also bright.", "The room is quiet."),
        ("Deliveries arrive on Tuesdays. The shop is closed on Mondays.", "Deliveries do not arrive on Mondays."),
    ]
    for text, answer in right:
        assert grounded(answer, "What do the notes say?", passages(hit(text))[0]), answer
    smoking = passages(hit("Smoking is not permitted."))[0]
    assert not grounded("Yes.", "Can I smoke indoors?", smoking)
    blocked = passages(hit("The doors must not be wedged open, propped or blocked."))[0]
    assert not grounded("Yes, the doors can be blocked.", "Can the doors be blocked?", blocked)
    # a review's: a comma ended the denial's reach before it reached a word, so the words after the aside were
    # read as stated; three kinds of notes
    asides = [
        (
            "Never, under any circumstances, wedge the doors open.",
            "Can the doors be wedged open?",
            "Yes, they can be wedged open.",
            "No, they can never be wedged open.",
        ),
        (
            "       Do not, under any circumstances, run fsck on a mounted file system.\n",
            "Can fsck run on a mounted file system?",
            "Yes, it can be run on a mounted file system.",
            "No, it can not be run on a mounted file system.",
        ),
        (
            "gate: north\nrule: never, at any hour, leave the gate unlocked\n",
            "Can I leave the gate unlocked?",
            "Yes, you can leave it unlocked.",
            "No, you can never leave it unlocked.",
        ),
    ]
    for text, asked, yes, no in asides:
        notes = passages(hit(text))[0]
        assert not grounded("Yes.", asked, notes), text
        assert not grounded(yes, asked, notes), text
        assert grounded(no, asked, notes), text
    either = passages(hit("Fire doors or not, all doors are kept shut at night."))[0]
    assert grounded("Yes, all doors are kept shut at night.", "Are the doors kept shut at night?", either)
    # a review's: past the aside, the reach ends with the clause after it; a condition reaches on past nothing
    told = passages(hit("Never, under any circumstances, wedge the doors open, as they are fire doors."))[0]
    assert grounded("Yes, they are fire doors.", "Are the doors fire doors?", told)
    meter = passages(hit("Check the meter works. If it doesn't, ring the harbour office."))[0]
    assert grounded("Ring the harbour office.", "What do I do if the meter does not work?", meter)
    yard = passages(hit("Do not, however, park in the yard."))[0]
    assert not grounded("Yes, you can park in the yard.", "Can I park in the yard?", yard)
    for text in ("Even if it doesn't, ring the harbour office.", "Though the meter says not, ring the harbour office."):
        assert grounded("Ring the harbour office.", "What do I do?", passages(hit(text))[0]), text


@pytest.mark.parametrize(
    ("text", "question", "faithful", "invented"),
    [
        (  # prose
            "Project Osprey is led by Mireille Danvers. It ends on 30 September 2026.",
            "Who leads Project Osprey?",
            [
                "Mireille Danvers leads Project Osprey.",
                "Mireille Danvers is the leader of Project Osprey.",
                "Mireille Danvers is the head of Project Osprey.",  # the doer of the notes' "led", not the question's
                "The answer is Mireille Danvers.",
                "The person in charge of Project Osprey is Mireille Danvers.",
            ],
            [
                "Mireille Danvers is the primary leader of Project Osprey.",
                "The new captain of Project Osprey is Mireille Danvers.",
            ],
        ),
        (  # a table's row
            "Name: Hesper Conway\nDepartment: Finance\nPension plan: B\nPhone: +44 20 7946 0031\n",
            "Who works in Finance?",
            ["Hesper Conway works in Finance.", "Hesper Conway is in Finance."],
            [
                "Hesper Conway is a manager in Finance.",
                "The head of Finance is Hesper Conway.",
                "Hesper Conway is a planner in Finance.",  # no doer of the notes' "Pension plan"
            ],
        ),
        (  # a manual page's author
            "AUTHOR\n       Written by Marit Olsen.\n",
            "Who wrote kettle?",
            ["Marit Olsen wrote kettle.", "kettle was written by Marit Olsen.", "Marit Olsen is the author of kettle."],
            ["Marit Olsen is the lead developer of kettle.", "Marit Olsen is the chief maintainer of kettle."],
        ),
    ],
)
def test_a_role_the_notes_do_not_give_a_name_is_invented(
    text: str, question: str, faithful: list[str], invented: list[str]
) -> None:
    # a new user's: "the primary leader", "the new captain of": a role said of a name without a comma or a claim
    # word passed as two free words of phrasing; the doer of the notes' or the question's verb is no invention
    # ("the leader" of "led by" or "Who leads ...?", "the author" of "Written by")
    notes = passages(hit(text, title="kettle"))[0]
    for answer in faithful:
        assert grounded(answer, question, notes), answer
    for answer in invented:
        assert not grounded(answer, question, notes), answer


def test_an_answer_to_two_asks_gives_both_and_a_clause_is_no_second_ask() -> None:
    # a review's: a second ask for no kind of fact ("what is its budget?") wanted its own word in the answer
    text = "Project Osprey is led by Mireille Danvers.\n\nIts budget is 40,000 euros."
    osprey = replace(passages(hit(text))[0], text=text)
    both = "Who leads Project Osprey and what is its budget?"
    assert grounded("Mireille Danvers leads it, with 40,000 euros.", both, osprey)
    assert not grounded("Mireille Danvers leads it.", both, osprey)
    budget = "What is the budget of Project Osprey and who leads it?"  # a new user's: the budget alone passed
    assert not grounded("The budget of Project Osprey is 40,000 EUR.", budget, osprey)
    assert grounded("The budget is 40,000 euros; Mireille Danvers leads it.", budget, osprey)
    assert evidence.two_asks("What is the difference between the lease and what the landlord told me?") is None
    assert evidence.two_asks("Who collects the black bin, and on which day?") == (
        "Who collects the black bin?",
        "on which day?",
    )


def test_who_is_answered_with_a_person_of_the_line_not_its_place() -> None:
    # a new user's: "Who heads the AT branch?" was answered "The head of the AT branch is Austria." and passed
    cases = [
        (
            "ON: Ontario branch, head Marguerite Tessier.\nAT: Austria branch, head Leopold Brunnhuber.",
            "Who heads the AT branch?",
            "The head of the AT branch is Austria.",
            "Leopold Brunnhuber heads the AT branch.",
        ),
        (  # a list
            "- Bere site (Wareham): warden Nia Rhys\n- Itchen site (Eastleigh): warden Omar Haddad",
            "Who is the warden of the Bere site?",
            "The warden of the Bere site is Wareham.",
            "The warden of the Bere site is Nia Rhys.",
        ),
        (  # prose
            "The club was founded in Leeds in 1921 by Edith Marlowe.",
            "Who founded the club?",
            "The club was founded by Leeds.",
            "Edith Marlowe founded the club in 1921.",
        ),
    ]
    for text, question, place, person in cases:
        passage = replace(passages(hit(text))[0], text=text)
        assert not grounded(place, question, passage), place
        assert grounded(person, question, passage), person


def test_a_code_heading_a_paragraph_names_the_lines_below_it() -> None:
    # a review's: "TO" alone over its office's fields: the manager's line does not write the code, and the right
    # answer was rejected
    text = "TO\nManager: Priya Anand\nPhone: 555 0190\n\nNO\nManager: Ola Nordmann\nPhone: 555 0191"
    offices = replace(passages(hit(text))[0], text=text)
    assert grounded("Priya Anand manages the TO office.", "Who manages the TO office?", offices)
    assert not grounded("Ola Nordmann manages the TO office.", "Who manages the TO office?", offices)


def test_a_name_in_the_question_is_matched_whole_not_as_a_stemmed_word(embedder: Embedder) -> None:
    # Three kinds of notes where a name ends like a plural: a distribution beside a manual page, an operating
    # system beside prose about a program's windows, a record's house beside a note on roofs. The embedder
    # reads lower case, so the same question in lower case differs only in how its words are matched.
    cases = [
        (
            "What does the name Tails stand for?",
            "Tails OS (The Amnesic Incognito Live System) aims at providing a live system.",
            "tail: output the last part of files; with -f, tail follows a file as it grows.",
        ),
        (
            "How do I start Python on Windows?",
            "On Windows, start Python from the Start menu or with the py launcher.",
            "How to start Python in a new window: open a window and run python.",
        ),
        (
            "Who lives at the Gables?",
            "Address: The Gables, 4 Mill Lane\nResident: Ada Pryce",
            "On old barns the gabled end faces the road; snow slides off it.",
        ),
    ]
    for question, named, look_alike in cases:
        candidates = first_passages(named, look_alike)
        as_asked = scores_of(question, candidates, embedder)
        lower = scores_of(question.lower(), candidates, embedder)
        assert as_asked[look_alike] < lower[look_alike], question
        assert as_asked[named] >= lower[named] and max(as_asked, key=as_asked.get) == named, question


def test_a_name_asked_for_counts_whole_and_a_passage_word_counts_whole_and_stemmed() -> None:
    asked = evidence.terms("What does Tails stand for?", asked=True)
    assert "tails" in asked and "tail" not in asked
    # A question in title case: its words count whole, and a passage's lower-case words still match them.
    assert {"settings", "router"} <= evidence.terms("How Do I Reset The Router Settings?", asked=True)
    assert {"settings", "set", "router"} <= evidence._bag("Reset the router settings with the pin.")
    # Outside questions a word counts stemmed only, as the grounding check compares answers and passages.
    assert evidence.terms("Copies of the tax returns") == {"copi", "tax", "return"}


def test_months_and_weekdays_are_dates_not_names() -> None:
    text = "Project Heron starts in March.\nAlice Moreau leads it, and reviews it every Friday."
    assert facts.names(text) == {"Heron", "Moreau"}  # not March or Friday; "Alice" begins a sentence
    assert not facts.states("name", "The review moved to Monday, 3 March.")
    # So "who" is answered by the sentence with a person, not by the one sharing more words and a month.
    assert quote(passages(hit(text, title="Heron"))[0], "Who leads Project Heron?").startswith("Alice Moreau")


def test_a_name_that_begins_a_sentence_is_a_name_where_the_notes_name_it_inside_one() -> None:
    # Three kinds of notes, each naming someone inside a sentence: prose, a record, a manual page. An answer
    # may begin with that name; a capitalised first word the notes never name ("Restart") is no name.
    cases = [
        ("Inspections", "Marlow yard failed the spring inspection, so Marlow repeats it.", "Marlow"),
        ("crew", "Role: night shift (Pryce)\nPryce covers the night shift from June on.", "Pryce"),
        ("ls", "AUTHOR\n       Written by Stallman and MacKenzie.", "Stallman"),
    ]
    for title, text, named in cases:
        passage = passages(hit(text, title=title))[0]
        assert facts.states("name", passage.text), text
        assert grounded(f"{named} did, according to the notes.", "Who did it?", passage), text
        assert not grounded("Carla did, according to the notes.", "Who did it?", passage), text
    restart = passages(hit("Restart the server from the admin page every night.", title="ops"))[0]
    assert not facts.states("name", restart.text, "Who restarts the server?")
    assert not grounded("Restart the server from the admin page.", "Who restarts the server?", restart)


def test_an_entry_without_a_full_stop_is_a_passage_of_its_own_headed_by_its_term() -> None:
    # Three kinds of definition lists whose descriptions do not end a sentence: a manual page's options, a
    # glossary in a text note, a settings reference. Each entry is read whole, never the end of one entry
    # over the next one's term.
    cases = [
        "-c, --characters=LIST\n       select only these characters\n\n-d, --delimiter=DELIM\n"
        "       use DELIM instead of TAB for field delimiter\n\n-f, --fields=LIST\n       select only these fields",
        "Kestrel\n    the night depot on Mill Lane\n\nOsprey\n    the day depot by the river\n\nHeron\n    the project",
        "timeout\n  seconds to wait before giving up\n\nretries\n  how often to try again\n\nproxy\n  where to connect",
    ]
    for text in cases:
        terms = [entry.split("\n")[0] for entry in text.split("\n\n")]
        assert [p.text.split("\n")[0] for p in passages(hit(text))] == terms, text


def test_a_heading_or_a_lead_in_over_indented_lines_still_leads_into_what_follows() -> None:
    # Not definition-list entries: a manual page's section heading over its first example, a wrapped list
    # item ending "the following command:" over its command. Each stays one passage with what it introduces.
    examples = "EXAMPLES\n       Convert seconds since the epoch to a date\n\n              $ date --date=@2147483647\n"
    reset = "- To reset the router, hold the button, then\n  run the following command:\n\n    router-reset --hard\n"
    for text in (examples, reset):
        assert [p.text for p in passages(hit(text))] == [text.rstrip("\n")]


def test_an_entry_whose_description_goes_on_in_the_next_paragraph_is_read_with_it() -> None:
    # A manual page's option, a glossary term and a setting whose description's first paragraph does not end a
    # sentence: what it goes on to say (the values) is part of the entry; the next term still is not.
    cases = [
        "--color[=WHEN]\n       Surround the matches with colour. WHEN is one of\n\n       always, never or auto.\n\n"
        "-d, --delimiter=DELIM\n       use DELIM instead of TAB",
        "Kestrel\n    the night depot, open on\n\n    weekdays and Saturdays.\n\nOsprey\n    the day depot",
        "mode\n  how the cache writes, one of\n\n  fast, safe or off.\n\nproxy\n  where to connect",
    ]
    for text in cases:
        entries = text.split("\n\n")
        found = passages(hit(text))
        assert [p.text for p in found] == ["\n\n".join(entries[:2]), entries[2]], text
    # A subsection's heading over its first option: the next option is deeper than the heading, not a
    # description, so it is an entry of its own.
    grep = "   Output Control\n       -c, --count\n              Suppress output; print a count of\n\n       --color\n"
    assert [p.text.split("\n")[-1].strip() for p in passages(hit(grep))] == [
        "Suppress output; print a count of",
        "--color",
    ]


def test_a_full_stop_inside_a_closing_quote_ends_the_sentence() -> None:
    # Prose with straight and curly quotes and a closing bracket: the next sentence's first word is no name.
    for text in (
        'The build log said "it failed." Then Marta restarted it.',
        "The build log said “it failed.” Then Marta restarted it.",
        "The build failed (twice, see the log.) Then Marta restarted it.",
    ):
        assert len(evidence.sentences(text)) == 2, text
        assert facts.names(text) == {"Marta"}, text
    for text in ("Bring fruit (apples, pears, etc.) and water.", 'He asked "why?" and left.', 'Press "OK." then wait.'):
        assert len(evidence.sentences(text)) == 1, text  # no sentence starts after the quote


@pytest.mark.parametrize(
    "text",
    [
        "The check-up is at 3 p.m. on Friday with Dr. Ilka Brenner.",
        "Seeds come from Fennick Seeds Ltd. in Holm.",
        "Rent is due on Jan. 5 at the Apt. 4B office.",
        "Each sack holds 5 lbs. of flour.",
        "The plan is by Varga et al. and others.",
        "Call Tel. +47 555 0142 for the key.",
        "See Fig. A for the map of Vol. II of the plan.",
        "Insurance: policy no. 88-1402 with Harbour Mutual Ltd., renewed 1 Jan. 2025.",
        "The meeting is in Rm. 12 of Bldg. C, see Sec. 4.",
        "POLICY NO. 88-1402 WAS RENEWED, see apt. 4B.",
        # titles before a name and abbreviations before a number, by pySBD's English lists: a travel note, a letter,
        # an address book, a timetable
        "Flight to Oslo: Capt. Jonas Okafor, dep. 07:15 on Mon. 3 Nov. 2025 from Gate B12.",
        "The meeting is with Lt. Col. Maria Diaz and Sgt. Tom Poe of the harbour watch.",
        "Ask for Rev. Green at 42 Elm Ave. near Mt. Hood, approx. 12 min. from the station.",
        "The ferry leaves Tue. 11 Nov. at 10:45, arr. 12:10 at Holm.",
        "The vet is Dr. A. Lind at the Holm clinic.",  # an initial after a title opens no sentence
        "Flight BA 2471 dep. LHR 06:15 on Fri. 14 Mar., arr. Oslo approx. 09:40 CET.",  # before a place's name
    ],
)
def test_an_abbreviation_s_full_stop_does_not_end_the_sentence(text: str) -> None:
    assert evidence.sentences(f"{text} Bring the card.") == [text, "Bring the card."]


@pytest.mark.parametrize(
    "text",
    [
        "He works at Acme Inc. The office is in Holm.",
        "We moved in Mar. The roof leaked.",
        "No. Is it sold?",
        "I said no. I meant it.",  # "no." before a number goes on ("policy no. 88-1402"), before a word not
        "We looked at art. I loved it.",
        "He lives in Calif. I visit him.",  # an abbreviation that is no title, before a word
        "It ends at the col. The path goes on.",  # a title's word in lower case is a word
        "I met the Gen. It was late.",  # a title's word before a word that opens a sentence
        "I was ill. 3 days off work.",  # words pySBD lists as abbreviations ("ill", "me") before a number
        "Anna owes me. 40 EUR for the tickets.",
    ],
)
def test_a_full_stop_before_a_capitalised_word_ends_the_sentence(text: str) -> None:
    assert len(evidence.sentences(text)) == 2


def test_a_question_asking_for_a_default_in_other_words_scores_and_quotes_the_default(
    embedder: Embedder, monkeypatch
) -> None:
    # Three kinds of notes, each with a passage giving the default and one using the question's own words: a
    # manual page, a settings reference, a guide. The question never says "default", yet asks for one.
    cases = [
        (
            "What does tar use as the archive when no file is given?",
            "-f, --file=ARCHIVE\n       Use archive file or device ARCHIVE.",
            "The default archive is the tape drive /dev/st0, or standard output.",
        ),
        (
            "Which port does the sync server listen on if no port is set?",
            "port\n  The port the sync server listens on, as a number; set it in sync.toml.",
            "listen\n  Address and port to listen on, by default 127.0.0.1:8384.",
        ),
        (
            "Which editor does git open for commit messages out of the box?",
            "git commit opens an editor for the commit message; save and close it to commit.",
            "You can set core.editor to any editor. Git uses vi as the default editor.",
        ),
    ]
    for question, said, default in cases:
        candidates = first_passages(said, default)
        scored = scores_of(question, candidates, embedder)
        assert "default" in quote(candidates[1], question), question
        monkeypatch.setattr(evidence, "DEFAULT_ASKED", re.compile(r"(?!)"))  # as if it asked in its own words
        unweighted = scores_of(question, candidates, embedder)
        monkeypatch.undo()
        assert scored[candidates[1].text] > unweighted[candidates[1].text], question
        assert scored[candidates[0].text] <= unweighted[candidates[0].text], question
        # Whether the passage giving the default then ranks first depends on the vectors: tar's option line led
        # by 0.11 (torch's vectors) to 0.14 (the int8 copy's on an AVX2-only CPU) without the rule, by 0.01 to 0.04
        # with it (first on the CPU it was written on), so no ranking is asserted.


def test_questions_that_do_not_ask_for_a_default_are_not_read_as_asking_for_one() -> None:
    for question in (
        "What happens if no network is available?",
        "Who do I call if no one answers?",
        "Who was never given a key to the office?",
        "Which invoices were not provided by the supplier?",
        "How do I upgrade without losing settings?",
        "What happens if the file is empty?",
        "Who leads it when Bram is not there?",
    ):
        assert not evidence.unsaid_terms(question), question
    for question in (
        "Which signal does kill send when no signal is specified?",
        "What does ls sort by without any arguments?",
        "Which shell does a new user get out of the box?",
    ):
        assert evidence.unsaid_terms(question) == {"default"}, question


def test_a_quote_holds_the_kind_of_fact_asked_for_when_its_passage_does() -> None:
    # Three kinds of notes whose sentence sharing most of the question's words does not hold what is asked,
    # while another sentence of the same passage does: a FAQ's list item, a build guide's option, meeting notes.
    # The quote adds the nearest such sentence, in the passage's order ("…" where lines stand between).
    cases = [
        (
            "Which PC makers shipped Windows machines with Python preinstalled?",
            "-   Some Windows machines also have Python installed. At this writing\n"
            "    we're aware of computers from Hewlett-Packard and Compaq that\n    include Python.",
            "Some Windows machines also have Python installed. At this writing we're aware of computers from"
            " Hewlett-Packard and Compaq that include Python.",
        ),
        (
            "Which configure flag turns on profile guided optimization when building Python?",
            "-   `make profile-opt`: build Python using Profile Guided Optimization\n"
            "    (PGO). You can use the configure `--enable-optimizations` option to\n"
            "    make this the default target of the `make` command.",
            "`make profile-opt`: build Python using Profile Guided Optimization (PGO). You can use the configure"
            " `--enable-optimizations` option to make this the default target of the `make` command.",
        ),
        (
            "When was the Heron project that replaces the warehouse scanners approved?",
            "The Heron project replaces the warehouse scanners with handheld tablets.\n"
            "The tablets come from the old supplier.\nFunding was approved in 2024 by the board.",
            "The Heron project replaces the warehouse scanners with handheld tablets. … Funding was approved in"
            " 2024 by the board.",
        ),
    ]
    for question, text, said in cases:
        assert quote(passages(hit(text, title="notes"))[0], question) == said, question
    # A sentence of the kind that shares no word with the question is not added; lines between are marked "…".
    lines = "Some Windows machines ship with Python installed.\nWhy is that so?\nAcme and Orbis ship them."
    assert quote(passages(hit(lines, title="FAQ"))[0], "Which makers ship Windows machines with Python?") == (
        "Some Windows machines ship with Python installed. … Acme and Orbis ship them."
    )
    unrelated = "Some Windows machines ship with Python installed.\nThe office is run by Dana Whitlock."
    assert quote(passages(hit(unrelated, title="FAQ"))[0], "Which makers ship Windows machines with Python?") == (
        "Some Windows machines ship with Python installed."
    )
    # The one after is preferred to the one before.
    both = (
        "Alice Moreau edited the report.\nThe long Heron report on the warehouse scanners is done.\n"
        "Bram Olsen wrote the report."
    )
    asked = "Who is behind the long Heron report on the warehouse scanners?"
    assert quote(passages(hit(both, title="notes"))[0], asked) == (
        "The long Heron report on the warehouse scanners is done. Bram Olsen wrote the report."
    )
    # Where the best sentence states it, it is quoted alone.
    heron = passages(hit("Funding was approved in 2024 by the board. The tablets came in May.", title="Heron"))[0]
    assert quote(heron, "When was funding approved?") == "Funding was approved in 2024 by the board."


def test_what_a_question_asks_for_after_which_and_a_qualifying_word() -> None:
    assert facts.asked_kind("Which PC makers ship it?") == "name"
    assert facts.asked_kind("Which companies sponsor Debian?") == "name"
    assert facts.asked_kind("What line length does the tutorial suggest?") == "number"
    assert facts.asked_kind("What delay is recommended for an upload?") == "number"
    assert facts.asked_kind("Which config file holds it?") == "path"
    for question in ("Until when is Ubuntu 18.04 supported?", "Till when is the cabin booked?", "By when must I pay?"):
        assert facts.asked_kind(question) == "date", question  # as "Since when" and "When"
    assert facts.asked_kind("How many days from when I apply until approval?") == "number"  # not opening it
    # a verb is no qualifier, and a word after the added ones is not asked for: these ask for no number or name
    for question in (
        "What is Project Heron about?",
        "What limits the upload speed?",
        "What makes budgets overrun?",
        "What drives project costs?",
        "What might owners do?",
        "What is a delay pedal?",
        "Which budget committee approved the Heron project?",
    ):
        assert facts.asked_kind(question) is None, question


def test_a_name_that_begins_a_list_item_is_a_name() -> None:
    assert facts.names("On call:\n- Dana this week\n- Lee next week") == {"Dana", "Lee"}
    assert facts.names("The Heron project has one sponsor - Acme.") == {"Heron", "Acme"}


def grounds_right_not_wrong(cases: list[tuple[str, str, str, str]]) -> None:
    """For each (question, notes, right answer, wrong answer): the check passes the right one, not the wrong."""
    for question, text, right, wrong in cases:
        passage = passages(hit(text, title="notes"))[0]
        assert grounded(right, question, passage), question
        assert not grounded(wrong, question, passage), question


def test_an_answer_giving_the_default_is_grounded_where_another_sentence_has_the_questions_condition() -> None:
    # Three kinds of notes where the question's "when none is given" words sit in a sentence that is not the
    # answer's: a manual page, a settings reference, a tool's guide. The answer uses the word they use.
    cases = [
        (
            "Which signal does kill send when no signal is specified?",
            "DESCRIPTION\n…\nThe default signal for kill is TERM. Alternate signals may be specified in three\n"
            "ways: -9, -SIGKILL or -KILL.",
            "The default signal for kill is TERM.",
            "The default signal for kill is KILL.",
        ),
        (
            "Which port does the sync server listen on if no port is set?",
            "The sync server listens on port 8384 by default. The sync server listens on another port if one is\n"
            "set in sync.toml.",
            "The sync server listens on port 8384 by default.",
            "The sync server listens on port 8080 by default.",
        ),
        (
            "Which format does the report tool write without any options?",
            "The report tool writes CSV by default. With options the report tool writes JSON or HTML instead.",
            "The report tool writes CSV.",
            "The report tool writes JSON.",
        ),
    ]
    grounds_right_not_wrong(cases)
    # Where the question's own words tell the sentences apart, the one saying "default" may be about another.
    others = [
        (
            "Which shell does useradd give when no shell is specified?",
            "useradd gives new users /bin/sh when no shell is specified. The default shell of adduser is /bin/bash.",
            "useradd gives /bin/bash.",
        ),
        (
            "Which port does the sync server listen on if no port is set?",
            "The sync server listens on port 8384 unless one is set in sync.toml. The web UI listens on port 8080 by"
            " default.",
            "The sync server listens on port 8080 by default.",
        ),
    ]
    for question, text, wrong in others:
        assert not grounded(wrong, question, passages(hit(text, title="notes"))[0]), question


def test_an_option_named_by_the_heading_line_is_about_every_sentence_under_it() -> None:
    # An option's names line heads its description (a manual page, a settings reference); a governing line
    # brought from the chunk before heads a passage of prose. The answer may name what the head names.
    cases = [
        (
            "Which tar option creates a new archive?",
            "-c, --create\n       Create a new archive. Arguments supply the names of the files to be archived.\n"
            "       Directories are archived recursively, unless the --no-recursion option is given.",
            "The tar option --create is used to create a new archive.",
            "The tar option --no-recursion creates a new archive.",
        ),
        (
            "Which option sets the port the sync server listens on?",
            "--listen-port=N\n       The port the sync server listens on. Ports below 1024 need root, and\n"
            "       the --user option must name that user.",
            "The option --listen-port sets it.",
            "The option --user sets it.",
        ),
        (
            "Which option filters the archive through bzip2?",
            "-j, --bzip2\n…\nFilter the archive through bzip2(1). Use it with the --create\n"
            "       option or when reading an archive.",
            "The option -j filters the archive through bzip2.",
            "The option --create filters the archive through bzip2.",
        ),
    ]
    grounds_right_not_wrong(cases)
    # A table of options has no governing line, and a heading's versions or dates are no options.
    options = "-v, --verbose   print more output\n-q, --quiet     print less output\n-n, --dry-run   change nothing\n"
    table = passages(hit(options, title="tool"))[0]
    assert not grounded("The -v option makes it print less output.", "Which option prints less output?", table)
    changes = passages(
        hit(
            "Changes in versions 2.3.0 and 2.4.0\n…\nIn 2.3.0 the cache grew to 32 MB. In 2.4.0 the cache grew to"
            " 64 MB.\nThe log moved.",
            title="changelog",
        )
    )[0]
    assert not grounded("It grew to 64 MB in version 2.3.0.", "In which version did the cache grow to 64 MB?", changes)


TIDEPOOL_OPTIONS = [  # (question, the option that answers, another option of the same page)
    ("Which option compresses each copy with gzip?", "-g", "-z"),
    # its description goes on "With the --force option as well" (in the PDF, "--force" starts a line)
    ("Which tidepool option prompts before each file that would be overwritten?", "-i", "--force"),
    ("Which option leaves out files whose names match a pattern?", "-e", "-x"),
    ("Which option deletes files from the archive that no longer exist in the source?", "-m", "-d"),
    ("Which option makes tidepool stay on the file system of the source folder?", "-x", "-z"),
    ("Which option copies a file only when the source is newer than the copy in the archive?", "-u", "-n"),
]


@pytest.mark.parametrize("layout", ["txt", "pdf", "html"])
def test_an_option_is_read_quoted_and_checked_whatever_format_its_manual_page_came_in(
    layout: str, embedder: Embedder
) -> None:
    # One manual page as groff writes it three ways (tests/data/made/README.md): indented text; PDF, where
    # entries follow each other with no blank line and a description's line may start with another option
    # ("With the" over "--force option as well"); HTML, a paragraph each for an option and its description.
    path = MADE / f"tidepool.{layout}"
    text = extract(path.read_bytes(), path).text
    page = hit(text, title="tidepool")
    for question, right, wrong in TIDEPOOL_OPTIONS:
        best = find_evidence(question, [page], embedder.encode, 0.5, 1, 0.05)[0]
        said = quote(best, question)
        assert re.match(rf"{right}, --", said), (question, said)  # the option's names, then its description
        assert grounded(f"Use the {right} option.", question, best), question
        assert not grounded(f"Use the {wrong} option.", question, best), question


def test_a_paragraph_of_option_entries_is_cut_at_each_entry_not_at_a_line_naming_an_option() -> None:
    listing = (
        "-c, --checksum\n"
        "compare files by their checksum rather than by size and modification time. This is slower, and with the\n"
        "--force option it also rewrites files whose checksum is the same as in the archive, which takes long.\n"
        "-d, --dry-run\n"
        "show what would be copied, and copy nothing\n"
        "-e, --exclude=PATTERN\n"
        "leave out files whose names match PATTERN\n"
        "-f, --force\n"
        "overwrite a file in the archive that is newer than its source\n"
    )
    found = [p.text for p in passages(hit(listing, title="tidepool"))]
    heads = ["-c, --checksum", "-d, --dry-run", "-e, --exclude=PATTERN", "-f, --force"]
    assert [text.split("\n")[0] for text in found] == heads
    assert "--force option it also rewrites" in found[0]


def test_in_a_table_of_options_each_row_is_read_and_quoted_as_its_own_option() -> None:
    # No line governs a table: its first row is one option among the others, not a heading over them.
    table = passages(hit("-v, --verbose   print more output\n-q, --quiet     print less output\n", title="tool"))[0]
    question = "Which option prints less output?"
    assert quote(table, question) == "-q, --quiet     print less output"
    assert grounded("The -q option.", question, table)
    assert grounded("The -v option prints more output.", "Which option prints more output?", table)


def test_the_quote_of_an_option_is_its_own_description_not_a_sentence_naming_another_option() -> None:
    # "option" in a sentence names another option than the one asked for; every sentence under an option's
    # names line is about that option, so none needs another one's sentence to state it.
    count = passages(
        hit(
            "-c, --count\n       Suppress normal output; instead print a count of matching lines for each input\n"
            "       file. With the -v, --invert-match option (see above), count non-matching lines.\n"
        )
    )[0]
    assert quote(count, "Which grep option prints only a count of matching lines?").startswith(
        "-c, --count: Suppress normal output"
    )
    no_ignore = passages(
        hit(
            "--no-ignore-case\n       Do not ignore case distinctions in patterns and input data. This is the\n"
            "       default. This option is useful for passing to shell scripts that already use -i.\n"
        )
    )[0]
    said = quote(no_ignore, "Which option ignores case distinctions?")
    assert said == "--no-ignore-case: Do not ignore case distinctions in patterns and input data."


MKTEMP_PDF = (  # a manual page's options as a PDF reads: no indentation, no blank line, no full stop at the end
    "--suffix=SUFF\n"
    "append SUFF to TEMPLATE; SUFF must not contain a slash. This option is implied if TEMPLATE does not end in X\n"
    "-p DIR, --tmpdir[=DIR]\n"
    "interpret TEMPLATE relative to DIR; if DIR is not specified, use $TMPDIR if set, else /tmp. With this\n"
    "option, TEMPLATE must not be an absolute name; unlike with -t, TEMPLATE may contain slashes\n"
    "-q, --quiet\n"
    "suppress diagnostics about file/dir-creation failure\n"
)


def test_an_options_names_alone_start_its_entry_even_after_a_full_line() -> None:
    heads = [p.text.split("\n")[0] for p in passages(hit(MKTEMP_PDF, title="mktemp"))]
    assert heads == ["--suffix=SUFF", "-p DIR, --tmpdir[=DIR]", "-q, --quiet"]


def test_a_description_cut_from_its_option_in_a_pdf_gets_the_option_line_from_the_chunk_before() -> None:
    previous = MKTEMP_PDF[: MKTEMP_PDF.index("interpret TEMPLATE")]
    cut = passages(hit(MKTEMP_PDF[len(previous) :], start=len(previous), chunk_id="c2"))[0]
    assert with_head(cut, (previous, 0)).text.startswith("-p DIR, --tmpdir[=DIR]\n…\ninterpret TEMPLATE")
    prose = "The archive is copied at night.\nIts log is kept for a week.\n"
    plain = passages(hit("It is read by the office.\n", start=len(prose), chunk_id="c2"))[0]
    assert with_head(plain, (prose, 0)) == plain  # no option entry before it: nothing to head it


def test_an_options_description_without_a_full_stop_does_not_lead_into_the_next_option() -> None:
    # A manual page as HTML: names and description a paragraph each, descriptions seldom ending a sentence.
    entries = [
        ("-b, --binary", "read in binary mode"),
        ("-c, --check", "read sums from the FILEs and check them"),
        ("--tag", "create a BSD-style sum"),
        ("-t, --text", "read in text mode (default)"),
        ("-z, --zero", "end each output line with NUL, not newline"),
        ("--quiet", "do not print OK for each file that passed"),
        ("--strict", "exit non-zero for badly formatted lines"),
        ("-w, --warn", "warn about badly formatted lines"),
    ]
    html = "".join(f"{names}\n\n{description}\n\n" for names, description in entries)
    found = passages(hit(html, title="sums"))
    for names, description in entries:
        assert [p.text for p in found if description in p.text] == [f"{names}\n\n{description}"]


def test_lines_starting_with_a_negative_number_or_a_flag_in_prose_are_no_option_entries() -> None:
    notes = (
        "The freezer in the cabin was set to\n-18 degrees in the morning, which the caretaker found too cold, and\n"
        "-5 degrees is the target she wrote on the door of the shed next to it.\n"
    )
    assert [p.text for p in passages(hit(notes, title="cabin"))] == [notes.strip()]
    cabin = "Lowest temperature at the cabin\n\n-23 degrees on 3 February\n"
    assert passages(hit(cabin, title="cabin"))[0].text == cabin.strip()  # the label leads into its value


def test_a_passage_is_not_headed_by_an_option_of_another_paragraph_in_the_chunk_before() -> None:
    previous = GREP + "\n"  # ends with -n's entry and a blank line
    status = "EXIT STATUS\n       Normally the exit status is 0 if a line is selected.\n"
    cut = passages(hit(status, start=len(previous), chunk_id="c2"))[0]
    assert with_head(cut, (previous, 0)) == cut
    week = "Temperatures this week:\n-5\n-3\n\n"
    boiler = passages(hit("The boiler was serviced on 4 March.\n", start=len(week), chunk_id="c2"))[0]
    assert with_head(boiler, (week, 0)) == boiler
    # HTML: the option's names are a paragraph of their own, just before the description's.
    names = "-q, --quiet\n\nsuppress diagnostics\n\n-p DIR, --tmpdir[=DIR]\n\n"
    cut = passages(hit("interpret TEMPLATE relative to DIR.\n", start=len(names), chunk_id="c2"))[0]
    assert with_head(cut, (names, 0)).text.startswith("-p DIR, --tmpdir[=DIR]\n…\ninterpret TEMPLATE")


def test_an_answer_that_swaps_who_did_what_to_whom_is_replaced_by_the_notes_sentence() -> None:
    # an HTML page (a shared case: the model said the clinic gives the vaccinations to the nurse)
    page = Path(__file__).parent / "data" / "cases" / "html-div-text" / "clinic.html"
    clinic = extract(page.read_bytes(), page).text
    best = by_text(passages(hit(clinic, title="Lantern Street clinic")), "Perpetua")
    question = "Who gives flu vaccinations?"
    assert not grounded("The clinic provides flu vaccinations to the nurse Perpetua Lind.", question, best)
    assert grounded("Flu vaccinations are given by nurse Perpetua Lind.", question, best)
    assert grounded("Nurse Perpetua Lind gives them.", question, best)  # the agent as subject: the same role
    check = Check(Plan(question, [], [best]), fit=lambda text: text)
    shown = check.feed("The clinic provides flu vaccinations to the nurse Perpetua Lind. More.")
    assert check.replaced and "given on Thursday afternoons by nurse Perpetua Lind" in shown[0]


def test_a_file_an_option_reads_from_is_not_one_it_writes_to() -> None:
    # a manual page's entry
    page = "OPTIONS\n       -T, --files-from=FILE\n              Get names to extract or create from FILE.\n"
    entry = by_text(passages(hit(page, title="tar")), "--files-from")
    question = "Which tar option takes the names to archive from a list?"
    assert grounded("Use -T, which gets the names from FILE.", question, entry)
    assert not grounded("Use -T, which writes the names to FILE.", question, entry)


def test_a_records_direction_and_time_span_are_kept() -> None:
    # records, one per line
    trips = "ferry.route: from Oslo to Bergen\nferry.season: until 2027-09-30\nferry.operator: Fjordline"
    record = passages(hit(trips, title="travel"))[0]
    assert grounded("It sails from Oslo to Bergen.", "Where does the ferry sail?", record)
    assert not grounded("It sails from Bergen to Oslo.", "Where does the ferry sail?", record)
    assert grounded("It runs until 2027-09-30.", "How long does the ferry season run?", record)
    assert not grounded("It runs since 2027-09-30.", "How long does the ferry season run?", record)


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        (  # prose (the urllib HOWTO)
            "What User-Agent does urllib send by default?",
            "Some websites dislike being browsed by programs. By default urllib identifies itself as "
            "Python-urllib/x.y, which may confuse the site. The way a browser identifies itself is through the "
            "User-Agent header.",
            "By default urllib identifies itself as Python-urllib/x.y",
        ),
        (  # a manual page's option
            "What User-Agent does fetchit send by default?",
            "       -A, --user-agent=NAME\n              Send NAME as the User-Agent header; sites may treat programs"
            " by it.\n              By default fetchit sends fetchit/VERSION.",
            "By default fetchit sends fetchit/VERSION.",
        ),
        (  # a note, the default asked in other words
            "What ringtone does the phone play when I don't set one myself?",
            "Contacts can each have a ringtone of their own, set in the contact's page. By default the phone plays"
            " Marimba.",
            "By default the phone plays Marimba.",
        ),
    ],
)
def test_asked_for_a_default_the_quote_is_the_sentence_saying_it(question: str, text: str, said: str) -> None:
    """A sentence naming what is asked for ("User-Agent", "ringtone") without its default value is not quoted
    before the one that says the default: "default" is what is asked, as the class after "what" is."""
    assert said in quote(passages(hit(text, title="notes"))[0], question)


def test_between_sentences_the_question_fits_as_well_the_quote_is_the_one_the_rejected_answer_read() -> None:
    cases = [  # question, passage, the model's answer with a clause of its own, the sentence it read
        (  # prose
            "When does the office close?",
            "The office closes at noon on Friday. The office closes at six on Monday.",
            "It closes on Monday at six, after the cleaners leave.",
            "The office closes at six on Monday.",
        ),
        (  # records
            "Where is the backup kept?",
            "backup.weekly: Oslo office safe\nbackup.monthly: Bergen office safe",
            "It is kept in the Bergen office, in a vault.",
            "backup.monthly: Bergen office safe",
        ),
        (  # a manual page's section
            "What exit status does grep give?",
            "EXIT STATUS\n       Exit status is 0 if OK.\n       Exit status is 2 if trouble.",
            "The exit status is 2, which means the pattern was found.",
            "Exit status is 2 if trouble.",
        ),
    ]
    for question, text, answer, read in cases:
        passage = passages(hit(text, title="notes"))[0]
        assert quote(passage, question) != read  # the question alone picks the first
        assert quote(passage, question, answer) == read
        assert quote(passage, question, "Nothing of the notes here.") == quote(passage, question)


def test_the_check_quotes_the_sentence_its_rejected_answer_read() -> None:
    question = "When does the office close?"
    office = passages(hit("The office closes at noon on Friday. The office closes at six on Monday.", title="notes"))
    check = Check(Plan(question, [], office[:1]), fit=lambda text: text)
    shown = check.feed("It closes on Monday at six, after the cleaners leave and the alarm is set by the porter. More")
    assert check.replaced and shown == ['Your notes say: "The office closes at six on Monday." [1]']


def test_a_role_is_read_only_from_the_preposition_right_before_a_name_in_its_own_clause_and_line() -> None:
    cases = [  # notes, question, an answer in other words that keeps every role
        (
            "Flu vaccinations are given by nurse Perpetua Lind.",
            "Who gives flu vaccinations?",
            "You need to ask nurse Perpetua Lind.",
        ),  # an infinitive's "to", not a role
        (
            "Flu vaccinations are given by nurse Perpetua Lind.",
            "Who gives flu vaccinations?",
            "You need to ask Perpetua Lind.",
        ),
        (
            "The backup is started by cron at 02:00 every night.",
            "When does the backup start?",
            "It is scheduled to start at 02:00.",
        ),
        (
            "The cache is kept by default in ~/.cache/foo.",
            "Where is the cache kept?",
            "The cache is saved to ~/.cache/foo.",
        ),  # "by default", not by the path
        (
            "- Return the drill to Pekka\n- Anna lends us her ladder\n",
            "Who lends us a ladder?",
            "We borrow the ladder from Anna.",
        ),  # the line before is another item
        (
            "No visitors are allowed before 14:00.",
            "When are visitors allowed?",
            "Visitors are allowed after 14:00.",
        ),  # a negated line: "not before" is "after"
        (
            "Ola gives the keys to the caretaker; Anna Lie has a spare set.",
            "Who has a spare set of keys?",
            "A spare set is kept by Anna Lie.",
        ),  # the clause before ends before her name
    ]
    for notes, question, answer in cases:
        assert grounded(answer, question, passages(hit(notes, title="notes"))[0]), answer


def test_the_rejected_answers_citation_and_number_of_facts_do_not_outweigh_the_question() -> None:
    status = passages(hit("EXIT STATUS\n       Exit status is 1 if no match.\n       Exit status is 2 if trouble."))[0]
    question = "What exit status does grep give?"
    assert quote(status, question, "The exit status is 2 [1], which means the pattern was found.").endswith(
        "2 if trouble."
    )
    depots = (
        "Kestrel depot: inspector Ruth Alder, weekly\n"
        "Heron depot: inspector Ivo Brandt, monthly since 2021-04-01 in Hall B"
    )
    wrong_row = "The Kestrel depot is inspected by Ivo Brandt in Hall B since 2021-04-01."
    assert quote(passages(hit(depots))[0], "Who inspects the Kestrel depot?", wrong_row).startswith("Kestrel depot")


def test_a_name_opening_the_answer_does_what_the_notes_say_is_done_to_it() -> None:
    # a PDF page read back: a table's rows above the sentence, the sentence wrapped
    boat = (
        "Outboard service 875 Ines Vandermeer\nNew anodes 64 Kasimir Alt\n"
        "Kasimir sold his half-share of the outboard engine to\nInes Vandermeer for 450 EUR in December 2024."
    )
    passage = passages(hit(boat, title="Boat winter storage"))[0]
    question = "Who sold the half-share of the outboard engine?"
    assert not grounded("Ines Vandermeer sold the half-share of the outboard engine to Ines.", question, passage)
    assert grounded("Kasimir sold the half-share to Ines Vandermeer.", question, passage)  # the wrapped line read whole
    assert grounded("The half-share was sold by Kasimir.", question, passage)


@pytest.mark.parametrize(
    ("name", "content"),
    [  # one table's rows, as each format reads: a CSV, JSON lines, a Markdown list of key: value entries
        (
            "rides.csv",
            "date,route,riders,notes\n2025-04-06,Ridge loop,9,puncture at mile 12\n2025-04-20,Saltmarsh,14,\n",
        ),
        (
            "rides.jsonl",
            '{"date": "2025-04-06", "route": "Ridge loop", "riders": 9, "notes": "puncture at mile 12"}\n'
            '{"date": "2025-04-20", "route": "Saltmarsh", "riders": 14}\n',
        ),
        (
            "rides.md",
            "date: 2025-04-06\nroute: Ridge loop\nriders: 9\nnotes: puncture at mile 12\n\n"
            "date: 2025-04-20\nroute: Saltmarsh\nriders: 14\n",
        ),
    ],
)
def test_a_records_row_is_a_passage_of_its_own_and_a_date_in_words_finds_it(name: str, content: str) -> None:
    text = extract(content.encode(), Path(name)).text
    found = passages(hit(text, title="rides"))
    row = by_text(found, "2025-04-20")
    assert "puncture" not in row.text and "Saltmarsh" in row.text  # the row before does not head it
    asked = terms("How many riders came on 20 April 2025?", asked=True)
    assert "2025-04-20" in asked and "2025-04-20" in terms(row.text)
    assert not {"2025-04-20"} & terms(by_text(found, "2025-04-06").text)


def test_a_date_is_one_term_however_it_is_written() -> None:
    written = ["20 April 2025", "April 20, 2025", "20th of April 2025", "2025-04-20", "Apr 20th 2025"]
    assert all("2025-04-20" in terms(f"The backup failed on {when}.") for when in written)
    assert "2025-04-20" not in terms("The backup failed on 20 April.")  # no year: no date to match


@pytest.mark.parametrize(
    ("notes", "question", "answer"),
    [  # a name opening the answer is not always one who does: each keeps the notes' roles
        ("Send the invoices to Alice.", "Who do I send the invoices to?", "Alice."),
        ("Send the invoices to Alice.", "Who do I send the invoices to?", "To Alice."),
        ("Pay Ines 450 EUR for the anodes.", "Who gets the 450 EUR?", "450 EUR is paid to Ines."),
        ("Dear Maren, the spare keys are in the shed.", "Who is the letter for?", "The letter is written to Maren."),
        (
            "task: fix the gate\nassigned to: Maren\ndue: 2025-05-02",
            "Who is the gate task assigned to?",
            "The gate task is assigned to Maren.",
        ),
        ("On Friday, Ines was given the keys by Kasimir.", "Who got the keys?", "The keys were given to Ines."),
    ],
)
def test_an_answer_keeping_the_notes_roles_is_grounded(notes: str, question: str, answer: str) -> None:
    assert grounded(answer, question, passages(hit(notes, title="notes"))[0])


def test_only_real_dates_are_terms_and_a_timestamp_has_its_date() -> None:
    assert "2025-04-20" in terms("backup_2025-04-20.tar written at 2025-04-20T10:00:00Z")
    assert not facts.iso_dates("due 31 February 2025, code 2025-13-45")
    assert not facts.iso_dates("20 Aprıl 2025")  # a dotless i matches no month under re.I: no date, no error


def test_one_line_paragraphs_opening_with_the_same_word_and_a_colon_are_prose_not_rows() -> None:
    found = passages(hit("Note: the gate code changes on Monday\n\nNote: the new code is 4471.", title="gate"))
    assert len(found) == 1 and "Monday" in found[0].text and "4471" in found[0].text


@pytest.mark.parametrize(
    ("name", "content"),
    [  # an FAQ's bare "No." and the sentence that explains it, as each format reads: text, Markdown, HTML
        (
            "faq.txt",
            "9.2. Must I go into single user mode to upgrade a package?\n\nNo. Packages can be upgraded in place,"
            " even in running systems. Debian has a start-stop-daemon program that is invoked to stop, then restart"
            " running processes during a package upgrade.\n",
        ),
        (
            "faq.md",
            "## Must I go into single user mode to upgrade a package?\n\nNo. Packages can be upgraded in place, even"
            " in running systems.\nDebian has a start-stop-daemon program that is invoked to stop, then restart\n"
            "running processes during a package upgrade.\n",
        ),
        (
            "faq.html",
            "<html><body><h3>Must I go into single user mode to upgrade a package?</h3><p>No. Packages can be"
            " upgraded in place, even in running systems. Debian has a start-stop-daemon program that is invoked"
            " to stop, then restart running processes during a package upgrade.</p></body></html>",
        ),
    ],
)
def test_a_yes_or_no_question_is_quoted_the_notes_own_yes_or_no_with_its_reason(name: str, content: str) -> None:
    text = extract(content.encode(), Path(name)).text
    passage = by_text(passages(hit(text, title="FAQ")), "No. Packages")
    said = quote(passage, "Do I have to drop to single-user mode to upgrade a package on Debian?")
    assert said.startswith("No. Packages can be upgraded in place, even in running systems.")  # not the longer one


def test_a_bare_yes_or_no_is_one_sentence_with_its_reason_not_with_the_next_question() -> None:
    assert evidence.sentences("Yes. Some may be sold.") == ["Yes. Some may be sold."]
    assert evidence.sentences("It is not. Packages are upgraded.") == ["It is not.", "Packages are upgraded."]
    faq = "Can I reuse a voucher? Yes. How do I get a voucher? Ask Maren at the desk."
    assert evidence.sentences(faq) == [
        "Can I reuse a voucher?",
        "Yes.",
        "How do I get a voucher?",
        "Ask Maren at the desk.",
    ]
    # only a yes or a no counts as one: not "No one ...", "Sure footing ...", "Error: no such file"
    assert all(evidence.VERDICT.match(t) for t in ("Yes, .pyd files are DLLs.", "No. Never.", "pets allowed: no"))
    for other in ("No one answers the phone.", "Sure footing is needed.", "Error: no such file or directory"):
        assert not evidence.VERDICT.match(other), other
    cabin = "The cabin has a wood stove and a kettle.\nSure footing is needed on the path to the cabin."
    assert quote(passages(hit(cabin, title="cabins"))[0], "Does the cabin have a stove?").startswith("The cabin has")


@pytest.mark.parametrize(
    ("name", "content", "author"),
    [  # who wrote a note, in its header's field: a mail-style header, Markdown front matter, a title page
        (
            "howto.txt",
            "From: Eric S. Raymond <esr@thyrsus.com>\nAbstract: This is how-to documentation for people who want"
            " to add extension commands to Git.\nContent-type: text/asciidoc\n\nHow to integrate new subcommands\n"
            "================================\n",
            "Eric S. Raymond",
        ),
        (
            "howto.md",
            "# How to integrate new subcommands\n\n**Author:** Jelke de Boer  \n**Summary:** This is how-to"
            " documentation for people who want to add extension commands to Git.\n\nThere are three parts.\n",
            "Jelke de Boer",
        ),
        (
            "howto.html",
            "<html><body><p>Author: Perpetua Lind</p><p>Abstract: This is how-to documentation for people who want"
            " to add extension commands to Git.</p><h1>How to integrate new subcommands</h1></body></html>",
            "Perpetua Lind",
        ),
    ],
)
def test_who_wrote_a_note_is_quoted_from_its_header(name: str, content: str, author: str) -> None:
    text = extract(content.encode(), Path(name)).text
    found = passages(hit(text, title="howto"))
    passage = by_text(found, author.split()[-1])
    assert author in quote(passage, "Who wrote the how-to on integrating new subcommands into Git?")


def test_who_made_a_note_is_joined_only_from_a_field_that_says_so() -> None:
    beds = "The Kestrel ward is on the second floor, next to the lift.\nphone: 555-0142"
    said = quote(passages(hit(beds, title="wards"))[0], "How many beds does the Kestrel ward have?")
    assert "555" not in said
    mirror = "The Debian mirror serves the campus from the basement.\nLicense: GNU General Public License"
    assert "License" not in quote(passages(hit(mirror, title="mirror"))[0], "Who maintains the Debian mirror?")
    mirror = mirror.replace("License: GNU General Public License", "Maintainer: Ada Fenwick <ada@example.org>")
    assert "Ada Fenwick" in quote(passages(hit(mirror, title="mirror"))[0], "Who maintains the Debian mirror?")


def test_a_small_word_opening_a_records_value_is_no_name() -> None:
    assert facts.names("Abstract: This is how-to documentation. Content-type: text/asciidoc How to do it") == set()
    assert facts.names("Ask the IT desk or Maren in the US office") == {"IT", "Maren", "US"}
    assert "Who" in facts.names("The opening act was The Who.")


KESTREL_PAGE = (  # a page's footer: links to the pages before and after, and the next one's headings
    "Each program is confined to a profile that lists the files it may open. "
    "The first profiles were written by the Orchard Labs team in 2009. Profiles are kept in /etc/kestrel.d, one "
    "file a program, and loaded at boot; a program without one runs unconfined.\n\n"
    "• Prev\n• Next\n14.5. Kestrel principles\n14.5.1. Kestrel profiles\n"
)


@pytest.mark.parametrize(
    ("name", "content"),
    [  # a page's navigation as each format keeps it: a web page saved as text, as HTML, printed to PDF
        ("kestrel.txt", KESTREL_PAGE.encode()),
        (
            "kestrel.html",
            b"<html><body><p>Each program is confined to a profile that lists the files it may open. The first"
            b" profiles were written by the Orchard Labs team in 2009.</p><p>Prev | Up | Home</p>"
            b"<p>14.5. Kestrel principles</p></body></html>",
        ),
        ("kestrel.pdf", make_pdf([KESTREL_PAGE.replace("• ", "- ")])),  # helvetica has no "•"
    ],
)
def test_a_pages_navigation_is_never_the_evidence(name: str, content: bytes, embedder: Embedder) -> None:
    text = extract(content, Path(name)).text
    found = passages(hit(text, title="Kestrel"))
    assert any(evidence.navigation(p.text) for p in found)  # the page has it, as its own passage
    question = "What are the principles of Kestrel?"  # the footer's headings share every word of it
    best = find_evidence(question, [hit(text, title="Kestrel")], embedder.encode, 0.5, 1, 0.1)
    assert "confined to a profile" in best[0].text
    assert "Next" not in quote(best[0], question) and "Prev" not in quote(best[0], question)


def test_labels_without_a_navigation_link_are_still_evidence() -> None:
    notes = (
        "Contact\nMaren Olsen",
        "Home\nMaren Olsen",  # a heading over a name
        "Team\n• Ada Fenwick\n• Maren Olsen",
        "Releases\n2.1 Slink\n2.2 Potato",
        "Emergency contacts\nHome\nMaren Olsen\nWork\nAda Fenwick",
        "Addresses\n\nHome\n14 Birch Road\nBergen",
        "Restaurant\n\nMenu\nPancakes\nWaffles",
        "Roadmap\nNow\nOffline sync\nNext\nSharing",
        "Wifi\n\nDownload: 940 Mbps",
        "Skip to step 4",
        "Languages\nGo\nRust",  # a list with a search button's word in it
        "Stack\n- Python\n- Go\n- Postgres",
        "Features\n- Search\n- Tags\n- Export",
        "Weekend\n* Go\n* Hiking",
        "Board games\nGo\nChess\nGo\nShogi",
        "Hiring\n- 2 designers\n- Go",
        "Go home",
    )
    for labels in notes:
        assert not evidence.navigation(labels), labels
    pages = (
        "• Prev\n• Next\n14.4. Introduction",
        "Prev | Up | Home",
        "« Previous  Next »",
        "Download the ebook\n• Prev",
        "Prev\nNext\n14.5. Kestrel principles",
        "Back to top",
        "Go\n\nGo",  # a search box's button, twice, as a PDF printed from a Sphinx page keeps it
        "Quick search\nGo",
        "• previous |\n\n•\n• Python »\n• 3.11.2 Documentation »\n• Python HOWTOs »\n• Socket Programming HOWTO",
    )
    for page in pages:
        assert evidence.navigation(page), page
    assert not evidence.navigation("Next, open the lid and pour.\nHome")  # a sentence is said, not navigation


def extracted_passages(name: str, data: bytes) -> list[str]:
    """The passages of a file as its extractor reads it, its whole text one chunk."""
    return [p.text for p in passages(hit(extract(data, PurePosixPath(name)).text, title=name))]


def spreadsheet(rows: list[tuple[str, ...]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_files(rows: list[tuple[str, ...]], title: str) -> dict[str, bytes]:
    """One table (its first row the column names) as a spreadsheet, a web page's table, a Markdown table and a
    PDF's ruled table."""
    cells = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return {
        "table.xlsx": spreadsheet(rows),
        "table.html": f"<html><body><h1>{title}</h1><table>{''.join(cells)}</table></body></html>".encode(),
        "table.md": "\n".join([f"# {title}", "", lines[0], "| --- " * len(rows[0]) + "|", *lines[1:]]).encode(),
        "table.pdf": table_pdf(rows, title),
    }


RELEASES = [
    ("version", "codename", "release", "eol"),
    ("6.10", "Edgy Eft", "2006-10-26", "2008-04-25"),
    ("7.04", "Feisty Fawn", "2007-04-19", "2008-10-19"),
    ("8.04 LTS", "Hardy Heron", "2008-04-24", "2011-05-12"),
    ("8.10", "Intrepid Ibex", "2008-10-30", "2010-04-30"),
]
TABLES = table_files(RELEASES, "Releases")


@pytest.mark.parametrize("name", TABLES)
def test_each_row_of_a_table_is_a_passage_of_its_own(name: str) -> None:
    """A spreadsheet, a web page's table and a Markdown table: a question's row is read without its neighbours,
    whose values the model took (the Ubuntu release after Hardy Heron's date was its answer)."""
    found = extracted_passages(name, TABLES[name])
    hardy = [text for text in found if "Hardy Heron" in text]
    assert len(hardy) == 1 and "2008-04-24" in hardy[0]
    assert not any(other in hardy[0] for other in ("Feisty", "Intrepid"))
    assert sum("codename: " in text for text in found) == len(RELEASES) - 1


@pytest.mark.parametrize("name", TABLES)
def test_a_table_rows_quote_is_the_cell_asked_for_with_the_cell_naming_the_row(name: str) -> None:
    """A row of a sheet, a web page, a Markdown table or a PDF is read as a record: "When did Hardy Heron reach
    end of life?" is quoted "codename: Hardy Heron; eol: 2011-05-12", not the whole row, whose first date the
    model took; a question no column fits better than another still gets the whole row."""
    text = extract(TABLES[name], PurePosixPath(name)).text
    hardy = next(p for p in passages(hit(text, title=name)) if "Hardy Heron" in p.text)
    said = quote(hardy, "When did Hardy Heron reach its end of life?")
    assert "codename: Hardy Heron" in said and "eol: 2011-05-12" in said and "2008-04-24" not in said
    assert all(value in quote(hardy, "What happened with Hardy Heron?") for value in RELEASES[3])


CODES = {
    "countries.json": json.dumps([{"alpha_2": "GH", "alpha_3": "GHA", "name": "Ghana"}]).encode(),
    "countries.csv": b"alpha_2,alpha_3,name\nGH,GHA,Ghana\nGM,GMB,Gambia\n",
    "countries.md": b"# Countries\n\n| alpha_2 | alpha_3 | name |\n|---|---|---|\n| GH | GHA | Ghana |\n"
    b"| GM | GMB | Gambia |\n",
}


@pytest.mark.parametrize("name", CODES)
def test_a_key_joined_by_an_underscore_is_the_questions_compound_joined_by_a_hyphen(name: str) -> None:
    # "What's the ISO alpha-3 code for Ghana?" quoted the whole record: "alpha_2" and "alpha_3" said "alpha" alike
    text = extract(CODES[name], PurePosixPath(name)).text
    ghana = next(p for p in passages(hit(text, title=name)) if "Ghana" in p.text)
    said = quote(ghana, "What's the ISO alpha-3 code for Ghana?")
    assert "alpha_3: GHA" in said and "alpha_2" not in said


def test_a_tables_caption_heads_each_of_its_rows() -> None:
    text = "Table 7.3. List of notable GUI applications\n\npackage: thunderbird; type: GTK\npackage: kontact; type: KDE"
    assert [p.text for p in passages(hit(text))] == [
        "Table 7.3. List of notable GUI applications\n…\npackage: thunderbird; type: GTK",
        "Table 7.3. List of notable GUI applications\n…\npackage: kontact; type: KDE",
    ]


COUNTRY = {
    "alpha_2": "VN",
    "alpha_3": "VNM",
    "common_name": "Vietnam",
    "flag": "🇻🇳",
    "name": "Viet Nam",
    "numeric": "704",
    "official_name": "Socialist Republic of Viet Nam",
}
RECORDS = {
    "countries.json": json.dumps({"3166-1": [{"alpha_2": "VA", "name": "Holy See"}, COUNTRY]}).encode(),
    "countries.csv": ",".join(COUNTRY).encode() + b"\nVA,VAT,,,Holy See,336,\n" + ",".join(COUNTRY.values()).encode(),
    "vietnam.yaml": "\n".join(f"{key}: {value}" for key, value in COUNTRY.items()).encode(),
}


WHEEZY = {
    "version": "7",
    "codename": "Wheezy",
    "created": "2011-02-06",
    "release": "2013-05-04",
    "eol": "2016-04-25",
    "eol-lts": "2018-05-31",
}
RELEASE_RECORDS = {
    "debian.json": json.dumps([{**WHEEZY, "version": "6.0", "codename": "Squeeze"}, WHEEZY]).encode(),
    "debian.csv": ",".join(WHEEZY).encode() + b"\n" + ",".join(WHEEZY.values()).encode(),
    "wheezy.yaml": "\n".join(f"{key}: {value}" for key, value in WHEEZY.items()).encode(),
}


def wheezy_record(name: str) -> Passage:
    text = extract(RELEASE_RECORDS[name], PurePosixPath(name)).text
    return next(p for p in passages(hit(text)) if "Wheezy" in p.text)


@pytest.mark.parametrize("name", RELEASE_RECORDS)
def test_a_records_quote_is_the_field_its_key_says_with_the_field_naming_the_record(name: str) -> None:
    """Debian's releases have five dates a record: "When did Wheezy reach end of life?" was quoted "created:
    2011-02-06", the first date. A key the question spells out ("eol": end of life) is the field, quoted with
    the one that says which record it is; "eol-lts" says more than was asked."""
    passage = wheezy_record(name)
    said = quote(passage, "When did Wheezy reach its end of life?")
    assert "codename: Wheezy" in said and "eol: 2016-04-25" in said
    assert "created" not in said and "eol-lts" not in said
    assert "eol-lts: 2018-05-31" in quote(passage, "When did Wheezy's long term support end?")


def test_a_key_is_no_initialism_of_small_words_nor_preferred_for_having_fewer_parts() -> None:
    """ "is due" does not spell "id"; where no key says what is asked, "created" does not beat "release_date"
    for being one word: the record is quoted whole."""
    job = passages(hit("name: Backup job\nid: 42\nschedule: nightly\nowner: Ann", title="jobs"))[0]
    assert "schedule: nightly" in quote(job, "How often is the backup job due?")
    text = "version: 7\ncodename: Wheezy\ncreated: 2011-02-06\nrelease_date: 2013-05-04\neol_date: 2016-04-25"
    said = quote(passages(hit(text, title="releases"))[0], "When did Wheezy happen?")
    assert all(date in said for date in ("2011-02-06", "2013-05-04", "2016-04-25"))


OFFICE = {"office": "Derby", "office_code": "AT", "TZ": "Europe/London", "opened": "2019"}
OFFICE_RECORDS = {
    "offices.json": json.dumps([{**OFFICE, "office": "Hull", "office_code": "NO"}, OFFICE]).encode(),
    "offices.csv": ",".join(OFFICE).encode() + b"\n" + ",".join(OFFICE.values()).encode(),
    "derby.yaml": "\n".join(f"{key}: {value}" for key, value in OFFICE.items()).encode(),
}


@pytest.mark.parametrize("name", OFFICE_RECORDS)
def test_a_key_of_two_letters_is_spelled_out_by_two_words_and_a_code_given_names_the_record(name: str) -> None:
    """ "TZ" is "time zone": the office's time zone is the field asked, quoted with the one naming the office.
    Asked by its code "AT" (a small word), the record is named by it, and quoted whole where the code's key is
    what the question says most ("country-codes: AT" alone was quoted for Austria's time zone)."""
    text = extract(OFFICE_RECORDS[name], PurePosixPath(name)).text
    derby = next(p for p in passages(hit(text, title="offices")) if "Derby" in p.text)
    said = quote(derby, "Which time zone is Derby in?")
    assert "TZ: Europe/London" in said and "office: Derby" in said and "opened" not in said
    assert "TZ: Europe/London" in quote(derby, "Which time zone has office code AT?")


@pytest.mark.parametrize("name", RELEASE_RECORDS)
def test_a_record_is_quoted_whole_where_no_field_fits_the_question_better_than_another(name: str) -> None:
    passage = wheezy_record(name)
    said = quote(passage, "When did Wheezy happen?")
    assert all(f"{key}: {value}" in said for key, value in WHEEZY.items())


@pytest.mark.parametrize("name", RECORDS)
def test_a_record_of_up_to_twelve_fields_is_read_whole(name: str) -> None:
    """iso-codes' countries have seven fields: in windows of three lines, "Vietnam" and its numeric code 704
    were in different passages."""
    found = extracted_passages(name, RECORDS[name])
    vietnam = [text for text in found if "Vietnam" in text]
    assert len(vietnam) == 1 and "704" in vietnam[0] and "VNM" in vietnam[0] and "Holy See" not in vietnam[0]


@pytest.mark.parametrize("name", RECORDS)
def test_a_record_whose_fitting_field_only_names_what_was_asked_about_is_quoted_whole(name: str) -> None:
    """The field "common_name: Vietnam" fits "What is the two-letter code of Vietnam?" best and says nothing
    asked; the record it is in does ("alpha_2: VN"). A field that answers is still quoted alone ("numeric: 704"
    for the numeric code; the hotel of a trip, above)."""
    passage = next(p for p in passages(hit(extract(RECORDS[name], PurePosixPath(name)).text)) if "Vietnam" in p.text)
    said = quote(passage, "What is the two-letter code of Vietnam?")
    assert "alpha_2: VN" in said and "Vietnam" in said
    numeric = quote(passage, "What is the ISO numeric code for Vietnam?")
    assert "numeric: 704" in numeric and "alpha_2" not in numeric


def test_a_label_over_a_list_item_still_quotes_the_item_that_states_the_date() -> None:
    """Only a record (every line `key: value`) is quoted whole; a "Project: ..." label over a list item is not
    one, and the item that states the date asked for is quoted with it."""
    passage = passages(hit("Project: Heron budget\n- approved on 3 March 2025 by the board"))[0]
    assert "3 March 2025" in quote(passage, "When was the Project Heron budget approved?")


NOTE = (
    "Released with the first long-term support of the desktop. Its support ended in May 2011 for the desktop "
    "and in May 2013 for the server; Landscape and the new installer came with it. The artwork was new, and so "
    "was the way the release was announced to the press."
)
LONG_RELEASES = [(*row, "notes" if n == 0 else NOTE if "Hardy" in row[1] else "-") for n, row in enumerate(RELEASES)]
LONG_TABLES = table_files(LONG_RELEASES, "Releases")


@pytest.mark.parametrize("name", LONG_TABLES)
def test_a_row_too_long_for_one_line_is_still_one_passage_of_its_table(name: str) -> None:
    """A row longer than LONG_LINE is cut into sentences to be read; it stays one row, and the rows around it
    stay passages of their own (cut, it was no row, and the whole table was read in windows of three)."""
    found = extracted_passages(name, LONG_TABLES[name])
    hardy = [text for text in found if "Hardy Heron" in text]
    assert len(hardy) == 1 and "2008-04-24" in hardy[0] and "to the press." in hardy[0]
    assert not any(other in hardy[0] for other in ("Feisty", "Intrepid"))
    assert sum("codename: " in text for text in found) == len(RELEASES) - 1


LONG_RECORDS = {
    "vietnam.json": json.dumps({**COUNTRY, "note": NOTE}).encode(),
    "vietnam.csv": ",".join([*COUNTRY, "note"]).encode() + b"\n" + ",".join([*COUNTRY.values(), f'"{NOTE}"']).encode(),
    "vietnam.yaml": "\n".join([*(f"{key}: {value}" for key, value in COUNTRY.items()), f"note: {NOTE}"]).encode(),
}


@pytest.mark.parametrize("name", LONG_RECORDS)
def test_a_record_with_a_value_too_long_for_one_line_is_still_read_whole(name: str) -> None:
    found = extracted_passages(name, LONG_RECORDS[name])
    vietnam = [text for text in found if "Vietnam" in text]
    assert len(vietnam) == 1 and "704" in vietnam[0] and "to the press." in vietnam[0]


ODD_ROW = ("8.10", "Intrepid Ibex; the last of 2008", "2008-10-30", "2010-04-30")  # a cell holding "; "
ODD_TABLES = table_files([*RELEASES[:4], ODD_ROW], "Releases")


@pytest.mark.parametrize("name", ODD_TABLES)
def test_a_row_that_does_not_read_as_one_leaves_the_other_rows_passages_of_their_own(name: str) -> None:
    found = extracted_passages(name, ODD_TABLES[name])
    hardy = [text for text in found if "Hardy Heron" in text]
    assert len(hardy) == 1 and "2008-04-24" in hardy[0]
    assert not any(other in hardy[0] for other in ("Feisty", "Intrepid"))
    odd = [text for text in found if "Intrepid" in text]
    assert len(odd) == 1 and "2008-10-30" in odd[0] and "Hardy" not in odd[0]


FOLLOWED = {
    "releases.md": "| version | codename | eol |\n| --- | --- | --- |\n| 8.04 LTS | Hardy Heron | 2011-05-12 |\n"
    "| 8.10 | Intrepid Ibex | 2010-04-30 |\n\nKeep the release notes with the images",
    "releases.html": "<html><body><table><tr><th>version</th><th>codename</th><th>eol</th></tr>"
    "<tr><td>8.04 LTS</td><td>Hardy Heron</td><td>2011-05-12</td></tr>"
    "<tr><td>8.10</td><td>Intrepid Ibex</td><td>2010-04-30</td></tr></table>"
    "<p>Keep the release notes with the images</p></body></html>",
    "releases.txt": "version: 8.04 LTS; codename: Hardy Heron; eol: 2011-05-12\n"
    "version: 8.10; codename: Intrepid Ibex; eol: 2010-04-30\n\nKeep the release notes with the images",
}


@pytest.mark.parametrize("name", FOLLOWED)
def test_a_table_does_not_lead_into_the_paragraph_after_it(name: str) -> None:
    """A row's last value seldom ends a sentence; that does not make the note after the table part of it."""
    found = extracted_passages(name, FOLLOWED[name].encode())
    assert [text for text in found if "release notes" in text] == ["Keep the release notes with the images"]


HEADED = {
    "heron.txt": "Project: Heron\nOwner: Annika Strand\nStatus: approved\n\nThe budget is 120,000 EUR, set in March.",
    "heron.md": "Project: Heron  \nOwner: Annika Strand  \nStatus: approved\n\nThe budget is 120,000 EUR, set in May.",
    "heron.html": "<html><body><p>Project: Heron<br>Owner: Annika Strand<br>Status: approved</p>"
    "<p>The budget is 120,000 EUR, set in March.</p></body></html>",
}


@pytest.mark.parametrize("name", HEADED)
def test_a_memos_fields_are_read_with_the_note_under_them(name: str) -> None:
    """ "Project: Heron" over the budget's sentence says whose budget it is, as a heading would."""
    found = extracted_passages(name, HEADED[name].encode())
    budget = [text for text in found if "120,000" in text]
    assert len(budget) == 1 and "Project: Heron" in budget[0]


SAYINGS = {
    "chat.txt": "Maren: Are we still on for the boiler check on Friday?\nJonas: Yes, the engineer comes at nine.\n"
    "Maren: Who is the engineer this time?\nJonas: Perpetua Lind from Oakfield Heating.\n"
    "Maren: Does she need the key to the cellar?\nJonas: No, the cellar door is open on Fridays.\n"
    "Maren: Then I will leave the gate unlocked.",
    "glossary.md": "# Glossary\n\nChroma: the database that holds the vectors of every chunk of the notes.\n"
    "Manifest: the file that says which documents were read and when they changed.\n"
    "Chunk: a few hundred words of one document, cut where a paragraph ends.\n"
    "Evidence: the lines of the retrieved chunks that answer the question asked.\n"
    "Gate: the check that a trained model answers better before it is served.\n"
    "Night: the run that trains, merges, exports and quantizes the model.\n"
    "Quote: the notes' own words shown when the answer fails the check.",
    "minutes.html": "<html><body><h1>Minutes</h1><p>Annika: The budget for Heron is approved by the board.<br>"
    "Jonas: The kickoff is moved to the third of March.<br>Annika: The depot inspection is on the Friday after.<br>"
    "Jonas: Perpetua Lind will lead the inspection again.<br>Annika: The report goes to the city by April.<br>"
    "Jonas: We keep the old badge numbers for the contractors.<br>Annika: The next meeting is on the ninth.</p>"
    "</body></html>",
}


@pytest.mark.parametrize("name", SAYINGS)
def test_lines_that_say_things_after_a_name_are_no_record(name: str) -> None:
    """A chat, a glossary, minutes: each line says something and one line answers; seven of them are not one
    record read whole, but prose read in windows."""
    found = extracted_passages(name, SAYINGS[name].encode())
    assert found and all(text.count("\n") < 6 for text in found)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("version: 16.04 LTS; eol-esm: 2026-04-23", {"eol", "esm", "2026-04-23"}),  # a sheet's column name
        ("iso_15924.jsonl", {"iso", "15924"}),  # a file name, the title of its passages
        ("Use the command-line tools of a Debian-based system.", {"command", "line", "debian"}),  # prose
        ("-n, --line-number", {"line", "number"}),  # an option
    ],
)
def test_a_compound_of_words_counts_as_its_parts(text: str, parts: set[str]) -> None:
    """ "Until when is Ubuntu 16.04 covered by ESM?" shares "esm" with the row's "eol-esm"; a date or a version
    is not cut into numbers."""
    assert parts <= terms(text, parts=True)
    assert not {"2026", "04", "23"} & terms("eol-esm: 2026-04-23", parts=True)
    assert "esm" not in terms("eol-esm")  # elsewhere (a follow-up's count of words, the check) a word is one


def same_meaning(texts: list[str]) -> np.ndarray:
    """One vector for every text: scores then differ by the words shared alone."""
    return np.ones((len(texts), 4)) / 2


@pytest.mark.parametrize("written", ["It was released on 25 April 2024.", "Released April 25th, 2024"])
def test_a_record_s_iso_date_holds_all_a_date_written_out_asks(written: str) -> None:
    """A record's "2024-04-25" holds what "25 April 2024" asks as a passage that writes it out does (its day,
    month and year counted for the one that writes them); a date written in part still shares some."""
    question = "Which Ubuntu release came out on 25 April 2024?"
    record, other, partly, none = first_passages("release: 2024-04-25", written, "April 25: release", "release")
    scored = {p.text: p.score for p in score(question, [record, other, partly, none], same_meaning, 0.5)}
    assert scored[record.text] == scored[other.text] > scored[partly.text] > scored[none.text]


@pytest.mark.parametrize("asked", ["25 April 2024", "April 25th, 2024", "25th Apr 2024", "Apr 25, 2024"])
def test_a_record_s_iso_date_holds_the_date_however_the_question_spells_it(asked: str) -> None:
    question = f"Which Ubuntu release came out on {asked}?"
    record, same, other = first_passages("release: 2024-04-25", f"Released {asked}", "release: 2024-04-26")
    scored = {p.text: p.score for p in score(question, [record, same, other], same_meaning, 0.5)}
    assert scored[record.text] == scored[same.text] > scored[other.text]


def others(count: int) -> list[str]:
    """Lines that share no word with the questions below: a folder's other records."""
    return [f"name: Filler record\nvalue: {'x' * (n + 1)}" for n in range(count)]


def assert_read_first(question: str, first: str, competing: list[str]) -> None:
    """`first` is read first for the question among the competing passages and fillers (one meaning for every
    text: the words decide), whether it comes before them or after."""
    for order in ([first, *competing], [*competing, first]):
        ranked = score(question, first_passages(*order, *others(18)), same_meaning, 0.5)
        assert ranked[0].text == first


IDENTIFIED = {  # the question, the passage holding its name or number, one sharing its other words
    "records": (
        "Which script has the ISO 15924 code Dsrt?",
        "alpha_4: Dsrt\nname: Deseret (Mormon)",
        "alpha_4: Zzzz\nname: Code for uncoded script",
    ),
    "manual page": (
        "Which signal has the number 9?",
        "SIGKILL       9      Term    Kill",
        "Signal names and numbers are listed by kill -l.",
    ),
    "prose": (
        "What interface does PEP 3333 describe?",
        "PEP 3333: the gateway between web servers and applications (WSGI).",
        "A PEP describes an interface or a new feature.",
    ),
}


@pytest.mark.parametrize("kind", IDENTIFIED)
def test_a_name_or_number_few_passages_hold_outweighs_the_questions_common_words(kind: str) -> None:
    """Which record, signal or PEP is asked about is said by one name or number, where the passage that holds
    it shares little else with the question ("Deseret (Mormon)"), and the one that shares the rest does not
    hold it ("Code for uncoded script"). Words alone decide here (one meaning for every text)."""
    question, holding, sharing = IDENTIFIED[kind]
    ranked = score(question, first_passages(holding, sharing, *others(18)), same_meaning, 0.5)
    assert ranked[0].text == holding


CLASS_ASKED = {  # the question, the passage holding what it names, one naming the kind of thing it asks for
    "records": (
        "Which EtherType number does LLDP use?",
        "LLDP\t\t88CC\t\t# Link Layer Discovery Protocol [802.1ab]",  # /etc/ethertypes
        "# The EtherType is a two-octet field of Ethernet frames; a number for each protocol.",
    ),
    "manual page": (
        "Which OpenSSH option is -4?",
        "-4     Forces ssh to use IPv4 addresses only.",
        "OpenSSH reads each option from the command line first.",
    ),
    "prose": (
        "Which Debian codename does Kali track?",
        "Kali tracks testing, as rolling releases do.",
        "Every Debian codename comes from Toy Story.",
    ),
}


@pytest.mark.parametrize("kind", CLASS_ASKED)
def test_the_kind_of_thing_asked_for_identifies_no_passage(kind: str) -> None:
    """ "Which EtherType number" names a class, which a comment about the table shares with the question and its
    rows do not; LLDP, -4 or Kali names the one asked about. Words alone decide here (one meaning for all)."""
    question, holding, naming = CLASS_ASKED[kind]
    ranked = score(question, first_passages(naming, holding, *others(18)), same_meaning, 0.5)
    assert ranked[0].text == holding


MAX_LINES_READ = evidence.WINDOW + 2  # a window's lines, the line heading it and the "…" between


# A chunk of /var/lib/dpkg/status: the end of one package's stanza (the chunk cut the rest), then another.
DPKG_STATUS = """ This package contains the D-Bus command-line utilities such as dbus-send
 and dbus-monitor.
Homepage: https://dbus.freedesktop.org/

Package: fakeroot
Status: install ok installed
Priority: optional
Section: utils
Installed-Size: 208
Maintainer: Clint Adams <clint@debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 1.31-1.2
Depends: libfakeroot (>= 1.31-1.2), libc6 (>= 2.34)
Description: tool for simulating superuser privileges
 fakeroot provides a fake "root environment" by means of LD_PRELOAD and
 SysV IPC (or TCP) trickery. It puts wrappers around getuid(), chown(),
 stat(), and other file-manipulation functions, so that unprivileged
 users can (for instance) populate .deb archives with root-owned files;
 various build tools use fakeroot for this by default.
"""
# adduser's machine-readable copyright file (/usr/share/doc/adduser/copyright), its first stanza.
DEP5_COPYRIGHT = """Files: *
Copyright: 1994 Debian Association, Inc.
           1995 Sven Rudolph  <sr1@inf.tu-dresden.de>
           1995 Ian Murdock <imurdock@debian.org>
           1995 Ted Hajek <tedhajek@boombox.micro.umn.edu>
           1996 Steve Phillips <sjp@cvfn.org>
           1996-1999 Guy Maor <maor@debian.org>
           2000-2004 Roland Bauerschmidt <rb@debian.org>
           2005-2009 Joerg Hoh <joerg@joerghoh.de>
           2006-2011 Stephen Gran <sgran@debian.org>
           2001-2016 John Zaitseff
           2004-2022 Marc Haber <mh+debian-packages@zugschlus.de>
           2021-2022 Jason Franklin <jason@oneway.dev>
           2022 Matt Barry <matt@hazelmollusk.org>
License: GPL-2+
"""
CONTACT = """Name: Dr. Saskia Brandt
Practice: Tierarztpraxis am Hafen
Address: Hafenstraße 12
  24103 Kiel
Phone: 0431 555 0192
Emergency: 0431 555 0100
  (nights and weekends, surcharge)
Email: praxis@example.org
Hours: Mon-Fri 8-12
  Tue and Thu also 15-18
Parking: behind the building
Patients: Fenja (cat), Bruno (dog)
Last visit: 2025-03-14
Next vaccination: 2026-03
"""


@pytest.mark.parametrize(
    ("text", "field", "named_by", "not_by"),
    [
        (DPKG_STATUS, "Maintainer: Clint Adams", "Package: fakeroot", "Homepage: https://dbus"),
        (DEP5_COPYRIGHT, "License: GPL-2+", "Files: *", None),
        (CONTACT, "Next vaccination: 2026-03", "Name: Dr. Saskia Brandt", None),
    ],
    ids=["package stanza", "copyright stanza", "contact note"],
)
def test_a_record_whose_values_go_on_over_indented_lines_is_read_with_the_field_that_names_it(
    text: str, field: str, named_by: str, not_by: str | None
) -> None:
    """A long value folded over indented lines (a package's description, a list of copyright holders, an
    address) is still a field of its record: where the record is read in windows, each is headed by the record's
    first field; the end of another record that the chunk cut heads none of them."""
    found = passages(hit(text, start=4096))  # a chunk of a longer file
    holding = [p for p in found if field in p.text]
    assert holding and all(p.text.startswith(named_by) for p in holding)
    assert not_by is None or not any(not_by in p.text for p in found if "fakeroot" in p.text)


PLURAL_TITLES = {  # a document's title, a question naming its topic in the singular, the row asked about, a note
    "records": (
        "ethertypes",
        "Which protocol uses EtherType 8863?",
        "PPP_DISC\t8863\t\t# PPP over Ethernet discovery stage",
        "# The EtherType is a two-octet field of Ethernet frames used to indicate\n# which protocol is contained.",
    ),
    "sheet": (
        "Invoices",
        "Which customer got Invoice 2024-117?",
        "number: 2024-117; customer: Hafenbau GmbH; paid: 2024-03-02",
        "Every Invoice goes to the customer named on its order.",
    ),
    "manual page": (
        "SIGNALS",
        "What does Signal SIGSTOP do?",
        "SIGSTOP      P1990      Stop    Stop process",
        "A Signal may be blocked; the action of each Signal is listed below.",
    ),
}


@pytest.mark.parametrize("kind", PLURAL_TITLES)
def test_a_name_the_title_holds_in_the_plural_is_the_documents_topic_not_an_identifier(kind: str) -> None:
    """ "EtherType" is in every passage of "ethertypes", as "Invoice" is in every row of a sheet of invoices: the
    number or name given (8863, 2024-117, SIGSTOP) identifies the row asked about, not the topic's name that a
    note about the table repeats. Words alone decide here (one meaning for every text)."""
    title, question, row, note = PLURAL_TITLES[kind]
    candidates = [passages(hit(text, title=title, chunk_id=f"c{i}"))[0] for i, text in enumerate([note, row])]
    fillers = [passages(hit(text, title=title, chunk_id=f"f{i}"))[0] for i, text in enumerate(others(18))]
    ranked = score(question, [*candidates, *fillers], same_meaning, 0.5)
    assert ranked[0].text == row


GIVEN_IN_A_FIELD = {  # a question giving a value of a field it names, the record holding it there, one holding it
    # in another field
    "CSV": (
        "Which Debian version was released on 2005-06-06?",
        "version: 3.1\ncodename: Sarge\ncreated: 2002-07-19\nrelease: 2005-06-06\neol: 2008-03-31",
        "version: 4.0\ncodename: Etch\ncreated: 2005-06-06\nrelease: 2007-04-08\neol: 2010-02-15",
    ),
    "sheet": (
        "Which Ubuntu release ends its standard support on 2025-05-29?",
        "version: 20.04 LTS; codename: Focal Fossa; release: 2020-04-23; end: 2025-05-29",
        "version: 25.04; codename: Plucky Puffin; release: 2025-05-29; end: 2026-01-15",
    ),
    "JSON": (
        "Which invoice was paid on 2024-04-10?",
        "number: 2024-117\nissued: 2024-03-02\npaid: 2024-04-10",
        "number: 2024-121\nissued: 2024-04-10\npaid: 2024-05-02",
    ),
}


@pytest.mark.parametrize("kind", GIVEN_IN_A_FIELD)
def test_a_value_given_in_the_field_the_question_names_outweighs_it_in_another(kind: str) -> None:
    """Both records hold the date given; the one holding it where the question says it is ("released",
    "end", "withdrawn") is read first, whatever the order they come in."""
    question, named, other = GIVEN_IN_A_FIELD[kind]
    assert_read_first(question, named, [other])


@pytest.mark.parametrize(
    ("question", "asked"),
    [  # what a question asks for, right after "which" or "what"; nothing where a verb or a name follows
        ("Which EtherType number does LLDP use?", {"ethertype", "number"}),
        ("Which Ubuntu release ends its standard support?", {"ubuntu", "release"}),
        ("What file extension goes with application/epub+zip?", {"file", "extension"}),
        ("What does LLDP stand for?", set()),
        ("What is Kenya's official name?", set()),
        ("Where is Heron's budget stored?", set()),
        ("Who maintains fakeroot?", set()),
        ("What does grep -c print?", set()),
    ],
)
def test_what_a_question_asks_for_is_the_noun_after_which_or_what(question: str, asked: set[str]) -> None:
    assert evidence.asked_for(question) & set(re.findall(r"\w+", question.lower())) == asked


def test_a_field_folded_over_many_lines_is_read_in_windows_under_its_record() -> None:
    """A machine-readable copyright file's licence text under its stanza: windows of a few lines, each with the
    stanza's first field, not one passage of forty lines."""
    licence = "".join(f" Line {n} of the licence's text.\n" for n in range(40))
    found = passages(hit(f"Files: *\nCopyright: 2020 Ada Lind\nLicense: GPL-2+\n{licence}"))
    assert max(len(p.text.split("\n")) for p in found) <= MAX_LINES_READ
    assert all(p.text.startswith("Files: *") for p in found)
    assert any("Line 30 of" in p.text for p in found)


def test_a_note_ending_in_a_field_still_heads_the_record_after_it() -> None:
    """At a document's start it is a note over the record; a chunk that starts inside a document of records
    opens with the end of a record cut apart (DPKG_STATUS), which heads nothing."""
    found = passages(
        hit("Release notes for Heron\nStatus: draft\n\nName: Heron\nLead: Bram Olsen\nBudget: 48,000 euros")
    )
    assert [p.text.split("\n")[0] for p in found] == ["Release notes for Heron"]


def test_a_name_most_passages_hold_identifies_none_of_them() -> None:
    """ "Debian" and "FAQ" are in every passage of the Debian FAQ: they weigh as any word so common, and the
    passage sharing the question's other words answers "Which document format is the Debian FAQ written in?"."""
    question = "Which document format is the Debian FAQ written in?"
    answering = "This document was written using the DocBook XML format."
    naming = [f"The Debian FAQ, section {n}: about the distribution." for n in range(5)]
    ranked = score(question, first_passages(answering, *naming, *others(14)), same_meaning, 0.5)
    assert ranked[0].text == answering


LOWER_CASE_NAMES = {  # the question (one name typed in lower case), the passage naming it, one holding the other
    "records": (
        "What is the currency code for the Polish zloty?",
        "alpha_3: PLN\nname: Zloty\nnote: currency",
        "alpha_3: pol\nname: Polish",
    ),
    "prose": (
        "What is the phone number of the Greek restaurant zorba?",
        "The restaurant Zorba by the harbour: 0176 5550 1234.",
        "My Greek teacher lives by the harbour.",
    ),
    "manual page": (
        "Which GNU date option prints coordinated universal time?",
        "-u, --utc, --universal\n    print or set Coordinated Universal Time (UTC)",
        "GNU date is the GNU version of date; it prints options.",
    ),
}


@pytest.mark.parametrize("kind", LOWER_CASE_NAMES)
def test_a_word_the_notes_write_capitalised_is_a_name_though_asked_in_lower_case(kind: str) -> None:
    """A user types "zloty", "zorba" or "perl" in lower case; the notes write "Zloty", "Zorba", "Perl": it is a
    name as much as the question's capitalised one, and the passage holding it and more of the question answers.
    A word the notes write in capitals alone ("PATTERNS", "OPTION") is no name by that."""
    question, naming, other = LOWER_CASE_NAMES[kind]
    ranked = score(question, first_passages(other, naming, *others(18)), same_meaning, 0.5)
    assert ranked[0].text == naming


NO_NAMES = {  # the question, the passage answering it, one holding a word asked that is no name in the notes
    "also in lower case": (
        "What is the currency code for the Polish zloty?",
        "alpha_3: pol\nname: Polish",
        "Currency\nThe currency code is in the currency list.",
    ),
    "in capitals alone": (
        "Which option of date prints the time zone?",
        "-Z, --zone\n    print the time zone",
        "Usage: date [OPTION]... [+FORMAT]\nprints the date",
    ),
}


@pytest.mark.parametrize("written", NO_NAMES)
def test_a_word_the_notes_also_write_in_lower_case_or_in_capitals_is_no_name(written: str) -> None:
    """ "Currency" heads a section but the notes also write "currency"; a synopsis writes "OPTION" as a
    placeholder: asked, each is a common word, and the passage holding more of the question answers."""
    question, answering, sharing = NO_NAMES[written]
    ranked = score(question, first_passages(sharing, answering, *others(18)), same_meaning, 0.5)
    assert ranked[0].text == answering


BY_MEANING = {  # the question, the passage that answers it, its neighbours closer in meaning without the name
    "manual page": (
        "Which signal has the number 9?",
        "SIGKILL       9      Term    Kill signal",
        ["SIGTERM      15      Term    Termination signal", "Signal numbers and names are listed by kill -l."],
    ),
    "prose": (
        "What does PEP 3333 describe?",
        "PEP 3333 is the interface between web servers and Python applications (WSGI).",
        ["A PEP is a design document describing a new feature for Python.", "PEP 8 describes the style guide."],
    ),
}


@pytest.mark.parametrize("kind", BY_MEANING)
def test_the_passage_holding_the_asked_name_or_number_ranks_first_by_meaning_too(kind: str, embedder: Embedder) -> None:
    question, answering, neighbours = BY_MEANING[kind]
    ranked = score(question, first_passages(answering, *neighbours), embedder.encode, 0.5)
    assert ranked[0].text == answering


NO_COUNT = {  # lines whose digits belong to names or keys: none says how many
    "basque.json": json.dumps({"639-2": [{"alpha_2": "eu", "alpha_3": "eus", "name": "Basque"}]}),
    "ports.csv": "name,alpha_2,ipv6\nBasque,eu,yes\n",
    "builds.txt": "The Basque locale ships in the IPv6 and x86_64 builds (see RFC8314).\n",
    "codes.csv": "name,639-2,alpha_2\nBasque,eus,eu\n",  # a standard's number is no range
    "standards.txt": "Basque (ISO 639-2: eus) is written in ISO 8859-1.\n",
}


@pytest.mark.parametrize("name", NO_COUNT)
def test_a_count_asked_for_is_not_stated_by_the_digits_of_a_name_or_key(name: str) -> None:
    """ "How many people speak Basque?" over iso-codes' Basque record ("639-2.alpha_2: eu") was answered with
    the record as if it said how many; the notes are on the topic and do not say it."""
    found = passages(hit(extract(NO_COUNT[name].encode(), PurePosixPath(name)).text))[0]
    check = Check(Plan("How many people speak Basque?", [], [found]), fit=lambda text: text)
    assert [*check.feed("About 750,000 people speak it [1]. More"), *check.finish()] == [NOT_STATED]


@pytest.mark.parametrize(
    "said",
    [
        "port 5432/tcp",
        "earns 50,000 a year",
        "a 10ms delay",
        "-5 degrees",
        "twelve",
        "a 10-15 minute walk",
        "sleeps 4–6 guests",
        "a 5-year warranty",
        "every 30mins",
        "open 9am-5pm",
        "a 100Mbps line",
        "a 3GHz core",
        "uses 5kWh a day",
        "for a 5-year-old",
        "up to 20%",
        "a 5GB disk",
    ],
)
def test_a_number_standing_as_a_word_is_a_number(said: str) -> None:
    assert facts.states("number", said)


@pytest.mark.parametrize(
    "said", ["kept in 1Password", "ISO 639-2", "ISO 8859-1", "the IPv6 builds", "x86_64", "a 3Com card", "on 4Chan"]
)
def test_a_digit_inside_a_name_is_no_number(said: str) -> None:
    assert not facts.states("number", said)


SEASONS = [
    ("Item", "Supplier", "Amount"),
    ("Season 2024", "", ""),
    ("Raised beds", "Holm Timber", "2,100 EUR"),
    ("Compost", "Green Loop", "340 EUR"),
    ("Season 2025", "", ""),
    ("Raised beds", "Oakfield Wood", "2,600 EUR"),
    ("Seed potatoes", "Green Loop", "95 EUR"),
    ("Fencing", "Holm Timber", "1,200 EUR"),
    ("", "", "6,335 EUR"),  # a total under the last row
]
GROUPED = table_files(SEASONS, "Garden costs")


@pytest.mark.parametrize("name", GROUPED)
def test_a_row_is_headed_by_the_title_of_the_group_it_stands_under(name: str) -> None:
    """A row of one cell titles the rows under it: the 2025 raised beds are read under "Season 2025", not
    under the first group's title, and a title is no passage of its own."""
    found = extracted_passages(name, GROUPED[name])
    beds = [text for text in found if "Raised beds" in text]
    assert len(beds) == 2
    assert "Season 2024" in beds[0] and "2,100 EUR" in beds[0] and "Season 2025" not in beds[0]
    assert "Season 2025" in beds[1] and "2,600 EUR" in beds[1] and "Season 2024" not in beds[1]
    assert not [text for text in found if text.endswith(("Season 2024", "Season 2025"))]  # no title alone
    assert [text for text in found if "6,335 EUR" in text]  # a last line of one cell stays a passage


def test_a_caption_over_the_first_group_s_title_still_makes_a_table() -> None:
    """A web page's table with a <caption> (its first line) whose rows start under a group's title."""
    cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in SEASONS)
    page = f"<html><body><h1>Costs</h1><table><caption>Table 2. Costs by season</caption>{cells}</table></body></html>"
    found = extracted_passages("costs.html", page.encode())
    beds = [text for text in found if "Raised beds" in text]
    assert len(beds) == 2 and "Season 2024" in beds[0] and "Compost" not in beds[0] and "Season 2025" in beds[1]
    assert "Table 2. Costs by season" in beds[0]  # the caption heads the first group's rows with its title
    wrapped = "The seasons' costs are listed below, each season's total\nin the last row of its group, in EUR."
    found = extracted_passages("costs.md", "\n".join([wrapped, *TABLE_LINES]).encode())
    for line in wrapped.split("\n"):  # a paragraph's second line is no group's title, and no line is lost
        assert any(line in text for text in found), line


TABLE_LINES = [f"Item: {item}; Supplier: {supplier}; Amount: {amount}" for item, supplier, amount in SEASONS[2:4]]


@pytest.mark.parametrize("follow_up", ["Check-in time?", "The drop-off point?", "Wi-fi password?"])
def test_a_short_follow_up_with_a_hyphenated_word_is_read_with_the_turn_before(follow_up: str) -> None:
    """A compound is one word when counting a follow-up's words (its parts count only in scoring evidence)."""
    turns = [
        {"role": "user", "content": "Which hotel did we book in Lisbon?"},
        {"role": "assistant", "content": "Casa Azul [1]."},
        {"role": "user", "content": follow_up},
    ]
    assert search_question(turns) == f"Which hotel did we book in Lisbon?\n{follow_up}"


@pytest.mark.parametrize(
    ("before", "follow_up", "searched"),
    [
        ("Who leads Project Heron?", "What is her phone number?", "Who leads Project Heron?"),  # searched alone
        ("Who leads Project Heron?", "Where is her office?", "Who leads Project Heron?"),
        ("Suggest a name for my boat.", "What is the budget of Project Heron?", None),  # stands alone
        ("What is the Orchard gate code?", "When does Tom renew his passport?", None),  # its own subject
        ("What is the Orchard gate code?", "Is it safe to give the dog ibuprofen?", None),  # "it" refers to nothing
        ("When does the ferry leave on Monday?", "what about tuesday", "When does the ferry leave on ?"),
        ("Who inspected the Kestrel depot on Monday?", "Tuesday?", "Who inspected the Kestrel depot on ?"),
        ("Who booked room 14?", "And when?", "Who booked room 14?"),
    ],
)
def test_a_follow_up_is_searched_with_the_turn_it_leans_on(before: str, follow_up: str, searched: str | None) -> None:
    turns = [{"role": "user", "content": before}, {"role": "user", "content": follow_up}]
    assert search_question(turns) == (f"{searched}\n{follow_up}" if searched else follow_up)


NEIGHBOURS = {
    "languages.json": json.dumps(
        {
            "639-2": [
                {"alpha_2": "nb", "alpha_3": "nob", "name": "Norwegian Bokmål"},
                {"alpha_3": "nog", "name": "Nogai"},
            ]
        }
    ),
    "languages.txt": "alpha_2: nb\nalpha_3: nob\nname: Norwegian Bokmål\n\nalpha_3: nog\nname: Nogai",
    "languages.md": "# Languages\n\nalpha_2: nb  \nalpha_3: nob  \nname: Norwegian Bokmål\n\n"
    "alpha_3: nog  \nname: Nogai",
}


@pytest.mark.parametrize("name", NEIGHBOURS)
def test_a_record_does_not_lead_into_the_next_record_whatever_field_it_opens_with(name: str) -> None:
    """iso-codes' languages leave out the fields they lack: Bokmål opens with its two-letter code, Nogai
    (which has none) with its three-letter one; read together, "nb" answered for either."""
    found = extracted_passages(name, NEIGHBOURS[name].encode())
    bokmal = [text for text in found if "Bokmål" in text]
    assert len(bokmal) == 1 and "nb" in bokmal[0] and "Nogai" not in bokmal[0]


def test_a_number_asked_for_is_not_the_day_of_another_date() -> None:
    """ "Debian 15" is no release day: "2000-08-15" holds "15" only as the question's own date would."""
    question = "What codename does Debian 15 have?"
    duke, potato = first_passages("version: 15\ncodename: Duke", "version: 2.2\ncodename: Potato\nrelease: 2000-08-15")
    ranked = score(question, [potato, duke, *first_passages(*others(18))], same_meaning, 0.5)
    assert ranked[0].text == duke.text


SPARSE = {
    "fruit.csv": "name,price,note\nApple,3,\nBanana,,\nCherry,5,red\n",
    "fruit.json": json.dumps([{"name": "Apple", "price": 3}, {"name": "Banana"}, {"name": "Cherry", "price": 5}]),
    "fruit.txt": "name: Apple\nprice: 3\n\nname: Banana\n\nname: Cherry\nprice: 5",
}


@pytest.mark.parametrize("name", SPARSE)
def test_a_record_of_one_field_is_not_read_with_the_records_around_it(name: str) -> None:
    """A row with its other cells empty is a record of one field: Apple's price is not read with Banana."""
    found = extracted_passages(name, SPARSE[name].encode())
    assert not [text for text in found if "Banana" in text and ("Apple" in text or "Cherry" in text)]


SECTION_HEADINGS = {
    "handbook.html": b"<html><body><p><b>8.10.1. Introduction and Prerequisites</b></p><p>Read on.</p></body></html>",
    "faq.txt": b"4.2. What kernels does Debian run?\n\nSeveral of them.\n",
    "guide.md": b"Intro\n\n2.3. Where can I get it?\n\nFrom the mirrors.\n",
}


@pytest.mark.parametrize("name", SECTION_HEADINGS)
def test_a_sections_number_is_no_version(name: str) -> None:
    """A handbook's heading "8.10.1. Introduction" stated a version for "Which kernel version ...?" as much as
    "the 5.10 version of the kernel" did."""
    text = extract(SECTION_HEADINGS[name], PurePosixPath(name)).text
    assert not states("version", text), text
    assert states("version", f"{text}\n\nIt is based on the 5.10 version of the kernel.")


ASKED_FIELDS = {  # the question naming a field, the record, an answer from that field, one from another field
    "a spreadsheet's row": (
        "What is the release date of Ubuntu Focal Fossa?",
        "version: 20.04 LTS; codename: Focal Fossa; series: focal; created: 2019-10-17; release: 2020-04-23",
        "Focal Fossa was released on 2020-04-23 [1].",
        "Focal Fossa was released on 2019-10-17 [1].",
    ),
    "a web page's table row": (
        "When did Ann Berg join the club?",
        "Member: Ann Berg; Joined: 12 March 2019; Left: 3 May 2021",
        "Ann Berg joined on 12 March 2019 [1].",
        "Ann Berg joined on 3 May 2021 [1].",
    ),
    "keys sharing a word": (
        "What is the start date of the course?",
        "Course: Pottery; Start date: 2024-03-01; End date: 2024-06-30",
        "The course starts on 2024-03-01 [1].",
        "The course starts on 2024-06-30 [1].",
    ),
    "a note's lines": (
        "What is the fax number of Dr. Lind's practice?",
        "Practice: Dr. Lind\nPhone: 0176 5550 1234\nFax: 0176 5550 9999",
        "The fax number is 0176 5550 9999 [1].",
        "The fax number is 0176 5550 1234 [1].",
    ),
}


@pytest.mark.parametrize("kind", ASKED_FIELDS)
def test_a_fact_from_another_field_of_the_record_does_not_answer_the_field_asked(kind: str) -> None:
    """A row written on one line ("created: ...; release: ...") is read field by field, as a record written a
    field a line is: the date it was created is a date of the same row, but not when it was released."""
    question, record, right, wrong = ASKED_FIELDS[kind]
    passage = passages(hit(record))[0]
    assert grounded(right, question, passage)
    assert not grounded(wrong, question, passage)


UNASKED_FIELDS = {  # the question, the record, the right answer: a key shares a word asked, or names the record
    "the record's own key": ("How much does the ticket for zone 2 cost?", "Zone: 2; Price: 12 EUR", "It costs 12 EUR."),
    "an identifier's key": (
        "What was the total of invoice INV-2231?",
        "Invoice: INV-2231; Date: 2024-03-01; Amount: 412.50 EUR",
        "The total was 412.50 EUR [1].",
    ),
    "a key sharing one word": (
        "What is Ann's phone number?",
        "Name: Ann Berg; Mobile: 0176 5550 1234; Member number: 4471",
        "Her phone number is 0176 5550 1234 [1].",
    ),
    "another date's key": (
        "What is Ann's date of birth?",
        "Name: Ann Berg; Birthday: 2 April 1990; Date added: 2024-01-05",
        "Ann was born on 2 April 1990 [1].",
    ),
}


@pytest.mark.parametrize("kind", UNASKED_FIELDS)
def test_a_field_the_question_names_in_part_or_as_the_record_asked_about_leaves_the_answer_alone(kind: str) -> None:
    """A key is asked for only by all its words ("Member number" is not "phone number"), and a field whose value
    the question gives ("zone 2", "invoice INV-2231") says which record is meant, not what is asked."""
    question, record, right = UNASKED_FIELDS[kind]
    assert grounded(right, question, passages(hit(record))[0])


CAME_OUT = {  # the question, the passage saying when it was released, one sharing the question's other words
    "prose": (
        "When did Kettle 2.0 come out?",
        "Kettle 2.0 was released on 12 May 2021.",
        "Kettle 2.0 has had a new logo since March 2022.",
    ),
    "a NEWS file": (
        "When did tar 1.34 come out?",
        "* Noteworthy changes in tar release 1.34 (2021-02-13) [stable]",
        "tar 1.34 fixed the --one-top-level option.",
    ),
    "records": (
        "When did Ubuntu Hardy Heron come out?",
        "codename: Hardy Heron; release: 2008-04-24",
        "codename: Hardy Heron; came-with: GNOME 2.22",
    ),
}


@pytest.mark.parametrize("kind", CAME_OUT)
def test_asked_when_something_came_out_the_passage_saying_its_release_answers(kind: str) -> None:
    """ "Come out" is said "released" or "release" in the notes: the passage saying so holds one more word of
    the question than the one sharing its other words."""
    question, released, other = CAME_OUT[kind]
    ranked = score(question, first_passages(other, released, *others(18)), same_meaning, 0.5)
    assert ranked[0].text == released


def test_asked_when_something_came_out_another_date_of_its_row_is_no_answer() -> None:
    """The row's "release" field is what "come out" asks for: its end-of-life date does not answer."""
    question = "When did Ubuntu Hardy Heron come out?"
    row = "version: 8.04 LTS; codename: Hardy Heron; created: 2007-10-19; release: 2008-04-24; eol: 2013-05-09"
    passage = passages(hit(row))[0]
    assert grounded("It came out on 2008-04-24 [1].", question, passage)
    assert not grounded("It came out on 2013-05-09 [1].", question, passage)


NAMED_BESIDE_GIVEN = {  # a question naming a record by a value and asking for another field; the record, with the
    # title it is embedded under; a passage saying the same words otherwise, with its title
    "CSV": (
        "What is the codename of Debian 12?",
        ("version: 12\ncodename: Bookworm\nrelease: 2023-06-10", "debian"),
        ("Debian 12 has a codename, as every release does.", "faq"),
    ),
    "JSON": (
        "What is the name of the currency with the numeric code 392?",
        ("alpha_3: JPY\nname: Yen\nnumeric: 392", "currency codes"),
        ("Each currency has a name and a numeric code; 392 is one of them.", "iso"),
    ),
    "note": (
        "What is the gate of flight LH 4402?",
        ("flight: LH 4402\ngate: B17\nboarding: 09:10", "lisbon trip"),
        ("Flight LH 4402: the gate is shown on the screens.", "lisbon"),
    ),
}


def leaning(towards: str, by: float) -> Callable[[list[str]], np.ndarray]:
    """An encoder whose cosine to the question (the first text) is 0.5 for every passage but the one holding
    `towards`, which gets 0.5 + `by`: MiniLM's leaning to a row for its words' other meanings, made exact."""

    def encode(texts: list[str]) -> np.ndarray:
        cosines = [1.0, *(0.5 + by * (towards in text) for text in texts[1:])]
        return np.array([[c, (1 - c * c) ** 0.5] for c in cosines])

    return encode


@pytest.mark.parametrize("kind", NAMED_BESIDE_GIVEN)
def test_the_record_holding_the_value_given_beside_the_field_asked_outweighs_a_closer_meaning(kind: str) -> None:
    """Both passages hold the question's words; the other is closer in meaning by less than KIND_BONUS, and
    the record holding the value the question gives beside the field it asks for is read first."""
    question, (record, record_title), (other, other_title) = NAMED_BESIDE_GIVEN[kind]
    candidates = [
        passages(hit(record, title=record_title, chunk_id="c1"))[0],
        passages(hit(other, title=other_title, chunk_id="c2"))[0],
    ]
    ranked = score(question, candidates, leaning(other, evidence.KIND_BONUS / 2), 0.5)
    assert ranked[0].text == record


NAMED_BY_FIELD_OR_TITLE = {  # a question giving a value with the field's name or the document's title before it;
    # the record holding it, with its title; a passage of another document holding the value too, with its title
    "JSON": (
        "Which former country had the numeric code 128?",
        ("alpha_2: CT\nname: Canton and Enderbury Islands\nnumeric: 128", "iso_3166-3"),
        ("If the code point is >= 128, it is turned into a sequence of two, three, or four bytes.", "Unicode HOWTO"),
    ),
    "CSV": (  # the sheet's title names it: "Debian 15"
        "What codename has been assigned to Debian 15?",
        ("version: 15\ncodename: Duke\nseries: duke", "debian"),
        ("14 Files: debian/*\n15 Copyright: 1998-2010 Josip Rodin", "Debian New Maintainers' Guide"),
    ),
    "note": (
        "Which guest stays in room 214?",
        ("guest: Ana Ruiz\nroom: 214\nnights: 3", "bookings"),
        ("The conference hall is on floor 2, next to room 214 and the lifts.", "venue guide"),
    ),
}


@pytest.mark.parametrize("kind", NAMED_BY_FIELD_OR_TITLE)
def test_a_value_given_with_its_field_or_title_keys_its_record_though_another_document_holds_it(kind: str) -> None:
    """The value is in two documents, so it does not name one record by itself; the question names the field
    that holds it ("numeric", "room") or the title of the record's document ("Debian"), and the record is read
    first over the other document's passage, closer in meaning by nearly KIND_BONUS, among a folder's other
    records."""
    question, (record, record_title), (other, other_title) = NAMED_BY_FIELD_OR_TITLE[kind]
    candidates = [
        passages(replace(hit(record, title=record_title, chunk_id="record"), path=f"{record_title}.txt"))[0],
        passages(replace(hit(other, title=other_title, chunk_id="other"), path=f"{other_title}.txt"))[0],
        *first_passages(*others(38)),
    ]
    ranked = score(question, candidates, leaning(other, evidence.KIND_BONUS * 0.9), 0.5)
    assert ranked[0].text == record


@pytest.mark.parametrize(
    "question",
    [
        "Which Apache version does the handbook say Debian 12 includes?",
        "Which version of Apache does Debian 12 include?",  # what it asks for, "version", the row holds
        "Does Debian 12 include Apache 2.4?",  # nothing asked for
        "How old is the Apache that Debian 12 ships?",
    ],
)
def test_a_title_keys_no_record_that_lacks_what_is_asked_for(question: str) -> None:
    """ "Which Apache version ... Debian 12?" names the sheet "debian" and its row 12, which says nothing of Apache:
    the handbook's sentence is read first though the row is closer in meaning."""
    record, other = "version: 12\ncodename: Bookworm\nseries: bookworm", "Debian 12 includes Apache 2.4.62."
    candidates = [
        passages(replace(hit(record, title="debian", chunk_id="record"), path="debian.csv"))[0],
        passages(replace(hit(other, title="handbook", chunk_id="other"), path="handbook.html"))[0],
        *first_passages(*others(38)),
    ]
    assert score(question, candidates, leaning(record, evidence.KIND_BONUS / 2), 0.5)[0].text == other


@pytest.mark.parametrize(
    ("phrase", "initialism"),
    [("reach end of life", "eol"), ("long term support", "lts"), ("Expanded Security Maintenance", "esm")],
)
def test_a_phrase_asked_counts_as_the_initialism_a_passage_writes(phrase: str, initialism: str) -> None:
    question = f"When does the {phrase} of version 9 come?"
    assert initialism in evidence.unsaid_terms(question, {initialism, "other"})
    assert initialism not in evidence.unsaid_terms(question, {"other"})  # only where the notes write it


@pytest.mark.parametrize(
    ("question", "text", "title"),
    [  # a question off the notes' topic and the passage closest to it in meaning, in three kinds of document
        (
            "Who wrote the novel One Hundred Years of Solitude?",
            "Since then, we have released 7 other editions of the French book, one for each subsequent release.",
            "Debian Administrator's Handbook",
        ),
        ("Who painted The Night Watch?", "-f, --follow, --watch\n    Keep printing lines as the file grows.", "tail"),
        ("How tall is Mount Everest?", "device: /dev/sdb1\nmount point: /media/usb\nlabel: BACKUP", "fstab"),
        # its long words all capitalised, but not its "won": no title case
        ("Who won the 2018 FIFA World Cup?", "alpha_3: CUP\nname: Cuban Peso\nnumeric: 192", "iso_4217"),
    ],
)
def test_a_passage_sharing_only_a_word_of_a_name_it_does_not_hold_is_no_answer(
    question: str, text: str, title: str
) -> None:
    assert evidence.shares_only_a_name_part(question, passages(hit(text, title=title))[0])


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("Who leads Project Heron?", "Heron is led by Ann Berg since May."),  # writes the name's word as a name
        ("Who wrote Pride and Prejudice?", "Pride and Prejudice was written by Jane Austen."),  # the whole name
        ("Which port does PostgreSQL use?", "postgresql\t5432/tcp\tpostgres"),  # a one-word name, any case
        ("How do I watch the log?", "-f, --follow, --watch\n    Keep printing lines as the file grows."),  # no name
        ("What is Anna Schmidt's number?", "Schmidt: 0171 555 0199"),  # a possessive is the name
        ("What did I do on 3 May?", "2025-05-03: dentist at 9am"),  # no word shared: left to the threshold
        ("Where did we eat in Rome?", "Ate at Casa Pepe, near the station."),  # "eat" and "ate": the same
        ("王建国的预算是多少？", "一月の会議　佐々木さんが担当。经理王建国负责预算。"),  # no spaces to part words by
        ("What Is The Wifi Password?", "wifi password: hunter2"),  # title case names nothing by its capitals
        ("WHO IS THE LANDLORD?", "Landlord: Mr Grey, 0171 555 0100"),  # nor do capitals
    ],
)
def test_a_passage_sharing_a_name_another_word_or_no_word_at_all_is_left_to_the_threshold(
    question: str, text: str
) -> None:
    assert not evidence.shares_only_a_name_part(question, passages(hit(text, title="notes"))[0])


@pytest.mark.parametrize(
    "text",
    [  # a date in prose, in a record and in a man page's history: no amount
        "Thanks to a crowdfunding campaign, we translated it between December 2011 and May 2012.",
        "campaign: handbook translation\nstarted: 2011-12-01\nended: 2012-05-31",
        "HISTORY\n    The -z option appeared on 25 April 2004.",
    ],
)
def test_a_date_states_no_amount_that_how_much_asks_for(text: str) -> None:
    assert not facts.states("number", text, "How much money did the campaign raise?")
    assert facts.states("number", text, "How long did the campaign run?")  # until when: a date may answer
    assert facts.states("number", f"{text}\nIt raised 25,000 euros.", "How much money did the campaign raise?")


@pytest.mark.parametrize(
    "text",
    [  # a release's or a standard's number in prose, a year dated in a note, a section named in a man page
        "In 2013, the release of Debian 7 gave us a good opportunity to discuss a new contract with the publisher.",
        "meeting: budget review\nnote: the funding was first discussed in 2021, then again with Project Heron 2",
        "SEE ALSO\n    The archive format is described in Section 5 of the manual; ask Kestrel support since 2019.",
    ],
)
def test_a_number_that_names_or_dates_something_counts_nothing_asked(text: str) -> None:
    """ "Debian 7" and "in 2013" are no amount raised: a near miss ("How much money did it raise?") is refused
    where the passage states no amount, and answered where it does, in a unit before or after the number."""
    question = "How much money did the campaign raise?"
    assert not facts.states("number", text, question)
    assert facts.states("number", f"{text}\nIt raised 25,000 euros.", question)
    assert facts.states("number", f"{text}\nIt raised EUR 25,000.", question)
    assert facts.states("number", f"{text}\nIt was seen in 2000 cases.", "How many cases were seen?")


@pytest.mark.parametrize(
    "text",
    [  # a table in columns (a PDF's, a text's), a record's value, prose with a year-like amount or a currency
        "Item      Cost\nTents     450\nStoves    120",
        "Campaign: Kickstarter\nRaised 25,000 euros",
        "Budget review\nTotal 4800 euros",
        "The ticket costs Rs 500 per person.",
        "We raised a total of 1800.",
        "We agreed on a budget of 2000 for the trip.",
        "Attendance grew by 1700, to a new record.",
        "Guests(4) booked for Friday",
    ],
)
def test_an_amount_after_a_line_s_first_word_or_a_preposition_is_still_one(text: str) -> None:
    assert facts.states("number", text, "How much money did the campaign raise?")


@pytest.mark.parametrize(
    "text",
    [  # a guide naming a command's page, a manual's SEE ALSO, a note pointing at a file format's page
        "For example, git-format-patch(1) turns a commit into email and uses the title on the Subject line.",
        "SEE ALSO\n    fstab(5), mount.nfs(8), umount(8)",
        "todo: look up the line format in crontab(5) before Friday",
    ],
)
def test_a_manual_pages_section_is_no_number_stated(text: str) -> None:
    """ "How long may the subject line be?" is not answered by "git-format-patch(1)": the quote reads the
    sentence that says "less than 50 characters" instead."""
    assert not facts.states("number", text, "How long may the subject line be?")
    assert facts.states("number", f"{text}\nKeep it under 50 characters.", "How long may the subject line be?")


@pytest.mark.parametrize(
    "text", ["Who made the Debian Administrator's Handbook?", "the Kyiv zone’s location", "Heron's budget: 48,000"]
)
def test_a_possessive_s_is_no_word(text: str) -> None:
    """Else every passage with a possessive in it shares a word with the question."""
    assert "s" not in terms(text, asked=True) and "s" not in terms(text, parts=True)


@pytest.mark.parametrize(
    "question", ["How many nights did we stay at Hotel Roma?", "How many days was the trip?", "How long was the trip?"]
)
def test_dates_count_the_days_or_nights_asked(question: str) -> None:
    assert facts.states("number", "Hotel Roma, 12 May to 15 May 2024.", question)


def test_a_number_given_is_not_the_digits_of_a_date_or_a_version() -> None:
    """ "Debian 12" names the row whose version is 12, not Rex's, released 1996-12-12, nor a version 2.12."""
    question = "What is the codename of Debian 12?"
    given, words = evidence.given_facts(question), evidence.terms(question)
    rows = [
        "version: 12\ncodename: Bookworm",
        "version: 1.2\ncodename: Rex\nrelease: 1996-12-12",
        "version: 2.12\ncodename: Later",
    ]
    bookworm, rex, later = (evidence.fields(row) for row in rows)
    assert evidence._names_a_field(given, words, bookworm)
    assert not evidence._names_a_field(given, words, rex)
    assert not evidence._names_a_field(given, words, later)


def test_a_date_a_question_writes_out_is_given_as_a_record_writes_it() -> None:
    assert evidence.given_facts("Which Ubuntu release came out on 25 April 2024?") == {"2024-04-25"}


# Prose of our own, seven sentences of 80 to 130 characters: a text file fills them to 70 columns, a PDF to its page.
SENTENCES = [
    "The harbour office opens its booking list for winter moorings on the first Monday of September.",
    "Boats longer than twelve metres are berthed on the outer pontoon, where the water stays deeper at low tide.",
    "Each owner pays a deposit of two hundred euros, which is returned when the boat leaves in spring.",
    "By default the office assigns berths in the order the bookings arrive, whatever the size of the boat.",
    "Owners who need electricity on the pontoon must say so when they book, as only twenty berths have a socket.",
    "The harbour master, Ingrid Solheim, walks the pontoons every evening and notes any loose mooring line.",
    "A boat whose lines are found loose twice is moved to the inner basin at its owner's cost.",
]
FILLED_PROSE = {
    "moorings.txt": textwrap.fill(" ".join(SENTENCES), 70).encode(),
    "moorings.pdf": make_pdf([" ".join(SENTENCES)]),
    "moorings.html": f"<html><body><h1>Winter moorings</h1><p>{' '.join(SENTENCES)}</p></body></html>".encode(),
}


@pytest.mark.parametrize("name", FILLED_PROSE)
def test_prose_is_read_in_whole_sentences_whatever_width_its_format_filled_it_to(name: str) -> None:
    """A passage of a text file or a PDF starts and ends where a sentence does, as a web page's (one line per
    paragraph) always did: a window of three lines stopped in the middle of "By default the office assigns
    berths in" and the next began with "the order the bookings arrive"."""
    found = [" ".join(text.split()) for text in extracted_passages(name, FILLED_PROSE[name])]
    found = [text for text in found if text != "Winter moorings"]
    assert found and all(text.startswith(tuple(SENTENCES)) and text.endswith(tuple(SENTENCES)) for text in found)
    assert {sentence for sentence in SENTENCES if any(sentence in text for text in found)} == set(SENTENCES)
    assert any(SENTENCES[3] in text and SENTENCES[4] in text for text in found)  # a window reads on


def test_a_table_of_contents_and_a_listing_in_columns_are_read_by_their_lines() -> None:
    """Their full stops are no sentences' ends: one line, one entry, as before filled prose was cut at sentences."""
    contents = "\n".join(
        f"5.{n} {name} " + ". " * (30 - len(name) // 2) + str(30 + n)
        for n, name in enumerate(["watch", "source/format", "source/local-options", "source/options", "patches/*"])
    )
    found = passages(hit(contents))
    assert found and all(text.count("\n") + 1 == len(text.split("5.")) - 1 for text in (p.text for p in found))
    assert all(re.search(r"\d$", line) for p in found for line in p.text.split("\n"))
    rows = [("apt", "2.2.4", "package manager. Fast too"), ("bash", "5.1-2", "the GNU shell")] * 4
    # columns apart by spaces, a description with a full stop in it: lines, not sentences
    listing = "\n".join(f"ii  {name:<12}{version:<10}amd64        {what}" for name, version, what in rows)
    assert all(p.text.startswith("ii  ") for p in passages(hit(listing)))
    spaced = 'He said "stop."  Then they all went home and nobody said anything more\nabout it at all, that night.'
    assert [p.text for p in passages(hit(spaced))] == [spaced]  # two spaces after a sentence: no columns


def test_a_passage_that_stops_inside_a_sentence_gets_the_rest_of_it() -> None:
    """From the next chunk (its chunk ends there) or from its own (a window of lines ends before the sentence
    does): "... (which is usually" goes on with "vi)."; a table's row, a field or an option's entry after the
    line, a chunk that starts past this one's end (a section's heading between) and a sentence that does not
    end near get nothing."""
    lines = [
        "Git reads the editor to start for a commit message from its own settings first, then from the environment.",
        "If you have not set an editor for Git, it uses the one named by VISUAL or EDITOR",
        "variables, or if neither is set, the system default (which is usually",
        "vi). Some people find vi hard to use.",
    ]
    text = "\n".join(lines)
    cut = text.index("vi).")
    passage = passages(hit(text[:cut]))[-1]
    assert passage.text.endswith("(which is usually") and passage.last_line == 12
    whole = evidence.with_tail(passage, lambda: (text[cut - 20 :], cut - 20))
    assert whole.text.endswith("(which is usually\nvi).") and whole.end == cut + len("vi).")
    assert whole.last_line == 13  # where a user finds it
    assert evidence.with_tail(passage) == passage  # no next chunk: as it was
    assert evidence.with_tail(passage, lambda: ("vi). Some people.", cut + 30)) == passage  # not next to it
    inside = evidence.with_tail(passage, lambda: ("vi). Some people.", cut))  # it starts in the whitespace after
    assert inside.text.endswith("usually\nvi).") and inside.end == cut + len("vi).")
    # a window of a long paragraph: its lines are a run of their own where the next opens in lower case
    named = [
        lines[0],
        "Then it reads the environment variables VISUAL and EDITOR.",
        "Without one set, it uses the system default (which is usually",
        "Vim, or vi). Some people find vi hard to use.",
    ]
    longer = passages(hit("\n".join([*named, "More lines follow.", "And more.", "Still more.", "The end."])))
    window = next(p for p in longer if p.text.endswith("(which is usually"))
    assert evidence.with_tail(window).text.endswith("usually\nVim, or vi).")
    row = passages(hit("version: 13; codename: Trixie\nversion: 12; codename: Bookworm. Stable."))[0]
    assert evidence.with_tail(row) == row
    endless = passages(hit("It says that the value\n" + "goes on and on " * 30 + "."))
    assert all(evidence.with_tail(p).text == p.text for p in endless if p.text.endswith("value"))
    stanza = "Depends: libc6 (>= 2.34),\n libstdc++6\nHomepage: https://example.org/fakeroot\nDescription: a tool."
    field = replace(passages(hit(stanza))[0], text="Depends: libc6 (>= 2.34),\n libstdc++6", end=stanza.index("\nHome"))
    assert evidence.with_tail(field) == field
    entries = "With -l, print the author of each file\n-b, --escape\nprint C-style escapes."
    option = replace(passages(hit(entries))[0], text="With -l, print the author of each file", end=entries.index("\n"))
    assert evidence.with_tail(option) == option
    numbers = "The intro line here that ends on a word\nrelease 2.5.0 as in No. 5. Next one is here."
    intro = replace(passages(hit(numbers))[0], text=numbers.split("\n")[0], end=numbers.index("\n"))
    assert evidence.with_tail(intro).text.endswith("release 2.5.0 as in No. 5.")


def test_a_bare_link_line_is_quoted_with_no_sentence_after_it() -> None:
    """A book sets a link on its own line under a paragraph ("→ https://..."); the sentence after it is not its
    end: read as one, it held a path and the question's "enabled", and was quoted in place of the address. A
    Markdown link that a line starts with ("[12.3](https://...).") is no bare link: its sentence goes on."""
    text = (
        "IN PRACTICE Checking the workers\n\n"
        "The status module (a2enmod status) shows the server's workers in a browser\n"
        "visiting http://localhost/server-status. Because it shows the clients'\n"
        "addresses, it is only reachable from the local host by default.\n"
        "→ https://httpd.example.org/docs/mod/mod_status.html\n"
        "With its default configuration, the server listens on port 80 (as set in\n"
        "/etc/apache2/ports.conf) and serves /var/www/html/ (as set in\n"
        "/etc/apache2/sites-enabled/000-default.conf)."
    )
    question = "Once the status module is enabled, at which address can I see the server's workers?"
    found = [p for p in passages(hit(text)) if "mod_status.html" in p.text]
    assert found and all("http://localhost/server-status" in quote(p, question) for p in found if "visiting" in p.text)
    assert all("→" not in quote(p, question) for p in found)
    wrapped = "The system came with Python 2.7 installed between its versions 10.8 and\n[12.3](https://example.org/notes#python).\n"
    sentence = passages(hit(wrapped + "That copy is not kept up to date."))[0]
    assert "10.8 and [12.3]" in quote(sentence, "Between which versions did the system come with Python 2.7?")
    url = "The list of mirrors is published at\nhttps://example.com/mirrors/list.html\nand it is updated every week.\n"
    mirrors = passages(hit(url + "Nothing else is said here."))[0]
    assert "published at https://example.com/mirrors/list.html and it is updated" in quote(
        mirrors, "How often is the mirror list updated?"
    )


@pytest.mark.parametrize(
    ("question", "name", "data", "said", "unsaid"),
    [  # a JSON object's fields, a note's fields, a CSV's row
        (
            "When was the Netherlands Antilles' code withdrawn?",
            "codes.json",
            b'[{"alpha_3": "ANT", "name": "Netherlands Antilles", "numeric": "530", "withdrawal_date": "2010-12-15"}]',
            "2010-12-15",
            "530",
        ),
        (
            "When was the van registered?",
            "van.txt",
            b"vehicle: Van\nbought: 2018-03-01\nregistration_date: 2019-05-02\nmileage: 80,000 km",
            "2019-05-02",
            "2018-03-01",
        ),
        (
            "When was the desk delivered?",
            "orders.csv",
            b"item,ordered,delivery,price\nDesk,2024-01-05,2024-02-10,300 EUR\nLamp,2024-01-06,2024-01-20,40 EUR\n",
            "2024-02-10",
            "2024-01-05",
        ),
    ],
)
def test_a_records_key_and_the_questions_verb_of_one_word_say_which_field_answers(
    question: str, name: str, data: bytes, said: str, unsaid: str
) -> None:
    """ "withdrawn" and "withdrawal_date", "registered" and "registration_date", "delivered" and "delivery": the
    stemmer makes each two words, yet the question names that field, which is quoted without the others (the
    whole record was, and a long one was cut before its date)."""
    record = next(p for p in passages(hit(extract(data, PurePosixPath(name)).text)) if said in p.text)
    shown = quote(record, question)
    assert said in shown and unsaid not in shown


def test_a_key_that_is_the_questions_word_beats_its_kin_and_a_compound_of_it() -> None:
    """ "country" answers "Which country?" before "country_code" and "count"; "status" before "status_reason"."""
    cases = [
        ("Which country is record 7 in?", "id: 7\ncountry: France\ncountry_code: FR\ncity: Lyon", "France", "FR;"),
        ("Which country is record 7 in?", "id: 7\ncount: 12\ncountry: France\ncity: Lyon", "France", "12"),
        ("What is the status of ticket 7?", "id: 7\nstatus: open\nstatus_reason: late\nowner: Ann", "open", "late"),
    ]
    for question, text, said, unsaid in cases:
        shown = quote(passages(hit(text))[0], question)
        assert said in shown and unsaid not in shown, shown


FORM = table_files(
    [("Field", "Value"), ("Visitor", "Odile Brandt"), ("Badge number", "B-7731"), ("Host", "Ravi Sen")], "Registration"
)


@pytest.mark.parametrize("name", FORM)
@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("What is the visitor's badge number?", "B-7731"),
        ("What's Odile Brandt's badge number?", "B-7731"),
        ("Who is the visitor's host?", "Ravi Sen"),
    ],
)
def test_a_possessive_names_whose_field_is_asked_not_which(name: str, question: str, field: str) -> None:
    """A form as a spreadsheet, a web page's table and a Markdown table: "the visitor's badge number" asks for the
    badge number ("Visitor: Odile Brandt" was quoted, its key being the first word after "what is the")."""
    found = [p for p in passages(hit(extract(FORM[name], PurePosixPath(name)).text, title=name)) if field in p.text]
    said = quote(found[0], question)
    assert field in said and not {"B-7731", "Ravi Sen"} - {field} & set(re.findall(r"B-7731|Ravi Sen", said))


OFFICE = [
    "Harbourfield office handbook",
    "The fire drill at Harbourfield is held on the first Friday of each month.",
    "Our workflow: file the inflow report before the office closes at five.",
]
TITLED = {
    "office.txt": "\n".join(OFFICE).encode(),
    "office.pdf": make_pdf(["\n".join(OFFICE)]),
    "office.html": f"<html><body><p>{OFFICE[0]}</p><p>{OFFICE[1]}</p><p>{OFFICE[2]}</p></body></html>".encode(),
}


@pytest.mark.parametrize("name", TITLED)
def test_a_time_of_day_in_words_is_quoted_for_what_time(name: str) -> None:
    """A text file, a PDF and a web page: "closes at five" answers "What time ...?" (the title and the first
    sentence were quoted, sharing the word "office", for want of a time)."""
    found = passages(hit(extract(TITLED[name], PurePosixPath(name)).text, title=name))
    assert quote(next(p for p in found if "five" in p.text), "What time does the office close?") == OFFICE[2]


def test_a_possessive_after_the_asked_noun_is_not_skipped() -> None:
    """ "What colour is Ann's badge?" asks for a colour, "Which project's budget ...?" for a project."""
    record = passages(hit("Name: Ann Lee\nBadge: B-7731\nColour: green\nFloor: 3"))[0]
    assert quote(record, "What colour is Ann's badge?") == "Name: Ann Lee; Colour: green"  # who, and the colour
    assert quote(record, "Which floor is Ann's badge for?") == "Name: Ann Lee; Floor: 3"


OTHER_WAY = [  # (question, the passage about the other way round, one about the way asked), three kinds of note
    (
        "When does the ferry to Vireo Island leave?",
        "The return ferry from Vireo Island is at 18:15.",  # prose
        "Packing list for the Vireo Island trip\n\nTent pegs: 24\nFerry leaves Brackwater pier at 07:40.",
    ),
    (
        "Who gives the flu vaccinations to Nurse Lind?",
        "Flu vaccinations: given by Nurse Lind on Thursdays",  # a record's field
        "Staff vaccinations: Dr. Brandt vaccinates Nurse Lind in October",
    ),
    (
        "When does the ferry to Vireo Island leave?",
        "| Ferry | Leaves |\n| --- | --- |\n| from Vireo Island | 18:15 |",  # a table's row
        "Ferries to Vireo Island leave Brackwater pier at 07:40 and 12:10.",
    ),
]


@pytest.mark.parametrize(("question", "reversed_text", "kept_text"), OTHER_WAY)
def test_a_passage_about_the_other_way_round_is_read_after_one_about_the_way_asked(
    question: str, reversed_text: str, kept_text: str, embedder: Embedder
) -> None:
    """The return ferry from the island does not say when the ferry to it leaves, however many words it shares
    (its time was the answer, in the model's words, to the ferry to Vireo Island)."""
    reversed_, kept = first_passages(reversed_text, kept_text)
    assert evidence.reverses_roles(question, reversed_) and not evidence.reverses_roles(question, kept)
    found = find_evidence(question, [reversed_.hit, kept.hit], embedder.encode, 0.5, 2, 10.0)
    assert found[0].hit.chunk_id == kept.hit.chunk_id


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("What did Tom give to Maria?", "Maria received a book from Tom."),  # a converse verb
        ("Who sends reports to Maria?", "Maria receives weekly reports from Tom."),
        ("Is the ferry from Vireo Island?", "The ferry to Vireo Island leaves at 07:40."),  # yes or no: "No"
        ("Which buses run after 18:00?", "Buses run every 20 minutes until 18:00, then hourly."),  # a time's role
        ("Who gives the flu vaccinations?", "Flu shots are given by Lind. Patients should ask Lind first."),
    ],
)
def test_a_converse_verb_or_a_yes_no_question_is_not_the_other_way_round(question: str, text: str) -> None:
    assert not evidence.reverses_roles(question, first_passages(text)[0])


@pytest.mark.parametrize(
    "text",
    [
        "Flu vaccinations are given on Thursday afternoons by nurse Perpetua Lind.",  # prose
        "Flu vaccinations: given by nurse Perpetua Lind",  # a record's field
        "| Service | Given by |\n| --- | --- |\n| Flu vaccinations | by nurse Perpetua Lind |",  # a table's row
    ],
)
def test_to_a_title_in_lower_case_before_a_name_is_a_role_not_a_verb(text: str) -> None:
    """ "given to nurse Perpetua Lind" is the opposite of the notes' "by nurse Perpetua Lind" ("to nurse" was read
    as a verb's infinitive, like "to ask Lind", and the answer shown); "to ask Lind" still gives no role."""
    passage = passages(hit(text))[0]
    question = "Who gives the flu vaccinations?"
    assert not grounded("The flu vaccine is given to nurse Perpetua Lind.", question, passage)
    assert grounded("The flu vaccinations are given by nurse Perpetua Lind.", question, passage)
    assert evidence._roles_kept("You need to ask Perpetua Lind.", passage.text, {"Perpetua", "Lind"})
    asked = "Flu shots are given by Lind. Patients should ask Lind for an appointment."  # "ask": a verb, no title
    assert evidence._roles_kept("They are given by Lind; you need to ask Lind first.", asked, {"Lind"})


@pytest.mark.parametrize(
    "text",
    [
        "Tent pegs: 24\nStove fuel: 2 canisters\nFerry leaves Brackwater pier at 07:40.",  # fields
        "- tent pegs\n- stove fuel\nFerry leaves Brackwater pier at 07:40.",  # list items
        "| Item | Count |\n| Stove fuel | 2 |\nFerry leaves Brackwater pier at 07:40.",  # a table's rows
    ],
)
def test_a_sentence_after_a_record_is_read_apart_from_it(text: str) -> None:
    """ "Stove fuel: 2 canisters Ferry leaves Brackwater pier at 07:40." was quoted; a value wrapped onto a line in
    lower case still goes on."""
    assert evidence.units_of(text)[-1] == "Ferry leaves Brackwater pier at 07:40."
    assert evidence.units_of("Note: the boiler is serviced\n  every spring by Harwick.") == [
        "Note: the boiler is serviced every spring by Harwick."
    ]
    for wrapped in ("Address: 12 Harbour Road,\nBergen 5003", "Note: see the\nDebian FAQ.", "Owner: Ola\nBerg"):
        assert len(evidence.units_of(wrapped)) == 1, wrapped


LARKSPUR = ["Project Larkspur is led by Dagny Fell.", "The sponsor of Project Larkspur is Hamid Rouse."]
LED = {
    "larkspur.txt": "\n".join(LARKSPUR).encode(),
    "larkspur.pdf": make_pdf(["\n\n".join(LARKSPUR)]),
    "larkspur.html": f"<html><body><p>{LARKSPUR[0]} {LARKSPUR[1]}</p></body></html>".encode(),
}


@pytest.mark.parametrize("name", LED)
def test_led_is_what_leads_asks_for(name: str) -> None:
    """A text file, a PDF and a web page: "Who leads Project Larkspur?" is answered by the sentence saying "led by"
    (the stemmer keeps "led" apart from "lead": the sponsor's name passed the check and was shown)."""
    found = [p for p in passages(hit(extract(LED[name], PurePosixPath(name)).text, title=name)) if "Hamid" in p.text]
    question = "Who leads Project Larkspur?"
    assert "Dagny Fell" in quote(found[0], question)
    assert not grounded("Project Larkspur is led by Hamid Rouse.", question, found[0])
    assert grounded("Project Larkspur is led by Dagny Fell.", question, found[0])


HALL = ["Caretaker Lorcan Whitby", "Bookings phone 01632 960 218", "Treasurer Marisol Ekwueme", "Key safe code 4082"]


def hall_card_as(kind: str) -> str:
    """The hall's contact card as each kind of file reads: a note with a blank line between its rows, a text
    file's rows aligned in columns, a web page's rows in <div>s (a flex box: label and value in spans), a Word
    form's paragraphs (a PDF's lines come without the blank lines: one unit, as an address's)."""
    if kind == "note":
        return "\n\n".join(HALL)
    if kind == "text":
        return "\n\n".join(f"{row.split()[0]:<16}{' '.join(row.split()[1:])}" for row in HALL)
    if kind == "web page":
        rows = "".join(
            f'<div class="row"><span>{" ".join(words[:-2])}</span> <span>{" ".join(words[-2:])}</span></div>'
            for words in (row.split() for row in HALL)
        )
        style = "<style>.row {display: flex}</style>"
        page = f"<html><head>{style}</head><body><h1>Hall contacts</h1>{rows}</body></html>"
        return extract(page.encode(), PurePosixPath("hall.html")).text
    import docx

    form = docx.Document()
    for row in HALL:
        form.add_paragraph(row)
    saved = io.BytesIO()
    form.save(saved)
    return extract(saved.getvalue(), PurePosixPath("hall.docx")).text


@pytest.mark.parametrize("kind", ["note", "text", "web page", "Word form"])
def test_a_cards_rows_are_read_apart_so_a_value_keeps_its_own_label(kind: str) -> None:
    # "Caretaker Lorcan Whitby" / "Treasurer Marisol Ekwueme": rows with no sentence's mark were read as one
    # sentence, so the check let the treasurer's name through as the caretaker's (a new user's try).
    text = hall_card_as(kind)
    card = passages(hit(text[text.index("Caretaker") :], title="Hall contacts"))[0]
    assert grounded("The caretaker is Lorcan Whitby.", "Who is the caretaker?", card), text
    assert not grounded("The caretaker is Marisol Ekwueme.", "Who is the caretaker?", card), text
    assert not grounded("The key safe code is 218.", "What is the key safe code?", card), text
    assert quote(card, "What is the key safe code?").endswith("4082") and "Whitby" not in quote(
        card, "What is the key safe code?"
    )


@pytest.mark.parametrize(
    "wrapped",
    [
        "Contact our caretaker Lorcan\nWhitby on 01632 960 218.",  # a narrow column: small words in it
        "Home address 12 Mill Lane\nOxford OX1 2AB",  # no blank line: one address
        "Aunt Edith Pemberton\nRose Cottage\nAshprington Totnes\nDevon TQ9 7UP",
        "The new office is at Harbour\nHouse on Quay Street 12",
    ],
)
def test_lines_that_wrap_a_sentence_or_an_address_stay_one_unit(wrapped: str) -> None:
    # A card's rows are apart where a blank line stands between them: the lines of a wrapped sentence or an
    # address are one unit (the caretaker's phone question was refused, half an address quoted).
    assert evidence.units_of(wrapped) == [" ".join(wrapped.split())]


def test_a_terms_description_under_it_is_read_with_its_term_not_apart() -> None:
    # expr(1)'s table: an operator's line, its description indented below: a card's rows only at one depth
    table = "ARG1 < ARG2\n       ARG1 is less than ARG2\n\nARG1 <= ARG2\n       ARG1 is less than or equal to ARG2\n"
    entry = passages(hit(table, title="expr"))[0]
    assert quote(entry, "Which expr operator tests whether ARG1 is less than ARG2?").startswith("ARG1 < ARG2")


AIRPORT = {"name": "Oslo Gardermoen", "iata": "OSL", "icao": "ENGM", "elevation_ft": "681", "city": "Oslo"}
AIRPORTS = {
    "airports.json": json.dumps([{"name": "Bergen Flesland", "iata": "BGO", "city": "Bergen"}, AIRPORT]),
    "airports.csv": ",".join(AIRPORT) + "\nBergen Flesland,BGO,ENBR,170,Bergen\n" + ",".join(AIRPORT.values()),
    "airports.md": "| "
    + " | ".join(AIRPORT)
    + " |\n|"
    + " --- |" * len(AIRPORT)
    + "\n| "
    + " | ".join(AIRPORT.values())
    + " |",
}


def gardermoen(name: str) -> Passage:
    text = extract(AIRPORTS[name].encode(), PurePosixPath(name)).text
    return next(p for p in passages(hit(text, title=name)) if "Gardermoen" in p.text)


@pytest.mark.parametrize("name", AIRPORTS)
def test_the_length_a_question_gives_what_it_asks_for_says_which_field_answers(name: str) -> None:
    """No key says "three-letter" or "four-letter" (the record says "iata" and "icao"); the value of that length
    does: the quote is that field with the one naming the record, not the whole record (where the model
    answered the GDR's two-letter code with its numeric code, 278)."""
    passage = gardermoen(name)
    three = quote(passage, "What is the three-letter code of Oslo Gardermoen?")
    assert "iata: OSL" in three and "Gardermoen" in three and "ENGM" not in three and "681" not in three
    four = quote(passage, "Which four-letter code does Oslo Gardermoen have?")
    assert "icao: ENGM" in four and "OSL" not in four


def test_an_answer_of_the_wrong_length_is_not_grounded_in_prose() -> None:
    """A note's sentence holding two codes: the four-digit one asked for is the answer, not the other. A code
    that is a small word in capitals ("OR") is a code; where the notes hold no value of the length bare (a sort
    code written "20-00-00"), the length says nothing of the answer (a review's cases)."""
    note = passages(hit("The door code is 4821 and the alarm code is 77, both changed in May.", title="flat"))[0]
    question = "What is the four-digit code for the flat?"
    assert grounded("The four-digit code for the flat is 4821.", question, note)
    assert not grounded("The four-digit code for the flat is 77.", question, note)
    states = passages(hit("Oregon is OR and Washington is WA on the forms.", title="states"))[0]
    assert grounded("Oregon's two-letter code is OR.", "What is the two-letter state code of Oregon?", states)
    gdr = passages(hit("In ISO 3166-1 the GDR had the alpha-2 code DD and the numeric code 278.", title="codes"))[0]
    assert not grounded("In ISO 3166-1 it was 278.", "What is the two-letter code of the GDR?", gdr)
    bank = passages(hit("The bank's sort code is 20-00-00 and the account is held in Leeds.", title="bank"))[0]
    assert grounded("The sort code is 20-00-00.", "What is the six-digit sort code of the bank?", bank)


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("What is the two-letter code for Faroese?", (2, "letter")),
        ("What's the three-letter ISO code for Kenya?", (3, "letter")),  # "ISO" names a standard
        ("Which 4-digit PIN opens the safe?", (4, "digit")),
        ("What's North Korea's three-letter country code?", (3, "letter")),
        ("What is the two-letter code for the UK?", (2, "letter")),  # "UK" is far from the length
        ("What is the ISO two-letter code for Austria?", (2, "letter")),
        ("Which four-letter code does Oslo Gardermoen have?", (4, "letter")),  # a name is no code given
        ("Which former country went by the four-letter code CSHH?", None),  # the code is given, a country asked
        ("Which two-letter code is DE?", None),
        ("Which language has the three-letter code 'tlh'?", None),
        ("What is the code of Faroese?", None),
        ("How do I match a 5-digit number with grep?", None),  # a length, not what is asked for (a review's)
        ("Who sent the two letters in May?", None),
        ("How do I type UTF-8 characters in vim?", None),
    ],
)
def test_a_question_gives_the_length_of_what_it_asks_for_not_of_what_it_gives(question: str, shape) -> None:
    assert facts.asked_shape(question) == shape


SURGERY_OPEN = ("Is the surgery open on Saturday?", "Yes, the surgery is open on Saturday.")


@pytest.mark.parametrize(
    ("text", "question", "answer"),
    [
        ("Riverside GP surgery\n\nMonday to Friday 08:00-18:00\n\nSaturday closed\n\nSunday closed", *SURGERY_OPEN),
        ("Riverside GP surgery hours: Monday to Friday 08:00-18:00. Closed on Saturday and Sunday.", *SURGERY_OPEN),
        ("Pets: not allowed\nSmoking: forbidden\nParking: free", "Is smoking allowed?", "Yes, smoking is allowed."),
        (
            "[sshd]\nPassword authentication: disabled\nPort: 2222",
            "Is password authentication enabled for sshd?",
            "Yes, password authentication is enabled for sshd.",
        ),
    ],
)
def test_a_yes_is_not_grounded_where_the_notes_say_the_opposite_state(text: str, question: str, answer: str) -> None:
    """A new user's try: "Is the GP surgery open on Saturday?" was answered "Yes" where the card says "Saturday
    closed". A card, prose, a record and a config: the clause about what is asked (its rarest words) says the
    opposite state ("closed", "forbidden", "disabled") and not the one asked: a "Yes" is not grounded."""
    passage = passages(hit(text, title="notes"))[0]
    assert evidence.says_the_opposite(question, passage)
    assert not grounded(answer, question, passage)


@pytest.mark.parametrize(
    ("text", "question", "answer"),
    [  # a review's cases: hours listed without "open", "closed" of another day, thing or default, another question
        ("The surgery is open Monday to Saturday. The pharmacy next door is closed on Saturday.", *SURGERY_OPEN),
        ("Open Monday to Saturday 9-17. Closed on Sundays and bank holidays.", *SURGERY_OPEN),
        ("The surgery closes at 18:00 on Saturday.", *SURGERY_OPEN),  # "closes at" is open until then
        ("Monday to Friday 08:00-18:00\nSaturday 09:00-12:00\nSunday closed", *SURGERY_OPEN),
        ("Surgery: Mon-Fri 9-20, Sat 10-16, Sun closed.", *SURGERY_OPEN),
        ("The surgery is open daily 08:00-20:00.\nSaturday: the pharmacy counter is closed.", *SURGERY_OPEN),
        ("Saturday closed", "Is the surgery not open on Saturday?", "Yes, it is not open on Saturday."),
        (
            "# gzip compression is disabled by default\ngzip on;",
            "Is gzip enabled on the web server?",
            "Yes, gzip is enabled.",
        ),
        (
            "LibreOffice imports .pages files from Apple's closed format.",
            "Can I open .pages files in LibreOffice?",
            "Yes, LibreOffice imports .pages files.",
        ),
    ],
)
def test_a_yes_stands_where_the_opposite_is_said_of_something_else(text: str, question: str, answer: str) -> None:
    passage = passages(hit(text, title="surgery"))[0]
    assert not evidence.says_the_opposite(question, passage)
    assert grounded(answer, question, passage)


@pytest.mark.parametrize(
    ("text", "question", "answer"),
    [
        (
            "Project Heron replaces the warehouse scanners with handheld tablets.\n"
            "The budget is 48,000 euros and the deadline is the 30th of June.",
            "Is Project Heron's deadline in June?",
            "30th of June",
        ),
        (
            "Maria flies to Oslo on Friday.\nHer flight leaves at 09:40 from gate B7.",
            "Does Maria's flight leave at 9?",
            "09:40",
        ),
        (
            "# Car\n\nThe car is a 2015 Volvo V70 in dark blue.\n"
            "The car's insurance renews on 1 March with Gjensidige.",
            "Is the car's insurance with Gjensidige?",
            "renews on 1 March",
        ),
    ],
)
def test_a_yes_no_questions_quote_is_about_what_follows_its_possessive(text: str, question: str, answer: str) -> None:
    """The fresh clone's sample: "Is Project Heron's deadline in June?" quoted "Project Heron replaces the
    warehouse scanners ...": the words after "Is" were read as what is asked ("Project Heron"), which every
    sentence names. What is asked is what the possessive owns: the deadline, the flight, the insurance."""
    assert answer in quote(passages(hit(text, title="notes"))[0], question)


HERON = (
    "Project Heron replaces the warehouse scanners with handheld tablets.\n"
    "The budget is 48,000 euros and the deadline is the 30th of June."
)
FLIGHT = "Maria flies to Oslo on Friday.\nHer flight leaves at 09:40 from gate B7."
AIRPORT = "name: Oslo Lufthavn\niata: OSL\ncity: Oslo\nrunways: 2"


@pytest.mark.parametrize(
    ("text", "question", "answer"),
    [
        (
            HERON,
            "Is Project Heron's deadline in June?",
            "Project Heron replaces the warehouse scanners with handheld tablets.",
        ),
        (FLIGHT, "Does Maria's flight leave at 9?", "Maria flies to Oslo on Friday."),
        (AIRPORT, "Does Oslo Lufthavn have three runways?", "Oslo Lufthavn is in Oslo."),
    ],
)
def test_a_yes_no_answer_without_a_verdict_must_say_something_of_what_is_asked(
    text: str, question: str, answer: str
) -> None:
    """The fresh clone's daemon answered "Is Project Heron's deadline in June?" with "Project Heron replaces the
    warehouse scanners ...": every word of it is the notes', but it only names what the question is about. A
    project note, a travel note and a record: an answer with no yes or no that shares none of the question's
    other words is not grounded (the quote, the deadline's sentence, is shown instead)."""
    assert not grounded(answer, question, passages(hit(text, title="notes"))[0])


@pytest.mark.parametrize(
    ("text", "question", "answer"),
    [
        (HERON, "Is Project Heron's deadline in June?", "The deadline is the 30th of June."),
        (FLIGHT, "Does Maria's flight leave at 9?", "Her flight leaves at 09:40."),
        (AIRPORT, "Does Oslo Lufthavn have three runways?", "Oslo Lufthavn has 2 runways."),
        (  # a review's: what is asked named by a name of its own (MOT), or by a word's kin (riverside)
            "Car\n\nThe Skoda failed its MOT on 2 March 2026: worn brake discs.",
            "Did the Skoda pass its MOT?",
            "The Skoda failed its MOT on 2 March 2026.",
        ),
        (
            "Porto\n\nThe Casa do Rio is a small hotel on the riverside, by the Ribeira.",
            "Is the Casa do Rio hotel near the river?",
            "The Casa do Rio is a small hotel on the riverside.",
        ),
        (
            "Sorts are guaranteed to be stable. That means that when multiple records have the same key, their "
            "original order is preserved.",
            "When two records have the same sort key, does Python's sort keep them in their original order?",
            "Sorts are guaranteed to be stable.",
        ),
    ],
)
def test_a_yes_no_answer_without_a_verdict_stands_where_it_speaks_to_what_is_asked(
    text: str, question: str, answer: str
) -> None:
    assert grounded(answer, question, passages(hit(text, title="notes"))[0])


@pytest.mark.parametrize(
    ("question", "turn"),
    [
        ("When is my next dentist appointment?", "next"),
        ("When's the upcoming parents' evening?", "next"),
        ("When was the last oil change?", "last"),
        ("When was my most recent flu jab?", "last"),
        ("What date was the previous board meeting?", "last"),
        ("When is the last day to apply?", None),  # a deadline
        ("When does the last bus leave?", None),  # a review's: the final one, not the latest up to today
        ("When is the last instalment due?", None),
        ("When did I last service the boiler?", "last"),
        ("What is the next step after the backup?", None),  # no date asked
        ("Who was here last week?", None),
        ("In /etc/shadow, from which date is the 'last password change' field counted in days?", None),
        ("How much do we pay for internet?", "last"),  # a sum now: the latest bill
        ("How much is the rent?", "last"),
        ("How much was the last electricity bill?", "last"),
        ("How much will the next instalment be?", "next"),
        ("How much did I pay at the dentist?", None),  # any time
        ("How many students are enrolled?", None),  # a count a record holds
        ("How much time does the backup take?", None),
        ("How much is the electricity bill for October?", None),  # a month named
        ("How much is in my savings account?", None),  # a balance, no recurring payment
        ("How much does the gym cost?", "last"),
    ],
)
def test_a_question_asks_for_the_next_or_the_last_by_its_words(question: str, turn: str | None) -> None:
    assert facts.asked_turn(question) == turn


def test_a_texts_dates_span_their_days_a_month_all_of_its_days() -> None:
    spans = facts.calendar_spans("Seen on 2 June 2025 and 2026-03-28; next one due in June 2027, or 2027-03.")
    day = datetime.date
    assert spans == [
        (day(2025, 6, 2), day(2025, 6, 2)),
        (day(2026, 3, 28), day(2026, 3, 28)),
        (day(2027, 6, 1), day(2027, 6, 30)),
        (day(2027, 3, 1), day(2027, 3, 31)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2024-04-11  oil change, 61,200 km\n2025-04-02  inspection and brake pads\n2026-03-28  oil change, 95,310 km",
        "3 March 2026: walked to the lighthouse\n\n9 March 2026: rain all day\n4 April 2026: ferry to Holm",
        "March 4, 2026 - first lesson\nMarch 11, 2026 - second lesson, scales",
    ],
)
def test_a_logs_lines_that_open_with_their_dates_are_units_of_their_own(text: str) -> None:
    """A car's log, a diary and a lesson list: no full stop ends their lines, and each is an entry."""
    lines = [line for line in text.split("\n") if line]
    assert evidence.units_of(f"Log\n\n{text}") == ["Log", *lines]


def test_a_wrapped_sentences_line_that_opens_with_a_date_goes_on() -> None:
    text = "Notes\n\nThe council said the new bins come on\n12 March 2026 and the old ones go\nthe week after."
    assert len(evidence.units_of(text)) == 1


def test_one_records_name_or_its_one_value_of_the_kind_asked_answers_for_the_record() -> None:
    """Each field of one record is of what the record names, where the question names it by another field:
    "The language is Klingon." for 'tlh', its one date for "when"; a number of the record for its "currency
    code" is still not grounded (the record's other fields tell nothing of which one is asked)."""
    language = passages(hit("639-2.alpha_3: tlh\n639-2.name: Klingon; tlhIngan-Hol", title="iso_639-2"))[0]
    assert grounded("The language is Klingon.", "What language is 'tlh'?", language)
    jab = passages(hit("date: 2026-11-05\nvaccine: flu\nclinic: Boots", title="vaccinations"))[0]
    assert grounded("It was on 2026-11-05.", "When was my flu jab at Boots?", jab)
    zloty = passages(hit("4217.alpha_3: PLN\n4217.name: Zloty\n4217.numeric: 985", title="iso_4217"))[0]
    assert not grounded(
        "The currency code for the Polish zloty is 985.", "What is the currency code for the Polish zloty?", zloty
    )


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday")
ROOMS = [("Room", "Booked by", "Time"), ("Larchmont", "Esmeralda Voss", "Tuesday 10:00")]
ROOMS += [
    (room, name, f"{day} 14:00")
    for room, name, day in zip(
        ("Attic", "Oak", "Elm", "Ash", "Yew", "Fir"),
        ("Barnaby Ellwood", "Ida Crane", "Tobias Wren", "Mira Fell", "Osgood Pryce", "Nell Hart"),
        WEEKDAYS,
        strict=True,
    )
]
ROOMS += [("Cedar", "Clementine Rusk", "Friday 09:00")]  # a table longer than one passage
LIBRARY_LIST = ["Returns box code: 8264", "Wifi password: heronsong42"]


def library_page(kind: str) -> bytes:
    """A library's page of a list, then a table of room bookings whose first row names its columns: as a web
    page (cells all <td>), as Markdown and as a Word document (python-docx)."""
    if kind == "html":
        rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in ROOMS)
        items = "".join(f"<li>{item}</li>" for item in LIBRARY_LIST)
        return f"<html><body><main><h1>Library</h1><ul>{items}</ul><table>{rows}</table></main></body></html>".encode()
    if kind == "md":
        table = [f"| {' | '.join(ROOMS[0])} |", "| --- | --- | --- |", *(f"| {' | '.join(row)} |" for row in ROOMS[1:])]
        return "\n".join(["# Library", "", *(f"- {item}" for item in LIBRARY_LIST), "", *table, ""]).encode()
    import docx

    document = docx.Document()
    document.add_heading("Library", level=1)
    for item in LIBRARY_LIST:
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=len(ROOMS), cols=3)
    for row, cells in zip(table.rows, ROOMS, strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_one_list_item_before_a_table_heads_its_rows_as_a_caption() -> None:
    """A review's: "- Lisbon, hotel costs" over one table and "- Porto, hotel costs" over another name their rows'
    city; a list of one item is a caption, not a list."""
    rows = "\n".join(f"| {night} | {price} EUR |" for night, price in [(1, 95), (2, 95), (3, 110), (4, 110), (5, 120)])
    table = f"| Night | Price |\n| --- | --- |\n{rows}\n"
    text = extract(
        f"# Trips\n\n- Lisbon, hotel costs\n\n{table}\n- Porto, hotel costs\n\n{table}".encode(), Path("t.md")
    ).text
    found = [p.text for p in passages(hit(text, title="trips")) if "Night: 5" in p.text]
    assert len(found) == 2 and "Lisbon" in found[0] and "Porto" in found[1]


@pytest.mark.parametrize("kind", ["html", "md", "docx"])
def test_a_list_before_a_table_does_not_head_its_rows(kind: str) -> None:
    """A new user's try: a page's list ended without a full stop, so its last item was read as leading into the
    table after it and headed each row: the Cedar booking was quoted "- Wifi password: heronsong42: Room: Cedar;
    ...". A list before a table is whole, as a record before one is."""
    text = extract(library_page(kind), Path(f"library.{kind}")).text
    row = next(p for p in passages(hit(text, title="library")) if "Clementine Rusk" in p.text)
    said = quote(row, "When is the Cedar room booked by Clementine Rusk?")
    assert "Friday 09:00" in said and "heronsong42" not in said


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("When are controlled medicines collected?", "Controlled medicines are collected only on Tuesdays."),
        ("When is the library open?", "The library is open on weekdays from nine."),
        ("When does the market run?", "Market: weekends only"),
    ],
)
def test_a_weekday_that_recurs_is_a_time_a_when_question_asks_for(question: str, text: str) -> None:
    """A new user's try: "collected only on Tuesdays" was refused as not saying when."""
    assert states("date", text, question)


GREENHOUSES = (
    "The east greenhouse is heated by a paraffin stove and grows chillies.\n"
    "The west greenhouse is unheated and grows tomatoes.\n"
    "The east greenhouse key is kept under the blue pot.\n"
    "The west greenhouse key is kept in the potting shed drawer."
)
KEYS_LIST = "Spare keys\n\n- Front door spare key: under the doormat\n- Shed spare key: in the garage drawer"
KEYS_JSON = '{"spare keys": {"front door key": "under the doormat", "shed key": "in the garage drawer"}}'


@pytest.mark.parametrize(
    ("text", "question", "right", "wrong"),
    [
        (GREENHOUSES, "Where is the east greenhouse key kept?", "under the blue pot", "in the potting shed drawer"),
        (KEYS_LIST, "Where is the shed spare key kept?", "in the garage drawer", "under the doormat"),
        (KEYS_JSON, "Where is the shed key kept?", "in the garage drawer", "under the doormat"),
    ],
)
def test_where_a_thing_is_kept_is_answered_by_a_place_of_the_line_about_it(
    text: str, question: str, right: str, wrong: str, tmp_path: Path
) -> None:
    """A new user's try: "Where is the east greenhouse key kept?" was refused (a place is no file's path), then,
    with places read, "in the potting shed drawer", the west one's, passed the check. A place answers "where
    ... kept", and it must be the place the line about what is asked gives: prose, a list and a record."""
    source = write(tmp_path / ("keys.json" if text.startswith("{") else "keys.md"), text)
    passage = passages(hit(extract(source.read_bytes(), source).text, title="keys"))[0]
    assert states("path", passage.text, question)
    assert right in quote(passage, question)
    assert grounded(f"It is kept {right}.", question, passage)
    assert not grounded(f"It is kept {wrong}.", question, passage)


CHAINSAW = ("Who owns the chainsaw?", "Bertrand Ockley owns it.", "It is in the North Shed.")
BRAMLEY = ("Who bought the Bramley apples?", "Thornbury Cider bought them.", "Ned Acre bought them.")
ORCHARD = (
    "# The Orchard\n\n| Variety | Picker | Buyer |\n| --- | --- | --- |\n"
    "| Bramley | Ned Acre | Thornbury Cider |\n| Cox | Ida Marsh | Alder Farm Shop |\n"
)


@pytest.mark.parametrize(
    ("name", "content", "question", "right", "wrong"),
    [
        ("tools.txt", "Tool: Chainsaw\nOwner: Bertrand Ockley\nShed: North Shed\n", *CHAINSAW),
        ("tools.csv", "Tool,Owner,Shed\nChainsaw,Bertrand Ockley,North Shed\n", *CHAINSAW),
        ("tools.json", '{"tool": "Chainsaw", "owner": "Bertrand Ockley", "shed": "North Shed"}', *CHAINSAW),
        ("orchard.md", ORCHARD, *BRAMLEY),
    ],
)
def test_who_is_answered_by_the_field_of_the_one_who_does_what_is_asked(
    name: str, content: str, question: str, right: str, wrong: str
) -> None:
    """A new user's try: "Who owns the chainsaw?" was answered "Chainsaw\\nShed: North shed", a name of the
    record's other field, and "Who bought the Bramley apples?" "The Orchard", the table's title (here the picker's
    name, another column). Where a field's
    key is the noun of the question's verb's doer (owner, driver, buyer: `agent_nouns`), a name given must be
    that field's, and the quote is it."""
    doer = " ".join(right.split()[:2])
    text = extract(content.encode(), Path(name)).text
    passage = next(p for p in passages(hit(text, title=Path(name).stem)) if doer in p.text)
    assert grounded(right, question, passage)
    assert not grounded(wrong, question, passage)
    said = quote(passage, question)
    assert doer in said and "North Shed" not in said and "Ned Acre" not in said


def test_a_date_written_without_its_year_is_read_on_the_year_nearest_today() -> None:
    """A review's: "- Mon 14 Dec: dentist filling" under "Appointments" (no year) was no date, so the next
    appointment quoted the list's first. A day and month alone are the date of them nearest today."""

    def day(offset: int) -> str:
        return f"{datetime.date.today() + datetime.timedelta(days=offset):%a %d %b}"

    text = f"Appointments\n\n- {day(-26)}: dentist check-up\n- {day(9)}: dentist filling\n- {day(38)}: eye test"
    passage = passages(hit(text, title="appointments"))[0]
    assert quote(passage, "When is my next dentist appointment?").endswith("dentist filling")
    assert quote(passage, "When was my last dentist appointment?").endswith("dentist check-up")
    assert quote(passage, "When is my next eye test?").endswith("eye test")


def test_a_place_named_by_a_storage_lists_label_or_a_capitalised_name_answers_where() -> None:
    """A review's: "Passports: desk drawer." has no preposition, and "At Hartley & Sons" no article."""
    text = "Where things are\n\nPassports: desk drawer.\nSpare key: under the doormat.\nWill: at Hartley & Sons, Leeds."
    passage = passages(hit(text, title="where"))[0]
    question = "Where are the passports kept?"
    assert states("path", passage.text, question)
    assert grounded("In the desk drawer.", question, passage)
    assert not grounded("Under the doormat.", question, passage)
    assert states("path", "At Hartley & Sons solicitors in Leeds.", "Where is my will kept?")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("boiler.txt", "Boiler\n\n2026-11-28 serviced by Hales Heating\n2025-10-02 pressure valve replaced\n"),
        ("boiler.csv", "date,work,by\n2026-11-28,serviced,Hales Heating\n2025-10-02,pressure valve replaced,Hales\n"),
        (
            "boiler.md",
            "# Boiler\n\n| Date | Work |\n| --- | --- |\n| 2026-11-28 | serviced |\n| 2025-10-02 | valve |\n",
        ),
    ],
)
def test_a_date_written_out_states_the_notes_iso_date(name: str, content: str) -> None:
    """A review's: "It was serviced on 28 November 2026." was not grounded where the notes write 2026-11-28 (a
    log, a sheet's row, a table's): its words are the date's. Another day is still not the notes'."""
    text = extract(content.encode(), Path(name)).text
    passage = next(p for p in passages(hit(text, title="boiler")) if "2026-11-28" in p.text)
    question = "When was the boiler serviced?"
    assert grounded("It was serviced on 28 November 2026.", question, passage)
    assert grounded("It was serviced on November 28th, 2026.", question, passage)
    assert not grounded("It was serviced on 29 November 2026.", question, passage)


def test_who_in_one_record_is_not_answered_by_any_of_its_names() -> None:
    """A review's: in a lease's record, "Who owns the flat?" took the tenant's name, any name of one record
    passing for it; a name must still sit with what the question names (here none does: the quote answers)."""
    lease = passages(hit("Lease: Flat 3B\nSigned: 12 May 2026\nTenant: Oskar Brandt\nLandlord: Hermione Vasquez"))[0]
    assert not grounded("Oskar Brandt owns it.", "Who owns the flat?", lease)


def test_a_records_owner_answers_under_a_bare_title_line() -> None:
    """A review's: "Chainsaw" on a line of its own over the record's fields, as people write it."""
    saw = passages(hit("Chainsaw\nShed: North shed\nOwner: Bertrand Ockley", title="tools"))[0]
    assert grounded("Bertrand Ockley owns it.", "Who owns the chainsaw?", saw)
    assert not grounded("It is in the North shed.", "Who owns the chainsaw?", saw)
    assert quote(saw, "Who owns the chainsaw?") == "Owner: Bertrand Ockley"


FIXTURES = [("Date", "Opponent", "Home/Away")]
FIXTURES += [("5 Dec 2026", "Ajax", "Away"), ("12 Dec 2026", "VVA", "Home"), ("19 Dec 2026", "Zeeburgia", "Away")]


@pytest.mark.parametrize("kind", ["csv", "md", "html"])
def test_the_next_row_is_chosen_by_its_values_not_its_keys(kind: str) -> None:
    """A new user's try: "When is the next home match?" quoted the next Away row, every row's key "Home/Away"
    sharing "home" with the question. A row's values say what it is of (a sheet, a Markdown and a web table)."""
    if kind == "csv":
        data = "\n".join(",".join(row) for row in FIXTURES)
    elif kind == "md":
        data = "\n".join(["| " + " | ".join(FIXTURES[0]) + " |", "| --- | --- | --- |"])
        data += "\n" + "\n".join("| " + " | ".join(row) + " |" for row in FIXTURES[1:])
    else:
        cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in FIXTURES[1:])
        data = f"<table><tr>{''.join(f'<th>{name}</th>' for name in FIXTURES[0])}</tr>{cells}</table>"
    text = extract(data.encode(), Path(f"fixtures.{kind}")).text
    rows = [row for row in re.split(r"\n\n|\n(?=Date: )", text) if "Opponent:" in row]  # a sheet's: records
    today = datetime.date(2026, 12, 5)
    assert "VVA" in (evidence.as_of_today(rows, "When is the next home match?", today) or "")
    assert "Ajax" in (evidence.as_of_today(rows, "When is the next away match?", today) or "")


VALUE_GIVEN = {  # a question naming a record by one of its values whole, asking the other way round; the record;
    # a record of the same table whose other fields share the question's words; how much closer in meaning that
    # one is, in KIND_BONUS: more than its words lose by (one bonus is earned, two where the field is named too)
    "JSON": (
        "Which script has the ISO 15924 code Sind?",
        "alpha_4: Sind\nname: Khudawadi, Sindhi\nnumeric: 318",
        "alpha_4: Zzzz\nname: Code for uncoded script\nnumeric: 999",
        1,
    ),
    "CSV": (
        "Which member has the card number 7731?",
        "name: Ines Duarte; card number: 7731; joined: 2024-03-02",
        "name: Card desk (new members); card number: 1000; joined: 2020-01-01",
        3,
    ),
    "note": (
        "which room has key code 4471?",
        "room: Boiler room\nkey code: 4471\nfloor: basement",
        "room: Key cupboard (codes for every room)\nkey code: 1200\nfloor: ground",
        3,
    ),
}


@pytest.mark.parametrize("kind", VALUE_GIVEN)
def test_the_record_holding_a_value_the_question_gives_whole_outweighs_one_sharing_its_other_words(kind: str) -> None:
    """The other record is closer in meaning than its fewer shared words lose by; the one whose field is the
    value given is read first."""
    question, record, other, closer = VALUE_GIVEN[kind]
    candidates = [
        passages(hit(record, title="table", chunk_id="c1"))[0],
        passages(hit(other, title="table", chunk_id="c2"))[0],
    ]
    ranked = score(question, candidates, leaning(other, closer * evidence.KIND_BONUS), 0.5)
    assert ranked[0].text == record


AUTHORED = {  # who wrote a text, asked; the line naming its author; a passage of the same text sharing the
    # question's words as much or more; how much closer in meaning that one is, in KIND_BONUS: more than the
    # words alone tell them apart by
    "HOWTO as PDF": (
        "Who wrote the Socket Programming HOWTO?",
        "Socket Programming HOWTO\n\nAuthor:\n\nGordon McMillan\n\nAbstract",
        "This Socket Programming HOWTO is for those who know sockets in C; in Python they are easier.",
        1.0,
    ),
    "manual page": (
        "who wrote grep?",
        "AUTHOR\n       Written by Mike Haertel and others; see https://git.sv.gnu.org/cgit/grep.git/tree/AUTHORS.",
        "grep was written to search each file for lines that match patterns.",
        1.5,
    ),
    "Markdown front matter": (
        "Who is the author of the packing list?",
        "title: Packing list\nauthor: Jane Okafor\ndate: 2026-05-01",
        "The packing list's author field is left blank in the template.",
        1.5,
    ),
}


@pytest.mark.parametrize("kind", AUTHORED)
def test_asked_who_wrote_a_text_the_line_naming_its_author_outweighs_a_closer_meaning(kind: str) -> None:
    question, author, other, closer = AUTHORED[kind]
    candidates = [
        passages(hit(author, title="doc", chunk_id="c1"))[0],
        passages(hit(other, title="doc", chunk_id="c2"))[0],
    ]
    ranked = score(question, candidates, leaning(other, closer * evidence.KIND_BONUS), 0.5)
    assert ranked[0].text == author


FIELD_OF_WORDS = {  # a question naming a field of two words whole, whose value is words; an answer giving another
    # field's value, which no fact check sees (a code, a unit, a plain word); an answer giving the field's own
    "JSON": (
        "What's the official name of Sri Lanka?",
        "3166-1.alpha_2: LK\n3166-1.alpha_3: LKA\n3166-1.name: Sri Lanka\n"
        "3166-1.official_name: Democratic Socialist Republic of Sri Lanka",
        'The official name of Sri Lanka is "LK" in the list.',
        "It is the Democratic Socialist Republic of Sri Lanka.",
    ),
    "CSV": (
        "What is the storage location of the oak planks?",
        "item: Oak planks; storage location: back shed; unit: metre; grade: A",
        "The oak planks are stored in metre.",
        "The oak planks are kept in the back shed.",
    ),
    "note": (
        "What is the dress code for the winter gala?",
        "event: Winter gala\ndress code: black tie\nparking: free",
        "The dress code for the winter gala is free.",
        "It is black tie.",
    ),
}


@pytest.mark.parametrize("kind", FIELD_OF_WORDS)
def test_an_answer_to_a_field_named_whole_must_hold_a_word_of_its_value(kind: str) -> None:
    question, record, other_field, own_field = FIELD_OF_WORDS[kind]
    passage = passages(hit(record, title="table"))[0]
    assert not grounded(other_field, question, passage)
    assert grounded(own_field, question, passage)


def test_a_value_two_documents_hold_names_no_record_of_either() -> None:
    """ "port 465" is a row of a guide's table of secure services and a line of services.txt: the guide's field
    holding it whole earns nothing over the line that answers (its aliases), closer in meaning by a little."""
    question = "What are the aliases of the submissions service on port 465?"
    line = "submissions\t465/tcp\t\tssmtp smtps urd # Submission over TLS [RFC8314]"
    row = "insecure service name: smtp (mail); port: 25; secure service name: ssmtp (smtps); port: 465"
    candidates = [
        passages(replace(hit(line, title="services", chunk_id="c1"), path="records/services.txt"))[0],
        passages(replace(hit(row, title="Authentication", chunk_id="c2"), path="guide/04-access.html"))[0],
    ]
    ranked = score(question, candidates, leaning(line, evidence.KIND_BONUS / 2), 0.5)
    assert ranked[0].text == line


@pytest.mark.parametrize(
    ("question", "record", "answer"),
    [  # a key of two words that names the record asked about, not what is asked of it
        (
            "How much does the meeting room cost?",
            "meeting room: Oak room\ncost: €40 per hour",
            "It costs €40 per hour.",
        ),
        (
            "When did the dress code change?",
            "event: Winter gala\ndress code: black tie\nchanged: 2026-01-10",
            "It changed on 2026-01-10.",
        ),
        (
            "Who booked the meeting place for the hike?",
            "hike: Ben Nevis; meeting place: Glen Nevis car park; booked by: Sam Ortiz",
            "Sam Ortiz booked it.",
        ),
    ],
)
def test_a_field_the_question_names_as_its_subject_need_not_be_in_the_answer(
    question: str, record: str, answer: str
) -> None:
    assert grounded(answer, question, passages(hit(record, title="table"))[0])


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who wrote the Socket Programming HOWTO?", True),
        ("Who's the author of the packing list?", True),
        ("Can you tell me who wrote the HOWTO?", True),
        ("What is this guide about?\nAnd who wrote it?", True),
        ("Who wrote to the landlord about the leak?", False),
        ("Who wrote down the meter reading?", False),
        ("Who was the letter written to?", False),
    ],
)
def test_who_wrote_a_text_is_asked_not_who_wrote_to_someone(question: str, asked: bool) -> None:
    assert (evidence.AUTHOR_ASKED.search(question) is not None) is asked


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Author:\n\nGordon McMillan", True),
        ("title: Packing list\nauthor: Jane Okafor", True),
        ("AUTHOR\n       Written by Mike Haertel.", True),
        ("       --author\n              with -l, print the author of each file", False),
        ("Author's note: the maps are old.", False),
        ("Authors disagree on the date.", False),
    ],
)
def test_a_line_naming_an_author_is_a_header_field_or_a_manual_s_section(text: str, names: bool) -> None:
    assert (evidence.AUTHOR_LINE.search(text) is not None) is names


@pytest.mark.parametrize(
    "question",
    [
        "What Is the Cost per Night at Hotel Lux?",
        "How Do I Set Up SSH via Jump Host?",
        "How Many kWh Did We Use in March?",
        "WHO WON THE CUP?",
    ],
)
def test_title_case_writes_short_words_small_and_still_names_nothing_by_its_capitals(question: str) -> None:
    assert evidence.capitalised_throughout(question)


KEYED_ROWS = {  # a question, the row its word keys (a whole cell), passages holding the word inside another word
    "tab-separated file": (
        "What protocol number does TCP have?",
        "tcp\t6\tTCP\t\t# transmission control protocol",
        ["bgp\t\t179/tcp\t\t\t# Border Gateway Protocol", "Each TCP connection has a protocol number of its own."],
    ),
    "Markdown table": (
        "Which room does the Lab book on Tuesdays?",
        "| Lab | Room 4.12 | Tuesday |",
        ["| Lab-2 | Room 1.01 | Tuesday |", "The lab books a room on Tuesdays when the hall is full."],
    ),
    "phone list in a note": (
        "What is the extension of Reception?",
        "Reception\t4417\tground floor",
        ["Sales\t4420\tnext to reception", "Visitors sign in at Reception first."],
    ),
}


@pytest.mark.parametrize("kind", KEYED_ROWS)
def test_a_row_a_word_of_the_question_keys_is_read_before_passages_holding_it_in_other_words(kind: str) -> None:
    """A table's row is named by a cell that is, whole, a word of the question ("tcp" in "tcp 6 TCP"), not by
    one holding it inside another ("179/tcp") or a sentence sharing more of the question's words."""
    question, row, competing = KEYED_ROWS[kind]
    assert_read_first(question, row, competing)


PROTOCOL_ROWS = "pim\t103\tPIM\t\t# Protocol Independent Multicast\nipcomp\t108\tIPCOMP\t\t# IP Payload Compression Protocol\nvrrp\t112\tVRRP\t\t# Virtual Router Redundancy Protocol"  # noqa: E501
SERVICE_ROWS = "ldaps\t\t636/tcp\t\t\t\t# LDAP over SSL\nldaps\t\t636/udp\ntinc\t\t655/tcp\t\t\t\t# tinc control port"
ROOM_ROWS = "| Team | Room | Day |\n| Sales | Room 1.01 | Monday |\n| Lab | Room 4.12 | Tuesday |"


@pytest.mark.parametrize(
    ("rows", "question", "row", "answer", "neighbours"),
    [
        (PROTOCOL_ROWS, "What's the IP protocol number for VRRP?", "vrrp\t112", "112", "108"),
        (SERVICE_ROWS, "What port is LDAP over SSL on?", "ldaps\t\t636/tcp", "636", "655"),
        (ROOM_ROWS, "Which room does the Lab book?", "| Lab | Room 4.12", "Room 4.12", "Room 1.01"),
    ],
    ids=["protocols", "services", "Markdown table"],
)
def test_the_quote_and_the_check_keep_to_the_row_asked_about(
    rows: str, question: str, row: str, answer: str, neighbours: str
) -> None:
    """Rows split by tabs are units of their own, as a pipe table's are: the quote is the row the question names
    (by a whole cell, else by its words; a word of the field asked, "port" of "tinc control port", names another
    row), and an answer taking its neighbour's value is not grounded."""
    passage = passages(hit(rows, title="table"))[0]
    assert quote(passage, question).startswith(row)
    assert grounded(f"It is {answer}.", question, passage)
    assert not grounded(f"It is {neighbours}.", question, passage)


DATE_GIVEN = {  # a question naming a record by a date written out, the record, an echo of the date, the answer
    "CSV": (
        "Which Debian release came out on 4 May 2013?",
        "version: 7\ncodename: Wheezy\ncreated: 2011-02-06\nrelease: 2013-05-04\neol: 2016-04-25",
        "2013-05-04",
        "Debian 7 came out on 4 May 2013.",
    ),
    "JSON": (
        "Which invoice was paid on 10 April 2024?",
        "number: 2024-117\nissued: 2024-03-02\npaid: 2024-04-10",
        "It was paid on 2024-04-10.",
        "Invoice 2024-117 was paid then.",
    ),
    "note": (
        "Who did I meet on 3 March 2026?",
        "Meeting: 2026-03-03\nWith: Dr. Saskia Brandt\nPlace: Bergen",
        "On 2026-03-03.",
        "You met Dr. Saskia Brandt.",
    ),
}


@pytest.mark.parametrize("kind", DATE_GIVEN)
def test_the_date_a_question_gives_is_no_answer_and_the_record_s_first_field_is_one(kind: str) -> None:
    """The record's ISO date is the date the question wrote out: saying it back adds nothing. The record's first
    field names the record all its fields are of: "7" of "version: 7" answers which release it is."""
    question, record, echo, answer = DATE_GIVEN[kind]
    passage = passages(hit(record, title="records"))[0]
    assert not grounded(echo, question, passage)
    assert grounded(answer, question, passage)


POINTING_BACK = {  # a paragraph whose sentence answering names its subject by pointing back, the question, the name
    "guide": (
        "Python 3.10 adds a new function to the standard library: inspect.get_annotations(). In Python 3.10 and newer,"
        " calling this function is the best practice for accessing the annotations dict of any object.",
        "In Python 3.10 and newer, what is the best practice for accessing the annotations dict of an object?",
        "inspect.get_annotations()",
    ),
    "note": (
        "Bram from Nordvik Pumps replaced the well pump on Monday. It cost 240 euros including the new seal.",
        "How much did the new seal cost?",
        "Nordvik Pumps",
    ),
    "manual page": (
        "The --sparse flag makes tar detect holes in the input files. This option saves space in the archive.",
        "Which option saves space in the archive?",
        "--sparse",
    ),
}


@pytest.mark.parametrize("kind", POINTING_BACK)
def test_a_quote_pointing_back_at_what_it_is_about_comes_with_the_sentence_before_it(kind: str) -> None:
    """ "calling this function", "It cost", "This option": the sentence sharing the question's words names its
    subject in the sentence before, which the quote shows with it."""
    text, question, name = POINTING_BACK[kind]
    said = quote(passages(hit(text, title="notes"))[0], question)
    assert name in said and said.endswith(text.rsplit(". ", 1)[1])


def test_a_sentence_pointing_at_its_own_page_is_quoted_alone() -> None:
    text = "Tar keeps its options in a table. This page lists the options that save space, such as --sparse."
    assert (
        quote(passages(hit(text, title="notes"))[0], "Which page lists the options that save space?")
        == (text.split(". ", 1)[1])
    )


@pytest.mark.parametrize(
    ("question", "text", "unstated"),
    [
        (  # a guide
            "Who founded Purism?",
            "PureOS is a Debian-based distribution. The social purpose company Purism guides its development.",
            "founded",
        ),
        ("Who founded Purism?", "Purism was founded in 2014 by Todd Weaver.", None),
        ("Who created the binkp protocol?", "binkp\t\t24554/tcp\t\t\t# binkp fidonet protocol", "created"),  # records
        ("Who created the binkp protocol?", "binkp: a protocol created by Dima Maloff", None),
        ("Who inspected the roof?", "Roof: repaired in May 2026, 800 euros, new gutter", "inspected"),  # a note
        ("Who inspected the roof?", "Inspector: Annika Strand\nRoof: sound", None),
        ("Who maintains fakeroot?", "Package: fakeroot\nMaintainer: Clint Adams", None),
        ("Who pays the rent?", "The rent is paid by Ann on the first of the month.", None),
        ("Who co-wrote the patches?", "Greg Stein's free threading patches removed the GIL.", None),
        ("Who is the landlord?", "The flat is on the second floor.", None),
    ],
)
def test_who_did_something_is_not_answered_by_a_passage_never_saying_it(
    question: str, text: str, unstated: str | None
) -> None:
    """The verb asked ("founded", "created", "inspected") in any tense or as its doer's noun ("Inspector",
    "Maintainer") is what says who did it; authorship ("wrote") is said in too many ways to ask for."""
    assert evidence.unstated_deed(question, passages(hit(text, title="notes"))[0]) == unstated


YEAR_ASKED = {  # a question asking about a year after "in", the passage dated in it, passages that are not
    "sheet": (
        "Which Ubuntu LTS release came out in 2012?",
        "version: 12.04 LTS; codename: Precise Pangolin; release: 2012-04-26",
        [
            "version: 14.04 LTS; codename: Trusty Tahr; release: 2014-04-17",
            "Ubuntu makes an LTS release every two years.",
        ],
    ),
    "records": (
        "Which invoice was paid in 2024?",
        "number: A-117\npaid: 2024-04-10",
        ["number: A-090\npaid: 2023-12-01", "Every invoice is paid within 30 days."],
    ),
    "diary": (
        "Where did I run in 2025?",
        "2025-07-14 Ran 10 km along the river with Ann",
        ["2024-07-14 Ran 8 km in the park", "I run most Sundays when it is dry."],
    ),
}


@pytest.mark.parametrize("kind", YEAR_ASKED)
def test_a_date_in_the_year_asked_holds_the_year(kind: str) -> None:
    """ "in 2012" asks for a year that a record's ISO date holds ("2012-04-26"): the record dated in it is read
    first, whatever the order."""
    question, dated, competing = YEAR_ASKED[kind]
    assert_read_first(question, dated, competing)


YEAR_SAID = {  # a sentence writing the year asked, about something else, for each kind of YEAR_ASKED
    "sheet": "In 2012 Ubuntu extended the support of each LTS to five years.",
    "records": "In 2024 every invoice was sent by post.",
    "diary": "In 2025 I wanted to get out more.",
}


@pytest.mark.parametrize("kind", YEAR_ASKED)
def test_a_record_dated_in_the_year_asked_outweighs_a_closer_sentence_saying_the_year(kind: str) -> None:
    """Both hold the year; the sentence is closer in meaning by less than KIND_BONUS, and the record whose date
    falls in the year asked is read first."""
    question, dated, _ = YEAR_ASKED[kind]
    candidates = first_passages(dated, YEAR_SAID[kind], *others(18))
    ranked = score(question, candidates, leaning(YEAR_SAID[kind], evidence.KIND_BONUS / 2), 0.5)
    assert ranked[0].text == dated


def test_rows_a_word_keys_take_a_few_places_among_the_passages_embedded_not_all() -> None:
    """A pasted timetable of sixty rows, each keyed by "bus", left the meeting note out of those scored: rows
    keyed by the question take CELL_SLOTS places at most."""
    timetable = "\n".join(f"bus\t{6 + n // 4:02d}:{n % 4 * 15:02d}\tStop {n}" for n in range(60))
    note = "Team meeting, 2 March\n\nWe decided to cut the bus budget by 10 percent."
    candidates = [*passages(hit(timetable, title="timetable")), *first_passages(note)]
    ranked = score("What did we decide about the bus budget?", candidates, same_meaning, 0.5)
    assert any("bus budget" in p.text for p in ranked)


def test_a_weekday_keys_no_row() -> None:
    """Every row of opening hours has a weekday: "Sunday" keys none of them, and the gym's note, closer in
    meaning, is read first for "Is the gym open on Sunday?"."""
    hours, gym = "Pharmacy\nSunday\tclosed\nMonday\t9-18", "Gym hours: weekdays 6-22, weekends 8-20."
    ranked = score("Is the gym open on Sunday?", first_passages(hours, gym), leaning(gym, 0.15), 0.5)
    assert ranked[0].text == gym


@pytest.mark.parametrize(
    ("text", "question"),
    [
        (
            "Called Mum about Sunday lunch. Rent is due on the 3rd this month because of the holiday.",
            "When is the rent due this month?",
        ),
        ("Budget meeting went long. IT replaces the laptop on Monday.", "When does IT replace the laptop?"),
        ("The router sits in the hall. This file lists the open ports: 22 and 443.", "Which ports are open?"),
    ],
)
def test_a_sentence_saying_this_month_or_it_in_capitals_or_this_file_points_nowhere_back(
    text: str, question: str
) -> None:
    assert quote(passages(hit(text, title="notes"))[0], question) == text.split(". ", 1)[1]


def test_a_record_s_first_field_names_it_only_where_the_question_asks_which_record() -> None:
    """A review's misfire: "You paid 42.10 euros" (the bill's amount, not what was paid) passed as the record's
    first field's value."""
    passage = passages(hit("amount: 42.10\npaid: 38.00\nitem: water bill", title="bills"))[0]
    assert not grounded("You paid 42.10 euros.", "How much did I pay for the water bill?", passage)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("8.10.1. Introduction and Prerequisites", "8.10.1. Introduction and Prerequisites"),  # a PDF's heading
        ("14.2. You do not need permission. Just sell them.", "14.2. You do not need permission."),  # an FAQ's
        ("1. Install the package. Then log in again.", "1. Install the package."),  # a list's item
    ],
)
def test_a_section_or_item_number_is_one_sentence_with_the_words_after_it(text: str, first: str) -> None:
    assert evidence.sentences(text)[0] == first
    assert evidence.sentences("The fee is 5. Then go.") == ["The fee is 5.", "Then go."]  # a number ending one
    assert evidence.sentences("How many rooms? 4. Each has a bed.")[1] == "4."  # a reply, not an item's number


def test_a_numbered_heading_is_not_quoted_as_a_version() -> None:
    """ "8.10.1." alone, a sentence of its own, looked like the version asked for (a PDF's page)."""
    text = "→ https://kernel-team.pages.debian.net/kernel-handbook/\n\n8.10.1. Introduction and Prerequisites"
    said = quote(passages(hit(text, title="Compiling a Kernel"))[0], "Which kernel version does the handbook use?")
    assert said == "8.10.1. Introduction and Prerequisites"


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("Which organisation takes donations?", "Which organization takes donations?"),  # a handbook's prose
        ("Can the organiser customise the colourful theme?", "Can the organizer customize the colorful theme?"),
        ("Does --analyse change the behaviour?", "Does --analyze change the behavior?"),  # a manual page's option
    ],
)
def test_british_and_american_spellings_are_one_word(british: str, american: str) -> None:
    assert terms(british) == terms(american)


def test_a_short_word_ending_as_a_british_spelling_is_itself() -> None:
    assert terms("hour tour four tennis emphasis") == {"hour", "tour", "four", "tenni", "emphasi"}
