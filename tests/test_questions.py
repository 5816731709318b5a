"""Questions made from a note alone: from its structure, and cloze-style from sentences that carry a fact."""

from __future__ import annotations

from foldermind.trainer.corpus import Passage
from foldermind.trainer.questions import (
    cloze_questions,
    heading_question,
    is_prose,
    is_right,
    key_value_questions,
    option_questions,
    questions_for,
    rated_question,
)

MAN_PAGE = """OPTIONS
       -c, --count
              Suppress normal output; instead print a count of matching lines
              for each input file.

       -l, --files-with-matches
              Suppress normal output; instead print the name of each input file.
"""


def note(text: str, heading: str = "", metadata: tuple[tuple[str, str], ...] = ()) -> Passage:
    return Passage("notes/kiln.md", "Kiln", heading, None, text, "hash", metadata, "chunk")


def test_an_option_list_asks_for_the_option_by_what_it_does_and_back() -> None:
    questions = option_questions(note(MAN_PAGE))
    asked = [(q.question, q.fact) for q in questions]
    assert (
        "Which option of Kiln does this: suppress normal output; instead print a count of matching lines for each "
        "input file?",
        "-c",
    ) in asked
    assert ("What does -l do in Kiln?", None) in asked
    assert questions[0].answer.startswith("-c, --count: Suppress normal output")


def test_a_record_of_key_value_lines_is_named_by_its_first_value() -> None:
    questions = key_value_questions(note("name: Bob Lindqvist\nrole: database administrator\nroom: 4B"))
    assert [(q.question, q.fact) for q in questions] == [
        ("What is the role of Bob Lindqvist?", "database administrator"),
        ("What is the room of Bob Lindqvist?", "4B"),
    ]


def test_a_single_setting_line_is_asked_about_its_section() -> None:
    questions = key_value_questions(note("Budget: 40,000 euros", heading="Projects > Heron"))
    assert [(q.question, q.answer) for q in questions] == [
        ("What is the Budget of Heron?", "The Budget of Heron is 40,000 euros.")
    ]


def test_a_sentence_with_a_colon_or_a_row_of_fields_is_no_key_value_line() -> None:
    """From a FAQ, a how-to and a reference's package table: none is a field with one value."""
    assert key_value_questions(note("The SPI can be reached at: https://www.spi-inc.org/")) == []
    assert key_value_questions(note("On Debian: Read /var/log/apache2/error.log instead.")) == []
    row = "packages: iproute2; popcon: V:709, I:958; size: 3514; description: advanced network configuration"
    assert key_value_questions(note(row)) == []
    assert key_value_questions(note("x: int\ny: int")) == []  # a listing's annotations, not a record
    assert key_value_questions(note("Status: .", heading="Plan")) == []  # no value, no fact
    (hours,) = key_value_questions(note("Opening hours: 9:00-12:00; 13:00-17:00", heading="Desk"))
    assert hours.fact == "9:00-12:00; 13:00-17:00"
    (when,) = key_value_questions(note("When: Mondays at noon", heading="Standup"))
    assert when.question == "What is the When of Standup?"
    (label,) = key_value_questions(note("Release date: 2024-06-10.", heading="Bookworm"))
    assert (label.question, label.answer, label.fact) == (
        "What is the Release date of Bookworm?",
        "The Release date of Bookworm is 2024-06-10.",
        "2024-06-10",
    )


def test_a_record_with_one_field_too_long_to_ask_is_still_a_record() -> None:
    row = f"name: Bob Lindqvist\nrole: database administrator\nnotes: {'Keeps the backups. ' * 8}"
    assert [(q.question, q.fact) for q in key_value_questions(note(row))] == [
        ("What is the role of Bob Lindqvist?", "database administrator")
    ]


def test_a_faq_heading_is_asked_as_written_and_a_heading_over_no_prose_makes_no_question() -> None:
    faq = note(
        "The standard documentation for Python is at docs.python.org, in HTML, PDF and plain text.",
        heading="General > How do I get documentation on Python?",
    )
    assert heading_question(faq).question == "How do I get documentation on Python?"
    short = note(faq.text, heading="Why?")
    assert heading_question(short).question == "What do my notes say about Why??"
    contents = note("1 Getting started . . . . . . . . . . 1\n1.1 Social dynamics . . . . . . . . . . 1")
    assert heading_question(contents) is None


def test_prose_is_sentences_not_a_table_of_contents_a_listing_or_numbers() -> None:
    assert is_prose("The Harrow lighthouse was rebuilt in 1911 by the engineer Ada Fenwick, who lived nearby.")
    assert is_prose("Suppress normal output; instead print a count of matching lines for each input file.")
    assert not is_prose("2.1 Basics . . . . . . . . . . . . 4 2.2 Files . . . . . . . . . . . . 7 2.3 Tools . . 9")
    assert not is_prose("x = [1, 2, 3]; y = {k: v for k, v in z}; print(x, y) # => [1, 2, 3] {}")
    assert not is_prose("2024-01-03 14.2 15.1 2024-01-04 13.9 15.0 2024-01-05 14.4 15.3")
    assert is_prose("メモのフォルダを見張り、一秒以内に索引を作り、質問に根拠の行と出典を添えて答えます。")


def test_cloze_questions_blank_the_fact_and_answer_with_the_sentence() -> None:
    text = "The Harrow lighthouse was rebuilt in 1911 by the engineer Ada Fenwick.\n\nIt is white and tall, yes."
    (question,) = cloze_questions(note(text))
    assert question.question == "The Harrow lighthouse was rebuilt in what year by the engineer Ada Fenwick?"
    assert question.answer == "The Harrow lighthouse was rebuilt in 1911 by the engineer Ada Fenwick."
    assert question.fact == "1911"


def test_a_sentence_cut_at_the_chunks_start_or_a_heading_run_in_makes_no_question() -> None:
    assert cloze_questions(note("mended), and rsa-sha2-512 is the default for version 8 keys.")) == []
    assert cloze_questions(note("SYSTEM Restrictions File The presence of file 7 changes the screen.")) == []


def test_a_cloze_blanks_no_small_word_nor_a_number_inside_a_name_or_reference() -> None:
    """A man page, a packaging guide and a handbook: the fact blanked is the name or number standing alone."""
    (man,) = cloze_questions(note("Debug This curl uses a libcurl built with Debug enabled, for tracing."))
    assert man.fact == "Debug"  # not "This", the first word after the run-in heading
    (guide,) = cloze_questions(note("Read the dupload.conf(5) page and name files package-1.install for 3 packages."))
    assert guide.fact == "3"
    (book,) = cloze_questions(note("You must read Section 4.4 about the binary-indep rule before building it."))
    assert book.fact == "4.4"
    (life,) = cloze_questions(note("The bridge is named after Marta Okonkwo (1850-1921), who drew its plans."))
    assert life.fact == "1850"
    (meeting,) = cloze_questions(note("The standup starts at 9:15am in This Building and lasts 15 minutes."))
    assert meeting.fact == "15"  # not "9" of a time, nor "This Building"


def test_front_matter_fields_become_questions_and_the_heading_comes_last() -> None:
    questions = questions_for(note("Fire it slowly. It cracks when cooled fast.", "Firing", (("source", "Ilse"),)))
    assert questions[0].question == "What is the source of Kiln?" and questions[0].fact == "Ilse"
    assert questions[-1].kind == "heading" and questions[-1].question == "What do my notes say about Firing?"


def test_an_answer_is_right_when_it_states_the_fact_as_a_whole_word() -> None:
    (question,) = [q for q in option_questions(note(MAN_PAGE)) if q.fact == "-l"]
    assert is_right("Use -l [1]", question) and is_right("The -l, --files-with-matches option.", question)
    assert not is_right("Use -la", question) and not is_right("Use --list", question)


def test_a_question_rated_right_is_checked_by_a_fact_of_its_answer_that_the_question_does_not_name() -> None:
    sources = [
        {"path": "notes/other.md", "cited": False},
        {"path": "history/bridge.md", "title": "Bridge", "cited": True},
    ]
    rated = rated_question(
        "Who painted the bridge in 1987?", "Marta Okonkwo [2], in 1987, for 300 florins [1].", sources
    )
    assert rated is not None and rated.kind == "rated" and rated.fact == "300"  # not 1987, nor a source's number
    assert rated.passage.path == "history/bridge.md" and "[" not in rated.answer
    assert is_right("It cost 300 florins.", rated) and not is_right("It cost 3000 florins.", rated)


def test_an_answer_without_a_number_is_checked_by_its_key_word_and_one_without_either_is_not_asked() -> None:
    rated = rated_question("Who painted the bridge?", "Marta Okonkwo painted it [1].", [])
    assert rated is not None and rated.fact == "Okonkwo"
    assert rated_question("Is it nice?", "Yes, it is.", []) is None
