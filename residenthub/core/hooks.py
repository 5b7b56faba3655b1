"""Hooks: a lower app asks a question that apps above it answer (docs/architecture.md).

A signal tells the apps above that something happened; a hook asks them for something back (a
fee to show, a signed-in resident's saved details, the rows of a person's timeline). The lower app
declares the hook in its own module and calls it; the higher app registers a function in its
``AppConfig.ready()``. Neither imports the other the wrong way up the layers.

    # portal/hooks.py (the lower app)
    check_context = Hook("portal.check_context")
    # payments/apps.py (the higher app), in ready()
    portal_hooks.check_context.register(journey.check_context)
    # portal/views.py
    context.update(portal_hooks.check_context.merged(service, answers))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """An ordered list of the functions the apps above registered, called with the same arguments."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[Callable[..., Any]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._functions)} registered>"

    @property
    def registered(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._functions)

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Add ``function`` (once: ``ready()`` may run again in tests); returns it, so it can decorate."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable[..., Any]) -> None:
        if function in self._functions:
            self._functions.remove(function)

    def results(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Every registered function's answer, in registration order, ``None`` answers left out."""
        answers = (function(*args, **kwargs) for function in self._functions)
        return [answer for answer in answers if answer is not None]

    def first(self, *args: Any, **kwargs: Any) -> Any:
        """The first answer that is not ``None`` (later functions are not called), or ``None``."""
        for function in self._functions:
            answer = function(*args, **kwargs)
            if answer is not None:
                return answer
        return None

    def merged(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The answers (dicts) merged into one; a later app's key overrides an earlier one's."""
        merged: dict[str, Any] = {}
        for answer in self.results(*args, **kwargs):
            merged.update(answer)
        return merged

    def items(self, *args: Any, **kwargs: Any) -> list[Any]:
        """The answers (lists) chained into one list."""
        return [item for answer in self.results(*args, **kwargs) for item in answer]
