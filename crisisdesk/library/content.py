"""The library's content as plain objects: playbooks, statements, the escalation policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from markupsafe import Markup

from ..markdown import render_markdown
from .placeholders import Placeholder

SEVERITIES = (1, 2, 3, 4)
INCIDENT_ROLES = ("lead", "spokesperson", "legal_reviewer", "management_sponsor", "scribe")
#: a checklist item's phase, and the minute after the opening by which that phase ends
PHASES = {"first-15-minutes": 15, "first-hour": 60, "first-day": 24 * 60, "after": None}


@dataclass(frozen=True)
class Problem:
    """Something wrong in a content file, with where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Step:
    """One escalation step: after so many minutes, tell a role to act."""

    after_minutes: int
    target_role: str
    action: str
    #: the opening of the incident fulfils it: the opener takes it on at once (minute-0 steps only)
    on_opening: bool = False
    #: a duty whose holder is told first; the role's holders follow if they do not acknowledge
    target_duty: str | None = None
    #: minutes to wait for an acknowledgement before the next rule is told
    repeat_after: int | None = None
    #: a duty whose holder is told last, when neither the duty nor the role acknowledged
    fallback_duty: str | None = None

    def as_dict(self) -> dict:
        return {
            "after_minutes": self.after_minutes,
            "target_role": self.target_role,
            "action": self.action,
            "on_opening": self.on_opening,
            "target_duty": self.target_duty,
            "repeat_after": self.repeat_after,
            "fallback_duty": self.fallback_duty,
        }


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    phase: str = ""  #: one of PHASES; empty in versions written before phases existed


@dataclass
class ContentFile:
    """What every versioned file has: where it lives, its exact text and that text's SHA-256."""

    path: str
    text: str
    sha256: str


@dataclass
class Playbook(ContentFile):
    slug: str = ""
    title: str = ""
    language: str = "de"
    twin: str | None = None
    default_severity: int = 2
    #: what makes an incident of this kind a 1, 2, 3 or 4, so on call can choose in seconds
    severity_criteria: dict[int, str] = field(default_factory=dict)
    triggers: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    #: the contact directory's tags of the people and organisations to call for this playbook
    contacts: list[str] = field(default_factory=list)
    #: the slug of the dark page (playbooks/dark/) this kind of incident can put live on the website
    dark_page: str | None = None
    escalation: dict[int, list[Step]] = field(default_factory=dict)
    inherits_policy: bool = True
    update_cadence_minutes: dict[int, int] = field(default_factory=dict)
    #: our own people (staff, branches, service centre) hear of it at least this many minutes
    #: before anything goes out to the public (0: no such rule)
    internal_first_minutes: int = 0
    owner: str = ""
    review_by: date | None = None
    body: str = ""

    @cached_property
    def html(self) -> Markup:
        """The guidance, rendered and sanitised (once per version)."""
        return render_markdown(self.body)

    @cached_property
    def search_text(self) -> str:
        return " ".join([self.title, " ".join(self.triggers), self.body]).casefold()


@dataclass
class Statement(ContentFile):
    slug: str = ""
    title: str = ""
    language: str = "de"
    twin: str | None = None
    audience: str = ""  #: who the text is for (channels.AUDIENCES); it decides the channels
    channels: list[str] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    owner: str = ""
    body: str = ""
    #: a dark page (playbooks/dark/): the prepared public web page of a kind of crisis
    dark: bool = False

    @cached_property
    def search_text(self) -> str:
        return " ".join([self.title, self.body]).casefold()


@dataclass(frozen=True)
class Objective:
    """What an exercise measures: a time from the drill's start, and its target."""

    id: str
    measure: str  #: one of drill_file.MEASURES
    target_minutes: int
    text: str


@dataclass(frozen=True)
class Inject:
    """A simulated event a drill releases at a minute after its start."""

    id: str
    at_minute: int
    kind: str  #: one of drill_file.INJECT_KINDS
    text: str
    platform: str = ""
    author: str = ""
    reach: int = 0
    severity: int | None = None
    count: int = 1  #: a complaint wave's posts
    over_minutes: int = 0  #: and the minutes they spread over
    #: the reaction the team should show ("reply", "publish", "note", "acknowledge"), if any
    expects: str | None = None
    within_minutes: int | None = None


@dataclass
class DrillScript(ContentFile):
    """A scenario to rehearse on the real desk: its playbook, objectives and timed injects."""

    slug: str = ""
    title: str = ""
    language: str = "de"
    twin: str | None = None
    playbook: str = ""
    severity: int = 2
    duration_minutes: int = 60
    objectives: list[Objective] = field(default_factory=list)
    injects: list[Inject] = field(default_factory=list)
    owner: str = ""
    body: str = ""  #: the exercise lead's briefing

    @cached_property
    def html(self) -> Markup:
        """The briefing, rendered and sanitised."""
        return render_markdown(self.body)


@dataclass(frozen=True)
class QaItem:
    """One question the service centre or a branch will hear, and how to answer it."""

    id: str
    question: str
    answer: str  #: the approved answer, to be said as it stands
    do_not_say: str  #: what must not be said (speculation, names, figures, promises)
    escalate_to: str  #: the incident role the caller or the question is handed to


@dataclass
class QaSheet(ContentFile):
    """Questions and approved answers for our own people, signed off by legal per version."""

    slug: str = ""
    title: str = ""
    language: str = "de"
    twin: str | None = None
    audience: str = "service_centre"  #: one of the internal audiences
    playbooks: list[str] = field(default_factory=list)  #: the playbooks it serves
    items: list[QaItem] = field(default_factory=list)
    owner: str = ""
    body: str = ""  #: guidance for the person on the phone

    placeholders: tuple = ()  #: none: an answer is said as written (sign-off treats it as text)

    @cached_property
    def html(self) -> Markup:
        """The guidance, rendered and sanitised."""
        return render_markdown(self.body)


@dataclass
class Library:
    """Everything loaded from one content folder, and every problem found on the way."""

    playbooks: dict[str, Playbook] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    drills: dict[str, DrillScript] = field(default_factory=dict)
    qa: dict[str, QaSheet] = field(default_factory=dict)
    policy: dict[str, dict[int, list[Step]]] = field(
        default_factory=dict
    )  #: language → severity → steps
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def versioned(self) -> list[ContentFile]:
        """Every file whose versions the database keeps."""
        return [
            *self.playbooks.values(),
            *self.statements.values(),
            *self.drills.values(),
            *self.qa.values(),
        ]
