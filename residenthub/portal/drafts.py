"""A resident's answers in progress, kept in their session until they submit.

Shape of ``session["drafts"][service_code]``::

    {"answers": {name: value}, "done": [names answered or passed], "contact": {...} or None,
     "key": submission key, "lookup": {address question: postcode being looked up}}
"""

from __future__ import annotations

import secrets
from typing import Any

from residenthub.services.definitions import Question
from residenthub.services.models import Service


class Draft:
    def __init__(self, request, service: Service):
        self.request = request
        self.service = service
        drafts = request.session.setdefault("drafts", {})
        self.data: dict[str, Any] = drafts.setdefault(
            service.code,
            {
                "answers": {},
                "done": [],
                "contact": None,
                "key": secrets.token_urlsafe(24),
                "lookup": {},
            },
        )

    def store(self) -> None:
        """Mark the session changed so Django writes it (the draft lives in the session, not a model)."""
        self.request.session.modified = True

    @property
    def answers(self) -> dict[str, Any]:
        return self.data["answers"]

    @property
    def contact(self) -> dict[str, Any] | None:
        return self.data["contact"]

    @property
    def key(self) -> str:
        return self.data["key"]

    def shown(self) -> list[Question]:
        return self.service.form.shown_questions(self.answers)

    def set_answer(self, question: Question, value: Any) -> None:
        if value is None:
            self.answers.pop(question.name, None)
        else:
            self.answers[question.name] = value
        if question.name not in self.data["done"]:
            self.data["done"].append(question.name)
        self.data["lookup"].pop(question.name, None)
        self.store()

    def is_done(self, question: Question) -> bool:
        return question.name in self.data["done"]

    def first_unanswered(self) -> Question | None:
        return next((q for q in self.shown() if not self.is_done(q)), None)

    def previous_of(self, question: Question) -> Question | None:
        shown = self.shown()
        names = [q.name for q in shown]
        if question.name not in names:
            return None
        index = names.index(question.name)
        return shown[index - 1] if index > 0 else None

    def next_after(self, question: Question) -> Question | None:
        shown = self.shown()
        names = [q.name for q in shown]
        index = names.index(question.name) if question.name in names else -1
        return shown[index + 1] if index + 1 < len(shown) else None

    def shown_answers(self) -> dict[str, Any]:
        """Only the answers to questions still shown (changing an answer can hide others)."""
        return {q.name: self.answers[q.name] for q in self.shown() if q.name in self.answers}

    def set_contact(self, contact: dict[str, Any]) -> None:
        self.data["contact"] = contact
        self.store()

    def discard(self) -> None:
        self.request.session.get("drafts", {}).pop(self.service.code, None)
        self.request.session.modified = True
