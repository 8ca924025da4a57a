"""Problems: how every pipeline stage reports bad data.

Stages never raise on the first bad value. They add a `Problem` (file, line, column, message) to
a `Report`; the caller fails once, after every file has been read, with every problem sorted by
file and line. `DataError` carries that report out of `load_site`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# Messages quote data (keys, values, file names), and data can hold line breaks: a quoted key
# "x\n::error ..." would print a line that GitHub Actions reads as one of its workflow commands.
# So every control character in a path or message is shown escaped, and each problem stays on
# its one line.
_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def one_line(text: str) -> str:
    """`text` with its line breaks and other control characters written as escapes."""
    return text.translate(_ESCAPES)


def path_name(path: tuple) -> str:
    """`updates[2].date` style name of the value at a path; 'the file' for the root."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
    return name or "the file"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, at a place an editor can jump to."""

    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based
    col: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (shown on the PR's diff)."""

        def prop(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A") \
                .replace(":", "%3A").replace(",", "%2C")

        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (f"::error file={prop(self.path)},line={self.line},col={self.col},"
                f"title=Data error::{message}")


@dataclass
class Report:
    """Collects problems from every stage; formats them once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(one_line(path), max(line, 1), max(col, 1),
                                     one_line(message)))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def sorted(self) -> list[Problem]:
        """Problems in file, line, column order, each reported once."""
        return sorted(set(self.problems))

    def format(self, github: bool | None = None) -> str:
        """Every problem on its own line, then the count; plus annotations on GitHub Actions."""
        if github is None:
            github = os.environ.get("GITHUB_ACTIONS") == "true"
        problems = self.sorted()
        lines = [str(p) for p in problems]
        if github:
            lines += [p.annotation() for p in problems]
        files = len({p.path for p in problems})
        noun = "error" if len(problems) == 1 else "errors"
        lines.append(f"{len(problems)} data {noun} in {files} file{'s' if files != 1 else ''}; "
                     "nothing was published. See CONTRIBUTING.md#fixing-validation-errors")
        return "\n".join(lines)


class DataError(Exception):
    """Raised once, after loading and validating everything, when the report is not empty."""

    def __init__(self, report: Report):
        super().__init__(report.format())
        self.report = report
