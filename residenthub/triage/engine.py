"""Triage one message: language, urgency and vulnerability flags, likely services, details.

Pure: reads the model and the catalogue, writes nothing (``triage.actions`` records the result).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings

from . import answers, translation
from . import language as lang
from .extract import Details, extract
from .model import OFF_TOPIC, get_model
from .urgency import MODEL_CHECK, Flag, find_flags

MAX_TEXT = 20_000  # what we read; the record keeps everything the resident sent
PART_MIN_CONFIDENCE = 0.5  # a clause adds a second need only when the model is at least this sure
# Below this share of English words the model cannot tell that a message is not a council matter
# (transliterated Hindi, Marathi...): it goes to a person instead of "not something we deal with".
MIN_KNOWN_WORDS_FOR_NOT_COUNCIL = 0.6
_CLAUSE_SPLIT = re.compile(
    r"[.!?;,\n]+|\b(?:and also|and now|and then|as well as|also|plus|but|another thing|and)\b", re.I
)
_WORD = re.compile(r"[^\W\d_]{2,}", re.U)
_PROFANITY = re.compile(
    r"\b(?:f+u+c+k\w*|shit\w*|bastard\w*|bollocks|wank\w*|twat\w*|c+u+n+t\w*|arsehole\w*|dickhead\w*|"
    r"prick\w*|idiots?|useless)\b",
    re.I,
)
# A vulnerability flag alone does not make a case urgent for services whose residents all qualify
# (everyone asking for a Blue Badge has a disability); every other flag always does.
VULNERABLE_NOT_URGENT_FOR = {"blue-badge"}
# The service a flag points to, offered first whatever the model says (the phrase explains why).
FLAG_SERVICES = {
    "child_at_risk": "child-safeguarding-concern",
    "adult_at_risk": "adult-social-care-assessment",
    "homeless_tonight": "homelessness-help",
}


def confident_threshold() -> float:
    """The council's own bar when set (``TRIAGE_CONFIDENT_PERCENT``), else the model's calibrated one."""
    return settings.TRIAGE_CONFIDENT or get_model().confident


def possible_threshold() -> float:
    return settings.TRIAGE_POSSIBLE


def off_topic_threshold() -> float:
    return settings.TRIAGE_OFF_TOPIC


@dataclass
class Suggestion:
    code: str
    confidence: float
    from_part: bool = False  # found in one part of a message about several things
    from_flag: str = ""  # the urgency category that points to this service

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "confidence": round(self.confidence, 4),
            "from_part": self.from_part,
            "from_flag": self.from_flag,
        }


@dataclass
class Result:
    text: str
    language: lang.Detected
    outcome: str
    suggestions: list[Suggestion] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    details: Details = field(default_factory=Details)
    translated_text: str = ""
    off_topic_confidence: float = 0.0
    notes: list[str] = field(default_factory=list)  # "truncated", "html", "abusive", "unfamiliar_words"…
    model_version: str = ""
    question: bool = False  # the message asks for information: we looked for an answer on our pages
    answer: answers.Answer | None = None

    @property
    def best(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None

    @property
    def confidence(self) -> float:
        return self.best.confidence if self.best else 0.0

    @property
    def urgent(self) -> bool:
        kinds = {f.kind for f in self.flags}
        if "urgent" in kinds:
            return True
        if "vulnerable" in kinds:
            return not (self.best and self.best.code in VULNERABLE_NOT_URGENT_FOR)
        return False

    @property
    def confident(self) -> bool:
        return self.outcome == "suggested"

    def as_dict(self) -> dict:
        return {
            "language": self.language.code,
            "language_confidence": round(self.language.confidence, 3),
            "outcome": self.outcome,
            "services": [s.as_dict() for s in self.suggestions],
            "flags": [f.as_dict() for f in self.flags],
            "urgent": self.urgent,
            "details": self.details.as_dict(),
            "notes": self.notes,
            "question": self.question,
        }


def clause_pieces(text: str) -> tuple[list[str], list[bool]]:
    """The message cut into consecutive pieces (clauses and what separates them), and which pieces
    are clauses that may each be about something different (at most six; none for short text)."""
    text = text[:2000]
    pieces: list[str] = []
    start = 0
    for match in _CLAUSE_SPLIT.finditer(text):
        pieces += [text[start : match.start()], match.group(0)]
        start = match.end()
    pieces.append(text[start:])
    wanted = [i % 2 == 0 and len(p.split()) >= 2 for i, p in enumerate(pieces)]
    if len(text.split()) < 6 or sum(wanted) < 2:
        return [text], [False]
    seen = 0
    for i, want in enumerate(wanted):
        if want:
            seen += 1
            wanted[i] = seen <= 6
    return pieces, wanted


def clauses(text: str) -> list[str]:
    """The parts of a message that may each be about something different."""
    pieces, wanted = clause_pieces(text)
    return [p.strip(" ,") for p, w in zip(pieces, wanted, strict=True) if w]


def _chatter(vector) -> bool:
    """The general-chatter gate's verdict on the whole message's sentence vector (ADR 0134)."""
    if vector is None:
        return False
    from .gate import get_gate

    gate = get_gate()
    return gate is not None and gate.blocks(vector)


def _vulnerability_check(flags: list[Flag], vectors, texts: list[str]) -> list[Flag]:
    """The rules' flags, plus the learned check's when no rule spoke (ADR 0135): a rule's phrase
    already tells staff why, and the check's lower precision should not bury it."""
    if flags or vectors is None:
        return flags
    from .vulnerability import get_check

    check = get_check()
    if check is None:
        return flags
    _score, phrase = check.flags(vectors, texts)
    return [Flag(MODEL_CHECK.category, phrase, MODEL_CHECK.kind)] if phrase else flags


def analyse(text: str, *, today=None) -> Result:
    original = text or ""
    working = original[:MAX_TEXT]
    notes: list[str] = []
    if len(original) > MAX_TEXT:
        notes.append("truncated")
    if re.search(r"<[a-z!/][^>]*>", working, re.I):
        notes.append("html")
    if _PROFANITY.search(working):
        notes.append("abusive")
    if not _WORD.search(working):
        # Empty, only emoji, only numbers or punctuation: nothing the model can read.
        flags = find_flags(working)
        return Result(
            original,
            lang.Detected(lang.UNDETERMINED, 0.0),
            "not_sure" if flags else "empty",
            flags=flags,
            details=extract(working, today),
            notes=notes,
        )

    detected = lang.detect(working)
    if detected.mixed_with:
        notes.append("mixed_language")
    english = working
    translated = ""
    needs_translation = detected.code not in {"en", lang.UNDETERMINED}
    if needs_translation and translation.configured():
        translated = translation.translate(working, source=detected.code) or ""
        if translated:
            english = translated
            needs_translation = False

    flags = find_flags(working, translated)
    details = extract(working, today)
    model = get_model()
    pieces, wanted = clause_pieces(english)
    predictions, vectors, read = model.predict_message_and_vectors(english, pieces, wanted, top=4)
    vector = None if vectors is None else vectors[0]
    flags = _vulnerability_check(flags, vectors, read)
    whole = predictions[0]
    readable = whole[0].code != OFF_TOPIC and whole[0].confidence >= confident_threshold()
    if needs_translation and working.isascii() and readable:
        # Plain ASCII the English model reads with confidence ("pothole on Mill Lane"): short
        # text fools language detection more often than it fools the model.
        detected = lang.Detected("en", detected.confidence, detected.code)
        needs_translation = False
        notes.append("language_uncertain")
    off_topic = next((p.confidence for p in whole if p.code == OFF_TOPIC), 0.0)
    suggestions = [
        Suggestion(p.code, p.confidence) for p in whole if p.code != OFF_TOPIC and p.confidence >= 0.1
    ][:3]
    # A clause must be clearer than the whole message to add a need (short fragments are vaguer).
    part_bar = max(confident_threshold(), PART_MIN_CONFIDENCE)
    for part in predictions[1:]:
        top = part[0]
        if top.code == OFF_TOPIC or top.confidence < part_bar:
            continue
        known = next((s for s in suggestions if s.code == top.code), None)
        if known is None:
            suggestions.append(Suggestion(top.code, top.confidence, from_part=True))
        elif known is not suggestions[0]:
            # A second need the whole message only hinted at: a clause says it clearly.
            known.from_part = True
            known.confidence = max(known.confidence, top.confidence)
    suggestions = suggestions[:4]
    for flag in flags:
        code = FLAG_SERVICES.get(flag.category)
        if code and (not suggestions or suggestions[0].code != code):
            model_says = next((p.confidence for p in whole if p.code == code), 0.0)
            suggestions = [s for s in suggestions if s.code != code]
            suggestions.insert(0, Suggestion(code, model_says, from_flag=flag.category))
            break

    # A question our pages answer gets the passage and its link, alongside the services.
    question = not needs_translation and answers.is_question(english)
    answer = answers.find_answer(english) if question else None

    best = max((s.confidence for s in suggestions), default=0.0)
    if suggestions and suggestions[0].from_flag:
        best = max(best, confident_threshold())  # the rule is explainable and recall comes first
    if needs_translation:
        outcome = "translation_needed"
        # Only the English part of a mixed message can be read; otherwise a person reads it.
        keep = detected.mixed_with == "en"
        suggestions = [
            s for s in suggestions if s.from_flag or (keep and s.confidence >= confident_threshold())
        ]
    elif whole[0].code == OFF_TOPIC and off_topic >= off_topic_threshold():
        from .embedding import known_word_share

        unfamiliar = known_word_share(english) < MIN_KNOWN_WORDS_FOR_NOT_COUNCIL
        if unfamiliar:
            notes.append("unfamiliar_words")
        # The learned check alone does not hold back "not something we deal with" (ADR 0135).
        ruled = any(f.kind != MODEL_CHECK.kind for f in flags)
        outcome = "not_sure" if ruled or unfamiliar else "not_council"
        suggestions = (
            [s for s in suggestions if s.from_flag or s.confidence >= possible_threshold()]
            if outcome == "not_sure"
            else []
        )
    elif best >= confident_threshold() and _chatter(vector) and not suggestions[0].from_flag:
        # The service model would route it, but the gate is sure it is general chatter (ADR 0134):
        # the two disagree, so a person looks.
        outcome = "not_sure"
        notes.append("general_chatter")
        suggestions = [s for s in suggestions if s.confidence >= possible_threshold()]
    elif best >= confident_threshold():
        outcome = "suggested"
    else:
        outcome = "not_sure"
        suggestions = [s for s in suggestions if s.from_flag or s.confidence >= possible_threshold()]
    return Result(
        original,
        detected,
        outcome,
        suggestions=suggestions,
        flags=flags,
        details=details,
        translated_text=translated,
        off_topic_confidence=off_topic,
        notes=notes,
        model_version=model.version,
        question=question,
        answer=answer,
    )
