"""The answer path on notes of several kinds (prose, records and tables, manual pages): what a conversation
searches, which lines answer, what the quote keeps, and which answers the grounding check lets through.

The model is not needed here: `plan` and the check are what decide what a user reads when the model is wrong.
The notes are the failing inputs of ../shared/cases/ (dates-tables-followups, topic-switch) and more of the
same kinds."""

from __future__ import annotations

import datetime
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from foldermind import answer
from foldermind.answer import (
    PERSON,
    Check,
    Notes,
    Plan,
    answered_person,
    model_messages,
    plan,
    respond,
    search_question,
)
from foldermind.config import Config
from foldermind.evidence import (
    Passage,
    another_of_its_set,
    another_owner,
    as_of_today,
    grounded,
    other_end,
    passages,
    quote,
    sentences,
    unheld_thing,
    unnamed_program,
    unstated_deed,
    unstated_field,
    written_name_runs,
)
from foldermind.facts import asked_kind, calendar_spans, facts, states, thing_asked
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.extract import extract
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import Hit, written_codes
from foldermind.prompt import MODEL_REFUSAL, NOT_COVERED, NOT_STATED, SYSTEM_PROMPT, SourceText, notes_message
from tests.helpers import MADE, make_docx, table_file, write

CASES = Path(__file__).parent / "data" / "cases"
RECORDS = Path(__file__).parent.parent / "bench" / "records" / "docs"  # real data files (bench/records/SOURCES.md)
NOTES = Path(__file__).parent.parent / "bench" / "notes" / "docs"  # real prose (bench/notes/SOURCES.md)
MORE = {
    "badges.md": "# Badges\n\nMy visitor badge number is B-7731. The parking permit is P-2210.\n",
    "manual/tar.txt": (
        "TAR(1)\n\nOPTIONS\n"
        "     -z, --gzip\n"
        "            Filter the archive through gzip(1).\n\n"
        "     -j, --bzip2\n"
        "            Filter the archive through bzip2(1).\n"
    ),
    "ferry.md": "# Ferry to Holm\n\nOn Monday the ferry leaves at 07:40.\n\nOn Tuesday the ferry leaves at 09:15.\n",
    "guide/release.md": (
        "# Release history\n\n"
        "The first stable release, version 2.4.1, came out on 12 May 2021. The configuration now lives in "
        "/etc/kettle/kettle.conf instead of the home folder. The port defaults to 8443 and the cache holds 64 MB.\n"
    ),
}


def hit_of(text: str, name: str = "a.txt") -> Hit:
    """One chunk holding the whole text of a note, as search returns it."""
    return Hit("c1", 1, f"notes/{name}", name, "", None, 1.0, 0.5, text, 0, len(text), {}, 1)


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    home = tmp_path_factory.mktemp("answers")
    init_home(home)
    (home / "context" / "README.md").unlink()
    for case in ("dates-tables-followups", "topic-switch"):
        shutil.copytree(CASES / case, home / "context" / case)
    for name, text in MORE.items():
        write(home / "context" / name, text)
    config = open_home(home)
    index = Index(config, embedder=embedder)
    index_folder(index)
    yield Notes(index, config.server), config
    index.close()


def planned(notes: tuple[Notes, Config], *turns: str) -> Plan:
    """The plan for a conversation of user turns (each answered "OK." by the assistant)."""
    conversation = []
    for i, text in enumerate(turns):
        if i:
            conversation.append({"role": "assistant", "content": "OK."})
        conversation.append({"role": "user", "content": text})
    return plan(conversation, notes[0], notes[1].server, lambda text: len(text) // 4, 256)


def best(notes: tuple[Notes, Config], *turns: str) -> tuple[Passage, str]:
    chosen = planned(notes, *turns)
    assert chosen.fixed is None, chosen.fixed
    return chosen.passages[0], chosen.question


def test_a_quote_goes_on_past_a_title_like_dr(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "When is my dentist appointment?")
    assert "Dr. Ilka Brenner, 14 March 2025 at 09:30" in quote(passage, question)
    assert not grounded("Your dentist is Dr. Ilka Brenner [1].", question, passage)  # no date for "when"
    assert not grounded("It is on 14 April 2025 at 09:30 [1].", question, passage)  # the wrong month
    assert grounded("It is on 14 March 2025 at 09:30 with Dr. Ilka Brenner [1].", question, passage)


@pytest.mark.parametrize(
    ("name", "text", "question", "said"),
    [
        (  # an old record's given name
            "deeds.txt",
            "Deeds\n\nThe mill deed was signed by Jno. Pettigrew in 1790. It was lost in 1850.",
            "Who signed the mill deed?",
            "signed by Jno. Pettigrew in 1790.",
        ),
        (  # a firm's name
            "suppliers.md",
            "# Suppliers\n\nThe bolts come from Hollins Bros. Ltd. in Leeds. The nuts come from Acme.",
            "Where do the bolts come from?",
            "Hollins Bros. Ltd. in Leeds.",
        ),
        (  # an address
            "office.html",
            "Archive\n\nThe archive office is at 4 Elm Ave. North, room 12. It opens at nine.",
            "Where is the archive office?",
            "4 Elm Ave. North, room 12.",
        ),
    ],
)
def test_a_quote_goes_on_past_an_abbreviation_inside_a_name(name: str, text: str, question: str, said: str) -> None:
    # a new user's try: a quote was cut at "Jno." ("The mill deed was signed by Jno.")
    assert said in quote(passages(hit_of(text, name))[-1], question)


def test_a_firms_or_streets_abbreviation_still_ends_a_sentence_before_the_next() -> None:
    # a review's: "Ltd." and "Corp." were read as titles, so two sentences were one unit for the check
    assert sentences("Rent is paid to Berg Ltd. Jo Hale collects it.") == [
        "Rent is paid to Berg Ltd.",
        "Jo Hale collects it.",
    ]
    assert sentences("I bought it from Acme Corp. Delivery took two weeks.")[1] == "Delivery took two weeks."
    assert sentences("The cheque goes to Hollins Bros. Ltd. on Monday.") == [
        "The cheque goes to Hollins Bros. Ltd. on Monday."
    ]


def test_a_table_row_answers_with_its_header_and_not_the_row_beside_it(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Who inspected the Kestrel depot?")
    said = quote(passage, question)
    assert "Kestrel depot" in said and "Inspector: Halvard Moen" in said
    assert grounded("Halvard Moen inspected the Kestrel depot [1].", question, passage)
    # the row is read alone, so the inspector of the row beside it is not in the evidence to be taken
    rows = [line for line in passage.text.split("\n") if "Inspector: " in line]
    assert len(rows) == 1 and "Kestrel depot" in rows[0]
    assert not grounded("Inspector 31 inspected the Kestrel depot [1].", question, passage)  # the next row's
    assert not grounded("Priya Anand inspected the Kestrel depot [1].", question, passage)


def test_the_failed_row_is_quoted_for_which_site_failed(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Which site failed its fire inspection?")
    said = quote(passage, question)
    assert "Marlow yard" in said and "fail" in said


def test_a_follow_up_naming_a_new_subject_keeps_what_was_asked(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Who inspected the Kestrel depot?", "And the Orchard gate?")
    assert "Orchard gate" in passage.text and "Tobias Wren" in quote(passage, question)


def test_a_follow_up_asking_more_of_the_same_subject_keeps_the_subject(notes: tuple[Notes, Config]) -> None:
    passage, _ = best(notes, "Who leads Project Kestrel?", "And its budget?")
    assert "12,500" in passage.text


@pytest.mark.parametrize("follow_up", ["Tuesday?", "And on tuesday?", "what about Tuesday"])
def test_a_follow_up_naming_another_day_is_answered_for_that_day(notes: tuple[Notes, Config], follow_up: str) -> None:
    passage, question = best(notes, "When does the ferry leave on Monday?", follow_up)
    assert "Monday" not in question and "09:15" in quote(passage, question)  # Monday's 07:40 outvoted it


def test_a_question_that_stands_alone_is_not_sunk_by_an_unrelated_turn(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Suggest a name for my sailing boat.", "What is the budget of Project Heron?")
    assert question == "What is the budget of Project Heron?" and "48,000 EUR" in passage.text


def test_who_leads_quotes_the_leaders_line_and_invented_clauses_are_caught(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Who leads Project Heron?")
    assert quote(passage, question) == "Project Heron is led by Annika Strand."
    assert grounded("Project Heron is led by Annika Strand [1].", question, passage)
    invented = "Project Heron is led by Annika Strand, a brilliant engineer who designed the famous bridge."
    assert not grounded(invented, question, passage)
    check = Check(Plan(question, [], [passage]), fit=lambda text: text)
    assert [*check.feed(invented), *check.finish()] == [f'Your notes say: "{quote(passage, question)}" [1]']


@pytest.mark.parametrize(
    ("question", "faithful", "invented"),
    [
        (  # prose
            "Who leads Project Heron?",
            [
                "Project Heron is led by Annika Strand.",
                "Annika Strand leads Project Heron.",
                "For Heron, the leader is Annika Strand.",  # a phrase put first
                "Annika Strand leads Project Heron and is in charge of it.",  # one word of its own: phrasing
                "Project Heron is currently led by Annika Strand.",  # an adverb of phrasing
            ],
            [
                "Annika Strand is the only person leading Project Heron.",
                "It is led by Annika Strand, a structural engineer.",
                "Annika Strand (a structural engineer) leads Project Heron.",
                # ../shared/cases' new user's: claims added without a comma
                "Project Heron is led by Annika Strand and is widely respected.",
                "Project Heron is led by Annika Strand and was approved by the board.",
                "Annika Strand successfully leads Project Heron.",
            ],
        ),
        (  # a table's row
            "Who inspected the Kestrel depot?",
            ["Halvard Moen inspected the Kestrel depot.", "In the table, Halvard Moen inspected the Kestrel depot."],
            [
                "Halvard Moen is the only person to have inspected the Kestrel depot.",
                "Halvard Moen, who runs the depot.",
                "Halvard Moen inspected the Kestrel depot and has certified it for the council.",
                "Halvard Moen, an experienced inspector, inspected the Kestrel depot.",
            ],
        ),
        (  # a release note
            "When did version 2.4.1 come out?",
            [
                "Version 2.4.1 came out on 12 May 2021.",
                "Version 2.4.1, the first stable release, came out on 12 May 2021.",
            ],
            ["The greatest release, version 2.4.1, came out on 12 May 2021.", "It came out on 12 May 2021, a Friday."],
        ),
        (  # a manual page's option
            "Which tar option filters the archive through gzip?",
            ["Use -z to filter the archive through gzip.", "To filter the archive through gzip, use the -z option."],
            [
                "Use -z, the fastest compression, to filter the archive through gzip.",
                "Use -z to filter the archive through gzip and it is widely used.",
                "Use -z to quickly filter the archive through gzip.",
            ],
        ),
    ],
)
def test_a_claim_or_an_aside_the_notes_lack_is_caught_where_phrasing_passes(
    notes: tuple[Notes, Config], question: str, faithful: list[str], invented: list[str]
) -> None:
    # "Halvard Moen is the only person to have inspected the Kestrel depot." passed: two words the notes lack
    # are phrasing as often as not ("You need to ask ..."); a claim ("only", "best") or an aside after a name
    # (", a structural engineer", "(a ...)", ", who runs ...") is not. A verb that shares a claim's stem ("leads",
    # "lasts") and a phrase put first ("In the table, ...") are phrasing.
    passage, question = best(notes, question)
    for answer_ in faithful:
        assert grounded(answer_, question, passage), answer_
    for answer_ in invented:
        assert not grounded(answer_, question, passage), answer_


@pytest.mark.parametrize(
    ("question", "first", "faithful", "invented"),
    [
        (  # prose
            "Who leads Project Heron?",
            "Project Heron is led by Annika Strand.",
            " Annika Strand leads it.",
            [" She is also a structural engineer.", " She led Project Osprey before.", " She joined it in 2019."],
        ),
        (  # a table's row
            "Who inspected the Kestrel depot?",
            "Halvard Moen inspected the Kestrel depot.",
            "\nThe inspection on 2025-02-03 was a pass.",
            ["\nHe inspected it again on 2025-11-04.", "\nHe is the only inspector trusted with depots."],
        ),
        (  # a release note
            "When did version 2.4.1 come out?",
            "Version 2.4.1 came out on 12 May 2021.",
            " The port defaults to 8443.",
            [" It was the greatest release of the year.", " Version 2.5 followed a year later."],
        ),
        (  # a manual page's option
            "Which tar option filters the archive through gzip?",
            "Use -z to filter the archive through gzip.",
            " It filters the archive through gzip.",
            ["\n```sh\ntar --fast -czf backup.tgz photos\n```", " It also needs the --fast option."],
        ),
    ],
)
def test_each_statement_after_a_grounded_first_is_checked_and_the_answer_ends_before_one_the_notes_lack(
    notes: tuple[Notes, Config], question: str, first: str, faithful: str, invented: list[str]
) -> None:
    # The stream checked the first statement only: "Annika Strand leads Project Heron. She is also a structural
    # engineer." showed all of it. Each later statement is held until it is whole, shown where the passages
    # hold what it says, and the first that adds a name, fact, claim or words of its own ends the answer:
    # nothing of it is ever sent, and the server stops the model there (`check.cut`).
    chosen = planned(notes, question)
    for said in (first + faithful, *(first + faithful + made_up for made_up in invented)):
        check = Check(chosen, fit=lambda text: text, stops=["\n\n", "\n["])
        shown = [piece for at in range(0, len(said), 4) for piece in check.feed(said[at : at + 4])]
        shown += check.finish()
        assert "".join(shown).strip() == (first + faithful).strip(), said
        assert check.cut == (said != first + faithful), said


def shown_of(chosen: Plan, said: str, size: int = 3) -> tuple[str, Check]:
    """What a user reads of an answer streamed in pieces of `size` characters, and its check."""
    check = Check(chosen, fit=lambda text: text, stops=["\n\n", "\n["])
    shown = [piece for at in range(0, len(said), size) for piece in check.feed(said[at : at + size])]
    return "".join([*shown, *check.finish()]), check


def test_a_later_statement_is_read_in_one_sentence_of_the_notes_not_from_their_words_anywhere(
    notes: tuple[Notes, Config],
) -> None:
    # Read against all the passages' words, a later statement could take another line's fact, another
    # project's budget or leader, or turn a sentence round: each must be what one sentence or line says, and
    # "she", "it" the first statement's subject, not the other project's.
    heron, _ = best(notes, "Who leads Project Heron?")
    budget, _ = best(notes, "What is the budget of Project Heron?")
    kestrel, _ = best(notes, "What is the budget of Project Kestrel?")
    chosen = Plan("Who leads Project Heron?", [], [heron, budget, kestrel])
    first = "Project Heron is led by Annika Strand."
    for faithful in (" Its budget is 48,000 EUR for 2025.", "\n1. The budget of Project Heron is 48,000 EUR for 2025."):
        assert shown_of(chosen, first + faithful)[0] == first + faithful
    for swapped in (
        " The budget of Project Heron is 12,500 EUR.",  # Kestrel's
        " Its budget is 12,500 EUR.",
        " It is also led by Joaquim Bell.",
        " Project Heron is not led by Annika Strand.",
        " The budget is led by Annika Strand.",
        " No.",
    ):
        shown, check = shown_of(chosen, first + swapped)
        assert shown == first and check.cut, swapped


def test_an_answer_starting_with_blank_pieces_streams_as_any_other(notes: tuple[Notes, Config]) -> None:
    # The bundled model often sends a newline or a space first: an answer of no line yet has no statement
    chosen = planned(notes, "Who leads Project Heron?")
    for start in ("\n", " ", "\n \n"):
        assert shown_of(chosen, start + "Project Heron is led by Annika Strand.", 1)[0].strip() == (
            "Project Heron is led by Annika Strand."
        )


def test_a_numbered_lists_first_statement_is_its_first_item_not_its_number() -> None:
    # "1." was read as the first statement (a sentence to `sentences`): it passed the check alone, and the
    # item after it was cut, so the answer shown was "1."
    steps = "1. Check the pressure gauge.\n2. Top it up with the filling loop."
    assert answer.first_statement(steps) == "1. Check the pressure gauge."
    assert answer.statement_ends(steps) == [len("1. Check the pressure gauge."), len(steps)]


def test_a_lead_in_and_a_long_first_sentence_are_checked_and_shown_whole(notes: tuple[Notes, Config]) -> None:
    # After "The option is:" the shown start ran past what was checked ("-z filters ... gzip\nIt ..." went on
    # into an invented line); a first sentence longer than CHECK_AFTER was cut mid-word and its rest checked
    # as a statement of its own.
    chosen = planned(notes, "Which tar option filters the archive through gzip?")
    said = "The option is:\n-z filters the archive through gzip\nand was written by Linus Torvalds in 1991."
    for size in (1, 3, 5):
        assert shown_of(chosen, said, size)[0].startswith("Your notes say:")
    release = planned(notes, "When did version 2.4.1 come out?")
    long = "The first stable release, version 2.4.1, came out" + " on 12 May 2021, yes" * 12 + ", happily."
    assert len(long) > answer.CHECK_AFTER
    for size in (1, 3, 5):
        assert shown_of(release, long + " The port defaults to 8443.", size)[0] == long + " The port defaults to 8443."


def test_the_model_reads_the_sentence_that_answers_first_then_the_whole_passage(notes: tuple[Notes, Config]) -> None:
    # The notes' passage as the model reads it: the check's quote on top (the line a 135M model copies), then
    # every line of the passage, so what it does not copy is still there to read; a passage of one sentence
    # too (read once, the tune split's own words fell: answer.reading).
    for question in ("Who inspected the Kestrel depot?", "When is my dentist appointment?", "Who leads Project Heron?"):
        chosen = planned(notes, question)
        passage = chosen.passages[0]
        assert chosen.sources[0].text == f"{quote(passage, chosen.question)}\n\n{passage.text}", question
        assert chosen.sources[0].text in chosen.messages[-1]["content"]


def notes_of(
    home: Path, embedder: Embedder, sources: list[Path], files: dict[str, str] | dict[str, str | bytes] | None = None
) -> Iterator[tuple[Notes, Config]]:
    """A home whose folder holds copies of these real files and folders, and these notes (path -> text), indexed."""
    init_home(home)
    (home / "context" / "README.md").unlink()
    for source in sources:
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, home / "context" / source.name)
    for name, text in (files or {}).items():
        write(home / "context" / name, text)
    config = open_home(home)
    index = Index(config, embedder=embedder)
    index_folder(index)
    yield Notes(index, config.server), config
    index.close()


@pytest.fixture(scope="module")
def code_lists(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Notes of real code lists: countries, currencies, languages (iso-codes) and time zones (tzdata), 2,100
    records, where every time-zone row says "country-codes"."""
    names = ("iso_3166-1.json", "iso_4217.json", "iso_639-2.json", "zone1970.tsv")
    yield from notes_of(tmp_path_factory.mktemp("code-lists"), embedder, [RECORDS / name for name in names])


@pytest.fixture(scope="module")
def codes_and_prose(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """The country codes (iso-codes, JSON) and time zones (tzdata, TSV) beside the Debian FAQ's 16 chapters
    (text), whose prose says "no", "to" and "in" on every page."""
    sources = [NOTES / "debian-faq", *(RECORDS / name for name in ("iso_3166-1.json", "zone1970.tsv"))]
    yield from notes_of(tmp_path_factory.mktemp("codes-and-prose"), embedder, sources)


def test_a_code_one_record_holds_is_read_though_hundreds_of_rows_share_the_other_words(
    code_lists: tuple[Notes, Config],
) -> None:
    """ "SJ" is in one country record and two time-zone rows, and 300 rows say "country-codes": the fused
    ranking and each ranking's first are rows sharing "country" and "code"; the question's names searched alone
    bring the country record, and evidence reads it first."""
    passage, _ = best(code_lists, "Which country has the two-letter code SJ?")
    assert "Svalbard and Jan Mayen" in passage.text


def test_the_chunks_a_question_s_names_find_are_compared_in_meaning_like_the_others(
    code_lists: tuple[Notes, Config],
) -> None:
    """They pass the same similarity floor as every hit ([server] min_similarity)."""
    notes, config = code_lists
    hits = notes.search("Which country has the two-letter code SJ?", 10, None, {}, config.server.each_ranking_first)
    assert any("SJM" in hit.text for hit in hits)
    assert all(hit.similarity is not None for hit in hits)


def test_a_code_that_is_a_small_word_is_asked_in_a_list_of_codes(code_lists: tuple[Notes, Config]) -> None:
    """ "AT" (Austria) is a stopword: left out of the question's words, a row of another zone was read."""
    passage, _ = best(code_lists, "Which time zone is listed for the country code AT?")
    assert "Europe/Vienna" in passage.text


def test_a_small_word_code_is_taken_as_the_question_writes_the_code() -> None:
    # a review's: the first "In" or "To" of the question was taken for the code, not its "IN" or "TO"
    assert written_codes("In which continent is the country with the code IN?") == {"in": "IN"}
    assert written_codes("To which country does the code TO belong?") == {"to": "TO"}
    assert written_codes("Which language has the code was?") == {"was": "was"}


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Which country has the two-letter code NO?", "Norway"),
        ("Which time zone is listed for country code TO?", "Pacific/Tongatapu"),
        ("Which time zone covers country code IN?", "Asia/Kolkata"),
        ("To which country does the code TO belong?", "Tonga"),  # a review's: "To" was taken for the code
    ],
)
def test_a_record_holding_a_small_word_code_as_written_is_read(
    codes_and_prose: tuple[Notes, Config], question: str, said: str
) -> None:
    """ "no", "to" and "in" are in nearly every chunk: no ranking's first held the record of "NO", "TO" or "IN",
    and a time-zone row listing "DE,DK,NO,SE,SJ" outscored the country whose alpha_2 is "NO". The records holding
    the code as the question writes it are searched for it, and a field whose whole value it is counts as a value
    the question gives."""
    passage, _ = best(codes_and_prose, question)
    assert said in passage.text


CODE_NOTES = {
    "warehouses.md": "# Warehouses\n\nOur depots and their codes.\n\n| Code | Warehouse | Manager |\n|---|---|---|\n"
    "| IN | Inverness | Moira Fraser |\n| OR | Orla Street | Dev Patel |\n| AT | Atherton | Kim Lowe |\n"
    "| ON | Ongar | Ruth Bell |\n| BY | Bywell | Sam Orr |\n\nDeliveries in the morning are not allowed at Ongar.\n",
    "suppliers.csv": "code,supplier,city\nBE,Beacon Timber,Leeds\nIS,Islay Stone,Bowmore\nTO,Tolley Paints,Derby\n"
    "NO,Norcross Glass,Hull\n",
    "offices.md": "# Offices\n\nIN: Indiana office, manager Corliss Baptiste, 14 staff\nAT: Austria office, manager "
    "Wilhelmina Strauch, 9 staff\nTO: Tonga office, manager Sione Vaipulu, 3 staff\nNO: Norway office, manager "
    "Trygve Aalberg, 11 staff\nIS: Iceland office, manager Ragna Eyjolfsdottir, 5 staff\nOR: Oregon office, manager "
    "Dwayne Kittredge, 7 staff\n",
    "sites.html": "<html><body><h1>Sites</h1><p>Keyholders of our sites:</p><ul><li>AT: Atherton site, open on "
    "Mondays, keyholder Lena Vogt</li><li>IT: Itchen site, open on Fridays, keyholder Omar Haddad</li><li>BE: Bere "
    "site, open on Sundays, keyholder Nia Rhys</li></ul></body></html>",
    "diary.md": "# Diary\n\nI had no time to call. It was raining, so we stayed in and did nothing at all. Is it "
    "on? No idea.\n\nThe van is in for repair, it is not ready, and so the depot is short of a van.\n",
}


@pytest.fixture(scope="module")
def code_notes(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """A Markdown table, a CSV file, a note's lines and a web page's list keyed by two-letter codes that are small
    words, beside prose full of them."""
    yield from notes_of(tmp_path_factory.mktemp("code-notes"), embedder, [], CODE_NOTES)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Which warehouse has the code IN?", "Inverness"),
        ("Who manages the depot with the code ON?", "Ruth Bell"),
        ("Which warehouse has the code AT?", "Atherton"),
        ("In which city is the supplier with code TO?", "Derby"),
        ("Which supplier has the code NO?", "Norcross Glass"),
    ],
)
def test_a_code_in_capitals_that_is_a_small_word_names_its_row(
    code_notes: tuple[Notes, Config], question: str, said: str
) -> None:
    """ "IN", "ON", "AT", "TO" were dropped with the question's small words: the table's opening line ("Our depots
    and their codes.") or another row answered."""
    passage, asked = best(code_notes, question)
    assert said in quote(passage, asked)


@pytest.mark.parametrize(
    ("question", "said", "other"),
    [
        ("Who manages the TO office?", "Sione Vaipulu", "Corliss Baptiste"),  # lines keyed "IN:", "TO:", ...
        ("How many staff does the IS office have?", "5 staff", "14 staff"),
        ("Who is the manager of the NO office?", "Trygve Aalberg", "Ragna Eyjolfsdottir"),
        ("Who manages the OR office?", "Dwayne Kittredge", "Wilhelmina Strauch"),  # "OR" is no operator here
        ("Who is the keyholder of the IT site?", "Omar Haddad", "Lena Vogt"),  # a web page's list
        ("Who holds the keys of the BE site?", "Nia Rhys", "Omar Haddad"),
        ("Who manages the depot with the code ON?", "Ruth Bell", "Kim Lowe"),  # a Markdown table's rows
        ("In which city is the supplier with code TO?", "Derby", "Hull"),  # a CSV file's rows
    ],
)
def test_a_code_in_capitals_that_is_a_small_word_names_the_line_an_answer_must_come_from(
    code_notes: tuple[Notes, Config], question: str, said: str, other: str
) -> None:
    """A note's lines keyed by codes ("TO: Tonga office, manager Sione Vaipulu"): the first line was quoted for
    "the TO office" (its "to" a small word), and an answer naming another line's manager passed the check."""
    passage, asked = best(code_notes, question)
    assert said in quote(passage, asked)
    assert grounded(f"The answer is {said}.", asked, passage)
    assert not grounded(f"The answer is {other}.", asked, passage)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Real release tables beside real prose about the same things: Debian's (CSV) and Ubuntu's (a sheet), ISO
    4217's currencies (JSON), and the Debian FAQ's 16 chapters (text), which say "Debian" on every page and
    "7", "11" and "12" in chapter numbers and dates."""
    sources = [NOTES / "debian-faq", *(RECORDS / name for name in ("debian.csv", "ubuntu.xlsx", "iso_4217.json"))]
    yield from notes_of(tmp_path_factory.mktemp("releases"), embedder, sources)


@pytest.mark.parametrize(
    ("question", "row", "fact"),
    [
        ("When was Debian 7 released?", "codename: Wheezy", "2013-05-04"),
        ("When did Debian 8 reach end of life?", "codename: Jessie", "2018-06-17"),
        ("When was Ubuntu 9.10 released?", "Karmic Koala", "2009-10-29"),
        ("What is the alpha-3 code of the currency with the numeric code 978?", "Euro", "EUR"),
    ],
)
def test_a_record_named_by_a_name_and_a_number_is_found_among_prose_that_says_both(
    releases: tuple[Notes, Config], question: str, row: str, fact: str
) -> None:
    """ "Debian 7" is a row of debian.csv under its title "debian"; the FAQ's prose says "Debian" a hundred
    times and "7" in its chapter numbers, and outranks the row by either word: the records holding all of the
    question's names and numbers are searched on their own (`answer.record_keys`)."""
    notes, config = releases
    hits = notes.search(question, config.server.candidates, None, {}, config.server.each_ranking_first)
    assert any(row in hit.text and fact in hit.text for hit in hits), question
    passage, _ = best(releases, question)
    assert row in passage.text and fact in passage.text, passage.text


@pytest.mark.parametrize(
    ("question", "row", "fact"),
    [
        ("What is the codename of Debian 12?", "version: 12", "Bookworm"),  # a CSV's row, beside the FAQ's "Chapter 12"
        ("What is the series of Ubuntu 22.10?", "version: 22.10", "kinetic"),  # a sheet's row
        ("What is the name of the currency with the numeric code 392?", "JPY", "Yen"),  # a JSON object
    ],
)
def test_a_record_holding_the_number_given_beside_the_field_asked_for_is_read_first(
    releases: tuple[Notes, Config], question: str, row: str, fact: str
) -> None:
    """The row the question names by a field's value ("12" in "version: 12") that has the field the question
    asks for ("codename") beats a passage saying the same words otherwise, whatever the words of its values
    mean to MiniLM ("Bookworm")."""
    passage, _ = best(releases, question)
    assert row in passage.text and fact in passage.text, passage.text


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """ISO 15924's scripts (JSON lines, ten to a chunk) beside the Python HOWTO on Unicode (PDF)."""
    sources = [RECORDS / "iso_15924.jsonl", NOTES / "python-howto" / "unicode.pdf"]
    yield from notes_of(tmp_path_factory.mktemp("scripts"), embedder, sources)


@pytest.mark.parametrize(
    ("question", "row"),
    [("Which script has the code Nbat?", "name: Nabataean"), ("Which script has the code Copt?", "name: Coptic")],
)
def test_a_record_holding_the_one_name_asked_is_read_however_far_its_meaning(
    scripts: tuple[Notes, Config], question: str, row: str
) -> None:
    """A code alone names a record: its chunk of ten scripts is far in meaning from the question (0.10, below
    `min_similarity`), and is read since it holds the name; the question's number and names key it otherwise
    (`answer.record_keys`), or its name of two words or more ("Trusty Tahr")."""
    passage, _ = best(scripts, question)
    assert row in passage.text, passage.text


@pytest.fixture(scope="module")
def derivatives(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """The Debian handbook's pages on Ubuntu and on Debian's releases (HTML), beside Ubuntu's and Debian's release
    tables (a sheet, a CSV): the prose says "released in April 2021" of the versions' naming scheme."""
    handbook = NOTES / "debian-handbook"
    sources = [handbook / "sect.ubuntu.html", handbook / "sect.release-lifecycle.html"]
    tables = [RECORDS / "ubuntu.xlsx", RECORDS / "debian.csv"]
    yield from notes_of(tmp_path_factory.mktemp("derivatives"), embedder, [*sources, *tables])


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("Which Ubuntu release came out on 25 April 2024?", "codename: Noble Numbat"),  # a sheet's row
        ("Which Debian release came out on 6 July 2019?", "codename: Buster"),  # a CSV's row (found before too)
    ],
)
def test_a_date_only_one_document_holds_identifies_its_passages(
    derivatives: tuple[Notes, Config], question: str, row: str
) -> None:
    """A table's windows overlap, so its row's year is held by more passages than a rare word is; where one
    document alone holds it, it still says which passages are asked about (`evidence.RARE_SHARE`), and the
    row beats the prose that says "released in April" of another year."""
    passage, _ = best(derivatives, question)
    assert row in passage.text, passage.text


@pytest.mark.parametrize(
    ("question", "row", "fact"),
    [
        ("until when is trusty tahr covered by legacy support?", "Trusty Tahr", "2026-04-28"),  # a sheet's row
        ("when did noble numbat come out?", "Noble Numbat", "2024-04-25"),
    ],
)
def test_a_name_typed_in_lower_case_keys_the_record_that_writes_it_as_a_name(
    derivatives: tuple[Notes, Config], question: str, row: str, fact: str
) -> None:
    """A user types "trusty tahr": the row that writes "Trusty Tahr" is read however far its meaning (a sheet's
    ten rows embedded together), as it is for "Trusty Tahr" (`evidence.written_name_runs`)."""
    passage, _ = best(derivatives, question)
    assert row in passage.text and fact in passage.text, passage.text


@pytest.mark.parametrize(
    ("question", "texts", "runs"),
    [
        (  # a sheet's row
            "until when is trusty tahr covered?",
            ["version: 14.04 LTS; codename: Trusty Tahr; series: trusty"],
            [["Trusty", "Tahr"]],
        ),
        (
            "what is the code of the hong kong dollar?",
            ["alpha_3: HKD\nname: Hong Kong Dollar"],
            [["Hong", "Kong", "Dollar"]],
        ),
        ("who is dr ilka brenner?", ["Dentist: Dr. Ilka Brenner, 14 March"], [["Ilka", "Brenner"]]),  # a note
        ("where is the trusty old drill?", ["trusty old drill: in the shed"], []),  # written small there too
        (  # capitals of a key's position, and written small too
            "when does my car insurance renew?",
            ["Car Insurance: Allianz, renews 1 March", "the car insurance is due"],
            [],
        ),
        ("When is Trusty Tahr covered?", ["codename: Trusty Tahr"], []),  # capitals of its own: `name_runs`
    ],
)
def test_a_run_of_words_typed_small_is_a_name_where_a_text_writes_it_so(
    question: str, texts: list[str], runs: list[list[str]]
) -> None:
    assert written_name_runs(question, texts) == runs


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        ("When was Debian 7 released?", ["Debian", "7"]),
        ("When did standard support for Ubuntu 20.04 end?", ["Ubuntu", "20.04"]),
        ("Which Debian version was released on 2005-06-06?", ["Debian", "2005-06-06"]),
        ("Which currency has the numeric code 392?", []),  # a number alone names no record
        ("When did Debian Etch come out?", []),  # no number: its names are searched alone (`named`)
    ],
)
def test_a_record_is_keyed_by_a_question_s_names_and_numbers(question: str, keys: list[str]) -> None:
    assert answer.record_keys(question) == keys


ESM = ["Ubuntu", "Expanded", "Security", "Maintenance", "18.04"]  # the keys of "Until when does Ubuntu 18.04 get ...?"


@pytest.mark.parametrize(
    ("text", "keyed"),
    [
        ("version: 18.04 LTS; codename: Bionic Beaver; eol: 2023-05-31; eol-esm: 2028-04-26", True),  # a sheet's row
        ("Ubuntu 18.04 gets ESM until April 2028.", True),  # a note writing it in capitals
        ("version: 18.04\neol: 2023-05-31\nesm: 2028-04-26", True),  # a CSV's row, as read
        ("version: 18.10; codename: Cosmic Cuttlefish; eol: 2019-07-18", False),  # another release
        ("version: 18.04 LTS; eol: 2023-05-31; eol-server: 2023-05-31", False),  # no initialism of the words unheld
    ],
)
def test_a_record_holds_the_keys_it_writes_as_an_initialism(text: str, keyed: bool) -> None:
    """A record holding a question's number but not its three words "Expanded Security Maintenance", which it
    writes as "esm", is keyed by them: it is read though its meaning is far from the question's."""
    assert answer.holds_the_keys(hit_of(text, "ubuntu.xlsx"), ESM) is keyed
    assert not answer.holds_the_keys(hit_of(text, "ubuntu.xlsx"), ["Ubuntu", "Security", "Maintenance", "18.04"])


def test_initials_key_a_record_only_where_it_writes_them_as_an_initialism() -> None:
    embassy = ["United", "States", "Embassy"]  # "use" is a word, not the initials of these
    assert not answer.holds_the_keys(hit_of("We used the old router until the embassy moved."), embassy)
    assert answer.holds_the_keys(hit_of("The USE reopened on Monday."), embassy)


def test_a_name_keys_a_record_as_the_question_writes_it() -> None:
    assert answer.holds_the_names(hit_of("alpha_4: Nbat\nname: Nabataean"), ["Nbat"])
    assert not answer.holds_the_names(hit_of("Remember to mark the calendar."), ["Mark"])  # "Did Mark call?"
    assert not answer.holds_the_names(hit_of("alpha_4: Nbatx"), ["Nbat"])  # a whole word
    assert not answer.holds_the_names(hit_of("x"), [])


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Which country has the two-letter code SJ?", "SJ"),
        ("Which country has the code NO?", "NO"),  # a code, though "no" is a small word
        ("WHAT IS IT FOR?", ""),  # capitals throughout: no code
        ("How do I renew my passport in March?", ""),  # "I" and a month are no names to search by
        ("What did Ann Berg pay in 2024?", "Ann Berg"),  # a number is searched with the question's other words
        ("Is it in the Kestrel Depot or at Holm?", "Kestrel Depot Holm"),
    ],
)
def test_a_question_s_names_are_its_capitalised_words_inside_it(question: str, names: str) -> None:
    assert answer.named(question) == names


def test_half_an_identifier_is_not_the_identifier(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "What is my visitor badge number?")
    assert not grounded("Your badge number is 7731 [1].", question, passage)
    assert grounded("Your visitor badge number is B-7731 [1].", question, passage)
    assert "B-7731" in quote(passage, question)


def test_an_option_is_quoted_with_its_description(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Which tar option filters the archive through gzip?")
    assert quote(passage, question) == "-z, --gzip: Filter the archive through gzip(1)."
    assert not grounded("Use -j to filter through gzip [1].", question, passage)
    assert grounded("Use -z to filter the archive through gzip [1].", question, passage)


@pytest.mark.parametrize(
    ("question", "right", "wrong", "kind"),
    [
        ("Which version was the first stable release?", "Version 2.4.1 [1].", "Version 2.4 [1].", "version"),
        ("When did the first stable release come out?", "On 12 May 2021 [1].", "It came out on 12 June 2021.", "date"),
        (
            "Which file holds the kettle configuration now?",
            "The configuration lives in /etc/kettle/kettle.conf [1].",
            "The configuration lives in /etc/kettle.conf [1].",
            "path",
        ),
        ("How much does the cache hold?", "The cache holds 64 MB [1].", "The cache holds 46 MB [1].", "number"),
        ("What is the default port?", "The port defaults to 8443 [1].", "The port defaults to 8080 [1].", "number"),
    ],
)
def test_facts_of_every_kind_must_be_the_notes(
    notes: tuple[Notes, Config], question: str, right: str, wrong: str, kind: str | None
) -> None:
    passage, asked = best(notes, question)
    assert asked_kind(question) == kind
    assert "Release history" in passage.hit.title or "release" in passage.text
    assert grounded(right, asked, passage), right
    assert not grounded(wrong, asked, passage), wrong
    assert facts(right.replace("[1]", "")) - facts(question) <= facts(quote(passage, asked))


def test_a_question_the_notes_do_not_cover_gets_the_fixed_reply(notes: tuple[Notes, Config]) -> None:
    assert planned(notes, "What is the boiling point of liquid nitrogen?").fixed == NOT_COVERED


def test_a_follow_up_keeps_the_kind_of_fact_it_asks_for(notes: tuple[Notes, Config]) -> None:
    when = planned(notes, "Who inspected the Kestrel depot?", "And when?")
    assert asked_kind(when.question) == "date"  # its own words say what is asked
    gate = planned(notes, "Who inspected the Kestrel depot?", "And the Orchard gate?")
    assert asked_kind(gate.question) == "name"  # the question before says what is asked


def test_a_short_question_with_a_name_of_its_own_stands_alone(notes: tuple[Notes, Config]) -> None:
    assert planned(notes, "Who leads Project Heron?", "What is Kestrel?").question == "What is Kestrel?"


def test_polite_and_yes_no_questions() -> None:
    assert asked_kind("Can you tell me when the kickoff meeting is?") == "date"
    assert asked_kind("Do you know who leads Project Heron?") == "name"
    assert asked_kind("Is the kickoff meeting in February?") == "yes/no"


@pytest.mark.parametrize(
    ("question", "kind"),
    [  # a lead-in before the main question does not say what is asked: prose, a manual page, records
        ("When two records have the same sort key, does Python's sort keep their order?", "yes/no"),
        ("On Windows, is a .pyd extension module a DLL?", "yes/no"),
        ("When I mount a FAT stick without options, which codepage does mount assume?", None),
        ("With GNU tar, which option filters the archive through gzip?", "option"),
        ("In the 2024 budget, how much was spent on travel?", "number"),
        ("For the Kestrel depot: who inspected it last?", "name"),
        ("When did the Debian LTS project start?", "date"),  # no lead-in
        ("When did it start, and who led it?", "date"),  # a question of its own first
        ("Who leads it, and when does it start?", "name"),
    ],
)
def test_a_questions_lead_in_does_not_decide_what_it_asks(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [  # what is asked of a file is no file: a record table, a manual page, prose
        ("What file extension goes with application/epub+zip?", None),
        ("Which file type does file(1) report for a shell script?", None),
        ("What file format are Kali's installer images in?", None),
        ("Which file holds the kettle configuration?", "path"),
        ("What file name does the backup get?", "path"),
    ],
)
def test_a_files_extension_type_or_format_is_not_asked_as_a_path(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [  # "what is the ..." before what a number measures: prose, a manual page, a note
        ("What is the minimum number of days a package spends in Unstable before Testing?", "number"),
        ("What is the default timeout of ssh's connection attempts?", "number"),
        ("What was the total cost of the hotel?", "number"),
        ("What is number 5 on the list?", None),
        ("What is the name of the project?", None),
        ("What is Ann's membership number?", "number"),  # a possessive for "the" (the new user's try)
        ("What is aptitude's default length for the package name field?", "number"),
        ("What is Ann's name?", None),
        ("What is Ann Lee's membership number?", "number"),  # a name of two words in the possessive
    ],
)
def test_what_is_the_minimum_number_asks_for_a_number(question: str, kind: str | None) -> None:
    """Asked for a number, a passage that states none is no answer, and the quote is the sentence with one."""
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [  # what is asked of a time or a date is no date: a record table, prose, a note
        ("Which time zone covers Xinjiang?", None),
        ("If I invent an upstream version, what date format should it use?", None),
        ("What time zone is the Oslo office in?", None),
        ("What time does the backup run?", "date"),
        ("Which day is the market?", "date"),
        ("What's the release date of Debian 15?", "date"),  # the date of something
        ("What was the founding year of the club?", "date"),
        ("What is the date format of the export?", None),
        ("What is the day rate?", None),  # a date word before what is asked
        ("What's the year-end balance?", None),
    ],
)
def test_a_time_zone_or_a_date_format_is_not_asked_as_a_date(question: str, kind: str | None) -> None:
    """ "Which time zone covers Xinjiang?" asked for a date; its row ("TZ: Asia/Urumqi") states none, so the
    right row was refused as on the topic but not saying it."""
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "text"),
    [  # a record's version field, a kernel's option in prose, a flag in a manual page
        (
            "Which Debian version was released on 14 August 2021?",
            "version: 11\ncodename: Bullseye\nrelease: 2021-08-14",
        ),
        (
            "Which kernel option has to be compiled in for disk quotas?",
            "The quota software is in the quota package; the kernel must be compiled with CONFIG_QUOTA enabled.",
        ),
        (
            "Which flag makes open create the file if it does not exist?",
            "O_CREAT\n    If pathname does not exist, create it.",
        ),
    ],
)
def test_a_version_named_by_its_field_and_an_option_named_as_a_constant_are_stated(question: str, text: str) -> None:
    """Where the model's words fail the check, the passage that holds the answer is quoted, not refused as
    stating no version ("version: 11" is one, by its key) or no option ("CONFIG_QUOTA", "O_CREAT" are)."""
    passage = passages(hit_of(text))[0]
    check = Check(Plan(question, [], [passage]), fit=lambda text: text)
    shown = "".join([*check.feed("It was 2019-07-31 [1]. More."), *check.finish()])
    assert shown != NOT_STATED and shown.startswith("Your notes say:")
    assert not states(asked_kind(question) or "", "Debian 11 has no such option; see OPTIONS, in UTF_8.")
    assert not states("version", "Check your version:\n1. Open the settings.")  # a list's number, not a field


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [  # a tutorial's prose, a how-to's text, a manual page's option
        (
            "In which file does the interactive interpreter save your command history?",
            "The default configuration also saves your\nhistory into a file named .python_history in your home.",
            ".python_history",
        ),
        (
            "If I run git daemon without --export-all, which file has to exist in each repository?",
            "The option `--export-all` means that you don't have to create a\nfile named `git-daemon-export-ok` in "
            "each exported repository.",
            "git-daemon-export-ok",
        ),
        (
            "Which file does curl read login names and passwords from?",
            "-n, --netrc\n       Makes curl scan the .netrc file in the user's home directory for login and password.",
            ".netrc",
        ),
    ],
)
def test_a_dotfile_and_a_file_a_sentence_names_are_files(question: str, text: str, said: str) -> None:
    """ "Which file" is answered by ".python_history" and by "a file named git-daemon-export-ok": the model's right
    words, or else the quote, not the refusal of a passage that states no file."""
    passage = passages(hit_of(text))[0]
    check = Check(Plan(question, [], [passage]), fit=lambda text: text)
    shown = "".join([*check.feed(f"It is {said} [1]. More."), *check.finish()])
    assert said in shown
    for text in [
        "Save your history often.",
        "Logs are written as .log files.",
        "Use .NET here.",
        "files named after it",
    ]:
        assert not states("path", text), text  # a kind of file, a product, a phrase: no file


UNSTATED_FIELD = [  # a CSV's rows, a JSON list's objects, a note's records: the asked field missing from one
    (
        "releases.csv",
        "version,codename,created,released\n3,Kite,2021-02-01,2022-05-04\n4,Lark,2022-05-04,2023-06-10\n"
        "5,Wren,2023-06-10,\n",
        "When will version 5 be released?",
        "Wren",
        "Version 5 is released on 2023-06-10 [1].",
    ),
    (
        "members.json",
        '[{"name": "Ana Ruiz", "joined": "2019-03-01", "resigned": "2021-07-31"}, {"name": "Ben Osei", '
        '"joined": "2020-01-15"}, {"name": "Cy Park", "joined": "2018-09-09", "resigned": "2020-02-02"}]',
        "When did Ben Osei resign from the club?",
        "Ben Osei",
        "Ben Osei resigned on 2020-01-15 [1].",
    ),
    (
        "tasks.txt",
        "task: paint the shed\nowner: Maren\nstarted: 2024-04-02\ndone: 2024-04-20\n\n"
        "task: fix the gate\nowner: Jonas\nstarted: 2024-05-01\n\n"
        "task: clear the gutters\nowner: Maren\nstarted: 2024-03-03\ndone: 2024-03-04\n",
        "When was the task of fixing the gate done?",
        "fix the gate",
        "The gate task was done on 2024-05-01 [1].",
    ),
    # the date asked as "the ... date" (`facts.asked_kind`)
    (
        "releases.csv",
        "version,codename,created,released\n3,Kite,2021-02-01,2022-05-04\n4,Lark,2022-05-04,2023-06-10\n"
        "5,Wren,2023-06-10,\n",
        "What's the release date of version 5?",
        "Wren",
        "The release date of version 5 is 2023-06-10 [1].",
    ),
    (
        "members.json",
        '[{"name": "Ana Ruiz", "joined": "2019-03-01", "resigned": "2021-07-31"}, {"name": "Ben Osei", '
        '"joined": "2020-01-15"}, {"name": "Cy Park", "joined": "2018-09-09", "resigned": "2020-02-02"}]',
        "What was Ben Osei's resignation date?",
        "Ben Osei",
        "Ben Osei's resignation date was 2020-01-15 [1].",
    ),
    (
        "passports.txt",
        "name: Ana\nissued: 2019-03-01\nexpiry date: 2029-03-01\n\nname: Ben\nissued: 2020-01-15\n\n"
        "name: Cy\nissued: 2018-09-09\nexpiry date: 2028-09-09\n",
        "What is the expiry date of Ben's passport?",
        "Ben",
        "Ben's passport expires on 2020-01-15 [1].",
    ),
]


@pytest.mark.parametrize(("name", "text", "question", "row", "answer"), UNSTATED_FIELD)
def test_a_record_without_the_field_its_neighbours_hold_does_not_say_it(
    name: str, text: str, question: str, row: str, answer: str
) -> None:
    """A near miss on a table: the row of the thing asked about has no value under the field asked for (no
    release date yet, still a member, not done), while the rows beside it have one. Its other date is no
    answer: "Your notes do not seem to cover this", not the model's or a quote's wrong date. A row that holds
    the field, and a question whose field no row holds, are answered as before."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    record = next(p for p in found if row in p.text)
    check = Check(Plan(question, [], [record]), fit=lambda said: said)
    assert [*check.feed(answer + " More."), *check.finish()] == [NOT_STATED]
    neighbour = next(p for p in found if row not in p.text and p.text.count(":") == record.text.count(":") + 1)
    assert not unstated_field(question, neighbour)
    assert not unstated_field("What is the colour of it?", record)


@pytest.mark.parametrize(
    ("name", "text", "question", "row"),
    [  # answerable: the empty column is only a word of the row's name, or no kind of fact is asked for
        (
            "books.csv",
            "title,author,year,series\nA Series of Unfortunate Events,Lemony Snicket,1999,\n"
            "The Hobbit,J. R. R. Tolkien,1937,Middle-earth\nDune,Frank Herbert,1965,Dune Chronicles\n",
            "Who wrote A Series of Unfortunate Events?",
            "Unfortunate",
        ),
        (
            "debian.csv",
            "version,codename,created,release\n13,Trixie,2023-06-10,2025-08-09\n14,Forky,2025-08-09,\n",
            "Which Debian release is codenamed Forky?",
            "Forky",
        ),
        (
            "codes.json",
            '[{"alpha_2": "AW", "name": "Aruba"}, {"alpha_2": "BO", "name": "Bolivia", '
            '"official_name": "Plurinational State of Bolivia"}]',
            "What is the code of the country named Aruba?",
            "Aruba",
        ),
        (
            "tasks.txt",
            "task: review meeting notes\nowner: Ana\ndue: 2024-05-01\n\ntask: plan trip\nowner: Ben\n"
            "due: 2024-06-01\nnotes: book early\n",
            "Who owns the task review meeting notes?",
            "review",
        ),
    ],
)
def test_a_record_is_not_refused_for_a_field_only_its_name_or_no_asked_kind_points_at(
    name: str, text: str, question: str, row: str
) -> None:
    """The review's false refusals: "series" is a word of the title, not the field asked; "Which release is
    Forky?" asks for the version, "the country named Aruba" for a code, not for a date or an official name."""
    record = next(p for p in passages(hit_of(extract(text.encode(), Path(name)).text, name)) if row in p.text)
    assert not unstated_field(question, record)


def test_on_topic_evidence_without_the_asked_kind_of_fact_is_a_refusal_not_a_quote(
    notes: tuple[Notes, Config],
) -> None:
    passage, question = best(notes, "Who leads Project Kestrel?")
    dated = Plan("When was Project Kestrel founded?", [], [passage])
    check = Check(dated, fit=lambda text: text)
    assert [*check.feed("It was founded in 2019 [1]."), *check.finish()] == [NOT_STATED]
    refused = Check(Plan(question, [], [passage]), fit=lambda text: text)
    assert [*refused.feed(MODEL_REFUSAL), *refused.finish()] == [NOT_STATED]  # what the night teaches it to say


def test_respond_shows_what_the_server_shows_and_keeps_the_models_own_words(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Who leads Project Heron?")
    chosen = Plan(question, [], [passage])
    pieces = ["Project Heron is led by ", "Bram Olsen [1].", " He is new.", " More."]
    reply = respond(chosen, pieces)
    assert reply.quoted and reply.shown == f'Your notes say: "{quote(passage, question)}" [1]'
    assert reply.own == "".join(pieces)  # generation went on, to be measured
    kept = respond(chosen, ["Project Heron is led by ", "Annika Strand [1].", " She leads it."])
    assert not kept.quoted and kept.shown == kept.own
    assert not reply.refused and not kept.refused
    cut = respond(chosen, ["Project Heron is led by ", "Annika Strand [1].", " She is new."])
    assert cut.cut and cut.shown == "Project Heron is led by Annika Strand [1]." and cut.own.endswith("She is new.")


def test_respond_says_when_what_is_shown_was_complete_as_the_server_would_stop(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Who leads Project Heron?")
    chosen = Plan(question, [], [passage])
    times: list[float] = []

    def slow(pieces: list[str]) -> Iterator[str]:
        for piece in pieces:
            times.append(time.perf_counter())
            yield piece
            time.sleep(0.05)

    quoted = respond(chosen, slow(["Project Heron is led by ", "Bram Olsen [1].", " He is new.", " More."]))
    assert times[1] < quoted.served_at < times[-1]  # replaced after the first sentence, not waiting for the rest
    times.clear()
    kept = respond(chosen, slow(["Project Heron is led by ", "Annika Strand [1].", " She is new."]))
    assert kept.served_at > times[-1]  # a grounded answer is shown to its end
    assert respond(planned(notes, "What is the boiling point of liquid nitrogen?"), []).served_at > 0


STOPS = ["\n\n", "\n["]  # config.toml's answer_stop


def test_an_answer_ends_at_a_blank_line_unless_its_line_leads_into_the_next() -> None:
    said = "Annika Strand leads it [1].\n\nShe joined in 2019 from Kestrel."
    assert answer.answer_end(said, STOPS) == said.index("\n\n")  # a small model's second paragraph invents
    command = "The Git equivalent of cvs update is:\n\n$ git pull\n\nIt merges the work of others."
    assert answer.answer_end(command, STOPS) == command.index("\n\nIt merges")
    assert answer.answer_end("The correct answer is:\n[1] /etc/adduser.conf", STOPS) is None
    assert answer.answer_end("Annika Strand leads it.\n[2] Kestrel notes", STOPS) == len("Annika Strand leads it.")
    assert answer.first_statement(command) == "The Git equivalent of cvs update is: $ git pull"
    assert answer.first_statement("It is 42. Really:\n\n43") == "It is 42."  # only a line that is one lead-in
    # a lead-in later in the answer carries no unchecked paragraph past a stop
    for later in ("It is 42. Really:\n\n43 more.", "Annika Strand leads it [1].\nHer deputies are:\n\nBob Lee."):
        assert answer.answer_end(later, STOPS) == later.index("\n\n"), later
    assert answer.answer_end("The command is:\n\n", STOPS) is None  # it has not said it yet


def test_a_sentence_the_model_copied_across_lines_is_checked_whole(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "When is my dentist appointment?")
    chosen = Plan(question, [], [passage])
    # A small model copies a PDF's hard-wrapped lines: the wrong year and street on the second line are checked.
    wrapped = ["It is on 14 March 2025 at 09:30 with Dr. Ilka Brenner, who moved", "\n", "to Kestrel Street in 2019."]
    assert respond(chosen, wrapped, stops=STOPS).quoted
    kept = respond(chosen, ["It is on 14 March 2025", "\n", "at 09:30 with Dr. Ilka Brenner [1]."], stops=STOPS)
    assert not kept.quoted and kept.shown == kept.own
    assert answer.first_statement("It is at\n09:30 on 14 March. More.") == "It is at 09:30 on 14 March."
    # a line ending in a fact, a name or a sentence, or a list or a citation under it, is a statement of its own
    assert answer.first_statement("It is /etc/adduser.conf\nThis file sets quotas.") == "It is /etc/adduser.conf"
    assert answer.first_statement("Its options are\n- -z\n- -j") == "Its options are"
    assert answer.first_statement("Annika Strand leads it\n[2] Kestrel notes") == "Annika Strand leads it"
    assert answer.first_statement("It is Annika Strand\nShe joined in 2019.") == "It is Annika Strand"
    assert answer.first_statement("The steps are these,\n1. Install it.\n2. Run it.") == "The steps are these,"
    assert answer.first_statement("It uses the protocol with number\n41. That is all.").endswith("number 41.")
    assert answer._first_done("The value is set by\n\nThen more")  # a blank line: no sentence goes on over it


def test_respond_reads_a_lead_in_with_its_answer_and_stops_where_the_answer_ends(
    notes: tuple[Notes, Config],
) -> None:
    passage, question = best(notes, "Who leads Project Heron?")
    chosen = Plan(question, [], [passage])
    pieces = ["Project Heron is led by:", "\n", "\n", "Annika Strand [1].", "\n", "\nShe came from", " Kestrel."]
    reply = respond(chosen, pieces, stops=STOPS)
    assert reply.own == "Project Heron is led by:\n\nAnnika Strand [1]."  # the stop straddled two pieces
    assert not reply.quoted and reply.shown == reply.own  # the lead-in was checked with the name it led to
    plain = respond(chosen, ["Annika Strand leads it [1].", "\n", "\n[2] More notes."], stops=STOPS)
    assert plain.own == plain.shown == "Annika Strand leads it [1]."
    settings = notes[1].server
    assert answer.answer_stops(settings, {"stop": None}) == settings.answer_stop  # the config's, found by Check
    assert answer.answer_stops(settings, {"stop": ["END"]}) == []  # a request's own: llama.cpp stops there


def test_a_reply_knows_it_is_a_refusal_whoever_refused(notes: tuple[Notes, Config]) -> None:
    passage, question = best(notes, "Who leads Project Heron?")
    assert respond(Plan(question, [], [passage]), [MODEL_REFUSAL]).refused  # the model's, shown as the check's
    assert respond(planned(notes, "What is the boiling point of liquid nitrogen?"), []).refused  # the path's
    answered = respond(Plan(question, [], [passage]), ["Annika Strand leads it [1].", " The notes do not cover more."])
    assert not answered.quoted and not answered.refused  # an answer that says what it leaves out still answers


def test_the_vector_cache_is_safe_to_share_between_threads(
    notes: tuple[Notes, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answer, "VECTOR_CACHE", 16)  # the cache fills, and is cleared, again and again
    shared = Notes(notes[0].index, notes[1].server)
    errors: list[BaseException] = []

    def embed(offset: int) -> None:
        try:
            for round_ in range(20):
                texts = [f"line {offset} {round_} {i}" for i in range(8)]
                assert shared.encode(texts).shape == (8, 384)
        except BaseException as exc:  # any failure in a thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=embed, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


def test_the_notes_go_in_the_turn_that_asks_and_everything_else_stays_as_it_was() -> None:
    sources = [SourceText(1, "Heron", "heron.md", "line 7", "Budget: 48,000 EUR")]
    turns = [
        {"role": "system", "content": "Answer like a pirate."},
        {"role": "user", "content": "Who leads Project Heron?"},
        {"role": "assistant", "content": "Annika Strand [1]."},
        {"role": "user", "content": "What is its budget?"},
        {"role": "user", "content": "  "},  # an empty turn asks nothing (search_question skips it too)
    ]
    assert model_messages(turns, sources) == [
        {"role": "system", "content": SYSTEM_PROMPT},
        *turns[:3],
        {"role": "user", "content": notes_message(sources, "What is its budget?")},
        turns[4],
    ]
    assert notes_message(sources, "What is its budget?").endswith("Budget: 48,000 EUR\n\nQuestion: What is its budget?")
    assert model_messages(turns, None) == turns


def test_a_passages_vector_does_not_depend_on_what_was_embedded_beside_it(notes: tuple[Notes, Config]) -> None:
    reader = notes[0]
    texts = ["Who leads Project Heron?", "Annika Strand leads Project Heron from the Kestrel office."]
    reader.vectors.clear()
    alone = reader.encode(texts)
    reader.vectors.clear()
    beside = reader.encode(["word " * 200, *texts])  # the int8 copy quantizes a batch's activations together
    assert np.array_equal(alone, beside[1:])  # so a question's evidence scores do not depend on those before it


def test_a_question_in_chinese_or_japanese_is_answered_from_the_note_holding_its_words(
    tmp_path: Path, embedder: Embedder
) -> None:
    """A question in a script without spaces shares no term with its note as a word ("王建国的预算是多少？" is one
    run) and is not refused for it (`evidence.shares_only_a_name_part`): the note holding it answers."""
    notes = tmp_path / "notes"
    write(notes / "会議.md", "# 一月の会議\n\n佐々木さんが担当。经理王建国负责预算，预算是五万元。\n")
    write(notes / "旅行.md", "# 旅行\n\n東京の天気は晴れでした。北京烤鸭很好吃。\n")
    write(notes / "garden.md", "# Garden\n\nThe apple tree needs pruning in February.\n")
    for home in notes_of(tmp_path / "home", embedder, [notes / name for name in ("会議.md", "旅行.md", "garden.md")]):
        assert "王建国负责预算" in best(home, "王建国的预算是多少？")[0].text
        assert "東京の天気" in best(home, "東京の天気は？")[0].text


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("# Clinic\n\nThe clinic opens at eight on weekdays.\n", "The clinic opens at eight on weekdays."),  # prose
        ("Clinic: Linden Street\nOpening hours: 9am to 5pm\n", "The clinic opens at 9am."),  # a record's field
        ("# Clinic\n\nThe clinic is open until five.\n", "It is open until five."),
        (  # a manual page's entry (crontab(5))
            "       @daily      Run once a day, at midnight.\n       @hourly     Run once an hour.\n",
            "It runs at midnight.",
        ),
    ],
)
def test_a_time_of_day_without_minutes_answers_when(text: str, answer: str) -> None:
    """A time written as a word or without its minutes ("at eight", "9am", "midnight") is what "when" asks for:
    the model's right answer was refused as not saying it ("The clinic opens at eight on weekdays.")."""
    question = "When does it open?" if "open" in text else "When does @daily run?"
    passage = passages(hit_of(text))[0]
    assert asked_kind(question) == "date" and states("date", passage.text, question)
    check = Check(Plan(question, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer), *check.finish()] == [answer]
    for wrong in ("It opens at nine.", "It runs at noon.", "It opens at 10am."):  # another hour is a wrong fact
        check = Check(Plan(question, [], [passage]), fit=lambda shown: shown)
        assert [*check.feed(wrong), *check.finish()] != [wrong]


@pytest.mark.parametrize(
    ("text", "question", "answer"),
    [
        (  # prose
            "# Offices\n\nThe draft plan moves the Ashgrove office in May.\n",
            "When does the Ashgrove office move?",
            "The Ashgrove office moves in May.",
        ),
        (  # a record's field
            "Policy: home insurance\nRenewal: due by the end of March\n",
            "When is the renewal due?",
            "It is due by March.",
        ),
        (  # a manual page's history
            "HISTORY\n       The --legacy flag is kept until October and then removed.\n",
            "When is the --legacy flag removed?",
            "It is removed in October.",
        ),
    ],
)
def test_a_month_alone_answers_when(text: str, question: str, answer: str) -> None:
    """A month said as a time ("in May", "by the end of March", "until October") is what "when" asks for: the
    model's right answer was refused as not saying it. Another month is a wrong fact."""
    passage = passages(hit_of(text))[0]
    assert asked_kind(question) == "date" and states("date", passage.text, question)
    check = Check(Plan(question, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer), *check.finish()] == [answer]
    wrong = re.sub(r"May|March|October", "June", answer)
    check = Check(Plan(question, [], [passage]), fit=lambda shown: shown)
    assert "".join([*check.feed(wrong), *check.finish()]).startswith("Your notes say: ")  # the passage's words


@pytest.mark.parametrize(
    "text",
    [
        "This may take a while.",
        "Since he may come, wait.",
        "Sort them in march order.",
        "The play was written by August Wilson.",  # a name, not a month
        "The tickets are sold by Jan Kowalski.",
        "She was crowned the Queen of May.",
    ],
)
def test_a_month_homograph_is_no_date(text: str) -> None:
    assert not states("date", text, "When?")


@pytest.mark.parametrize(
    "text",
    [
        "We met at two sites.",
        "It was repaired after five years.",
        "Signed by two people.",
        "At one point.",
        "It increases the verbosity by one.",  # a manual page's increment
        "Followed by one or more IP addresses.",
        "The team grew from two to five members.",
        "The team grew from two to five.",
        "Held at five-star hotels.",
        "Rent: 95 pm",
    ],
)
def test_a_number_word_that_counts_something_is_no_time_of_day(text: str) -> None:
    assert not states("date", text, "When?")


@pytest.mark.parametrize(
    ("unknown", "known"),
    [
        ("Who leads Project Osprey?", "Who leads Project Heron?"),  # prose
        ("Who inspected the Falcon depot?", "Who inspected the Kestrel depot?"),  # a table's rows
        (
            "Which tar option filters the archive through Zstandard?",
            "Which tar option filters through gzip?",
        ),  # a man page
    ],
)
def test_a_question_naming_what_no_note_names_is_not_covered(
    notes: tuple[Notes, Config], unknown: str, known: str
) -> None:
    """The notes never name Osprey, Falcon or Zstandard: however close a passage about another project, depot or
    compressor comes, it does not answer ("What is Kosovo's ISO country code?" was answered from Yugoslavia's
    record). A name the notes hold, a name in lower case, a joined name whose parts they hold and a nationality
    are not unknown."""
    assert notes[0].unknown_names(unknown) and planned(notes, unknown).fixed == NOT_COVERED
    assert not notes[0].unknown_names(known) and planned(notes, known).fixed is None
    assert not notes[0].unknown_names("Who inspected the Kestrel-Orchard route?")
    assert not notes[0].unknown_names("Which Norwegian site failed?")  # the notes may say "Norway"
    for other in (
        "Is Project Heron led by Maria?",  # yes or no: the notes say no
        "Who leads Project Hernon?",  # a typo
        "What do the Strands lead?",  # a plural
        "WHO LEADS PROJECT OSPREY?",  # capitals and title case name nothing by their capitals
        "Who Leads Project Osprey?",
        "What is the URL of Project Heron?",  # a word in capitals
        "Who leads project heron\nHer budget?",  # a follow-up's first word
        "Is the kickoff in May?",
        "What is Heron-\uff9e\uff9e budget?",  # a part FTS5 cannot read (no error)
    ):
        assert not notes[0].unknown_names(other), other
    assert notes[0].unknown_names("Is Osprey managed by Zebulon?")  # all its names unknown


@pytest.mark.parametrize(
    ("question", "text", "answer"),
    [
        (  # prose: another point of the compass
            "Who is the first-aid officer for the west wing?",
            "The first-aid officer for the east wing is Wilhelmina Stroud.",
            "The first-aid officer for the west wing is Wilhelmina Stroud.",
        ),
        (  # a record: another weekday
            "Which doctor is at Birchgate on Thursday?",
            "Day: Monday\nDoctor: Dr. Leontyne Farr\nRoom: Room 3",
            "Dr. Leontyne Farr is at Birchgate on Thursday.",
        ),
        (  # a table's row: another year
            "What was the budget of Project Larkspur in 2024?",
            "| Project | Year | Budget |\n| --- | --- | --- |\n| Larkspur | 2025 | 73,500 GBP |",
            "The budget of Project Larkspur in 2024 was 73,500 GBP.",
        ),
        (  # a web page's paragraph: another season (the new user's choir page)
            "How much do tickets for the summer concert cost?",
            "The winter concert is on 13 December 2025; tickets cost 12 GBP.",
            "Tickets for the summer concert cost 12 GBP.",
        ),
    ],
)
def test_notes_about_a_neighbour_of_what_was_asked_do_not_say_it(question: str, text: str, answer: str) -> None:
    """The east wing's officer, Monday's doctor and 2025's budget were shown, in the model's words, for the west
    wing, Thursday and 2024, the winter concert's price for the summer's; the question asked for another of a closed
    set (a weekday, a month, a point of the compass, a time of day, a season, a year) than the notes hold."""
    passage = passages(hit_of(text))[0]
    check = Check(Plan(question, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer), *check.finish()] == [NOT_STATED]
    same = question.replace("west", "east").replace("Thursday", "Monday").replace("2024", "2025")
    same = same.replace("summer", "winter")
    check = Check(Plan(same, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer), *check.finish()] != [NOT_STATED]


@pytest.mark.parametrize(
    ("question", "text", "asked_otherwise"),
    [
        (  # prose: the start for the end (the new user's try)
            "When does the AGM end?",
            "The AGM moved from 3 March to 17 March 2025, starting at 19:00 in the pavilion.",
            "When does the AGM start?",
        ),
        (  # a table's row: the opening for the closing
            "When does the Holm kiosk close?",
            "| Kiosk | Opens |\n| --- | --- |\n| Holm | 07:40 |",
            "When does the Holm kiosk open?",
        ),
        (  # a record: the kickoff for the deadline
            "What is the deadline for Project Osprey?",
            "Project: Osprey\nKickoff: 6 May 2025\nLead: Rutger Halloran",
            "When is the kickoff of Project Osprey?",
        ),
        (  # a list: another item's "due" says nothing of this one's end (a new user's try)
            "When does book club end?",
            "- Book club starts 7.30 p.m. on the last Thu. of each month.\n- Car MOT due by 31 Mar.",
            "When does book club start?",
        ),
        (  # prose: "from" a time is the start
            "When does choir rehearsal end?",
            "Choir rehearsal is on Tuesdays from 19:30 in the hall.",
            "When does choir rehearsal begin?",
        ),
        (  # a record: the arrival for the departure
            "When do the Castellanos family leave?",
            "Guests: Castellanos family\nArrival: 14 July, 15:00",
            "When do the Castellanos family arrive?",
        ),
    ],
)
def test_notes_giving_the_other_end_of_a_span_do_not_say_when_this_end_is(
    question: str, text: str, asked_otherwise: str
) -> None:
    """The AGM's start was shown for its end, a kickoff date for a deadline (the new user's try): a question asking
    when one end of a span is, where the notes give only the other, is told they do not say it."""
    passage = passages(hit_of(text))[0]
    answer_ = "It is on 17 March 2025 at 19:00, at 07:40, on 6 May 2025."
    check = Check(Plan(question, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer_), *check.finish()] == [NOT_STATED]
    check = Check(Plan(asked_otherwise, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer_), *check.finish()] != [NOT_STATED]


@pytest.mark.parametrize(
    ("text", "unsaid", "said", "answer_"),
    [
        (  # a form: the landlord's name, another's phone (the new user's try)
            "Tenant: Marisol Okonkwo\nLandlord: Teodor Vasquez-Lind\nEmergency contact: Jonah Okonkwo 07700 900 318",
            "What is the landlord's phone number?",
            "What is the emergency contact's phone number?",
            "The phone number is 07700 900 318.",
        ),
        (  # prose: a phone, no e-mail
            "The pharmacist is Agnieszka Holm. You can reach the pharmacy on 01632 960 471 until 18:30.",
            "What is Agnieszka Holm's email address?",
            "What is the pharmacy's phone number?",
            "The pharmacy's phone number is 01632 960 471.",
        ),
        (  # a table's row: an e-mail, no phone
            "| Name | Role | Email |\n| --- | --- | --- |\n| Ines Marchetti | Travel clinic | ines@example.org |",
            "What is Ines Marchetti's phone number?",
            "What is Ines Marchetti's e-mail address?",
            "Her e-mail address is ines@example.org.",
        ),
        (  # a record: another's number, given as the one asked for (a helper's review)
            "Landlord: Ivo Kranjc\nRent: 900 EUR\nCaretaker: Jo Hale, phone 01632 960472, after 18:00.",
            "What is the landlord's phone number?",
            "What is the caretaker's phone number?",
            "The phone number is 01632 960472.",
        ),
    ],
)
def test_a_way_to_reach_someone_is_given_as_the_notes_write_it_or_not_at_all(
    text: str, unsaid: str, said: str, answer_: str
) -> None:
    """The landlord's name was quoted for his phone number (the new user's try): a phone number or an e-mail
    address asked for is answered with one the notes give for whom it is asked, or the notes do not say it."""
    passage = passages(hit_of(text))[0]
    check = Check(Plan(unsaid, [], [passage]), fit=lambda shown: shown)
    assert [*check.feed(answer_), *check.finish()] == [NOT_STATED]
    check = Check(Plan(said, [], [passage]), fit=lambda shown: shown)
    shown = "".join([*check.feed(answer_), *check.finish()])
    assert shown != NOT_STATED and any(part in shown for part in ("07700 900 318", "01632 96", "ines@")), shown


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the landlord's phone number?", "phone"),
        ("What's Ann's e-mail address?", "email"),
        ("How do I phone the pharmacy?", "phone"),
        ("How many phone calls were made?", "number"),
        ("Which email client does Debian use?", None),
        ("Which phone did Ann buy?", None),  # a review's: the thing, not a way to reach
        ("What is the email policy?", None),
        ("How can I call a function in Python?", None),
        ("What time does the phone line open?", "date"),
        ("What is the badge number of Odile Brandt?", "number"),
    ],
)
def test_a_question_for_a_phone_or_an_email_asks_for_one(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("When does the meeting end?", "The meeting runs from 19:00 to 21:00."),  # both ends, no word for either
        ("When does the meeting end?", "The meeting starts at 19:00 and finishes at 21:00."),  # another form
        ("When does the shop open on Sunday?", "Saturday: opens 09:00. Sunday: closed."),  # a state, not a time
        ("Which file do I edit at the end of the install?", "Start the installer, then edit /etc/hosts."),  # no date
        # a span written whole, "till" and "by" a date (a helper's review)
        ("What time does the pharmacy close?", "The pharmacy is open 9:00-18:00 on weekdays."),
        ("When does the library close on Saturday?", "Opening hours\n\nSaturday: 10:00-16:00"),
        ("When does the market close?", "The market opens at 7:00 and runs till 13:00."),
        ("When does the AGM start?", "The AGM runs from 19:00 until 21:00."),
        ("When does the exhibition start?", "The exhibition runs 3 March till 30 June."),
        ("When does the sale begin?", "Summer sale 1-15 July, ending at midnight."),
        ("What is the deadline for the grant?", "Start of call: 1 March. Submit by 15 April."),
        ("When does the ferry leave?", "The ferry sails at 07:40 and arrives at 09:10."),  # "sails"
        ("When does the meeting end?", "The meeting starts at 19:00. It finishes at 21:00."),  # said of "it"
    ],
)
def test_a_span_given_whole_or_in_other_words_is_not_the_other_end(question: str, text: str) -> None:
    assert other_end(question, passages(hit_of(text))) is None


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("Where may I park on the street?", "Street parking: allowed on Elm Road from 1 June to 30 September."),
        ("Which doctor is in on Thursday?", "Thu: Dr Berg. Monday: Dr Holm."),  # a weekday shortened
        ("What is due in September?", "Sep 30: tax return. October 2: rent."),
        ("Who is the warden of the northeast wing?", "North-east wing: Ola Berg. South wing: Kari Holm."),
        ("Which doctor is in on Wednesday?", "Dr Berg is in Monday to Friday; Dr Holm on Saturday."),  # a range
        ("What are the hours on Wednesday?", "Opening hours: Mon-Fri 08:00-16:00, Saturday 10:00-14:00."),
        ("What was my salary in 2021?", "Salary 2020-2023: 520,000 NOK; from 2024: 560,000 NOK."),
        ("How much was the hotel in Rome in 2023?", "Rome trip, October 23: hotel 1650 NOK a night."),  # a price
        ("Which Spring Boot version does billing use?", "Since the summer release billing runs 3.2."),  # a name
    ],
)
def test_a_member_written_otherwise_or_inside_a_range_is_held(question: str, text: str) -> None:
    """A weekday or month shortened, a point of the compass hyphenated, a range holding the one asked, a price
    written like a year: the notes may say it, the question is not refused for another of its set."""
    assert another_of_its_set(question, passages(hit_of(text))) is None


def test_a_passage_only_about_the_other_way_round_is_not_quoted() -> None:
    """ "When does the bus from Ashby Cross leave?" quoted "The morning bus to Ashby Cross leaves ... at 07:55.";
    the way asked is answered as before (a relation that holds both ways, "Bergen to Oslo: 460 km", is refused too)."""
    passage = passages(hit_of("The morning bus to Ashby Cross leaves the market square at 07:55."))[0]
    check = Check(Plan("When does the bus from Ashby Cross leave?", [], [passage]), fit=lambda shown: shown)
    assert [*check.feed("The bus from Ashby Cross leaves at 07:55."), *check.finish()] == [NOT_STATED]
    check = Check(Plan("When does the bus to Ashby Cross leave?", [], [passage]), fit=lambda shown: shown)
    right = "The bus to Ashby Cross leaves at 07:55."
    assert [*check.feed(right), *check.finish()] == [right]


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("What is the badge number of Odile Brandt?", "Visitor: Odile Brandt\nBadge number: B-7731\nHost: Ravi Sen"),
        ("What is the membership number of Ann Lee?", "Name: Ann Lee; Membership: M20931; Joined: spring"),  # a row
        ("What is the invoice number of the plumber's bill?", "The plumber's invoice, INV-2024-0017, came on Monday."),
    ],
)
def test_a_reference_of_letters_and_digits_states_the_number_asked_for(question: str, text: str) -> None:
    """A form's field, a table's row and a sentence: "B-7731" is the badge number asked for, though it is not
    digits alone ("What is the badge number of Odile Brandt?" was refused as not stating a number, the model
    having said "7731"); the number of something is still a count."""
    assert asked_kind(question) == "number" and states("number", text, question)


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("What is the number of visitors?", "Visitor: Odile Brandt\nBadge: B-7731"),  # counts
        ("What is the total number of visitors?", "Visitor: Odile Brandt\nBadge: B-7731"),
        ("How many people have a membership number?", "Name: Ann Lee; Membership: M20931; Joined: spring"),
        ("What is the badge number?\nAnd how many visitors came?", "Visitor: Odile Brandt\nBadge: B-7731"),
        ("What is the phone number of Ann Lee?", "Ann Lee had COVID-19 and reads ISO-8859-1 and RFC8314."),  # names
        ("What is the order number for invoice INV-2024-0017?", "Invoice INV-2024-0017 came on Monday."),  # given
        ("What is the badge number?", "See docs/v2-B200 and the file form-B2 of 2024-05-01T10."),  # paths, times
    ],
)
def test_a_standard_s_name_a_path_or_the_question_s_own_reference_states_no_number(question: str, text: str) -> None:
    """A count ("the total number of"), a standard's name ("COVID-19", "ISO-8859-1"), a path, a timestamp or the
    reference the question gives is no number asked for (review of the first version: each passed)."""
    assert not states("number", text, question)


def day(offset: int) -> datetime.date:
    """The day `offset` days from today (the answer path reads "next" and "last" as of today)."""
    return datetime.date.today() + datetime.timedelta(days=offset)


def written(offset: int) -> str:
    """That day as a person writes it: "15 January 2027"."""
    when = day(offset)
    return f"{when.day} {when:%B %Y}"


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Dated notes of four kinds, their dates set around today: a Markdown list of appointments under its
    heading, a plain-text log whose lines open with their dates, a sheet of vaccinations (CSV, one record a
    row) and prose."""
    files = {
        "health.md": (
            "# Health\n\n## Dentist\n\nDr. Okafor at Lindenstrasse 4.\n\n"
            f"- {written(-260)}, 09:30: check-up, one filling\n- {written(-90)}, 14:00: cleaning\n"
            f"- {written(40)}, 10:15: check-up\n- {written(220)}, 08:45: cleaning\n"
        ),
        "car.txt": (
            "Car service log (Skoda Octavia)\n\n"
            f"{day(-600).isoformat()}  oil change, 61,200 km, 189 EUR\n"
            f"{day(-250).isoformat()}  oil change, 78,950 km, 205 EUR\n"
            f"{day(-60).isoformat()}  inspection and brake pads, 95,310 km, 420 EUR\n"
        ),
        "vaccinations.csv": (
            "date,vaccine,clinic\n"
            f"{day(-2000).isoformat()},tetanus,Riverside\n{day(-400).isoformat()},flu,Riverside\n"
            f"{day(-30).isoformat()},flu,Boots\n{day(150).isoformat()},tetanus booster,Riverside\n"
        ),
        "family.md": (
            "# Family\n\n"
            f"We visited Aunt Rose in Whitby on {written(-120)}. She showed us the new greenhouse.\n"
            f"Our next visit is planned for {written(75)}, by train.\n"
        ),
    }
    yield from notes_of(tmp_path_factory.mktemp("diary"), embedder, [], files)


@pytest.mark.parametrize(
    ("question", "expected", "not_expected"),
    [
        ("When is my next dentist appointment?", written(40), written(-90)),
        ("When was my last dentist appointment?", written(-90), written(40)),
        ("When was the last oil change?", day(-250).isoformat(), day(-60).isoformat()),
        ("When was my last flu jab?", day(-30).isoformat(), day(-400).isoformat()),
        ("When is my next tetanus shot?", day(150).isoformat(), day(-2000).isoformat()),
        ("When was my last tetanus shot?", day(-2000).isoformat(), day(150).isoformat()),
        ("When is our next visit to Aunt Rose?", written(75), written(-120)),
    ],
)
def test_the_next_or_the_last_date_is_read_as_of_today(
    diary: tuple[Notes, Config], question: str, expected: str, not_expected: str
) -> None:
    """A new user's try: "When is my next dentist appointment?" quoted the first appointment of the list, long
    past, and a car log's lines were one sentence. Of the dated lines, records or sentences that say what is
    asked (a list's heading may say it for all), the next is the first from today on and the last the latest
    up to today: the passage read first, its quote, and the only date of theirs an answer may give."""
    passage, asked = best(diary, question)
    said = quote(passage, asked)
    assert expected in said and not_expected not in said
    assert grounded(f"It is on {expected}.", asked, passage)
    assert not grounded(f"It is on {not_expected}.", asked, passage)


@pytest.fixture(scope="module")
def errands(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Notes of unrelated errands: a pharmacy's page (HTML, a table and its staff), a choir's and a van rota's
    (Markdown), a tax note and a hotel booking (text)."""
    files = {
        "pharmacy.html": (
            "<html><body><h1>Hillside Pharmacy</h1><p>The pharmacy manager is Ptolemy Harcastle.</p>"
            "<table><tr><th>Medicine</th><th>Shelf</th></tr><tr><td>Sertraline</td><td>Locked cabinet L9</td></tr>"
            "<tr><td>Ibuprofen</td><td>Shelf B2</td></tr></table></body></html>"
        ),
        "choir.md": "# Larchmont choir\n\nThe choir's conductor is Evander Kilbride. Rehearsals are on Thursday.\n",
        "van-rota.md": (
            "# Van rota\n\n| Week | Morning driver | Evening driver |\n| --- | --- | --- |\n"
            "| Week 1 | Horatio Blenkinsop | Mira Fell |\n| Week 2 | Horatio Blenkinsop | Osgood Pryce |\n"
        ),
        "tax.txt": "Tax report\n\nI submit my tax report online. The deadline is 31 July.\n",
        "lisbon.txt": "Lisbon trip\n\nWe booked the Hotel Miradouro in Lisbon for three nights, room 214.\n",
        "berlin.md": "# Berlin trip\n\nHotel: Adlon Kempinski, room 508\nCheck-in: 15:00\n",
        "porto.md": "# Porto weekend\n\nWe stay at the Casa do Rio. The room number is 31.\n",
        "dentist.txt": "Dentist\n\nDr. Ines Halloran, Kastanienallee 12\nPhone 030 5550 1234\n",
        "hotel-lisbon-desk.txt": "Hotel Miradouro front desk\n\nThe phone number of the front desk is 21 555 0100.\n",
        "hollybrook.md": (
            "# Hollybrook farm shop\n\nEggs: 3.20 a dozen\nRaw milk: 1.80 a litre\nButcher: Fridays only\n\n"
            "The cider press is cleaned by Valentina Hargreaves.\n"
        ),
        "saltcote.csv": (
            "Day,Session,Doctor\nMonday,Morning,Dr. Hesper Vane\nMonday,Afternoon,Dr. Torquil MacAskill\n"
            "Tuesday,Morning,Dr. Ada Quayle\n"
        ),
        "projects.md": "# Projects\n\n## Merlin\n\nMerlin is led by Ida Crane. Its budget is 5,000 euros.\n",
        "flats.md": (
            "# Flats\n\n## Lisbon flat\n\nDoor code 4471. Check-out by 11:00.\n\n"
            "## Berlin flat\n\nDoor code 9902. The cleaning fee is 40 euros.\n"
        ),
        "visits.md": (
            "# Engineer site visits\n\n| Site | Visit date | Engineer |\n| --- | --- | --- |\n"
            "| Northgate warehouse | 14 July 2025 | Aurelie Castellane |\n"
            "| Southmoor annex | 2 August 2025 | Aurelie Castellane |\n"
        ),
    }
    yield from notes_of(tmp_path_factory.mktemp("errands"), embedder, [], files)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Which shelf is Sertraline on?", "Who is the pharmacy manager?", "Ptolemy Harcastle"),
        ("Who drives the evening van in Week 2?", "Who is the conductor of the choir?", "Evander Kilbride"),
        ("Which shelf is Sertraline on?", "When are the choir rehearsals?", "Thursday"),
    ],
)
def test_a_short_question_that_the_notes_answer_alone_is_not_read_with_an_unrelated_turn(
    errands: tuple[Notes, Config], first: str, last: str, expected: str
) -> None:
    """A new user's try: "Who is the pharmacy manager?" after "Which shelf is Sertraline on?" quoted the shelf's
    row, read with the turn before as a follow-up of two words. Searched alone it finds a passage holding all
    its words, which the two turns together do not: it is searched alone."""
    passage, question = best(errands, first, last)
    assert question == last and expected in quote(passage, question)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("What does eggs cost at Hollybrook?", "And raw milk?", "Raw milk: 1.80"),
        ("Who is the Monday morning doctor at Saltcote?", "And in the afternoon?", "Torquil MacAskill"),
        ("When does the engineer visit the Northgate warehouse?", "And the other site?", "2 August 2025"),
        ("What is the weather like on Mars?", "And who cleans the cider press?", "Valentina Hargreaves"),
    ],
)
def test_a_follow_up_is_answered_by_the_row_of_its_own_words_not_the_one_asked_before(
    errands: tuple[Notes, Config], first: str, last: str, expected: str
) -> None:
    """A new user's try: "And raw milk?" after the eggs' price, "And in the afternoon?" after Monday morning's
    doctor and "And the other site?" after Northgate's visit quoted the row asked before (the earlier turn's
    words outweigh the follow-up's); "And who cleans the cider press?" after a question on Mars was refused, Mars
    being no note's name. The passage read holds the follow-up's own words, not the names it turns from, and the
    names checked are the follow-up's."""
    passage, question = best(errands, first, last)
    assert question != last and expected in quote(passage, question)


def test_a_follow_up_stays_in_the_section_asked_about(errands: tuple[Notes, Config]) -> None:
    """A review's: "And is there a cleaning fee?" after the Lisbon flat's door code read the Berlin flat's
    section, which says "cleaning fee", and quoted its door code. A follow-up's own words move the passage read
    to another row of the best's table, not to another section."""
    passage, _ = best(errands, "What is the door code of the Lisbon flat?", "And is there a cleaning fee?")
    assert "9902" not in passage.text


def test_a_follow_up_of_something_the_notes_never_name_is_not_covered(errands: tuple[Notes, Config]) -> None:
    """A review's: "And the budget?" after "Who leads Zephyr?" (no note names Zephyr) was answered from another
    project's budget: a follow-up without a subject of its own asks about the earlier turn's."""
    chosen = planned(errands, "Who leads Zephyr?", "And the budget?")
    assert chosen.fixed == NOT_COVERED


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("When do I submit my tax report?", "What is the deadline?", "31 July"),  # one word: not tried alone
        ("Which hotel did we book in Lisbon?", "And how many nights?", "three nights"),
        ("Who drives the evening van in Week 2?", "And in week 1?", "Mira Fell"),
        # a review's: the earlier turn's note says some of the words, another note all of them
        ("Which hotel are we staying at in Berlin?", "What's the room number?", "508"),
        ("Who is my dentist?", "What is the phone number?", "030 5550 1234"),
    ],
)
def test_a_follow_up_is_still_read_with_the_turn_before(
    errands: tuple[Notes, Config], first: str, last: str, expected: str
) -> None:
    passage, question = best(errands, first, last)
    assert question != last and expected in passage.text


@pytest.fixture(scope="module")
def household_lists(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """A family's lists: staff contacts (CSV), club members (JSON), a bin rota (a Markdown table), a boiler note
    (text)."""
    files = {
        "staff.csv": "name,phone,room\nAnn Berg,555 0101,B12\nBo Lind,555 0102,C4\n",
        "members.json": '[{"member": "Cato Rees", "phone": "01632 960 471", "boat": "Osprey"}, '
        '{"member": "Dina Volk", "phone": "01632 960 472", "boat": "Tern"}]',
        "bins.md": "# Bins\n\n| Bin | Collected by | Day |\n|---|---|---|\n| Black | Harlow Waste | Tuesday |\n"
        "| Green | Council garden team | Friday |\n",
        "boiler.txt": "Boiler\n\nThe boiler was serviced by Imre Kovacs on 4 March 2025. The next service is due in "
        "March 2026.\n",
    }
    yield from notes_of(tmp_path_factory.mktemp("household-lists"), embedder, [], files)


@pytest.mark.parametrize(
    ("question", "name", "number", "otherwise"),
    [
        ("What is the phone number of Ann Berg?", "Ann Berg", "555 0101", "555-0101"),  # CSV
        ("What is Dina Volk's phone number?", "Dina Volk", "01632 960 472", "01632-960-472"),  # JSON
    ],
)
def test_a_phone_number_in_a_record_is_the_record_s_person_s(
    household_lists: tuple[Notes, Config], question: str, name: str, number: str, otherwise: str
) -> None:
    """A new user's try: "What is the phone number of Ann Berg?" over a contact sheet (CSV, JSON) was refused:
    the phone's field does not name her, the field beside it does; the fields of one record are one unit. The
    number written with other separators is the same number."""
    chosen = planned(household_lists, question)
    said = f"The phone number of {name} is {otherwise}."
    check = Check(chosen, fit=lambda text: text)
    assert "".join([*check.feed(said), *check.finish()]) == said  # shown as the model wrote it
    check = Check(chosen, fit=lambda text: text)
    shown = [*check.feed("I do not know."), *check.finish()]
    assert number in shown[0] and name in shown[0]  # the quote, not "Your notes do not seem to cover this"


def test_a_forms_bare_phone_field_is_not_another_persons_number() -> None:
    # a review's: with a record's kind-named field read as the whole record's, the caretaker's number passed for
    # the landlord's in a form naming both; a row naming one person and a "work phone" stay that person's
    form = passages(hit_of("Caretaker: Jo Hale\nPhone: 01632 960472\nLandlord: Ann Berg\nEmail: ann@example.org"))[0]
    check = Check(Plan("What is the landlord's phone number?", [], [form]), fit=lambda shown: shown)
    assert [*check.feed("The landlord's phone number is 01632 960472."), *check.finish()] == [NOT_STATED]
    row = passages(hit_of("name: Ann Berg\nwork phone: 555 0101\nroom: B12", "staff.csv"))[0]
    check = Check(Plan("What is Ann Berg's phone number?", [], [row]), fit=lambda shown: shown)
    assert [*check.feed("Ann Berg's phone number is 555 0101."), *check.finish()] != [NOT_STATED]


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What is the caretaker's phone number?", "07911 123 450"),
        ("What is the landlord's phone number?", "07911 654 321"),
        ("What is Rosalind Quennell's phone number?", "07911 654 321"),
    ],
)
def test_a_forms_bare_phone_field_is_the_person_named_above_it(question: str, number: str) -> None:
    # a new user's note: each "Phone:" under a line naming one of two people; every phone question was refused
    text = "Flat\n\nCaretaker: Stanislav Mbeki\nPhone: 07911 123 450\nLandlord: Rosalind Quennell\nPhone: 07911 654 321"
    flat = passages(hit_of(text, "flat.md"))[-1]
    check = Check(Plan(question, [], [flat]), fit=lambda shown: shown)
    shown = "".join([*check.feed(f"It is {number}."), *check.finish()])
    assert number in shown and shown != NOT_STATED
    other = "07911 123 450" if number != "07911 123 450" else "07911 654 321"
    check = Check(Plan(question, [], [flat]), fit=lambda shown: shown)
    assert [*check.feed(f"It is {other}."), *check.finish()] != [f"It is {other}."]


def test_only_a_phone_number_is_the_same_number_with_other_separators() -> None:
    # a review's: a coordinate without its sign passed as the same "number" ("643004-1652423" for "+643004-1652423")
    passage = passages(hit_of("country-codes: US\ncoordinates: +643004-1652423\nTZ: America/Nome", "zone1970.tsv"))[0]
    assert not grounded("The coordinates are 643004-1652423.", "What are the coordinates of America/Nome?", passage)


@pytest.mark.parametrize(
    ("text", "question", "unsaid"),
    [
        (
            "House\n\nThe boiler is serviced by Imre Kovacs every March. The car was serviced at Kwik Garage in June.",
            "Who services the boiler and when?",
            "Kwik Garage",
        ),
        (
            "People\n\nThe caretaker is Jo Hale. The landlord, Ann Berg, lives in Leeds.",
            "Who is the caretaker and where does he live?",
            "Leeds",
        ),
        (
            "Club\n\nThe boats are at the boathouse in Strand Road. The AGM is on 4 June.",
            "Where and when is the AGM?",
            "Strand Road",
        ),
    ],
)
def test_a_second_ask_is_not_quoted_from_a_sentence_about_something_else(text: str, question: str, unsaid: str) -> None:
    # a review's: each ask quoted alone, the bare "and when?" or "where does he live?" took another thing's sentence
    assert unsaid not in quote(passages(hit_of(text))[-1], question)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Who collects the black bin, and on which day?", ["Harlow Waste", "Tuesday"]),  # a Markdown table's row
        ("What is Bo Lind's phone number, and which room is he in?", ["555 0102", "C4"]),  # a CSV record
        ("Who serviced the boiler, and when is the next service due?", ["Imre Kovacs", "March 2026"]),  # prose
    ],
)
def test_a_question_asking_two_things_is_quoted_for_both(
    household_lists: tuple[Notes, Config], question: str, said: list[str]
) -> None:
    # a new user's try: "Who collects the black bin, and on which day?" was quoted "Bin: Black; Day: Tuesday"
    passage, asked = best(household_lists, question)
    assert all(part in quote(passage, asked) for part in said)


@pytest.fixture(scope="module")
def paragraphs(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Notes whose lines answer a question's two asks a few paragraphs apart: a Markdown note, a web page and a
    plain-text sheet of fields."""
    files = {
        "osprey.md": "# Project Osprey\n\nProject Osprey is led by Mireille Danvers.\n\nThe budget of Project Osprey "
        "is 73,500 GBP.\n\nProject Osprey ends on 30 September 2026.\n\nMireille's phone number is 0161 555 0142.\n",
        "club.html": "<html><body><h1>Harbour Rowing Club</h1><p>The Harbour Rowing Club was founded in 1921 by "
        "Edith Marlowe.</p><p>Members pay 120 GBP a year; juniors pay half.</p><p>Crews race in the spring regatta."
        "</p><p>Training takes place on Tuesday evenings at the Quay Street boathouse.</p></body></html>",
        "allotment.txt": "Allotment, plot 14\n\nHolder: Ines Ferreira\n\nWater tap: by the north gate\n\nShed key: "
        "with the secretary\n\nRent due: 1 April 2026\n",
    }
    yield from notes_of(tmp_path_factory.mktemp("paragraphs"), embedder, [], files)


@pytest.mark.parametrize(
    ("question", "said", "both", "one_part"),
    [
        (
            "Who leads Project Osprey and when does it end?",
            ["Mireille Danvers", "30 September 2026"],
            "Mireille Danvers leads Project Osprey, which ends on 30 September 2026.",
            "Project Osprey ends on 30 September 2026.",
        ),
        (
            "Who founded the Harbour Rowing Club and where does training take place?",
            ["Edith Marlowe", "Quay Street"],
            "Edith Marlowe founded it, and training takes place at the Quay Street boathouse.",
            "The Harbour Rowing Club was founded by Edith Marlowe.",
        ),
        (
            "Who holds allotment plot 14 and when is the rent due?",
            ["Ines Ferreira", "1 April 2026"],
            "Ines Ferreira holds it; the rent is due on 1 April 2026.",
            "Ines Ferreira holds allotment plot 14.",
        ),
    ],
)
def test_a_question_asking_two_things_a_few_paragraphs_apart_is_answered_for_both(
    paragraphs: tuple[Notes, Config], question: str, said: list[str], both: str, one_part: str
) -> None:
    # a new user's try: "Who leads Project Osprey and when does it end?" read the end's line alone, so the
    # model's "Project Osprey ends on 30 September 2026." failed the check and the notes were said not to cover it
    passage, asked = best(paragraphs, question)
    assert all(part in quote(passage, asked) for part in said)
    assert not grounded(one_part, asked, passage)  # an answer of one ask alone
    assert grounded(both, asked, passage)


NARROW = (
    "The boiler in the\ncellar is serviced\nby Imre Kovacs\nevery March, and\nthe key to the\ncellar is kept\n"
    "under the blue\npot by the back\ndoor.\n\nThe gas meter is\nread on the first\nof the month.\n"
)


@pytest.fixture(scope="module")
def narrow_columns(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Sentences wrapped in lines of a few words: a web page's three narrow columns printed to PDF by Chromium, a
    text note and an e-mail wrapped short."""
    mail = f"From: Ann Berg <ann@example.org>\nTo: me@example.org\nSubject: House\n\n{NARROW}"
    files = {"house.txt": NARROW, "house-mail.eml": mail.replace("boiler", "kiln").replace("gas", "water")}
    yield from notes_of(tmp_path_factory.mktemp("narrow"), embedder, [MADE / "machine-rules-chromium.pdf"], files)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "Can the machine room doors be wedged open?",
            "All doors into the machine room are self-closing fire doors and must never be wedged open with chocks.",
        ),
        ("Where is the key to the cellar with the boiler kept?", "the key to the cellar is kept under the blue pot"),
        ("Who services the kiln?", "The kiln in the cellar is serviced by Imre Kovacs every March"),
    ],
)
def test_a_sentence_wrapped_in_a_narrow_column_is_read_whole(
    narrow_columns: tuple[Notes, Config], question: str, sentence: str
) -> None:
    # a new user's Chromium PDF of a page in columns: each of a sentence's short lines was a unit of its own, so a
    # sentence of seven lines was read in windows of three ("doors and must never be wedged open with chocks.")
    passage, asked = best(narrow_columns, question)
    assert sentence in " ".join(passage.text.split())
    assert sentence in " ".join(quote(passage, asked).split())


def form(employee: str, department: str, manager: str, first_day: str) -> list[list[str | None]]:
    """A leave form's rows: label | value | label | value, its person named in the first row alone."""
    return [
        ["Employee:", employee, "Staff number:", f"SN-{sum(map(ord, employee))}"],
        ["Department:", department, "Manager:", manager],
        ["First day:", first_day, "Last day:", "30 May 2025"],
    ]


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Leave forms of three people in Word (python-docx), OpenDocument (odfpy) and HTML."""
    files: dict[str, str | bytes] = {
        "leave-brennan.docx": table_file("docx", form("Ottavio Brennan", "Cartography", "Hesper Vance", "12 May 2025")),
        "leave-conway.odt": table_file("odt", form("Hesper Conway", "Finance", "Idris Mahoney", "19 May 2025")),
        "leave-lund.html": table_file("html", form("Tobias Lund", "Legal", "Priya Anand", "5 May 2025")),
    }
    yield from notes_of(tmp_path_factory.mktemp("forms"), embedder, [], files)


@pytest.mark.parametrize(
    ("question", "said", "answer"),
    [
        ("Which department is Ottavio Brennan in?", "Cartography", "Ottavio Brennan is in Cartography."),
        ("Who is Hesper Conway's manager?", "Idris Mahoney", "Hesper Conway's manager is Idris Mahoney."),
        ("When is Tobias Lund's first day of leave?", "5 May 2025", "His first day is 5 May 2025."),
    ],
)
def test_a_forms_later_rows_are_of_the_person_its_first_row_names(
    forms: tuple[Notes, Config], question: str, said: str, answer: str
) -> None:
    # a new user's: "Which team is Hesper Conway in?" over a form whose rows were read as records of their own:
    # the team's row does not name her, so the right answer failed the check and another form's row was quoted
    passage, asked = best(forms, question)
    assert said in quote(passage, asked)
    assert grounded(answer, asked, passage)


@pytest.fixture(scope="module")
def rosters(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Tables whose rows share a value a question asks by: a web page's staff table, a crew sheet (CSV) and a
    list of volunteers (JSON)."""
    rows = [
        ("Hesper Conway", "Finance", "2031"),
        ("Idris Mahoney", "Facilities", "2077"),
        ("Priya Anand", "Research", "2150"),
        ("Wendell Okoro", "Finance", "2034"),
        ("Tobias Lund", "Legal", "2188"),
    ]
    cells = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    files = {
        "staff.html": "<html><head><title>Staff list</title></head><body><h1>Staff list</h1><table><tr><th>Name</th>"
        f"<th>Department</th><th>Extension</th></tr>{cells}</table><h2>Former staff</h2><table><tr><th>Name</th>"
        "<th>Department</th><th>Extension</th></tr><tr><td>Rhona Kell</td><td>Finance</td><td>2040</td></tr>"
        "<tr><td>Olu Bright</td><td>Legal</td><td>2041</td></tr></table></body></html>",
        "crew.csv": "Name,Boat,Berth\nNell Ashby,Kestrel,B4\nTomasz Wrona,Osprey,C1\nIfeoma Obi,Kestrel,B4\n",
        "volunteers.json": '[{"name": "Ruth Okafor", "stall": "Cakes", "shift": "morning"}, {"name": "Dev Mistry", '
        '"stall": "Books", "shift": "morning"}, {"name": "Lena Hart", "stall": "Cakes", "shift": "afternoon"}]',
        "rooms.csv": "Name,Room,Floor\nAnn Berg,4,4\nBo Lind,4,2\nCy Moss,4,4\nDee Park,7,4\n",
        "halls.csv": "Hall,Level,Use\nJuniper,1,Quiet study\nLarch,2,Seminars\nHawthorn,2,Print hall\n"
        "Rowan,3,Kitchen\n",
        "launches.csv": "Boat,Launched\nMerlin,2019-05-04\nOsprey,2021-06-12\nPetrel,2019-05-04\n",
        "desks.csv": "Clerk,Storey\nAbel Okoye,First\nBea Lunn,Second\nCai Rowe,First\n",
    }
    yield from notes_of(tmp_path_factory.mktemp("rosters"), embedder, [], files)


@pytest.mark.parametrize(
    ("question", "both", "one"),
    [
        ("Who works in Finance?", ("Hesper Conway", "Wendell Okoro"), "Wendell Okoro works in Finance."),
        ("Who is on the Kestrel?", ("Nell Ashby", "Ifeoma Obi"), "Nell Ashby is on the Kestrel."),
        ("Who is on the Cakes stall?", ("Ruth Okafor", "Lena Hart"), "Lena Hart is on the Cakes stall."),
        ("Who sits at the Cakes stall?", ("Ruth Okafor", "Lena Hart"), "Lena Hart sits at the Cakes stall."),
        # a new user's: a deed the rows say by a field, not a verb ("Boat: Kestrel")
        ("Who sails on the Kestrel?", ("Nell Ashby", "Ifeoma Obi"), "Nell Ashby sails on the Kestrel."),
    ],
)
def test_a_question_that_rows_alike_answer_reads_them_all(
    rosters: tuple[Notes, Config], question: str, both: tuple[str, str], one: str
) -> None:
    # a new user's "Who works in Finance?" over a staff table read one of its two Finance rows (and was refused:
    # "works" is said by no verb of the row)
    passage, asked = best(rosters, question)
    assert all(name in quote(passage, asked) for name in both)
    assert unstated_deed(asked, passage) is None  # where one works is a field's value, not a verb
    assert not grounded(one, asked, passage)  # one of the two
    assert grounded(f"{both[0]} and {both[1]}.", asked, passage)


def test_rows_alike_are_read_by_the_values_asked_and_not_where_one_row_is_picked(
    rosters: tuple[Notes, Config],
) -> None:
    # a review's: a number held by another column ("Floor: 4") left Bo Lind's row out of "room 4"
    passage, asked = best(rosters, "Who works in Finance?")
    assert "Rhona Kell" not in passage.text  # a former member of staff, in another table of the page
    passage, asked = best(rosters, "Who is in room 4?")
    assert all(name in quote(passage, asked) for name in ("Ann Berg", "Bo Lind", "Cy Moss"))
    assert "Dee Park" not in passage.text
    # a new user's: a number asked with its field's name ("level 2") was no value the question says, and "halls"
    # (the column asked for) a word one row alone holds ("Print hall")
    passage, asked = best(rosters, "Which halls are on level 2?")
    assert all(hall in quote(passage, asked) for hall in ("Larch", "Hawthorn")) and "Rowan" not in passage.text
    passage, asked = best(rosters, "Which boats were launched on 4 May 2019?")  # a date, written out
    assert all(boat in quote(passage, asked) for boat in ("Merlin", "Petrel")) and "Osprey" not in passage.text
    passage, asked = best(rosters, "Which clerks work on the first storey?")  # "first" a value, no pick
    assert all(clerk in quote(passage, asked) for clerk in ("Abel Okoye", "Cai Rowe"))
    # a deed of the rows' own, not where they are: still one the notes must say
    passage, asked = best(rosters, "Who sank the Kestrel?")
    assert unstated_deed(asked, passage) == "sank"
    # a question that picks one of the rows reads that one
    for question in ("Who in Finance has the highest extension?", "What is Wendell's extension in Finance?"):
        passage, asked = best(rosters, question)
        assert len(passage.text.split("\n\n")) == 1, question


@pytest.fixture(scope="module")
def pronouns(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Notes whose follow-ups a pronoun ties to the earlier turn: prose (../shared/cases/topic-switch), a manual
    page (text) and a sheet of records (CSV)."""
    files = {
        "kettle.txt": (
            "KETTLE(1)                 User Commands                 KETTLE(1)\n\nNAME\n"
            "       kettle - boil water on a schedule\n\nOPTIONS\n       -t, --temperature=DEGREES\n"
            "              Heat the water to DEGREES Celsius instead of boiling it.\n\n"
            "       -q, --quiet\n              Do not beep when the water is ready.\n\nAUTHOR\n"
            "       Written by Marit Olsen.\n"
        ),
        "garage.csv": (
            "Vehicle,Plate,Insurer,MOT due,Mechanic\n"
            "Volvo V70,KX12 ABC,Harbour Mutual,2026-05-01,Ferris Odell\n"
            "Fiat Panda,LM65 XYZ,Crestline,2026-09-14,Brigid Sallow\n"
        ),
    }
    yield from notes_of(tmp_path_factory.mktemp("pronouns"), embedder, [CASES / "topic-switch"], files)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("What is the budget of Project Kestrel?", "Who leads it?", "Joaquim Bell"),  # ../shared/cases' new user
        ("What is the budget of Project Heron?", "Who leads it?", "Annika Strand"),
        ("Which option makes kettle quiet?", "Who wrote it?", "Marit Olsen"),
        ("Which car is insured by Crestline?", "When is its MOT due?", "2026-09-14"),
        ("Who is the mechanic of the Fiat Panda?", "Who insures it?", "Crestline"),
    ],
)
def test_a_follow_up_that_refers_back_by_a_pronoun_asks_its_own_question_of_that_subject(
    pronouns: tuple[Notes, Config], first: str, last: str, expected: str
) -> None:
    """A new user's try: "Who leads it?" after "What is the budget of Project Kestrel?" was refused with the
    budget's line as evidence: read with the earlier turn, its words outweigh the follow-up's. The earlier turn
    chooses the document; its line is the one that answers the follow-up asked on its own of the earlier turn's
    names ("Project Kestrel: Who leads it?"), with the earlier turn's score. "When is its MOT due?" was searched
    alone ("MOT" taken for a subject of its own) and read the other car's row: a pronoun before any name refers
    back."""
    passage, question = best(pronouns, first, last)
    assert question == f"{first}\n{last}" and expected in quote(passage, question)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("Who leads Project Heron?", "What is its budget?", "When is its kickoff meeting?"), "3 February 2025"),
        (("Which option makes kettle quiet?", "Who wrote it?", "Which option sets its temperature?"), "-t"),
        (("Who insures the Fiat Panda?", "What is its plate?", "When is its MOT due?"), "2026-09-14"),
    ],
)
def test_a_chain_of_pronoun_follow_ups_stays_with_the_last_subject_named(
    pronouns: tuple[Notes, Config], turns: tuple[str, ...], expected: str
) -> None:
    """A new user's chat: "When does it end?" after "Who leads it?" after the budget of Project Osprey found
    nothing: read with the turn before, which names nothing itself. A turn that refers back by a pronoun and names
    nothing passes the subject on from the latest turn that names it."""
    passage, question = best(pronouns, *turns)
    assert question == f"{turns[0]}\n{turns[-1]}" and expected in quote(passage, question)


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """Notes naming who runs things, and apart from them what is known of those people: a contact sheet (CSV), a
    staff list (JSON) and a Markdown note of a section per person."""
    files = {
        "wren.md": "# Project Wren\n\nProject Wren is led by Priya Anand.\n\nIts budget is 12,000 GBP.\n",
        "boathouse.md": "# Boathouse\n\nThe Quay Street boathouse is run by Idris Pugh.\n\nIt opens at 7:00.\n",
        "flat.md": "# Flat 6\n\nCaretaker: Stanislav Mbeki\nLandlord: Rosalind Quennell\n",
        "contacts.csv": "Name,Phone,Email\nPriya Anand,07700 900 412,priya@example.org\nTomas Reyes,07700 900 655,"
        "tomas@example.org\n",
        "staff.json": '[{"name": "Idris Pugh", "email": "idris.pugh@example.org", "room": "B2"}, {"name": "Nell '
        'Garvey", "email": "nell.garvey@example.org", "room": "C7"}]',
        "staff-notes.md": "# Staff notes\n\n## Stanislav Mbeki\n\nHis contract ends on 31 March 2027.\n\n## Rosalind "
        "Quennell\n\nHer lease review is on 2 June 2026.\n",
        "officers.html": "<html><body><h1>Club officers</h1><table><tr><th>Name</th><th>Role</th><th>Phone</th>"
        "<th>Email</th></tr><tr><td>Maren Holt</td><td>Treasurer</td><td>555 0190</td><td>maren.holt@example.org</td>"
        "</tr><tr><td>Osei Bamford</td><td>Secretary</td><td>555 0191</td><td>osei.b@example.org</td></tr></table>"
        "</body></html>",
    }
    yield from notes_of(tmp_path_factory.mktemp("people"), embedder, [], files)


@pytest.mark.parametrize(
    ("first", "answer", "last", "expected"),
    [
        ("Who leads Project Wren?", "Project Wren is led by Priya Anand. [1]", "What is her phone number?", "900 412"),
        ("Who runs the Quay Street boathouse?", "Idris Pugh runs it.", "What is his e-mail address?", "idris.pugh@"),
        ("Who is the caretaker of Flat 6?", "Stanislav Mbeki.", "When does his contract end?", "31 March 2027"),
        # a new user's "How do I call her?" was refused: its "I" was taken for a name of its own, so "her" was not hers
        ("Who leads Project Wren?", "Priya Anand leads it.", "How do I call her?", "900 412"),
        ("Who is the club's treasurer?", "Maren Holt is the treasurer.", "How can I call her?", "555 0190"),
    ],
)
def test_a_pronoun_for_the_person_the_answer_named_asks_of_that_person(
    people: tuple[Notes, Config], first: str, answer: str, last: str, expected: str
) -> None:
    """A new user's chat: "What is her phone number?" after "Who leads Project Wren?" was refused, read with the
    earlier question, whose "Project Wren" found the project's note, where her number is not. "Her" is the
    person the answer named: the question is searched with her name."""
    turns = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": last},
    ]
    chosen = plan(turns, people[0], people[1].server, lambda text: len(text) // 4, 256)
    assert chosen.fixed is None and PERSON.findall(answer)[-1] in chosen.question
    assert expected in quote(chosen.passages[0], chosen.question)


def test_a_pronoun_for_a_person_looks_past_an_answer_naming_no_one(people: tuple[Notes, Config]) -> None:
    # a new user's chat: "What is her phone number?" after "Who leads ...?" and "When does it end?" was refused:
    # the answer before it named no one
    turns = [
        {"role": "user", "content": "Who leads Project Wren?"},
        {"role": "assistant", "content": "Project Wren is led by Priya Anand."},
        {"role": "user", "content": "What is its budget?"},
        {"role": "assistant", "content": "Its budget is 12,000 GBP."},
        {"role": "user", "content": "What is her phone number?"},
    ]
    chosen = plan(turns, people[0], people[1].server, lambda text: len(text) // 4, 256)
    assert chosen.fixed is None and "Priya Anand" in chosen.question
    assert "900 412" in quote(chosen.passages[0], chosen.question)


def test_a_pronoun_stops_at_a_turn_about_someone_the_answer_did_not_name() -> None:
    # a review's: "his" after "Is Tom Hall in Finance?" / "Yes, he is." was taken for the person named before
    turns = [
        {"role": "user", "content": "Who leads Project Lantern?"},
        {"role": "assistant", "content": "Project Lantern is led by Mireille Danvers."},
        {"role": "user", "content": "Is Tom Hall in Finance?"},
        {"role": "assistant", "content": "Yes, he is."},
        {"role": "user", "content": "What is his phone number?"},
    ]
    assert answered_person(turns) == ""


@pytest.mark.parametrize(
    ("first", "answer"),
    [
        ("Who is Priya Anand's manager?", "Priya Anand reports to Tom Hall."),  # "her" may be Priya
        ("Who did Priya meet on Monday?", "Priya met Tom Hall."),
    ],
)
def test_a_pronoun_after_a_question_naming_its_own_person_is_not_taken_for_the_answer(first: str, answer: str) -> None:
    # a review's: "What is her email address?" was searched as "Tom Hall"
    turns = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": "What is her email address?"},
    ]
    assert search_question(turns) == f"{first}\nWhat is her email address?"


@pytest.mark.parametrize(
    ("question", "said", "unsaid"),
    [
        ("What is Priya Anand's email address?", "priya@example.org", "07700 900 412"),  # a contact sheet (CSV)
        ("What is the e-mail address of Idris Pugh?", "idris.pugh@example.org", "B2"),  # a staff list (JSON)
        ("What is Maren Holt's e-mail?", "maren.holt@example.org", "555 0190"),  # a web page's table
    ],
)
def test_an_address_asked_for_is_quoted_with_the_name_alone(
    people: tuple[Notes, Config], question: str, said: str, unsaid: str
) -> None:
    # a new user's try: the whole row was quoted, as the address holds the name's words ("priya@...") and was
    # taken for the field naming whom the row is of; "e-mail" did not ask for the field "email"
    passage, asked = best(people, question)
    quoted = quote(passage, asked)
    assert said in quoted and unsaid not in quoted


def yearless(offset: int) -> str:
    """That day as a diary's heading writes it, without its year: "Sat 21 Nov"."""
    return f"{day(offset):%a} {day(offset).day} {day(offset):%b}"


@pytest.fixture(scope="module")
def household(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    """A family's notes, their dates set around today: diaries whose entries are headed by their dates and state
    none (Markdown, a web page, a Word file), bills in a sheet, a Markdown table and a text log, a car's record
    (JSON), an insurance note and the family's phone numbers."""
    files: dict[str, str | bytes] = {
        "diary.md": (
            f"# Diary\n\n## {written(-33)}\n\nDentist with Dr. Okafor at 9:30. Filling done, €85 paid at the desk.\n"
            f"Next check-up booked for {written(160)}.\n\n## {yearless(-14)}\n\nWent to Aunt Greta's for her 70th."
            f" Brought the lemon cake. Uncle Bram moves to Ghent in {day(100):%B}.\n\n## {yearless(9)}\n\n"
            "Plan: return the library book, pick up the suit from the tailor.\n"
        ),
        "journal.html": (
            "<html><body><h1>Journal</h1>"
            f"<h2>{yearless(-20)}</h2><p>Took the children to the aquarium in Scheveningen. Rain all day.</p>"
            f"<h2>{yearless(-6)}</h2><p>Parents' evening at Linden Primary: Mila is doing well.</p>"
            "</body></html>"
        ),
        "house-log.docx": make_docx(
            "House log",
            {
                day(-45).isoformat(): "The plumber came and replaced the pressure valve of the boiler.",
                day(-12).isoformat(): "The chimney sweep cleaned the chimney. Paid in cash.",
            },
        ),
        "bills.csv": (
            "Date,Payee,Category,Amount (EUR)\n"
            f"{day(-64).isoformat()},Ziggo,Internet,54.00\n{day(-50).isoformat()},Waternet,Water,31.10\n"
            f"{day(-33).isoformat()},Ziggo,Internet,54.00\n{day(-3).isoformat()},Ziggo,Internet,57.50\n"
        ),
        "allotment.md": (
            "# Allotment\n\n| Date | Paid to | Item | Amount |\n| --- | --- | --- | --- |\n"
            f"| {day(-70).isoformat()} | Allotment society | Plot rent | 40.00 |\n"
            f"| {day(-4).isoformat()} | Allotment society | Plot rent | 45.00 |\n"
        ),
        "gas.txt": (
            "Gas meter log\n\n"
            f"{written(-61)}: gas bill 88.40 EUR\n{written(-30)}: gas bill 91.20 EUR\n"
            f"{written(-1)}: gas bill 97.75 EUR\n"
        ),
        "car.json": (
            '{"make": "Skoda", "registration": "KX-482-T", "insurer": "Centraal Beheer",'
            ' "policy_number": "CB-7735219", "insurance_renewal": "2027-03-01"}'
        ),
        "boat.md": "# Boat\n\nInsurer: Allianz\nPolicy number: AZ-448812\nMooring fee: 300 EUR a year\n",
        "contacts.txt": "Family phones\n\nEllen: 06-1111 2222\nWiFi password: taped under the router\n",
        "passports.md": "# Passports\n\nMila's passport expires on 2 May 2027.\n",
        "running/training_log.csv": "date,type,distance_km,notes\n"
        + "".join(f"{day(-60 + 3 * i).isoformat()},easy,{6 + i % 5}.0,legs fine\n" for i in range(14))
        + f"{day(-5).isoformat()},long,28.5,longest run so far\n{day(-2).isoformat()},tempo,12.0,felt strong\n"
        + f"{day(-1).isoformat()},easy,5.0,with Jonas\n",
        "minutes.txt": (  # the day's number and its month, in other dates
            "Committee minutes\n\nActions\n\nWho What By when\n"
            f"Ruth raffle tickets {day(-1).day} {day(29):%B}\n"
            f"Sunil freezer quotes {day(-1).day % 28 + 1} {day(-1):%B}\n"
        ),
    }
    yield from notes_of(tmp_path_factory.mktemp("household"), embedder, [], files)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "expected", "wrong"),
    [
        ("When did I last go to the dentist?", written(-33), written(160)),  # Markdown, a full date
        ("When did Greta turn 70?", yearless(-14), written(100)),  # Markdown, a day without its year
        ("When did we go to the aquarium?", yearless(-20), yearless(-6)),  # a web page's <h2>
        ("When did the chimney sweep come?", day(-12).isoformat(), day(-45).isoformat()),  # a Word heading
    ],
)
def test_a_diary_entry_is_dated_by_its_heading(
    household: tuple[Notes, Config], question: str, expected: str, wrong: str
) -> None:
    """A new user's try: "When did I last go to the dentist?" quoted "Dentist with Dr. Okafor at 9:30.", the
    date being only the entry's heading ("## 2 November 2026"), and "When did Greta turn 70?" was refused. The
    lines of an entry headed by a date are of that date: the quote shows it before the line that answers, and an
    answer giving that date, however written, is grounded in the heading."""
    passage, asked = best(household, question)
    said = quote(passage, asked)
    assert said.startswith(expected) and wrong not in said
    when = next(first for first, last in calendar_spans(expected))
    assert grounded(f"It was on {when.day} {when:%B %Y}.", asked, passage)
    assert not grounded(f"It was on {(when + datetime.timedelta(days=2)):%d %B %Y}.", asked, passage)


def test_a_day_asked_finds_the_entry_headed_by_it(household: tuple[Notes, Config]) -> None:
    """ "What am I doing on Monday 14 December?" was refused: the entry's heading "Mon 14 Dec" writes the day
    otherwise. A day, month or weekday asked matches a date of a passage however either writes it."""
    when = day(9)
    passage, _ = best(household, f"What am I doing on {when:%A} {when.day} {when:%B}?")
    assert "library book" in passage.text


@pytest.mark.parametrize(
    ("question", "expected", "older"),
    [
        ("How much do we pay for internet?", "57.50", "54.00"),  # a sheet
        ("How much is the plot rent?", "45.00", "40.00"),  # a Markdown table
        ("How much is the gas bill?", "97.75", "91.20"),  # a text log
    ],
)
def test_an_amount_asked_in_the_present_is_the_latest(
    household: tuple[Notes, Config], question: str, expected: str, older: str
) -> None:
    """A new user's try: "How much do we pay for internet?" answered the first of three monthly rows (54.00),
    not this month's 57.50. An amount asked in the present is the latest up to today of the rows about it: the
    passage read first, its quote and the only amount of theirs an answer may give."""
    passage, asked = best(household, question)
    assert expected in quote(passage, asked)
    assert grounded(f"It is {expected}.", asked, passage)
    assert not grounded(f"It is {older}.", asked, passage)


def test_a_month_asked_is_not_answered_by_another_months_row(household: tuple[Notes, Config]) -> None:
    """A new user's try: "How much was the water bill in October?" quoted November's. A month or weekday asked
    is held by a date in it ("2026-10-03" is in October, a Saturday); a passage whose dates are all in other
    months does not say it."""
    other = day(-50) + datetime.timedelta(days=62)  # no bill row is in this month
    assert planned(household, f"How much was the water bill in {other:%B}?").passages[0].text.count("Waternet")
    assert another_of_its_set(f"How much was the water bill in {other:%B}?", [best(household, "water bill")[0]])
    held = day(-3)
    assert not another_of_its_set(f"How much was the internet bill in {held:%B}?", [hit_passage(held)])


def hit_passage(when: datetime.date) -> Passage:
    """A sheet's row dated `when` as a passage."""
    return passages(hit_of(f"Date: {when.isoformat()}\nPayee: Ziggo\nCategory: Internet\nAmount (EUR): 57.50"))[0]


def test_a_clock_time_is_no_amount(household: tuple[Notes, Config]) -> None:
    """A new user's try: "How much did I pay at the dentist?" quoted "Dentist with Dr. Okafor at 9:30.": the
    time's numbers were taken for an amount. A time of day ("9:30", "20:00", "9am") counts nothing asked by "how
    much" or "how many", in a sentence, a record's field or a table's row."""
    passage, question = best(household, "How much did I pay at the dentist?")
    assert "€85" in quote(passage, question)
    for text in ("Dentist at 9:30.", "Time: 20:00; Room: B", "| 9am | check-up |"):
        assert not states("number", text, question), text
    for text in ("€85 paid.", "Fee: 40.00; Time: 20:00", "| 9am | 40 EUR |"):
        assert states("number", text, question), text


@pytest.mark.parametrize(
    ("question", "expected", "not_expected"),
    [
        ("What is the car insurance policy number?", "CB-7735219", "Centraal Beheer"),  # JSON
        ("What is the boat insurance policy number?", "AZ-448812", "Allianz"),  # key: value lines
    ],
)
def test_a_key_the_question_says_whole_is_what_it_asks(
    household: tuple[Notes, Config], question: str, expected: str, not_expected: str
) -> None:
    """A new user's try: "What is the car insurance policy number?" quoted "insurer: Centraal Beheer", the words
    right after "the" ("car insurance") taken for what is asked. A record's key of two words or more that the
    question says whole ("policy_number", "Policy number") is what it asks for."""
    passage, asked = best(household, question)
    said = quote(passage, asked)
    assert expected in said and not_expected not in said


def test_a_thing_no_note_speaks_of_is_not_covered(household: tuple[Notes, Config]) -> None:
    """A new user's try: "What is Tomas's blood type?" quoted the line about his suit, "Who is Noah's football
    coach?" his birthday row. The thing a question asks the value of ("blood type", "football coach") that no
    note speaks of is not covered, however close a passage about the same person comes; one the notes speak of
    otherwise is ("Who is Greta's dentist?")."""
    for question in (
        "What is Greta's blood type?",
        "Who is Mila's football coach?",
        "What is the gym membership cost?",
    ):
        assert household[0].unknown_things(question), question
        assert planned(household, question).fixed == NOT_COVERED, question
    known = (
        "Who is Greta's dentist?",
        "What is the car's registration?",
        "What is the mooring fee?",
        "What is the Wi-Fi password?",  # "WiFi"
        "What is the passport expiry date?",  # "expires": the keyword index does not stem
        "What is the boat's mooring fee?",  # the thing is the fee, not the boat
    )
    for question in known:
        assert not household[0].unknown_things(question), question


@pytest.mark.parametrize(
    ("text", "question", "other"),
    [
        ("Dentist with Dr. Okafor at 9:30.", "When is Ellen's dentist appointment?", "When is Mila's dentist?"),
        (
            "Date: 2026-12-03; Payee: Ziggo; Amount: 57.50",
            "How much is Grandpa Wim's internet?",
            "What is Ziggo's fee?",
        ),
        ('{"owner": "Tomas", "registration": "KX-482-T"}', "What is Jonas' car registration?", "What is Tomas's car?"),
    ],
)
def test_what_is_asked_of_another_person_is_not_stated(text: str, question: str, other: str) -> None:
    """A new user's try: "When is Ellen's dentist appointment?" quoted the diary's line about my own dentist. The
    name a question asks something of, in the possessive, that the passage does not hold in any case (a sentence,
    a row, a record): the notes are on the topic but do not say it. A question of no one, or of a name the
    passage holds, is not."""
    passage = passages(hit_of(text))[0]
    assert another_owner(question, passage)
    assert another_owner(other.replace("Mila's ", "my "), passage) is None


def test_an_appointment_of_another_person_is_not_stated(household: tuple[Notes, Config]) -> None:
    """The check says so where the notes name her elsewhere (a contact list), whatever the model writes."""
    check = Check(planned(household, "When is Ellen's dentist appointment?"), lambda text: text)
    assert [*check.feed("It is on 3 May [1]."), *check.finish()] == [NOT_STATED]
    check = Check(planned(household, "When did I last go to the dentist?"), lambda text: text)
    assert [*check.feed("It was on 3 May [1]."), *check.finish()] != [NOT_STATED]


@pytest.mark.parametrize(
    ("text", "question", "right", "wrong"),
    [
        (  # a diary's note
            "Deposit €300 paid on 10 November 2026; the rest (€780) is due by 1 June 2027.",
            "How much was the holiday deposit?",
            "The holiday deposit was €300.",
            "The holiday deposit was €780.",
        ),
        (  # a price list's line
            "Small parcels cost €4.10; large parcels (over 2 kg) cost €7.95 each.",
            "How much does a large parcel cost?",
            "A large parcel costs €7.95.",
            "A large parcel costs €4.10.",
        ),
        (  # a notice's dates
            "The library opens on 3 March; the café (in the basement) opens on 10 March.",
            "When does the café open?",
            "The café opens on 10 March.",
            "The café opens on 3 March.",
        ),
    ],
)
def test_a_fact_must_be_in_the_clause_asked_about(text: str, question: str, right: str, wrong: str) -> None:
    """A new user's try: "How much was the holiday deposit?" was answered "€780", the rest's sum in the same
    sentence. Of a sentence's clauses (between semicolons) holding a fact of the kind asked, the one sharing most
    of the question's words holds the answer."""
    passage = passages(hit_of(text))[0]
    assert grounded(right, question, passage)
    assert not grounded(wrong, question, passage)


@pytest.mark.parametrize(
    ("text", "unheld", "held"),
    [
        (  # a JSON record
            '{"alpha_2": "NO", "name": "Norway", "official_name": "Kingdom of Norway", "numeric": "578"}',
            "What is the population of Norway?",
            "What is the official name of Norway?",
        ),
        (  # a code that is the initials of the name asked about ("NZ"): no field asked for
            '{"alpha_2": "NZ", "name": "New Zealand", "numeric": "554"}',
            "What is the population of New Zealand?",
            "What is the numeric code of New Zealand?",
        ),
        (  # a sheet's row
            "Zone,Country,Coordinates\nEurope/Lisbon,PT,+3843-00908\n",
            "What's the weather like in Lisbon?",
            "What are the coordinates of Lisbon?",
        ),
        (  # key: value lines
            "Make: Skoda\nRegistration: KX-482-T\nInsurer: Centraal Beheer\n",
            "Who is the mechanic of the Skoda?",
            "What is the insurance company of the Skoda?",
        ),
    ],
)
def test_a_record_does_not_state_a_thing_it_has_no_field_for(text: str, unheld: str, held: str) -> None:
    """An outsider's question: "What is the population of Norway?" quoted Norway's country record, "Who is the
    current president of France?" France's. The thing a question asks the value of ("population", "weather",
    "mechanic") that a record holds in no key or value, in any form, is not stated; a thing it holds ("official
    name", "coordinates", "insurance company" by its "Insurer"), or a value's kind of a record's class ("What is
    the currency code for the zloty?": a code) is."""
    name = {"{": "record.json", "Z": "record.csv", "M": "record.txt"}[text[0]]
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    assert unheld_thing(unheld, found[0])
    assert unheld_thing(held, found[0]) is None
    assert unheld_thing("What is the currency code for the zloty?", found[0]) is None
    check = Check(Plan(unheld, [], found[:1]), fit=lambda said: said)
    assert [*check.feed("It is 5.5 million [1]."), *check.finish()] == [NOT_STATED]


@pytest.mark.parametrize(
    ("name", "text", "other", "asked"),
    [
        (  # a manual page's entry
            "screen.txt",
            "       C-a d, C-a C-d\n              (detach)  Detach screen from this terminal.\n",
            "Which tmux key combination detaches the current session?",
            "Which screen key combination detaches it from the terminal?",
        ),
        (  # a handbook's prose: its chunk names the program, not the option's sentence
            "apparmor.html",
            "The aa-unconfined command lists the processes that have no profile and expose a network socket.\n\n"
            "With the --paranoid option you get all unconfined processes that have an active network connection.",
            "Which aa-status option lists every unconfined process?",
            "Which aa-unconfined option lists every unconfined process?",
        ),
        (  # a sheet's rows
            "editor-settings.csv",
            "Program,Setting,Effect\nvim,set number,shows line numbers\nvim,set hlsearch,highlights matches\n",
            "Which emacs setting shows line numbers?",
            "Which vim setting shows line numbers?",
        ),
    ],
)
def test_an_option_of_another_program_does_not_answer(name: str, text: str, other: str, asked: str) -> None:
    """Asked for an option of a program the notes have no page on, the closest passage was another program's:
    "Which tmux key combination detaches the current session?" quoted screen's "^A d", "Which tar option encrypts
    the archive?" zip's. A passage whose chunk, heading, title and path never name the program asked about does
    not state its option; one that does answers, and a setting of no program ("Which command-line option ...?")
    is asked of any."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    assert unnamed_program(other, found[0]) == other.split()[1]
    assert unnamed_program(asked, found[0]) is None
    assert unnamed_program("Which command-line option shows it?", found[0]) is None
    check = Check(Plan(other, [], found[:1]), fit=lambda said: said)
    assert [*check.feed("Use the -d key [1]."), *check.finish()] == [NOT_STATED]


@pytest.mark.parametrize(
    ("name", "text", "question", "expected", "older"),
    [
        (
            "meters.txt",
            "Meter readings\n\nElectricity (meter serial E17K)\n  01/10/2026   45498\n  01/11/2026   45831\n\n"
            "Gas (meter serial G4)\n  01/10/2026   8860\n  01/11/2026   8947\n",
            "What was the latest gas meter reading?",
            "8947",
            "45831",
        ),
        (
            "meters.md",
            "# Meter readings\n\nWater:\n\n- 2026-10-01 reading 312\n- 2026-11-01 reading 318\n\n"
            "Electricity:\n\n- 2026-10-01 reading 45498\n- 2026-11-01 reading 45831\n",
            "What is the most recent water reading?",
            "318",
            "45831",
        ),
        (
            "meters.html",
            "<html><body><h1>Meter readings</h1><p>Gas (meter serial G4)</p><ul><li>3 Oct 2026: 8860</li>"
            "<li>3 Nov 2026: 8947</li></ul><p>Water (meter W2)</p><ul><li>3 Oct 2026: 312</li>"
            "<li>3 Nov 2026: 318</li></ul></body></html>",
            "What was the latest gas meter reading?",
            "8947",
            "318",
        ),
    ],
)
def test_the_latest_reading_is_read_under_its_caption(
    name: str, text: str, question: str, expected: str, older: str
) -> None:
    """A new user's try: "What was the latest electricity meter reading?" quoted the file's title line; its
    readings were dated "01/12/2026" and stood under a caption line naming the meter. "The latest" of anything
    asked is the last dated line up to today among those whose caption (the line above them that ends no
    sentence) or own words say what is asked; the quote shows it with its caption."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    passage = next(p for p in found if expected in p.text)
    said = quote(passage, question)
    assert expected in said and older not in said


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01/12/2026   46190", datetime.date(2026, 12, 1)),  # day first
        ("Eye test on 12/31/2026, 15:30.", datetime.date(2026, 12, 31)),  # the second cannot be a month
        ("Reading: 1.12.2026", datetime.date(2026, 12, 1)),
        ("31-01-2027 renewal", datetime.date(2027, 1, 31)),
    ],
)
def test_a_date_in_numbers_is_read_day_first(text: str, day: datetime.date) -> None:
    """A new user's meter readings were dated "01/12/2026": no date was read, so none was the latest. A date
    in numbers with its year last is read day first, as most of the world writes it, unless its second number
    cannot be a month."""
    assert calendar_spans(text) == [(day, day)]
    passage = passages(hit_of(text))[0]
    assert grounded(f"It was on {day.day} {day:%B %Y}.", "When was it?", passage)


def test_the_last_of_a_log_is_its_latest_row_whatever_its_notes_say(household: tuple[Notes, Config]) -> None:
    """A new user's try: "When was my last run and how far was it?" quoted an older run whose note says
    "longest run so far": the question's "run" and "far" were read as what tells the rows apart. Words of the
    log's own name (running/training_log.csv) and of "how far" tell none apart; a row the search did not bring
    is read too (the log's other chunks)."""
    passage, _ = best(household, "When was my last run and how far was it?")
    assert day(-1).isoformat() in passage.text  # the row "with Jonas", yesterday's: the latest


def test_an_order_number_does_not_end_its_sentence() -> None:
    """A new user's quote stopped at "order no." before "BS-88213": "no." before a number or a reference goes on."""
    said = sentences("Ordered from Brightseed on 28 Nov 2026, order no. BS-88213, total £23.60. Arriving soon.")
    assert said[0].endswith("total £23.60.")
    assert sentences("We said no. BS is not an option.") == ["We said no.", "BS is not an option."]


@pytest.mark.parametrize(
    ("name", "text", "question", "right", "wrong"),
    [
        (
            "rota.html",
            "<table><tr><th>Date</th><th>Lead</th><th>Volunteers</th><th>Driver (Tesco collection)</th></tr>"
            "<tr><td>Wed 9 Dec</td><td>Ruth Ogunleye</td><td>Tomasz, Maya</td><td>Sunil</td></tr></table>",
            "Who is the Tesco collection driver on Wed 9 Dec?",
            "Sunil drives the Tesco collection.",
            "Tomasz drives the Tesco collection.",
        ),
        (
            "crew.csv",
            "Boat,Helm,Crew (foredeck)\nKestrel,Ines Albers,Joost Brand\n",
            "Who is the foredeck crew of Kestrel?",
            "Joost Brand is the foredeck crew.",
            "Ines Albers is the foredeck crew.",
        ),
        (
            "stall.md",
            "# Market stall\n\nOwner: Marta Lindqvist\nHelper (Saturdays): Pavel Novak\nPitch: 14\n",
            "Who is the Saturday helper at the market stall?",
            "Pavel Novak helps on Saturdays.",
            "Marta Lindqvist helps on Saturdays.",
        ),
    ],
)
def test_a_key_with_words_in_brackets_is_a_field(name: str, text: str, question: str, right: str, wrong: str) -> None:
    """A new user's try: "Who is the Tesco collection driver on Wednesday 9 December?" let "Tomasz, Maya" (the
    row's volunteers) through: the column "Driver (Tesco collection)" was no field, its brackets not read as a
    key's. A key with words in brackets is a field, in a web page's table, a sheet and key: value lines."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    passage = next(p for p in found if right.split()[0] in p.text)
    assert grounded(right, question, passage)
    assert not grounded(wrong, question, passage)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (f"Who did I run with on {day(-1).day} {day(-1):%B}?", "Jonas"),  # a sheet's row, dated 2026-12-04
        (f"How much was the gas bill on {day(-30):%A} {day(-30).day} {day(-30):%B}?", "91.20"),  # a text log
        (f"How much did we pay the allotment society on {day(-4):%d/%m/%Y}?", "45.00"),  # a Markdown table
    ],
)
def test_a_day_asked_finds_the_row_of_that_day(household: tuple[Notes, Config], question: str, expected: str) -> None:
    """A new user's try: "Who did I run with on 15 November?" read committee minutes whose "15 December" and
    "30 November" share its words, not the training log's row "2026-11-15", which the search did not bring. A
    day a question names is searched as records write it, and a passage holding that day, however written,
    counts for it; the month of that day is not asked alone (on the 6th to the 31st, "longest run so far" of
    the same month shared "run" and was read)."""
    passage, _ = best(household, question)
    assert expected in passage.text


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Who is Noah's football coach?", ["football", "coach"]),
        ("What is the dog's weight?", ["weight"]),  # a possessive after "the" names whose
        ("What is the plumber called?", ["plumber"]),  # a verb after the noun ends it
        ("What was the car sold for?", ["car"]),
        ("What is the budget of Project Heron?", ["budget"]),
        ("What is the four-letter code of the GDR?", []),  # words of the value's kind and shape
        ("When does the shop open?", []),
    ],
)
def test_the_thing_asked_is_the_noun_before_what_follows_it(question: str, thing: list[str]) -> None:
    """A review: "What is the dog's weight?" was read as asking of a dog, "What is the plumber called?" of
    "called", and a record without such a field was refused."""
    assert thing_asked(question) == thing


def test_a_weekday_or_month_in_the_possessive_is_no_one() -> None:
    """A review: "What time is Saturday's match?" was refused as asked of someone the row does not name."""
    row = passages(hit_of("Sat 21 Nov: match vs Rovers at 10:00"))[0]
    assert another_owner("What time is Saturday's match?", row) is None
    assert another_owner("What was October's electricity bill?", row) is None
    assert another_owner("What time is Noah's match?", row) == "Noah"


def test_a_key_in_brackets_tells_rows_apart() -> None:
    """A review: with "(with Sam)" read as part of a key, which every row shares, "When did I last have lunch with
    Sam?" took the latest lunch, with Anna."""
    units = [f"{day(-30).isoformat()} Lunch (with Sam): pasta", f"{day(-10).isoformat()} Lunch (with Anna): sushi"]
    assert "Sam" in (as_of_today(units, "When did I last have lunch with Sam?") or "")


def test_a_clause_competes_only_with_facts_of_its_shape() -> None:
    """A review: "€540" for "How much is the hotel in Rome?" was rejected for "3 nights" in the clause naming Rome."""
    passage = passages(hit_of("Hotel in Rome booked for 3 nights; total €540."))[0]
    assert grounded("The hotel in Rome is €540.", "How much is the hotel in Rome?", passage)


KEYED_RECORDS = {  # a record file, a question naming one record by a name and a number, the record's answer
    "ubuntu.csv": (
        "version,codename,eol\n24.04,Noble Numbat,2029-05-31\n25.10,Questing Quokka,2026-07-09\n",
        "When does Ubuntu 25.10 reach end of life?",
        "2026-07-09",
    ),
    "flights.json": (
        '[{"flight": "LH 4402", "gate": "B17", "to": "Porto Alegre"},'
        ' {"flight": "BA 981", "gate": "C4", "to": "Oslo"}]',
        "Which gate is flight BA 981?",
        "C4",
    ),
    "lockers.md": (
        "# Lockers\n\nLocker: 114\nOwner: Ines Duarte\n\nLocker: 115\nOwner: Tom Berg\n",
        "Who owns Locker 115?",
        "Tom Berg",
    ),
}
NAMED_RECORDS = [  # a question naming a record of KEYED_RECORDS by a name of two words, the record's answer
    ("When does Questing Quokka reach end of life?", "2026-07-09"),
    ("Which gate is the flight to Porto Alegre?", "B17"),
    ("Which locker does Ines Duarte have?", "114"),
]


def test_a_chunk_holding_every_name_and_number_of_the_question_is_read_however_far_its_meaning(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Rows embedded together are far in meaning from a question about one of them (a sheet of Ubuntu releases
    came out at 0.11, below `min_similarity`, and "When does Ubuntu 25.10 reach end of life?" was refused):
    a chunk holding all of the question's record keys is read whatever its similarity (here every chunk is
    below it), one holding some of them, or none, is not. A name of two words keys a record as well ("Questing
    Quokka", "Porto Alegre")."""
    init_home(tmp_path)
    (tmp_path / "context" / "README.md").unlink()
    for name, (text, _, _) in KEYED_RECORDS.items():
        write(tmp_path / "context" / name, text)
    config = open_home(tmp_path)
    index = Index(config, embedder=embedder)
    index_folder(index)
    far = config.server.model_copy(update={"min_similarity": 0.99})
    try:
        for question, answer_text in [*((q, a) for _, q, a in KEYED_RECORDS.values()), *NAMED_RECORDS]:
            chosen = plan([{"role": "user", "content": question}], Notes(index, far), far, len, 256)
            assert chosen.fixed is None and answer_text in chosen.passages[0].text, question
        for question in ["Which gate is flight BA 999?", "When does Questing Lobster reach end of life?"]:
            refused = plan([{"role": "user", "content": question}], Notes(index, far), far, len, 256)
            assert refused.fixed == NOT_COVERED, question
    finally:
        index.close()


@pytest.mark.parametrize(
    ("name", "text", "question"),
    [
        (
            "guide.html",
            "<p>PureOS is a Debian-based distribution. The company Purism guides its development.</p>",
            "Who founded Purism?",
        ),
        ("services.txt", "binkp\t\t24554/tcp\t\t\t# binkp fidonet protocol\n", "Who created the binkp protocol?"),
        ("house.md", "# House\n\nRoof: repaired in May 2026, 800 euros, new gutter\n", "Who inspected the roof?"),
    ],
)
def test_a_passage_never_saying_who_did_it_does_not_answer_who_did(name: str, text: str, question: str) -> None:
    """A new user's near misses: asked who founded the company behind PureOS, who created binkp, who inspected
    the roof, the path quoted the closest passage, which names no one who did it. The model's answer, which the
    check rejects, is not replaced by a quote: the notes do not say it."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    check = Check(Plan(question, [], found[:1]), fit=lambda said: said)
    assert [*check.feed("Todd Weaver did [1]."), *check.finish()] == [NOT_STATED]


@pytest.mark.parametrize(
    ("name", "text", "question", "answer"),
    [
        (
            "house.md",
            "# House\n\nThe boiler was repaired by Sam from Heatwise on Tuesday.\n",
            "Who fixed the boiler?",
            "Sam from Heatwise fixed it [1].",
        ),
        ("party.txt", "Anna, Ben, Li and Tom came to the party.\n", "Who else came to the party?", "Li and Tom [1]."),
        (
            "lease.txt",
            "Lease for the flat: Anna and Ben, 12 months. Signature: Anna.\n",
            "Who signed the lease?",
            "Anna signed the lease [1].",
        ),
    ],
)
def test_an_answer_the_notes_support_stands_though_they_say_who_did_it_in_other_words(
    name: str, text: str, question: str, answer: str
) -> None:
    """A review's misfires of the who-did-it rule: "repaired by" for "fixed", "else" taken for a verb, a
    "Signature:" line. The rule only keeps a quote from standing in for an answer the check rejected."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    check = Check(Plan(question, [], found[:1]), fit=lambda said: said)
    assert "".join([*check.feed(answer), *check.finish()]) == answer


@pytest.mark.parametrize(
    ("name", "text", "question", "answer"),
    [
        (
            "meeting.txt",
            "Meeting 2026-03-03\n\n| Action | Owner | Due |\n|---|---|---|\n| Send minutes | Li | Friday |\n"
            "| Book room | Tom | Monday |\n",
            "Who owns the action to book the room?",
            "Tom owns it [1].",
        ),
        (
            "chores.txt",
            "| Chore | Who | Day |\n|---|---|---|\n| dishes | Ben | Monday |\n| laundry | Ann | Tuesday |\n"
            "| bins | Ben | Tuesday |\n",
            "Who does the laundry on Tuesday?",
            "Ann does [1].",
        ),
        (
            "tasks.txt",
            "Task\tStatus\tDue\nRenew passport\tdone\t2026-02-01\nBook dentist\topen\t2026-03-10\n",
            "When is the passport task due?",
            "It is due on 2026-02-01 [1].",
        ),
    ],
)
def test_a_table_s_header_names_its_columns_and_keys_no_row(name: str, text: str, question: str, answer: str) -> None:
    """A review's misfires: the header "| Action | Owner | Due |" was taken for the row the question keys (it holds
    "action"), so the right answer was replaced by a quote of the header; a weekday every row has keys none."""
    found = passages(hit_of(extract(text.encode(), Path(name)).text, name))
    check = Check(Plan(question, [], found[:1]), fit=lambda said: said)
    assert "".join([*check.feed(answer), *check.finish()]) == answer
    wrong = answer.replace("Ann", "Ben").replace("Tom", "Li").replace("2026-02-01", "2026-03-10")
    check = Check(Plan(question, [], found[:1]), fit=lambda said: said)
    assert "".join([*check.feed(wrong), *check.finish()]) != wrong
