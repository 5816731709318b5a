"""The chat endpoint through the official `openai` client, against a real server on loopback."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import openai
import pytest
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from foldermind.client import stream_chat
from foldermind.errors import ConfigError
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.models import bundled_gguf, set_live
from foldermind.server.state import ServerState
from foldermind.trainer.evaluate import answer_questions
from tests.helpers import MIXED_FILES, make_config, running_server, wait_until

QUESTION = "When were the San Marzano tomatoes planted?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[str, object]]:
    config = make_config(tmp_path_factory.mktemp("srv"), MIXED_FILES, temperature=0.0)
    index_folder(Index(config, embedder=embedder))
    with running_server(config, embedder) as running:
        yield running


@pytest.fixture(scope="module")
def url(server: tuple[str, object]) -> str:
    return server[0]


@pytest.fixture
def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)


def ask(client: openai.OpenAI, question: str = QUESTION, **kwargs: object) -> ChatCompletion:
    options: dict[str, object] = {"max_tokens": 40, **kwargs}
    return client.chat.completions.create(
        model="foldermind", messages=[{"role": "user", "content": question}], **options
    )


def test_chat_answers_with_the_sources_in_an_extra_field(client: openai.OpenAI) -> None:
    completion = ask(client)
    assert isinstance(completion, ChatCompletion)
    assert completion.choices[0].message.content
    sources = completion.model_extra["sources"]
    assert sources[0]["path"] == "notes/garden.html"
    assert {"number", "path", "title", "heading", "page", "snippet", "score", "cited"} <= set(sources[0])


def test_the_gate_and_the_benchmarks_answer_through_the_loop_the_server_streams(
    server: tuple[str, ServerState], client: openai.OpenAI, embedder: Embedder
) -> None:
    config = server[1].config
    questions = [QUESTION, "Which hotel do we stay at in Lisbon?", "What is the capital of Mongolia?"]
    with closing(Index(config, embedder=embedder)) as index:
        threads = config.server.n_threads or os.cpu_count() or 1  # as the server's runner loads it
        served_model = server[1].runner.live.version.path  # the file the server serves (the bundled model as Q8_0)
        replies = answer_questions(served_model, config, index, questions, threads)
    for question, reply in zip(questions, replies, strict=True):
        asked = [{"role": "user", "content": question}]
        served = client.chat.completions.create(model="foldermind", messages=asked, seed=0).choices[0].message.content
        assert reply.shown == served, question
    assert not replies[0].fixed and replies[0].own  # the model's own words are kept, to be measured


def test_the_response_validates_against_openai_types(url: str) -> None:
    body = {"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 10}
    ChatCompletion.model_validate(httpx.post(f"{url}/v1/chat/completions", json=body, timeout=60).json())


def test_streaming_ends_with_sources_then_done(url: str, client: openai.OpenAI) -> None:
    chunks = list(ask(client, stream=True))
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks).strip()
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")
    assert chunks[-1].model_extra["sources"][0]["path"] == "notes/garden.html"
    body = {"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 5, "stream": True}
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=60) as reply:
        lines = [line for line in reply.iter_lines() if line]
    assert lines[-1] == "data: [DONE]" and "sources" in json.loads(lines[-2].removeprefix("data: "))


def test_a_stream_asked_for_usage_ends_with_the_token_counts(url: str, client: openai.OpenAI) -> None:
    *answer, last = list(ask(client, stream=True, stream_options={"include_usage": True}))
    assert last.choices == [] and last.usage is not None
    assert last.usage.prompt_tokens == ask(client, max_tokens=1).usage.prompt_tokens  # type: ignore[union-attr]
    assert last.usage.completion_tokens > 0
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens
    assert all(chunk.usage is None for chunk in answer) and answer[-1].model_extra["sources"]
    body = {"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 5, "stream": True}
    for options in ({"include_usage": True}, {"include_usage": False}, None):
        with httpx.stream(
            "POST", f"{url}/v1/chat/completions", json={**body, "stream_options": options}, timeout=60
        ) as reply:
            lines = [line for line in reply.iter_lines() if line]
        assert lines[-1] == "data: [DONE]"
        events = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
        asked = options == {"include_usage": True}
        assert all(("usage" in event) == asked for event in events)  # null in each chunk only when asked for
        counted = [event for event in events if event.get("usage")]
        assert counted == [event for event in events if not event["choices"]] == events[-1:] * asked


def test_stream_options_without_stream_is_a_400_naming_it(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client, stream_options={"include_usage": True})
    assert caught.value.body["param"] == "stream_options"  # type: ignore[index]


def test_an_answer_shows_the_lines_of_the_note_it_rests_on(client: openai.OpenAI) -> None:
    completion = ask(client, "In which room is the quarterly budget review?")
    evidence = completion.model_extra["evidence"]
    assert evidence[0]["path"] == "work/meeting.txt" and evidence[0]["source"] == 1
    assert "room 4B" in evidence[0]["text"]
    assert (evidence[0]["first_line"], evidence[0]["last_line"]) == (1, 1) and evidence[0]["location"] == "line 1"
    assert {"document_id", "chunk_id", "start", "end", "score", "cited"} <= set(evidence[0])
    source = completion.model_extra["sources"][0]
    assert source["path"] == "work/meeting.txt" and source["location"].startswith("line")  # where to look for it


def test_a_streamed_answer_carries_its_evidence_in_the_last_chunk(client: openai.OpenAI) -> None:
    chunks = list(ask(client, stream=True))
    assert "3rd of May" in chunks[-1].model_extra["evidence"][0]["text"]
    assert all("evidence" not in (c.model_extra or {}) for c in chunks[:-1])


def test_a_follow_up_question_is_answered_from_the_note_of_the_one_before(client: openai.OpenAI) -> None:
    first = "Which hotel do we stay at in Lisbon?"
    reply = ask(client, first).choices[0].message.content
    messages = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": reply},
        {"role": "user", "content": "And how many nights?"},
    ]
    completion = client.chat.completions.create(model="foldermind", messages=messages, max_tokens=40)
    assert completion.model_extra["evidence"][0]["path"] == "notes/travel.json"
    assert "do not seem to cover" not in completion.choices[0].message.content


def test_a_question_answered_by_one_note_retrieves_it_first(client: openai.OpenAI) -> None:
    sources = ask(client, "Which hotel do we stay at in Lisbon?").model_extra["sources"]
    assert sources[0]["path"] == "notes/travel.json"


def test_a_question_the_notes_do_not_cover_says_so_without_sources(client: openai.OpenAI) -> None:
    completion = ask(client, "What is the orbital period of Neptune's moon Triton?")
    assert "do not seem to cover" in completion.choices[0].message.content
    assert completion.model_extra["sources"] == [] and completion.model_extra["evidence"] == []
    assert completion.usage.completion_tokens == 0  # said without asking the model


def test_retrieval_can_be_turned_off(client: openai.OpenAI) -> None:
    completion = ask(client, extra_body={"foldermind": {"retrieval": False}})
    assert completion.model_extra["sources"] == []


def test_a_chat_not_answered_from_the_notes_is_not_cut_at_a_blank_line(client: openai.OpenAI) -> None:
    """The config's answer stops end answers from the notes; a plain chat's paragraphs are the model's to write."""
    completion = ask(
        client,
        "Write a short letter to Anna: a greeting line, then a body, then a signature.",
        max_tokens=60,
        seed=0,
        extra_body={"foldermind": {"retrieval": False}},
    )
    assert "\n\n" in completion.choices[0].message.content.strip()


def test_a_metadata_filter_limits_the_sources(client: openai.OpenAI) -> None:
    completion = ask(
        client, "Who is our database administrator?", extra_body={"foldermind": {"where": {"category": "work"}, "k": 3}}
    )
    assert {s["path"].split("/")[0] for s in completion.model_extra["sources"]} == {"work"}


def test_the_seed_makes_sampling_repeatable(client: openai.OpenAI) -> None:
    first = ask(client, temperature=1.0, seed=42).choices[0].message.content
    assert ask(client, temperature=1.0, seed=42).choices[0].message.content == first


def test_max_tokens_is_honoured(client: openai.OpenAI) -> None:
    completion = ask(client, max_tokens=3)
    assert completion.usage.completion_tokens <= 3 and completion.choices[0].finish_reason == "length"


def test_models_lists_foldermind_and_the_base_model(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["foldermind", "base"]


def test_a_raw_model_version_answers_without_retrieval(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="base", messages=[{"role": "user", "content": "Hi"}], max_tokens=5
    )
    assert completion.model_extra["sources"] == [] and completion.model == "base"


def test_embeddings_come_from_the_index_model(client: openai.OpenAI, embedder: Embedder) -> None:
    response = client.embeddings.create(model="foldermind-embeddings", input=["tomatoes", "a budget meeting"])
    assert isinstance(response, CreateEmbeddingResponse)
    assert len(response.data) == 2 and len(response.data[0].embedding) == 384
    expected = embedder.encode(["tomatoes", "a budget meeting"])[0]  # the same batch: int8 scales per batch
    assert abs(sum(a * b for a, b in zip(response.data[0].embedding, expected, strict=True)) - 1.0) < 1e-4


def test_unknown_model_is_a_404_model_not_found(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "x"}])
    assert caught.value.code == "model_not_found"


def test_a_prompt_over_the_context_window_is_context_length_exceeded(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client, "tomato " * 5000, extra_body={"foldermind": {"retrieval": False}})
    assert caught.value.code == "context_length_exceeded"


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"temperature": 3.0}, "temperature"),
        ({"top_p": 0.0}, "top_p"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
    ],
)
def test_bad_sampling_values_are_400_naming_the_parameter(client: openai.OpenAI, params: dict, param: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client, **params)
    assert caught.value.body["param"] == param  # type: ignore[index]


def test_malformed_json_is_a_400_in_openai_shape(url: str) -> None:
    reply = httpx.post(
        f"{url}/v1/chat/completions", content=b'{"messages": [', headers={"content-type": "application/json"}
    )
    assert reply.status_code == 400
    assert set(reply.json()["error"]) == {"message", "type", "param", "code"}
    assert reply.json()["error"]["code"] == "invalid_json"


def test_eight_concurrent_clients_are_all_answered(client: openai.OpenAI) -> None:
    answers: list[str] = []

    def one() -> None:
        answers.append(ask(client, max_tokens=8).choices[0].message.content or "")

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(answers) == 8


def test_a_client_that_disconnects_stops_its_generation(url: str, server: tuple[str, object]) -> None:
    state = server[1]
    before = state.runner.cancelled  # type: ignore[attr-defined]
    body = {
        "messages": [{"role": "user", "content": "Write a very long story about a dragon."}],
        "stream": True,
        "max_tokens": 1500,
        "foldermind": {"retrieval": False},
    }
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=60) as reply:
        for number, _ in enumerate(reply.iter_lines()):
            if number > 6:
                break
    wait_until(lambda: state.runner.cancelled > before, 20, "the generation to stop")  # type: ignore[attr-defined]


def test_search_documents_health_and_status_endpoints(url: str) -> None:
    health = httpx.get(f"{url}/health").json()
    assert health["status"] == "ok" and len(health["home"]) == 16  # which home, not its path (Config.home_id)
    hit = httpx.get(f"{url}/search", params={"q": "Lisbon hotel", "k": 1}).json()["results"][0]
    assert hit["path"] == "notes/travel.json"
    documents = httpx.get(f"{url}/documents").json()["documents"]
    assert {d["path"] for d in documents} == set(MIXED_FILES)
    document = httpx.get(f"{url}/documents/{hit['metadata']['document_id']}").json()
    assert "Casa Azul" in document["chunks"][0]["text"]
    status = httpx.get(f"{url}/status").json()
    assert (status["documents"], status["live_model"].startswith("base")) == (len(MIXED_FILES), True)
    assert "/v1/chat/completions" in httpx.get(f"{url}/openapi.json").json()["paths"]


def test_documents_are_only_served_by_id_from_the_index(url: str) -> None:
    assert httpx.get(f"{url}/documents/999999").status_code == 404
    assert httpx.get(f"{url}/documents/notes%2Fgarden.html").status_code in (404, 422)


def test_the_page_files_route_serves_nothing_outside_its_folder(url: str) -> None:
    """/static/ is the one route that maps a request path to a file; nothing above its folder comes out."""
    assert httpx.get(f"{url}/static/app.js").status_code == 200
    for attempt in ("..%2Fapp.py", "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "../app.py"):
        with httpx.Client() as raw:  # httpx would normalise a literal ../ away before sending it
            request = raw.build_request("GET", f"{url}/static/{attempt}")
            request.url = request.url.copy_with(raw_path=f"/static/{attempt}".encode())
            reply = raw.send(request)
        assert reply.status_code == 404 and "root:" not in reply.text and "create_app" not in reply.text


def test_a_note_holding_unicode_line_separators_streams_as_whole_events(tmp_path: Path, embedder: Embedder) -> None:
    # U+2028 (a line separator pasted from a web page or Word) ended an event's line for a client that splits
    # lines as Python does (httpx's iter_lines, so `foldermind ask`): "Unterminated string"
    note = "# Shed\n\nThe shed key hangs\u2028by the door.\nThe boiler was serviced by Harald Finch on 3 March.\n"
    config = make_config(tmp_path, {"shed.md": note}, temperature=0.0)
    index_folder(Index(config, embedder=embedder))
    with running_server(config, embedder) as (url, _):
        asked = [{"role": "user", "content": "Who serviced the boiler?"}]
        events = list(stream_chat(url, config, asked, {}))
    evidence = json.dumps(events[-1])
    assert "Harald Finch" in evidence and "\\u2028" in evidence  # the separator kept, inside its event


def test_an_empty_index_answers_without_sources_saying_so(tmp_path: Path, embedder: Embedder) -> None:
    with running_server(make_config(tmp_path / "empty", {}), embedder) as (url, _):
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
        completion = ask(client)
    assert "index is empty" in completion.choices[0].message.content
    assert completion.model_extra["sources"] == []


def test_a_full_queue_answers_429_with_retry_after(tmp_path: Path, embedder: Embedder) -> None:
    config = make_config(tmp_path / "busy", {}, max_queue=1)
    statuses: list[int] = []
    with running_server(config, embedder) as (url, _):
        body = {"model": "base", "messages": [{"role": "user", "content": "Tell a story."}], "max_tokens": 60}

        def one() -> None:
            reply = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=120)
            statuses.append(reply.status_code)
            if reply.status_code == 429:
                assert reply.headers["retry-after"] and reply.json()["error"]["code"] == "queue_full"

        threads = [threading.Thread(target=one) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert 200 in statuses and 429 in statuses


def test_binding_beyond_loopback_without_an_api_key_is_refused(tmp_path: Path) -> None:
    init_home(tmp_path)
    (tmp_path / "config.toml").write_text('[server]\nhost = "0.0.0.0"\n')
    with pytest.raises(ConfigError, match="api_key"):
        open_home(tmp_path)


def test_an_api_key_is_required_when_set(tmp_path: Path, embedder: Embedder) -> None:
    with running_server(make_config(tmp_path / "keyed", {}, api_key="s3cret"), embedder) as (url, _):
        assert httpx.get(f"{url}/status").status_code == 401
        assert httpx.get(f"{url}/status", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert httpx.get(f"{url}/health").json() == {"status": "ok"}  # which home it serves: with the key only
        assert "home" in httpx.get(f"{url}/health", headers={"Authorization": "Bearer s3cret"}).json()
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{url}/v1", api_key="wrong", max_retries=0).models.list()


def test_a_promoted_model_is_swapped_in_without_failing_requests(tmp_path: Path, embedder: Embedder) -> None:
    config = make_config(tmp_path / "swap", {"a.md": "The lighthouse keeper is called Ingrid."})
    index_folder(Index(config, embedder=embedder))
    failures: list[BaseException] = []
    with running_server(config, embedder) as (url, _):
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                try:
                    ask(client, "Who keeps the lighthouse?", max_tokens=4)
                except BaseException as exc:
                    failures.append(exc)

        workers = [threading.Thread(target=keep_asking) for _ in range(3)]
        for worker in workers:
            worker.start()
        version = config.data_dir / "models" / "v0001"
        version.mkdir(parents=True)
        shutil.copy(bundled_gguf(), version / "model.gguf")
        set_live(config.data_dir, "v0001")
        wait_until(lambda: httpx.get(f"{url}/status").json()["live_model"] == "v0001", 30, "the swap")
        time.sleep(0.5)
        stop.set()
        for worker in workers:
            worker.join(60)
        assert ask(client, "Who keeps the lighthouse?", max_tokens=2).system_fingerprint == "v0001"
    assert failures == []


def test_more_streams_than_fit_each_get_a_whole_answer_or_a_429_before_any_chunk(
    tmp_path: Path, embedder: Embedder
) -> None:
    config = make_config(tmp_path / "crowd", {}, max_queue=2)  # 3 places: one generating, two waiting
    body = {"model": "base", "messages": [{"role": "user", "content": "Tell a story."}], "max_tokens": 24}
    outcomes: list[tuple[int, list[str], httpx.Headers]] = []
    with running_server(config, embedder) as (url, state):

        def one(leave_after: int | None) -> None:
            with httpx.stream("POST", f"{url}/v1/chat/completions", json={**body, "stream": True}, timeout=120) as r:
                if r.status_code != 200:
                    outcomes.append((r.status_code, [r.read().decode()], r.headers))
                    return
                lines = []
                for line in r.iter_lines():
                    if line:
                        lines.append(line)
                    if leave_after is not None and len(lines) == leave_after:
                        outcomes.append((0, lines, r.headers))
                        return  # this client goes away mid-answer
                outcomes.append((200, lines, r.headers))

        threads = [threading.Thread(target=one, args=(2 if i == 0 else None,)) for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        wait_until(lambda: state.runner.admitted == 0, 30, "every place to be given back")  # type: ignore[attr-defined]
    refused = [o for o in outcomes if o[0] == 429]
    answered = [o for o in outcomes if o[0] == 200]
    left = [o for o in outcomes if o[0] == 0]  # the client that leaves (none if it was among the refused)
    assert refused and answered and len(left) <= 1 and len(refused) + len(answered) + len(left) == 10
    for _, lines, headers in refused:
        assert headers["retry-after"] and json.loads(lines[0])["error"]["code"] == "queue_full"
    for _, lines, _ in answered:
        assert lines[-1] == "data: [DONE]"
        assert json.loads(lines[-2].removeprefix("data: "))["choices"][0]["finish_reason"] in ("stop", "length")


def test_an_id_beyond_any_sqlite_rowid_is_a_404_in_openai_shape(url: str) -> None:
    reply = httpx.get(f"{url}/documents/99999999999999999999999")
    assert reply.status_code == 404 and reply.json()["error"]["type"] == "not_found_error"


def test_an_unexpected_failure_is_a_500_in_openai_shape_without_a_traceback(tmp_path: Path, embedder: Embedder) -> None:
    with running_server(make_config(tmp_path / "broken", {"a.md": "Some note."}), embedder) as (url, state):
        state.index.manifest.close()  # type: ignore[attr-defined]  # the database goes away under the server
        reply = httpx.get(f"{url}/documents")
    assert reply.status_code == 500
    assert reply.json()["error"]["type"] == "server_error" and "Traceback" not in reply.text


def test_the_daemon_is_told_when_the_model_gets_busy_and_when_it_is_idle_again(
    client: openai.OpenAI, server: tuple[str, object]
) -> None:
    state = server[1]
    calls: list[bool] = []
    state.runner.on_busy = calls.append  # type: ignore[attr-defined]
    try:
        ask(client, max_tokens=8)
        wait_until(lambda: calls == [True, False], 5, "the first answer to end")
        list(ask(client, max_tokens=8, stream=True))  # type: ignore[call-overload]
        wait_until(lambda: calls == [True, False, True, False], 5, "the streamed answer to end")
    finally:
        state.runner.on_busy = None  # type: ignore[attr-defined]
