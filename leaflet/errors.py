"""The one error type the library raises: a plain message that knows where it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, at a file and line."""

    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}" if where else f"{kind}{self.message}"


class LeafletError(Exception):
    """A problem a user can fix, carrying the file and line it concerns.

    It may hold several problems at once, so that every problem in a source is
    reported in one run; ``str()`` gives one line per problem.
    """

    def __init__(self, path: str | None = None, line: int | None = None, message: str = "",
                 problems: list[Problem] | None = None):
        self.problems = list(problems) if problems else [Problem(path or "", line, message)]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @property
    def path(self) -> str:
        return self.problems[0].path

    @property
    def line(self) -> int | None:
        return self.problems[0].line


class Collector:
    """Gathers problems while a file is read, then raises them all together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def warn(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    def raise_errors(self, strict: bool = False) -> None:
        failing = self.problems if strict else self.errors
        if failing:
            raise LeafletError(problems=failing)
