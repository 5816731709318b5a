"""The `foldermind` command: every subcommand finds its home the same way (--home, FOLDERMIND_HOME,
~/foldermind) and reports errors as one readable line instead of a traceback."""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape as markup_escape

from foldermind import __version__
from foldermind.config import Config
from foldermind.errors import EMPTY_FILE, FoldermindError
from foldermind.home import init_home, open_home, resolve_home
from foldermind.logs import setup_logging, visible

EMPTY_SHOWN = 5  # empty files named by `status` at most (a folder of .gitkeep files has many)

if TYPE_CHECKING:
    from foldermind.indexer.pipeline import ProgressHook

app = typer.Typer(help="Drop files into one folder; search them, chat with them.", no_args_is_help=True)


def escape(text: str) -> str:
    """A user's text inside rich markup: its control characters visible, its brackets no style."""
    return markup_escape(visible(text))


def named(name: str) -> str:
    """A file's name (or a title made of it) as a listing shows it: on one line, a line break or tab in it written
    as \\n or \\t (`new\\nline.md`); the rest exactly, a backslash too (unlike `ls -b`, which doubles it: a name
    with a line break and one with a backslash and an "n" then look alike, a rare pair)."""
    return name.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


class SafeConsole(Console):
    """A console that prints no control character of the text it is given (`visible`)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(visible(o) if isinstance(o, str) else o for o in objects), **kwargs)


out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True)
# What the CLI shows of the user's files (names, titles, headings, text, reasons naming them) is escaped or
# printed with markup=False: rich would take `plan [draft].md`'s "[draft]" for a style and drop it.
F = TypeVar("F", bound=Callable[..., Any])

HomeOption = Annotated[
    Path | None, typer.Option("--home", help="Home folder (default: $FOLDERMIND_HOME or ~/foldermind).")
]


class State:
    home: Path | None = None
    verbose: bool = False


def user_errors(command: F) -> F:
    """FoldermindError becomes a red line and exit code 1; anything else is a bug and keeps its traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FoldermindError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None

    return run  # type: ignore[return-value]


def load(home: Path | None) -> Config:
    return open_home(resolve_home(home or State.home))


def version_callback(value: bool) -> None:
    if value:
        out.print(f"foldermind {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    home: HomeOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True)] = False,
) -> None:
    State.home = home
    State.verbose = verbose
    setup_logging(verbose)


@app.command()
@user_errors
def init(home: HomeOption = None) -> None:
    """Create the home folder: context/ to drop files into, config.toml, data/."""
    where = resolve_home(home or State.home)
    created = init_home(where)
    for path in created:
        out.print(f"created {path}", markup=False)
    where_shown, context_shown = escape(str(where)), escape(str(where / "context"))
    out.print(f"foldermind home is ready at [bold]{where_shown}[/bold]. Drop files into {context_shown}.")


@app.command()
@user_errors
def index(
    home: HomeOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Scan the context folder and bring the index up to date."""
    from foldermind.indexer.index import Index
    from foldermind.indexer.pipeline import index_folder
    from foldermind.progress import progress_bar

    config = load(home)
    idx = Index(config)
    try:
        hook = progress_bar("Indexing", "files", err) if not quiet and sys.stderr.isatty() else None
        report = index_folder(idx, hook)
    finally:
        idx.close()
    empty = [path for path, reason in report.failed.items() if reason == EMPTY_FILE]
    out.print(
        f"{len(report.indexed)} indexed, {len(report.removed)} removed, {report.unchanged} unchanged, "
        f"{len(report.failed) - len(empty)} failed{f', {len(empty)} empty' if empty else ''}; "
        f"{report.chunks_embedded} chunks embedded, {report.chunks_reused} reused, in {report.seconds:.2f} s"
    )
    for path, reason in report.failed.items():
        mark = "empty" if reason == EMPTY_FILE else "[yellow]skipped[/yellow]"
        out.print(f"  {mark} {escape(named(path))}: {escape(reason)}", highlight=False)


@app.command()
@user_errors
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int | None, typer.Option("-k", help="How many results.")] = None,
    where: Annotated[list[str] | None, typer.Option("--where", help="Filter key=value (repeatable).")] = None,
    mode: Annotated[str | None, typer.Option(help="hybrid, vector or keyword.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    home: HomeOption = None,
) -> None:
    """Search the index: ranked chunks with their source and a snippet. Asks the running daemon when there is
    one (it has the models loaded); otherwise reads what changed in the folder, then searches here."""
    from foldermind.client import daemon_get

    if mode not in (None, "hybrid", "vector", "keyword"):
        raise FoldermindError(f"--mode must be hybrid, vector or keyword, not '{mode}'")
    config = load(home)
    params = {"q": query, "k": k, "mode": mode, "where": where or []}
    results = daemon_get(config, "/search", {key: value for key, value in params.items() if value is not None})
    if results is None:
        from foldermind.answer import Notes
        from foldermind.client import read_changes
        from foldermind.indexer.index import Index
        from foldermind.indexer.search import parse_where

        idx = Index(config)
        try:
            read_changes(config, idx, _reading_bar())
            hits = Notes(idx, config.server).find(query, k, mode, parse_where(where or []))  # type: ignore[arg-type]
        finally:
            idx.close()
        results = {"results": [h.to_json() for h in hits]}
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    if not results["results"]:
        out.print("No results.")
    for rank, hit in enumerate(results["results"], start=1):
        title, path, where_in = (
            escape(named(hit["title"])),
            escape(named(hit["path"])),
            escape(hit["metadata"]["location"]),
        )
        out.print(
            f"[bold]{rank}. {title}[/bold]  [dim]{path}[/dim]  {where_in}  score {hit['score']:.4f}", highlight=False
        )
        snippet = " ".join(hit["text"].split())
        out.print(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}", highlight=False, markup=False)


def disk_status(config: Config) -> dict[str, Any]:
    """What `status` shows when no server is running, from disk alone."""
    from foldermind.indexer.index import Index
    from foldermind.models import current_name

    idx = Index(config)
    try:
        return {**idx.status(), "live_model": current_name(config.data_dir) or "base"}
    finally:
        idx.close()


def _when(timestamp: float | None) -> str:
    return dt.datetime.fromtimestamp(timestamp).isoformat(sep=" ", timespec="seconds") if timestamp else "never"


def _doing(daemon: dict[str, Any]) -> str:
    """What the daemon is doing: indexing, training, about to index (changes queued), or idle."""
    if daemon["indexing"]:
        return "indexing"
    if daemon["training_running_since"]:
        return "training"
    return "about to index" if daemon["queue"] else "idle"


def _last_indexed(daemon: dict[str, Any]) -> str:
    """The daemon's last indexed file and when, or why there is none yet (reading, or nothing changed)."""
    if daemon["last_indexed"]:
        return f"{escape(daemon['last_indexed'])} at {_when(daemon['last_indexed_at'])}"
    if daemon["indexing"] or daemon["queue"]:
        return "reading your folder now"
    return f"nothing changed since the daemon started at {_when(daemon['since'])}"


@app.command()
@user_errors
def status(
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What foldermind is doing: the daemon's queue and schedule, the index, failures, the live model."""
    from foldermind.client import daemon_get
    from foldermind.lock import DAEMON_LOCK, held
    from foldermind.models import answers_line, current_name, read_report
    from foldermind.trainer.runs import last_training, progress

    config = load(home)
    info = daemon_get(config, "/status") or disk_status(config)  # the daemon has the index open: ask it
    info["last_training"] = last_training(config)
    info["training"] = progress(config)
    live = current_name(config.data_dir)
    answers = answers_line(read_report(config.data_dir, live)) if live else ""
    info["live_answers"] = f"{live}: {answers}" if answers else None
    if as_json:
        print(json.dumps(info, indent=2, default=str))
        return
    from rich.table import Table  # not at the top: `search` through the daemon should start fast

    table = Table(show_header=False, box=None)
    daemon = info.get("daemon")
    if daemon:
        doing = _doing(daemon)
        table.add_row("daemon", f"running (pid {daemon['pid']}), {doing}, {daemon['queue']} change(s) queued")
        for line in daemon.get("slow_work") or []:
            table.add_row("reading", escape(line))
        table.add_row("last indexed", _last_indexed(daemon))
        table.add_row("next training", str(daemon["next_training"] or "not scheduled"))
    elif held(config.data_dir / DAEMON_LOCK):
        table.add_row("daemon", "starting, or busy (its server does not answer)")
    else:
        table.add_row("daemon", "not running (start it with `foldermind run`)")
    for key in ("home", "context", "documents", "chunks", "vectors", "last_scan", "embedding_model", "live_model"):
        table.add_row(key.replace("_", " "), escape(str(info[key] if info[key] is not None else "never")))
    if info.get("types"):
        table.add_row("by type", escape(", ".join(f"{count} {kind}" for kind, count in info["types"].items())))
    if info.get("ocr_pages"):
        table.add_row("read by OCR", f"{info['ocr_pages']} page(s)")
    if info.get("live_answers"):
        table.add_row("live model answers", escape(info["live_answers"]))
    table.add_row("store size", f"{info['store_bytes'] / 1048576:.1f} MB")
    if info["training"]:
        table.add_row("training now", escape(info["training"]["summary"]))
    last = info.get("last_training")
    table.add_row("last training", escape(f"{_when(last['finished_at'])}: {last['message']}") if last else "never")
    out.print(table)
    if info["settings_changed"]:
        out.print("[yellow]The index settings changed in config.toml: run `foldermind index` to rebuild.[/yellow]")
    unread = {path: reason for path, reason in info["failed"].items() if reason != EMPTY_FILE}
    if unread:
        out.print(f"[yellow]{len(unread)} file(s) could not be indexed:[/yellow]")
        for path, reason in unread.items():
            out.print(f"  {named(path)}: {reason}", highlight=False, markup=False)
    if empty := sorted(set(info["failed"]) - set(unread)):
        shown = ", ".join(named(path) for path in empty[:EMPTY_SHOWN])
        more = f" and {len(empty) - EMPTY_SHOWN} more" if len(empty) > EMPTY_SHOWN else ""
        out.print(f"{len(empty)} empty file(s), nothing to index: {shown}{more}", highlight=False, markup=False)
    if info["warnings"]:
        out.print(f"[yellow]{len(info['warnings'])} file(s) were indexed with parts left out:[/yellow]")
        for path, warnings in info["warnings"].items():
            for warning in warnings:
                out.print(f"  {named(path)}: {warning}", highlight=False, markup=False)
    unread = info.get("unread_types") or {}
    if unread:
        listed = ", ".join(unread)
        out.print(f"{sum(unread.values())} file(s) of types not read: {listed}", highlight=False, markup=False)
    if info["from_outside"]:
        out.print(f"{len(info['from_outside'])} document(s) come from outside the context folder, through links:")
        for path, target in info["from_outside"].items():
            out.print(f"  {named(path)} -> {named(target)}", highlight=False, markup=False)


@app.command()
@user_errors
def forget(
    path: Annotated[Path, typer.Argument(help="A file in the context folder (relative to it or absolute).")],
    ignore: Annotated[bool, typer.Option("--ignore", help="Also add it to .foldermindignore.")] = False,
    home: HomeOption = None,
) -> None:
    """Remove a document from the index."""
    from foldermind.indexer.index import Index
    from foldermind.indexer.pipeline import forget as forget_document
    from foldermind.indexer.scan import IGNORE_FILE, real_name

    config = load(home)
    # The path as foldermind shows it ("caf\\xe9.md" for a name that is not UTF-8) names the file of that real
    # name, where there is one, or where the path as typed names no file either (a file deleted since)
    real = Path(real_name(str(path)))
    if real != path:
        here = {name: (Path.cwd() / name).exists() or (config.context_dir / name).exists() for name in (real, path)}
        path = real if here[real] or not here[path] else path
    idx = Index(config)
    try:
        done = forget_document(idx, path, ignore)
    finally:
        idx.close()
    out.print(f"Removed {named(done.path)} from the index.", markup=False, highlight=False)
    if done.rule:
        out.print(f"Added {done.rule} to {IGNORE_FILE}, so it stays out.", markup=False, highlight=False)
    elif done.still_there:
        out.print("The file is still in the folder, so the next scan adds it back; use --ignore to keep it out.")


@app.command("config")
@user_errors
def show_config(home: HomeOption = None) -> None:
    """Print the configuration in effect (config.toml plus FOLDERMIND_* overrides)."""
    print(json.dumps(load(home).model_dump(mode="json"), indent=2))


@app.command()
@user_errors
def serve(home: HomeOption = None) -> None:
    """Serve the chat page and the OpenAI-compatible API (http://127.0.0.1:8765 by default)."""
    from foldermind.server.app import serve as run_server

    config = load(home)
    out.print(f"Serving on http://{config.server.host}:{config.server.port}/  (API: /v1, docs: /docs)")
    run_server(config)


@app.command("mcp")
@user_errors
def mcp_server(
    print_config: Annotated[
        bool, typer.Option("--print-config", help="Print the configuration MCP clients start it with, then stop.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Serve your notes to an assistant over MCP on stdio (Claude Desktop, Claude Code and editors start it
    themselves). Answers through the running daemon when there is one; the daemon also serves /mcp over HTTP."""
    config = load(home)
    if print_config:
        from foldermind.client import daemon_url
        from foldermind.mcp_stdio import client_config

        started = client_config(config)
        line = " ".join(shlex.quote(part) for part in [started["command"], *started["args"]])
        blocks = {
            "Claude Desktop (claude_desktop_config.json), Cursor (.cursor/mcp.json)": {
                "mcpServers": {"foldermind": started}
            },
            "VS Code (.vscode/mcp.json)": {"servers": {"foldermind": {"type": "stdio", **started}}},
        }
        for where, block in blocks.items():
            print(f"# {where}\n{json.dumps(block, indent=2)}\n")
        print(f"# Claude Code\nclaude mcp add foldermind -- {line}\n")
        key = " --header 'Authorization: Bearer <[server] api_key>'" if config.server.api_key else ""
        print(
            f"# Claude Code, over HTTP to the running daemon\nclaude mcp add --transport http{key} foldermind "
            f"{daemon_url(config)}/mcp"
        )
        return
    from foldermind.mcp_stdio import serve_stdio

    serve_stdio(config)


def _print_answer(url: str, config: Config, messages: list[dict[str, str]], where: dict[str, str]) -> str:
    from foldermind.client import stream_chat

    answer: list[str] = []
    sources: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for event in stream_chat(url, config, messages, {"where": where} if where else {}):
        delta = event["choices"][0]["delta"] if event["choices"] else {}
        if delta.get("content"):
            answer.append(delta["content"])
            out.print(delta["content"], end="", markup=False, highlight=False)
        sources = event.get("sources", sources)
        evidence = event.get("evidence", evidence)
    out.print()
    for item in evidence:
        where = f", {item['location']}" if item["location"] else ""
        out.print(f"\n  Evidence [{item['source']}] {named(item['path'])}{where}:", markup=False, highlight=False)
        for line in item["text"].splitlines():
            out.print(f"  │ {line}", markup=False, highlight=False)
    if evidence:
        out.print()
    for source in sources:
        mark = "*" if source["cited"] else " "
        out.print(
            f" {mark}[{source['number']}] {named(source['title'])} — {named(source['path'])} {source['location']}",
            markup=False,
            highlight=False,
        )
    return "".join(answer)


def _reading_bar() -> ProgressHook | None:
    """A bar on a terminal's stderr while `ask`, `chat` or `search` read what changed in the folder (no daemon
    running)."""
    from foldermind.progress import progress_bar

    return progress_bar("Reading your folder", "files", err) if sys.stderr.isatty() else None


@app.command()
@user_errors
def ask(
    question: Annotated[str, typer.Argument(help="Your question.")],
    where: Annotated[list[str] | None, typer.Option("--where", help="Only sources with key=value.")] = None,
    home: HomeOption = None,
) -> None:
    """Ask one question; the answer streams in, then the lines of your notes it rests on, then its sources
    (* = cited)."""
    from foldermind.client import server_url
    from foldermind.indexer.search import parse_where

    config = load(home)
    with server_url(config, _reading_bar()) as url:
        _print_answer(url, config, [{"role": "user", "content": question}], parse_where(where or []))


@app.command()
@user_errors
def chat(home: HomeOption = None) -> None:
    """An interactive conversation about your notes (empty line or Ctrl-D to leave)."""
    from foldermind.client import server_url

    config = load(home)
    history: list[dict[str, str]] = []
    with server_url(config, _reading_bar()) as url:
        while True:
            try:
                question = input("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if not question:
                break
            history.append({"role": "user", "content": question})
            history.append({"role": "assistant", "content": _print_answer(url, config, history, {})})


@app.command()
@user_errors
def train(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be trained on, then stop.")] = False,
    home: HomeOption = None,
) -> None:
    """Fine-tune a model on your notes now (the daemon does this every night)."""
    import os

    from foldermind.trainer.pipeline import run_training
    from foldermind.trainer.runs import REJECTED_EXIT_CODE

    config = load(home)
    os.nice(10)  # chat and indexing stay responsive while this runs
    result = run_training(config, dry_run=dry_run, show_progress=sys.stderr.isatty())
    if result.status == "dry_run":
        data = result.report["data"]
        out.print(
            f"Would train on {data['documents']} documents ({data['train_chunks']} chunks, "
            f"{data['held_out_chunks']} held out), {data['tokens']} tokens in {data['sequences']} sequences: "
            f"{data['steps']} steps, about {data['estimated_minutes']} min."
        )
        kinds = data["examples"]
        out.print(
            f"Examples: {kinds['pretraining']} note texts, {kinds['retrieval_chats']} question chats, "
            f"{kinds['refusals']} 'not in the notes' chats, {kinds['user_examples']} of your own, "
            f"{kinds['replay']} general chats; {data['held_out_questions']} held-out questions to measure with "
            f"({data['rated_questions']} of them yours, rated right on the page)."
        )
        if kinds["user_examples"] or data["rejected_examples"]:
            out.print(
                f"Your examples (*.train.jsonl, *.train.json): {kinds['user_examples']} accepted, "
                f"{len(data['rejected_examples'])} rejected"
                + (f", {data['too_long']} chat(s) longer than seq_len left out" if data["too_long"] else "")
            )
        for reason in data["rejected_examples"]:
            out.print(f"  rejected: {reason}", markup=False, highlight=False)
        for path in data["excluded_documents"]:
            out.print(f"  excluded: {named(path)}", markup=False, highlight=False)
        return
    out.print(result.message, markup=False, highlight=False)
    if result.status == "rejected":
        raise typer.Exit(REJECTED_EXIT_CODE)


models_app = typer.Typer(
    help="Model versions: list them, choose the live one, export one, pull a bigger base.", no_args_is_help=True
)
app.add_typer(models_app, name="models")


@models_app.command("list")
@user_errors
def models_list(home: HomeOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every version: when it was made, what it saw, its figures, its size, and which is live."""
    from foldermind.models import model_rows

    config = load(home)
    rows = model_rows(config.data_dir, config.server.base_model)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    table = Table("version", "live", "made", "documents", "answers right", "held-out ppl", "general ppl", "size")
    table.columns[4].no_wrap = True  # the figure a user compares versions by: never broken over lines
    for row in rows:
        table.add_row(
            row["name"],
            "*" if row["live"] else "",
            row["made"],
            str(row["documents"] or ""),
            f"{row['accuracy']:.0%} (base {row['base_accuracy']:.0%})" if row["answers"] else "",
            row["perplexity"],
            row["general_perplexity"],
            f"{row['size_mb']:.0f} MB",
        )
    out.print(table)


@models_app.command("pull")
@user_errors
def models_pull(
    name: Annotated[str | None, typer.Argument(help="A catalog name (none: list them) or OWNER/REPO.")] = None,
    file: Annotated[str | None, typer.Option("--file", help="The .gguf file to take from a hub repository.")] = None,
    serve: Annotated[
        bool | None, typer.Option("--serve/--no-serve", help="Answer with it (default: ask).", show_default=False)
    ] = None,
    train: Annotated[
        bool | None, typer.Option("--train/--no-train", help="Fine-tune it nightly (default: ask).", show_default=False)
    ] = None,
    home: HomeOption = None,
) -> None:
    """Download a bigger instruct model (GGUF) from the Hugging Face hub and offer to make it the base."""
    from foldermind import hub

    if name is None:
        from rich.table import Table

        table = Table("name", "repository", "file", "download")
        for model in hub.CATALOG:
            table.add_row(model.name, model.repo, model.file, f"{model.download_mb} MB")
        out.print(table)
        out.print("foldermind models pull NAME   (or OWNER/REPO --file FILE.gguf for any hub repository)")
        return
    config = load(home)
    model = hub.resolve(name, file)
    out.print(f"Downloading {model.file} from {model.repo} ...", markup=False)
    path = hub.download(model)
    hub.check_loads(path)
    out.print(f"{model.file} loads and runs in llama.cpp: {path}", markup=False, highlight=False)
    interactive = sys.stdin.isatty()
    if serve is None:
        serve = interactive and typer.confirm("Answer with it (make it the served base model)?", default=True)
    if train is None:
        train = interactive and typer.confirm("Fine-tune it nightly (make it the trainer's base model)?", default=True)
    if serve or train:
        hub.use_as_base(config.home, path, server=serve, trainer=train)
    roles = [role for role, chosen in (("served base", serve), ("trainer's base", train)) if chosen]
    if roles:
        out.print(f"It is now the {' and the '.join(roles)} model (restart `foldermind run` to load it).")
    else:
        out.print(f"Nothing changed; to use it later: foldermind models pull {name} --serve --train")


@models_app.command("use")
@user_errors
def models_use(
    version: Annotated[str, typer.Argument(help="A version from `models list`, or 'base'.")], home: HomeOption = None
) -> None:
    """Make VERSION the live model (the server switches to it between two requests)."""
    from foldermind.models import set_live

    set_live(load(home).data_dir, version)
    out.print(f"{version} is now the live model.")


@models_app.command("rollback")
@user_errors
def models_rollback(home: HomeOption = None) -> None:
    """Go back to the version before the live one (or to the base model)."""
    from foldermind.models import previous_version

    config = load(home)
    from foldermind.models import set_live

    target = previous_version(config.data_dir, config.server.base_model)
    set_live(config.data_dir, target)
    out.print(f"Rolled back: {target} is now the live model.")


@app.command()
@user_errors
def run(home: HomeOption = None) -> None:
    """Run everything: watch the folder, index changes within a second, serve chat, train every night."""
    from foldermind.daemon.run import run_daemon

    config = load(home)
    out.print(
        f"foldermind is watching {config.context_dir} and serving http://{config.server.host}:"
        f"{config.server.port}/  (Ctrl-C stops it)",
        markup=False,
    )
    run_daemon(config)


service_app = typer.Typer(help="Run foldermind as a systemd user service.", no_args_is_help=True)
app.add_typer(service_app, name="service")


@service_app.command("install")
@user_errors
def service_install(
    home: HomeOption = None,
    enable: Annotated[bool, typer.Option(help="Enable and start it now.")] = True,
) -> None:
    """Write the user unit, then enable and start it."""
    from foldermind.daemon import service

    for line in service.install(load(home).home, enable):
        out.print(line, markup=False, highlight=False)


@service_app.command("uninstall")
@user_errors
def service_uninstall() -> None:
    """Stop, disable and remove the user unit."""
    from foldermind.daemon import service

    for line in service.uninstall():
        out.print(line, markup=False, highlight=False)


@service_app.command("status")
@user_errors
def service_status() -> None:
    """Whether the unit is installed and running."""
    from foldermind.daemon import service

    out.print(service.status(), markup=False, highlight=False)


@app.command()
@user_errors
def doctor(home: HomeOption = None) -> None:
    """Check the set-up: models, index, port, disk, file watching, service; says what to do for each problem."""
    from foldermind.doctor import run_checks

    checks = run_checks(load(home))
    for check in checks:
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        out.print(f"{mark} {check.name}: {escape(check.detail)}", highlight=False)
        if not check.ok and check.fix:
            out.print(f"       -> {check.fix}", highlight=False, markup=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@models_app.command("export")
@user_errors
def models_export(
    version: Annotated[str | None, typer.Argument(help="Version to export (default: the live one).")] = None,
    to: Annotated[Path | None, typer.Option("--to", help="Folder to write to.")] = None,
    ollama: Annotated[bool, typer.Option("--ollama", help="Also write an Ollama Modelfile.")] = False,
    home: HomeOption = None,
) -> None:
    """Copy a model's GGUF out (it runs in llama.cpp, LM Studio, Ollama...)."""
    from foldermind.model_export import export_model

    config = load(home)
    for line in export_model(config, version, to, ollama):
        out.print(line, markup=False, highlight=False)
