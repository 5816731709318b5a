"""Request bodies, validated the way OpenAI validates them; foldermind's own options ride in `foldermind`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


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


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field("foldermind", description="'foldermind' for answers from your notes, or a model version.")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
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
