"""Request and response bodies. Requests are validated the way OpenAI validates them, with foldermind's own
options in `foldermind`; responses are OpenAI's shapes plus `sources` and `evidence`, documented at /docs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class RagOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    retrieval: bool = Field(True, description="Answer from the index (true) or from the model alone (false).")
    k: int | None = Field(None, ge=1, le=50, description="Sources to retrieve; default [search] k.")
    where: dict[str, str] = Field(default_factory=dict, description="Metadata filter, e.g. {'category': 'work'}.")
    mode: Literal["hybrid", "vector", "keyword"] | None = Field(None, description="Search mode; default hybrid.")


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """Content as text; parts of other kinds (images) are not readable by this model and are left out."""
        if isinstance(self.content, list):
            return "\n".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = Field(
        False, description="Send one more chunk before [DONE]: no choices, the token counts in `usage`."
    )


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field("foldermind", description="'foldermind' for answers from your notes, or a model version.")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = Field(None, description="Only with `stream`.")
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    n: int = Field(1, ge=1, le=1, description="Only one choice per request.")
    foldermind: RagOptions = Field(default_factory=RagOptions)

    @field_validator("stop")
    @classmethod
    def at_most_four_stops(cls, value: str | list[str] | None) -> list[str] | None:
        stops = [value] if isinstance(value, str) else value
        if stops is not None and len(stops) > 4:
            raise ValueError("at most 4 stop sequences")
        return stops

    @field_validator("stream_options")
    @classmethod
    def only_when_streaming(cls, value: StreamOptions | None, info: ValidationInfo) -> StreamOptions | None:
        if value is not None and not info.data.get("stream"):
            raise ValueError("stream_options is only allowed when stream is true")  # as OpenAI answers
        return value

    @field_validator("messages")
    @classmethod
    def ends_with_a_user_turn(cls, value: list[ChatMessage]) -> list[ChatMessage]:
        if not any(m.role == "user" for m in value):
            raise ValueError("at least one message must have role 'user'")
        return value


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: str | list[str] = Field(description="Text or list of texts to embed.")
    model: str = "foldermind-embeddings"
    encoding_format: Literal["float", "base64"] = "float"

    @field_validator("input")
    @classmethod
    def not_empty(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list) and not value:
            raise ValueError("input must not be empty")
        if isinstance(value, list) and len(value) > 2048:
            raise ValueError("at most 2048 inputs per request")
        return value


# responses ------------------------------------------------------------------------------------------------


class Source(BaseModel):
    """A note the answer was given from: a retrieved chunk, numbered as the answer cites it."""

    number: int = Field(description="Cited in the answer as [number].")
    chunk_id: str
    document_id: int = Field(description="GET /documents/{document_id} shows the whole document.")
    path: str = Field(description="Path in the context folder.")
    title: str
    heading: str = Field(description="Heading path of the chunk, or empty.")
    page: int | None = Field(description="Page number for paged documents (PDF), else null.")
    location: str = Field(description='"page N", else the heading path: where in the document to look.')
    score: float = Field(description="Hybrid search score (reciprocal rank fusion).")
    similarity: float | None = Field(description="Cosine similarity of chunk and question, if it was compared.")
    snippet: str = Field(description="The chunk's start, whitespace collapsed.")
    cited: bool = Field(False, description="The answer cites it with [n] or quotes it.")


class Evidence(BaseModel):
    """The lines of a note the model answered from: what a user checks an answer against. Offsets and line
    numbers point into the document as GET /documents/{id} shows it."""

    source: int = Field(description="The number of the source it belongs to, as cited with [n].")
    document_id: int
    chunk_id: str
    path: str
    title: str
    location: str = Field(description='"page 3", a heading path, and/or "lines 110-114".')
    first_line: int | None = Field(description="First line of the passage in the document (1-based), if known.")
    last_line: int | None
    start: int = Field(description="Character offset of the passage in the document's text.")
    end: int
    text: str = Field(description="The passage itself.")
    score: float = Field(description="How well it answers the question: meaning plus shared rare words.")
    cited: bool = Field(False, description="The answer cites its source.")


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: str = Field(description='"stop", or "length" when max_tokens ended the answer.')
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """OpenAI's chat completion, plus the notes it rests on."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str = Field(description="The model version that answered (base, v0001, ...).")
    choices: list[Choice]
    usage: Usage
    sources: list[Source] = Field(description="Retrieved notes, in the order the model read them.")
    evidence: list[Evidence] = Field(description="The passages the answer rests on; cited ones first.")


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: str | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    """One server-sent event of a streamed answer; the last one carries `sources` and `evidence`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    system_fingerprint: str
    choices: list[ChunkChoice] = Field(description="Empty in the usage chunk.")
    usage: Usage | None = Field(
        None, description="null, and the token counts in a last chunk, with `stream_options.include_usage`."
    )
    sources: list[Source] | None = None
    evidence: list[Evidence] | None = None


STREAM_DOC = """With `"stream": true`: server-sent events, each a line `data: {ChatCompletionChunk}`. The first
carries the role, the next ones pieces of the answer, the last one `finish_reason` with `sources` and `evidence`;
then `data: [DONE]`. With `"stream_options": {"include_usage": true}` every chunk has `"usage": null`, and one
more chunk before `data: [DONE]` has no choices and the token counts in `usage`, as OpenAI sends them. A failure
after the stream has started arrives as `data: {"error": {...}}` (OpenAI's error shape) before `data: [DONE]`."""
