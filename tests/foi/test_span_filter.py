"""The learned person-span filter (ADR 0165): committed weights, hash check, which results it may drop."""

import hashlib
import json
import shutil

import numpy as np
import pytest
from django.core.management import call_command
from presidio_analyzer import RecognizerResult

from residenthub.foi.redaction import detect as d
from residenthub.foi.redaction import name_tagger as nt
from residenthub.foi.redaction import span_filter as sf


def _res(start, end, source, score=0.5, **meta):
    return RecognizerResult(
        d.PERSON, start, end, score, recognition_metadata={"recognizer_name": source, **meta}
    )


class _Fixed(sf.SpanFilter):
    """A filter that gives every result the same probability (to test what may be dropped, not the model)."""

    def __init__(self, q):
        self.q = q

    def probability(self, x):
        assert x.shape[1] == len(sf.FEATURES)
        return np.full(len(x), self.q)


def test_filter_loads_from_the_committed_weights():
    filt = sf.SpanFilter()
    assert filt.head.mean.shape == (len(sf.FEATURES),)
    x = np.zeros((2, len(sf.FEATURES)), dtype=np.float32)
    q = filt.probability(x)
    assert q.shape == (2,) and ((q > 0) & (q < 1)).all()


def test_weights_with_a_wrong_hash_are_refused(tmp_path):
    copy = tmp_path / "span_filter.npz"
    shutil.copy(sf.WEIGHTS, copy)
    with open(copy, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(sf.FilterWeightsError, match="SHA-256 .* not the committed"):
        sf.SpanFilter(copy)
    with pytest.raises(sf.FilterWeightsError, match="missing"):
        sf.SpanFilter(tmp_path / "absent.npz")


def test_a_strong_rule_protects_what_overlaps_it_and_spacy_only_when_counted_strong():
    titled = _res(4, 14, sf.RULES, 0.85)  # "Mrs Okafor" read through its title
    inside = _res(8, 14, sf.TAGGER, 0.4)
    alone = _res(30, 35, sf.RULES, 0.4)
    model = _res(40, 45, sf.SPACY, 0.85)
    results = [titled, inside, alone, model]
    assert sf.candidates(results, spacy_strong=False) == [alone, model]
    assert sf.candidates(results, spacy_strong=True) == [alone]


def test_keep_drops_only_unsupported_results_below_the_threshold():
    text = "Dear Mrs Okafor, the Fizzbuzz app crashed again"
    titled = _res(5, 15, sf.RULES, 0.8)
    weak = _res(21, 29, sf.RULES, 0.4)  # "Fizzbuzz"
    ws, p = nt.words(text), np.zeros(len(nt.words(text)))
    kept = sf.keep(text, [titled, weak], ws, p, _Fixed(0.01), threshold=0.05)
    assert kept == [titled]
    assert sf.keep(text, [titled, weak], ws, p, _Fixed(0.5), threshold=0.05) == [titled, weak]


def test_features_see_the_tagger_scores_and_the_words():
    text = "went to see priya at the clinic"
    ws = nt.words(text)
    p = np.array([0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.0])
    res = _res(12, 17, sf.TAGGER, 0.9)
    x = sf.features(text, res, [res], ws, p, sf.text_features(text))
    f = dict(zip(sf.FEATURES, x, strict=True))
    assert f["tagger"] == 1 and f["spacy"] == 0
    assert f["p_max"] == pytest.approx(0.9)
    assert f["lower"] == 1 and f["first_names"] == 1
    assert f["text_lower"] == 1


def test_filter_off_gives_the_unfiltered_detector():
    text = "lol the Fizzbuzz crew were at it again with Jenna tonight"
    results, scored = d.analyse_many([text])
    off = d.finish_many([text], results, scored, span_filter=False)
    everything = d.finish_many([text], results, scored, span_filter=True, filter_threshold=0.0)
    assert off == everything  # threshold 0 drops nothing: the filter only ever removes results


def test_cli_detect_still_works_with_the_filter(tmp_path, capsys):
    src = tmp_path / "note.txt"
    src.write_text("Dear Mrs Okafor, my neighbour wayne keeps parking on the kerb. call 07700 900123")
    call_command("redact", "detect", str(src), "--json")
    found = {s["text"]: s["entity_type"] for s in json.loads(capsys.readouterr().out)}
    assert found == {"Mrs Okafor": d.PERSON, "wayne": d.PERSON, "07700 900123": d.PHONE}


def test_the_committed_weights_are_the_pinned_ones():
    assert hashlib.sha256(sf.WEIGHTS.read_bytes()).hexdigest() == sf.WEIGHTS_SHA256


# Written for these tests (not evidence of quality): words a weak name rule takes for a name in informal
# text, which the committed filter drops, and names in formal text it must keep.
NOT_NAMES = {
    "Temp 12 C . Barometer 998 hPa , rising": "Barometer",
    "qwxzvbnmlkjhgfdsa": "qwxzvbnmlkjhgfdsa",
    "sono scritti nelle pagine": "nelle",
}


@pytest.mark.parametrize("text,word", NOT_NAMES.items())
def test_filter_drops_a_weak_rules_false_name(text, word):
    assert word in [s.text for s in d.detect_many([text], span_filter=False)[0]]
    assert word not in [s.text for s in d.detect(text)]  # on by default


@pytest.mark.parametrize(
    "text,name",
    [
        ("Please forward the letter to Priya Shah at the housing office.", "Priya Shah"),
        ("The complaint was made by Mr Okonjo on 3 May.", "Mr Okonjo"),
        ("my neighbour wayne keeps parking on the kerb", "wayne"),
    ],
)
def test_filter_keeps_names(text, name):
    assert name in [s.text for s in d.detect(text)]
