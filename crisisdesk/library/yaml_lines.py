"""YAML with line numbers, so every content problem can name its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml

# The C loader when PyYAML was built with libyaml: parsing the library is most of a reload.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Located:
    """Parsed YAML plus the line (1-based, in the file) of every mapping key and list item."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path) -> int:
        """Line of the deepest known prefix of `path` (the document start if none)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


class YamlProblem(Exception):
    """The YAML itself does not parse."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, line_offset: int = 0) -> Located:
    """Parse YAML text; line numbers are shifted by `line_offset` lines."""
    try:
        node = yaml.compose(text, Loader=SafeLoader)
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlProblem(line, f"YAML does not parse: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1 + line_offset, f"YAML does not parse: {exc}") from None
    located = Located(data, first_line=1 + line_offset)
    if node is not None:
        _collect(node, (), located.lines, line_offset)
    return located


def _collect(node, path: tuple, lines: dict, offset: int) -> None:
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _scalar_key(key_node)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
            _collect(value_node, path + (key,), lines, offset)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect(item, path + (index,), lines, offset)


def _scalar_key(node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        try:
            return yaml.safe_load(node.value) if node.tag.endswith(":int") else node.value
        except yaml.YAMLError:
            return node.value
    return None


@dataclass
class FrontMatterFile:
    """A Markdown file split into located front matter and its body."""

    meta: Located
    body: str
    body_first_line: int


def parse_front_matter(text: str) -> FrontMatterFile:
    """Split `---` front matter from the Markdown body, keeping line numbers."""
    if not text.startswith("---"):
        raise YamlProblem(1, "the file must start with '---' front matter")
    try:
        meta_text, body = frontmatter.YAMLHandler().split(text)
    except ValueError:
        raise YamlProblem(1, "the front matter is not closed with '---'") from None
    # meta_text begins with the rest of the opening '---' line, so its line 1 is file line 1
    meta = parse_yaml(meta_text, line_offset=0)
    head = text[: len(text) - len(body)] if body else text
    body_first_line = head.count("\n") + 1  # body[0] sits on the closing '---' line
    return FrontMatterFile(meta, body, body_first_line)
