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

    reads_vectors = False

    def __init__(self, q):
        self.q = q

    def probability(self, x):
        assert x.shape[1] == len(sf.FEATURES) + (sf.VECTOR_SIZE if self.reads_vectors else 0)
        self.seen = x
        return np.full(len(x), self.q)


class _FixedWithVectors(_Fixed):
    reads_vectors = True


def test_filter_loads_from_the_committed_weights():
    filt = sf.SpanFilter()
    assert filt.reads_vectors  # ADR 0168: the candidate's encoder vector is an input
    assert filt.head.mean.shape == (len(sf.FEATURES) + sf.VECTOR_SIZE,)
    x = np.zeros((2, len(sf.FEATURES) + sf.VECTOR_SIZE), dtype=np.float32)
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


def test_span_vector_is_the_mean_of_the_words_vectors():
    text = "went to see priya shah today"
    ws = nt.words(text)
    vectors = np.arange(len(ws) * sf.VECTOR_SIZE, dtype=np.float32).reshape(len(ws), sf.VECTOR_SIZE)
    res = _res(12, 22, sf.TAGGER, 0.9)  # "priya shah": words 3 and 4
    assert np.allclose(sf.span_vector(res, ws, vectors), vectors[3:5].mean(0))
    assert not sf.span_vector(res, ws, None).any()  # no vectors given: zeros, never an error


def test_keep_passes_the_vectors_only_to_a_filter_that_reads_them():
    text = "the Fizzbuzz app crashed again"
    ws = nt.words(text)
    vectors = np.ones((len(ws), sf.VECTOR_SIZE), dtype=np.float32)
    weak = _res(4, 12, sf.RULES, 0.4)
    with_vectors, without = _FixedWithVectors(0.5), _Fixed(0.5)
    sf.keep(text, [weak], ws, np.zeros(len(ws)), with_vectors, vectors=vectors)
    sf.keep(text, [weak], ws, np.zeros(len(ws)), without, vectors=vectors)
    assert with_vectors.seen.shape == (1, len(sf.FEATURES) + sf.VECTOR_SIZE)
    assert (with_vectors.seen[0, len(sf.FEATURES) :] == 1).all()
    assert without.seen.shape == (1, len(sf.FEATURES))


def test_weights_without_the_vector_inputs_still_load_and_run(tmp_path):
    """ADR 0165's format (features only) is still read: such a filter gets no vectors."""
    path = tmp_path / "old.npz"
    n = len(sf.FEATURES)
    np.savez(
        path,
        mean=np.zeros(n, np.float32),
        scale=np.ones(n, np.float32),
        coef=np.ones(n, np.float32),
        intercept=np.zeros(1, np.float32),
    )
    old = sf.SpanFilter(path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    assert not old.reads_vectors
    text = "the Fizzbuzz app crashed again"
    ws = nt.words(text)
    weak = _res(4, 12, sf.RULES, 0.4)
    assert sf.keep(text, [weak], ws, np.zeros(len(ws)), old, vectors=np.ones((len(ws), sf.VECTOR_SIZE))) == [
        weak
    ]


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


# ADR 0165's examples of false names its filter dropped no longer hold under ADR 0168: "Barometer" in a
# weather-station line and a run of random letters score above the new threshold (0.03), and "nelle" (Italian)
# is a gazetteer first name, which is now no candidate. Over-redaction, undone in the officer's review; the
# examples of what the filter drops now are BY_MEANING below.


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


# ADR 0168: written for these tests (not evidence of quality). A club and a brand that every shape and
# word-list feature reads as a name (capitalised, unknown, a weak rule's result) are dropped by what the
# encoder's vectors say the words mean; ADR 0165's filter without vectors kept both. Beside each, a
# person's name in the same frame. The encoder's int8 kernels differ by CPU (AVX-512 VNNI or AVX2), so
# the scores do too: "Fulham" scored under 0.03 where this was written and 0.046 on an AVX-512 VNNI
# machine (2026-11-27); "Brentford" scored 0.008 there. Examples sit well below the threshold.
BY_MEANING = [
    (
        "Brentford away on saturday, who is coming",
        "Brentford",
        "Fulton away on saturday, who is coming",
        "Fulton",
    ),
    ("just bought some Crocs lol", "Crocs", "just met Kofi lol", "Kofi"),
]


@pytest.mark.parametrize("text,word,look_alike,name", BY_MEANING)
def test_filter_drops_a_club_or_brand_by_meaning_and_keeps_the_name_beside_it(text, word, look_alike, name):
    assert word in [s.text for s in d.detect_many([text], span_filter=False)[0]]
    assert word not in [s.text for s in d.detect(text)]
    assert name in [s.text for s in d.detect(look_alike)]


def test_a_result_of_first_names_only_is_no_candidate_but_a_club_beside_it_is():
    """ADR 0168: the vectors know little of rarer first names ("ROSALIND" was dropped at 0.02)."""
    text = "SO PROUD OF YOU ROSALIND, Fulham away next"
    name = _res(16, 24, sf.RULES, 0.45)
    club = _res(26, 32, sf.RULES, 0.45)
    assert sf.candidates([name, club], text=text) == [club]
    assert sf.candidates([name, club]) == [name, club]  # without the text: ADR 0165's candidates
    ws = nt.words(text)
    assert sf.keep(text, [name, club], ws, np.zeros(len(ws)), _Fixed(0.0), threshold=0.03) == [name]
