"""The JSON routes the page manages the folder and the models with (usable by scripts too): upload a file into
the context folder, move a document to the trash and back, see every version's scores night by night, train
now, use a version, roll back, rate answers and correct them. The work is done by foldermind.folder,
foldermind.models, foldermind.feedback and the trainer's run records; these routes parse and present.

Every route that changes something refuses a request a browser sends from a page of another origin (its
Origin or Sec-Fetch-Site header says so), so a web page elsewhere cannot post to it; scripts send neither.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from foldermind import feedback, folder
from foldermind.errors import ModelError
from foldermind.models import BASE, current_name, model_rows, previous_version, set_live
from foldermind.server.errors import APIError
from foldermind.server.state import State
from foldermind.trainer.runs import history, progress

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TRAINING_FIGURES = ("steps", "seconds", "tokens_per_second", "loss")  # of the run's training stage


def same_origin(request: Request) -> None:
    """Refuse a state-changing request that a browser sent from a page of another origin (CSRF)."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    cross = request.headers.get("sec-fetch-site") in ("cross-site", "same-site")
    if cross or (origin is not None and origin != own):
        raise APIError(
            403,
            "Refused: this request came from a page of another site (only this server's page may change things).",
            code="cross_origin",
        )


router = APIRouter(dependencies=[Depends(same_origin)])


class VersionChoice(BaseModel):
    version: str = Field(min_length=1, description="A version from GET /models/history, or 'base'.")


class RestoreChoice(BaseModel):
    id: str = Field(min_length=1, description="An id from GET /trash.")


class Rated(BaseModel):
    rating: Literal["up", "down"]
    correction: str = Field("", max_length=20_000, description="The right answer, for a wrong one.")


class NewRating(Rated):
    question: str = Field(min_length=1, max_length=20_000)
    answer: str = Field(max_length=50_000)
    evidence: list[dict[str, Any]] = Field(default_factory=list, description="The answer's evidence, as it came.")
    sources: list[dict[str, Any]] = Field(default_factory=list, description="The answer's sources, as they came.")


def _refused(exc: folder.NameRefused | folder.AlreadyThere | folder.TooLarge | folder.Missing, param: str) -> APIError:
    status = {folder.NameRefused: 400, folder.AlreadyThere: 409, folder.TooLarge: 413, folder.Missing: 404}[type(exc)]
    kind = "not_found_error" if status == 404 else "invalid_request_error"
    return APIError(status, str(exc), kind, param, code=type(exc).__name__.lower())


@router.post("/documents/upload", status_code=201)
async def upload(
    request: Request,
    state: State,
    name: Annotated[str, Query(min_length=1, description="The file's name, or its path inside a dropped folder.")],
    category: Annotated[str, Query(description="The subfolder (category) to save it in; empty for the top.")] = "",
) -> dict[str, Any]:
    """Save the request body as a file in the context folder (written whole, then put in place in one step);
    the watcher indexes it within seconds."""
    limit = int(state.config.server.upload_max_mb * 1048576)
    declared = request.headers.get("content-length", "")
    try:
        folder.check_size(int(declared) if declared.isdigit() else 0, limit)
        path, target = folder.upload_target(state.config.context_dir, category, name)
        with folder.AtomicUpload(target, limit) as sink:
            async for data in request.stream():
                await run_in_threadpool(sink.write, data)
            await run_in_threadpool(sink.commit)
    except (folder.NameRefused, folder.AlreadyThere, folder.TooLarge) as exc:
        raise _refused(exc, "name") from exc
    return {"path": path, "size": sink.size}


@router.delete("/documents/{document_id}")
async def remove(document_id: int, state: State) -> dict[str, Any]:
    """Move the document's file to the trash in the data folder (restorable with POST /trash/restore)."""
    row = await run_in_threadpool(state.manifest_call, "document", document_id) if document_id >= 1 else None
    if row is None:
        raise APIError(404, f"No indexed document has id {document_id}.", "not_found_error", "document_id")
    if row["path"] != row["file"]:
        raise APIError(
            409,
            f"{row['path']} is part of {row['file']} (a message of a mailbox, or an attachment): only whole files "
            f"go to the trash; remove {row['file']} to remove all of its documents.",
            param="document_id",
            code="part_of_a_file",
        )
    try:
        moved = await run_in_threadpool(folder.move_to_trash, state.config, row["path"])
    except (folder.NameRefused, folder.Missing) as exc:
        raise _refused(exc, "document_id") from exc
    return {"trashed": moved.to_json()}


@router.get("/trash")
async def trash(state: State) -> dict[str, Any]:
    """The files removed from the page, most recent first."""
    return {"trash": [entry.to_json() for entry in await run_in_threadpool(folder.trashed, state.config)]}


@router.post("/trash/restore")
async def restore(choice: RestoreChoice, state: State) -> dict[str, str]:
    """Put a removed file back where it was; the watcher indexes it again."""
    try:
        return {"path": await run_in_threadpool(folder.restore, state.config, choice.id)}
    except (folder.NameRefused, folder.AlreadyThere, folder.Missing) as exc:
        raise _refused(exc, "id") from exc


@router.get("/models/history")
async def models_history(state: State) -> dict[str, Any]:
    """Every version (the base first) with its held-out scores, and every training run's ending, oldest first:
    its verdict (promoted, rejected and why, nothing to learn), the scores of base and candidate, and its training
    (steps, seconds, tokens/s, final loss and `loss_curve`, the loss of every step); and the training under way."""
    config = state.config
    rows = await run_in_threadpool(model_rows, config.data_dir, config.server.base_model)
    runs = await run_in_threadpool(history, config)
    return {
        "live": current_name(config.data_dir) or BASE,
        "versions": rows,
        "nights": [_night(run) for run in runs],
        "training": await training_now(state),
    }


@router.get("/models/training")
async def training_now(state: State) -> dict[str, Any]:
    """The training under way, for the page to poll: when it started (in the daemon), its `progress` (stage
    and its number of `stages`, `stage_label`, `done` of `total` steps or models measured, `loss_curve` as
    [step, loss] pairs, `tokens_per_second`, `eta_seconds` left, `eta_partial` when a stage has no estimate
    yet; null when no training runs), and when the next night's starts."""
    daemon = (state.extra_status() if state.extra_status else {}).get("daemon", {})
    return {
        "training_running_since": daemon.get("training_running_since"),
        "next_training": daemon.get("next_training"),
        "progress": await run_in_threadpool(progress, state.config),
    }


def _night(run: dict[str, Any]) -> dict[str, Any]:
    report = run.get("report") or {}
    candidate, base = report.get("candidate") or {}, report.get("base") or {}
    training = report.get("training") or {}
    complete = all(key in training for key in TRAINING_FIGURES)
    figures = {**{key: training.get(key) for key in TRAINING_FIGURES}, "loss_curve": training.get("loss_curve", [])}
    return {
        "finished_at": run.get("finished_at"),
        "status": run.get("status"),
        "message": run.get("message"),
        "version": run.get("version"),
        "reasons": run.get("reasons") or [],
        "accuracy": candidate.get("answer_accuracy"),
        "questions": candidate.get("questions"),
        "rated_questions": (report.get("data") or {}).get("rated_questions", 0),  # the user's, rated right
        "base_accuracy": base.get("answer_accuracy"),
        "perplexity": candidate.get("user_perplexity"),
        "base_perplexity": base.get("user_perplexity"),
        "forgetting": candidate.get("reference_perplexity"),
        "base_forgetting": base.get("reference_perplexity"),
        "training": figures if complete else None,  # with the loss of every step, in runs since it was kept
    }


@router.post("/models/use")
async def use(choice: VersionChoice, state: State) -> dict[str, str]:
    """Make a version live; the server switches to it between two requests."""
    try:
        await run_in_threadpool(set_live, state.config.data_dir, choice.version)
    except ModelError as exc:
        raise APIError(404, str(exc), "not_found_error", "version") from exc
    return {"live": choice.version}


@router.post("/models/rollback")
async def rollback(state: State) -> dict[str, str]:
    """Go back to the version before the live one (or to the base model)."""
    config = state.config
    try:
        target = await run_in_threadpool(previous_version, config.data_dir, config.server.base_model)
    except ModelError as exc:
        raise APIError(409, str(exc), code="nothing_older") from exc
    await run_in_threadpool(set_live, config.data_dir, target)
    return {"live": target}


@router.post("/models/train", status_code=202)
async def train(state: State) -> dict[str, str]:
    """Start a training now, in the daemon (as the night's would run); see GET /status for its progress."""
    if state.start_training is None:
        raise APIError(503, "Training runs in the daemon: start it with `foldermind run`.", code="no_daemon")
    if not state.start_training():
        raise APIError(409, "A training is running already.", code="training_running")
    return {"status": "started"}


@router.get("/feedback")
async def feedback_list(state: State) -> dict[str, Any]:
    """Every rated answer, oldest first, with its correction."""
    return {"feedback": await run_in_threadpool(feedback.entries, state.config)}


@router.post("/feedback", status_code=201)
async def feedback_add(rated: NewRating, state: State) -> dict[str, Any]:
    """Rate an answer; a correction becomes one of your training examples for the next night."""
    return await run_in_threadpool(
        lambda: feedback.add(
            state.config,
            rated.rating,
            rated.question,
            rated.answer,
            rated.correction,
            evidence=rated.evidence,
            sources=rated.sources,
        )
    )


@router.put("/feedback/{feedback_id}")
async def feedback_edit(feedback_id: str, rated: Rated, state: State) -> dict[str, Any]:
    try:
        return await run_in_threadpool(feedback.update, state.config, feedback_id, rated.rating, rated.correction)
    except feedback.NoSuchFeedback as exc:
        raise APIError(404, str(exc), "not_found_error", "feedback_id") from exc


@router.delete("/feedback/{feedback_id}")
async def feedback_delete(feedback_id: str, state: State) -> dict[str, str]:
    try:
        await run_in_threadpool(feedback.delete, state.config, feedback_id)
    except feedback.NoSuchFeedback as exc:
        raise APIError(404, str(exc), "not_found_error", "feedback_id") from exc
    return {"deleted": feedback_id}
