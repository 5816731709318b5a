"""Progress bars users see while indexing or training (rich, to stderr)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from foldermind.logs import visible


class RateColumn(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} {self.unit}/s" if speed else f"- {self.unit}/s", style="cyan")


def progress_bar(description: str, unit: str, console: Console | None = None) -> Callable[[int], object]:
    @contextmanager
    def hook(total: int) -> Iterator[Callable[[str], None]]:
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(unit),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}", style="dim", markup=False),  # a file name, shown as it is
        )
        with Progress(*columns, console=console or Console(stderr=True), transient=False) as bar:
            task = bar.add_task(description, total=total, current="")

            def advance(name: str) -> None:
                shown = visible(name[-40:]).replace("\n", "\\x0a").replace("\t", "\\x09")  # one line, no controls
                bar.update(task, advance=1, current=shown)

            yield advance

    return hook
