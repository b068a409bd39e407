"""A rich progress bar with rows and rate; silent when progress is off (tests, libraries)."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.progress import ProgressColumn, Task
from rich.text import Text


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


class IngestProgress:
    """One bar per file; ``advance`` takes rows (lines) read."""

    def __init__(self, enabled: bool, console: Console | None = None) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        if enabled:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                _RateColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=console or Console(stderr=True), transient=False,
            )

    def __enter__(self) -> "IngestProgress":
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def add(self, description: str, total: int | None) -> TaskID | None:
        if self._progress is None:
            return None
        return self._progress.add_task(description, total=total)

    def advance(self, task: TaskID | None, rows: int) -> None:
        if self._progress is not None and task is not None:
            self._progress.advance(task, rows)

    def set_total(self, task: TaskID | None, total: int) -> None:
        """Size the bar once the line count is known (may be called from another thread)."""
        if self._progress is not None and task is not None:
            self._progress.update(task, total=total)

    def restart(self, task: TaskID | None) -> None:
        """Back to zero rows (the file is read again)."""
        if self._progress is not None and task is not None:
            self._progress.reset(task)

    def finish(self, task: TaskID | None) -> None:
        if self._progress is not None and task is not None:
            t = self._progress.tasks[task]
            self._progress.update(task, total=t.completed)
