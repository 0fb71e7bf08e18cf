"""Find the HTML forms the desk really renders: action, method and the fields each one sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class FormSpec:
    """One `<form method=post>`: where it posts and
    the fields (with the options a select offers).
    """

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class _FormCollector(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self.links: list[str] = []
        self._form: FormSpec | None = None
        self._select: str | None = None
        self._alternates: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = FormSpec(action=(attrs.get("action") or self.page_url).split("?")[0])
            return
        if self._form is None:
            return
        if attrs.get("formaction"):  # a second submit button posting the same fields elsewhere
            self._alternates.append(attrs["formaction"].split("?")[0])
        if tag == "option" and self._select and attrs.get("value") is not None:
            self._form.fields[self._select].append(attrs["value"])
        elif tag in ("input", "textarea") and attrs.get("name"):
            options = self._form.fields.setdefault(attrs["name"], [])
            if attrs.get("value") is not None and attrs.get("type") in (
                "checkbox",
                "radio",
                "hidden",
                "submit",
            ):
                options.append(attrs["value"])
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._form.fields.setdefault(self._select, [])

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self.forms.extend(
                FormSpec(action, dict(self._form.fields)) for action in self._alternates
            )
            self._form, self._alternates = None, []
        elif tag == "select":
            self._select = None


def read_page(html: str, page_url: str) -> tuple[list[FormSpec], list[str]]:
    """Every POST form on a page, and every link."""
    collector = _FormCollector(page_url)
    collector.feed(html)
    return collector.forms, collector.links


def merge(found: dict[str, FormSpec], forms: list[FormSpec]) -> None:
    """Add forms to `found` by action, joining the fields and options seen on different pages."""
    for form in forms:
        known = found.setdefault(form.action, FormSpec(form.action))
        for name, options in form.fields.items():
            known.fields.setdefault(name, [])
            known.fields[name] = sorted(set(known.fields[name]) | set(options))
