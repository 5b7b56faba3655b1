"""Form and workflow definitions: parsed and validated from the catalogue, then read-only.

Validation collects every problem with its path (``services[3].questions[2].type: ...``) so a
council editing the YAML sees all its mistakes at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

QUESTION_TYPES = {
    "text",
    "textarea",
    "number",
    "date",
    "yesno",
    "choice",
    "choices",
    "email",
    "phone",
    "postcode",
    "address",
    "location",
    "file",
}
DEFAULT_ACCEPT = ("jpg", "png", "gif", "heic", "pdf")
NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,49}")
RESERVED_NAMES = {"contact", "check", "confirmation"}


class DefinitionError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: str
    hint: str = ""
    required: bool = True
    choices: tuple[Choice, ...] = ()
    show_if: dict[str, Any] | None = None
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    past_only: bool = False
    future_only: bool = False
    accept: tuple[str, ...] = DEFAULT_ACCEPT
    max_size_mb: int | None = None

    def is_shown(self, answers: dict[str, Any]) -> bool:
        if not self.show_if:
            return True
        given = answers.get(self.show_if["question"])
        wanted = self.show_if.get("in", [self.show_if.get("equals")])
        if isinstance(given, list):
            return any(item in wanted for item in given)
        return given in wanted

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class FormDefinition:
    questions: tuple[Question, ...]

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)

    def shown_questions(self, answers: dict[str, Any]) -> list[Question]:
        return [q for q in self.questions if q.is_shown(answers)]

    @classmethod
    def from_json(cls, data: list[dict[str, Any]]) -> FormDefinition:
        questions = []
        for raw in data:
            item = dict(raw)
            item["choices"] = tuple(Choice(**c) for c in item.get("choices", ()))
            item["accept"] = tuple(item.get("accept", DEFAULT_ACCEPT))
            questions.append(Question(**item))
        return cls(tuple(questions))


def validate_questions(raw_questions: Any, path: str, problems: list[str]) -> list[dict[str, Any]]:
    """Check a service's ``questions`` list; returns the normalised JSON to store."""
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(f"{path}: must be a non-empty list of questions")
        return []
    seen: list[str] = []
    result = []
    allowed_keys = set(Question.__dataclass_fields__)
    for index, raw in enumerate(raw_questions):
        where = f"{path}[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        unknown = set(raw) - allowed_keys
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        name = raw.get("name")
        if not isinstance(name, str) or not NAME_RE.fullmatch(name) or name in RESERVED_NAMES:
            problems.append(f"{where}.name: {name!r} must be lower-case letters, digits and underscores")
            continue
        if name in seen:
            problems.append(f"{where}.name: {name!r} is used twice")
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            problems.append(f"{where}.type: unknown type {qtype!r}")
        if not isinstance(raw.get("label"), str) or not raw["label"].strip():
            problems.append(f"{where}.label: is required")
        item: dict[str, Any] = {k: v for k, v in raw.items() if k in allowed_keys}
        item["required"] = bool(raw.get("required", True))
        if qtype in {"choice", "choices"}:
            choices = raw.get("choices")
            if not isinstance(choices, list) or len(choices) < 2:
                problems.append(f"{where}.choices: a {qtype} question needs at least two choices")
                choices = []
            normalised = []
            for c_index, choice in enumerate(choices):
                if isinstance(choice, str):
                    normalised.append({"value": choice, "label": choice})
                elif isinstance(choice, dict) and {"value", "label"} <= set(choice):
                    normalised.append({"value": str(choice["value"]), "label": str(choice["label"])})
                else:
                    problems.append(f"{where}.choices[{c_index}]: must be a string or {{value, label}}")
            values = [c["value"] for c in normalised]
            if len(set(values)) != len(values):
                problems.append(f"{where}.choices: values must be unique")
            item["choices"] = normalised
        elif "choices" in raw:
            problems.append(f"{where}.choices: only choice and choices questions have choices")
        show_if = raw.get("show_if")
        if show_if is not None:
            if (
                not isinstance(show_if, dict)
                or "question" not in show_if
                or not ("equals" in show_if or "in" in show_if)
            ):
                problems.append(
                    f"{where}.show_if: must be {{question: NAME, equals: VALUE}} or {{question, in: [...]}}"
                )
            elif show_if["question"] not in seen:
                problems.append(
                    f"{where}.show_if.question: {show_if['question']!r} is not an earlier question"
                )
            else:
                item["show_if"] = {
                    k: (str(v) if k == "equals" else [str(x) for x in v] if k == "in" else v)
                    for k, v in show_if.items()
                }
        if qtype == "file":
            accept = raw.get("accept", list(DEFAULT_ACCEPT))
            bad = [a for a in accept if a not in DEFAULT_ACCEPT]
            if bad:
                problems.append(
                    f"{where}.accept: unsupported file types {bad}; allowed {list(DEFAULT_ACCEPT)}"
                )
        for key in ("max_length", "min", "max", "max_size_mb"):
            if key in raw and not isinstance(raw[key], int):
                problems.append(f"{where}.{key}: must be a whole number")
        seen.append(name)
        result.append(item)
    return result


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    public_label: str
    state: str  # "open" or "closed"
    public: bool = True
    reason_required: bool = False
    pause_clock: bool = False  # waiting for the resident: the clock stops while the case is here
    on_enter_template: str = ""  # response template sent to the resident on entering
    after_days: int | None = None  # automatic step: after this many days here ...
    move_to: str = ""  # ... move to this status
    remind_after_days: int | None = None  # remind the resident after this many days here

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"


@dataclass(frozen=True)
class Workflow:
    initial: str
    statuses: tuple[Status, ...]
    transitions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def status(self, code: str) -> Status:
        for status in self.statuses:
            if status.code == code:
                return status
        raise KeyError(code)

    def has(self, code: str) -> bool:
        return any(status.code == code for status in self.statuses)

    def allowed_from(self, code: str) -> list[Status]:
        return [self.status(target) for target in self.transitions.get(code, ())]

    def can_move(self, from_code: str, to_code: str) -> bool:
        return to_code in self.transitions.get(from_code, ())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Workflow:
        return cls(
            initial=data["initial"],
            statuses=tuple(Status(**s) for s in data["statuses"]),
            transitions={k: tuple(v) for k, v in data["transitions"].items()},
        )


def validate_workflow(raw: Any, path: str, problems: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(f"{path}: must be a mapping with initial, statuses and transitions")
        return {}
    statuses = raw.get("statuses")
    if not isinstance(statuses, list) or not statuses:
        problems.append(f"{path}.statuses: must be a non-empty list")
        return {}
    codes: list[str] = []
    clean_statuses = []
    for index, status in enumerate(statuses):
        where = f"{path}.statuses[{index}]"
        if not isinstance(status, dict) or not {"code", "label", "state"} <= set(status):
            problems.append(f"{where}: needs code, label and state")
            continue
        if status["state"] not in {"open", "closed"}:
            problems.append(f"{where}.state: must be open or closed, not {status['state']!r}")
        unknown = set(status) - set(Status.__dataclass_fields__)
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if status["code"] in codes:
            problems.append(f"{where}.code: {status['code']!r} is used twice")
        codes.append(status["code"])
        clean = {
            "code": str(status["code"]),
            "label": str(status["label"]),
            "public_label": str(status.get("public_label") or status["label"]),
            "state": status["state"],
            "public": bool(status.get("public", True)),
            "reason_required": bool(status.get("reason_required", False)),
            "pause_clock": bool(status.get("pause_clock", False)),
            "on_enter_template": str(status.get("on_enter_template", "")),
            "after_days": status.get("after_days"),
            "move_to": str(status.get("move_to", "")),
            "remind_after_days": status.get("remind_after_days"),
        }
        for key in ("after_days", "remind_after_days"):
            if clean[key] is not None and (not isinstance(clean[key], int) or clean[key] < 1):
                problems.append(f"{where}.{key}: must be a whole number of days, 1 or more")
        if bool(clean["after_days"]) != bool(clean["move_to"]):
            problems.append(f"{where}: after_days and move_to go together")
        clean_statuses.append(clean)
    initial = raw.get("initial")
    if initial not in codes:
        problems.append(f"{path}.initial: {initial!r} is not one of the statuses")
    transitions = raw.get("transitions") or {}
    if not isinstance(transitions, dict):
        problems.append(f"{path}.transitions: must be a mapping from status to a list of statuses")
        transitions = {}
    clean_transitions: dict[str, list[str]] = {}
    for source, targets in transitions.items():
        if source not in codes:
            problems.append(f"{path}.transitions.{source}: transition from unknown status {source!r}")
            continue
        if not isinstance(targets, list):
            problems.append(f"{path}.transitions.{source}: must be a list of statuses")
            continue
        for target in targets:
            if target not in codes:
                problems.append(f"{path}.transitions.{source}: transition to unknown status {target!r}")
        clean_transitions[source] = [t for t in targets if t in codes]
    for index, status in enumerate(clean_statuses):
        if status["move_to"] and status["move_to"] not in codes:
            problems.append(f"{path}.statuses[{index}].move_to: unknown status {status['move_to']!r}")
    # Every status must be reachable from the initial one (automatic moves count).
    automatic = {s["code"]: s["move_to"] for s in clean_statuses if s["move_to"] in codes}
    reachable = {initial}
    frontier = [initial]
    while frontier:
        current = frontier.pop()
        for target in [
            *clean_transitions.get(current, []),
            *([automatic[current]] if current in automatic else []),
        ]:
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    for code in codes:
        if code not in reachable:
            problems.append(f"{path}.statuses: {code!r} is unreachable from {initial!r}")
    return {"initial": initial, "statuses": clean_statuses, "transitions": clean_transitions}


PLACEHOLDERS = {"resident_name", "reference", "service", "due_date"}


def validate_templates(raw: Any, path: str, problems: list[str]) -> list[dict[str, str]]:
    """Response templates: ``[{name, title, text}]``; text may use {resident_name}, {reference},
    {service} and {due_date}."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{path}: must be a list of templates")
        return []
    result = []
    names: set[str] = set()
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        if not isinstance(item, dict) or not {"name", "text"} <= set(item):
            problems.append(f"{where}: needs name and text")
            continue
        if item["name"] in names:
            problems.append(f"{where}.name: {item['name']!r} is used twice")
        names.add(item["name"])
        used = set(re.findall(r"{(\w+)}", item["text"]))
        unknown = used - PLACEHOLDERS
        if unknown:
            problems.append(
                f"{where}.text: unknown placeholders {sorted(unknown)}; use {sorted(PLACEHOLDERS)}"
            )
        result.append(
            {
                "name": str(item["name"]),
                "title": str(item.get("title") or item["name"]),
                "text": str(item["text"]),
            }
        )
    return result


def fill_template(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders; anything else in braces is left as typed."""
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), m.group(0)), text)
