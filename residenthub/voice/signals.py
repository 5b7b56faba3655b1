"""Signals a call carries that a typed message does not: distress words, "help" said again and
again, and silence. They add to triage's urgency and vulnerability rules, never replace them."""

from __future__ import annotations

import re
from dataclasses import dataclass

DISTRESS = re.compile(
    r"\b(?:please help(?: me)?|help me|somebody help|i(?:'m| am) (?:so )?(?:scared|frightened|terrified)|"
    r"can(?:'t|not) breathe|i(?:'m| am) in danger|he(?:'s| is) hitting|she(?:'s| is) hitting|"
    r"(?:he|she|they)(?:'s| is| are) going to hurt|emergency|i(?:'m| am) bleeding|on fire)\b",
    re.I,
)
HELP = re.compile(r"\bhelp\b", re.I)


@dataclass(frozen=True)
class CallSignal:
    category: str  # "distress", "repeated_help", "silence"
    phrase: str

    def as_dict(self) -> dict:
        return {"category": self.category, "phrase": self.phrase, "kind": "call"}


def find_signals(text: str, *, silent_turns: int = 0) -> list[CallSignal]:
    found: list[CallSignal] = []
    match = DISTRESS.search(text or "")
    if match:
        found.append(CallSignal("distress", match.group(0)))
    helps = HELP.findall(text or "")
    if len(helps) >= 2:
        found.append(CallSignal("repeated_help", " ".join(h.lower() for h in helps[:3])))
    if silent_turns >= 2:
        found.append(CallSignal("silence", f"{silent_turns} silent turns"))
    return found
