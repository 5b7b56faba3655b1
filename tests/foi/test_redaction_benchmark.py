"""The redaction benchmark's corpus loaders: gold spans must land on the text they label, or the scores
mean nothing (issue 13: Nannigalaxy's asterisk-wrapped values were silently dropped)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("redaction_bench", ROOT / "benchmarks" / "redaction.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["redaction_bench"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "text, value, found",
    [
        ("his SSN 900-12-3456, and linked", "*900-12-3456*", ["900-12-3456"]),
        ("associated SSN 987-65-4321.", "*SSN* 987-65-4321*", ["SSN 987-65-4321"]),
        ("tax ID information 123-45-6789 before", "*tax_id_here* 123-45-6789", ["123-45-6789"]),
        ("account 7890123456, another was DE-Bank-XYZ*123 ,", "*DE-Bank-XYZ*123*", ["123"]),
        ("no asterisks here", "*routing_info_here*", []),
        ("Mail a@b.com or a@b.com.", "a@b.com", ["a@b.com", "a@b.com"]),
    ],
)
def test_nannigalaxy_values_are_found_without_their_markdown(bench, text, value, found):
    assert [text[s:e] for s, e in bench._nanni_spans(text, value)] == found


def test_nannigalaxy_loses_few_values_and_errata_only_add_other(bench):
    plain, errata = bench.load_nannigalaxy(), bench.load_nannigalaxy(errata=True)
    assert len(plain) == len(errata) == 149
    for (text, gold), (_, more) in zip(plain, errata, strict=True):
        assert set(gold) <= set(more)
        assert all(kind == "other" for *_, kind in set(more) - set(gold))
        assert all(0 <= s < e <= len(text) for s, e, _ in more)
    assert sum(len(m) - len(g) for (_, g), (_, m) in zip(plain, errata, strict=True)) >= 25


def test_wnut17_gold_spans_are_the_tagged_tokens(bench):
    docs = bench.load_wnut17()
    assert len(docs) == 1287
    kinds = [k for _, gold in docs for *_, k in gold]
    assert kinds.count(bench.d.PERSON) == 429 and kinds.count("other") == 150 and kinds.count(None) == 500
    text, gold = next((t, g) for t, g in docs if "Rajesh Kalia" in t)
    assert [(text[s:e], k) for s, e, k in gold] == [("Colonel Rajesh Kalia", bench.d.PERSON)]


def test_btc_gold_spans_join_split_signs_and_score_handles_as_other(bench, tmp_path, monkeypatch):
    sample = (
        "@\tB-PER\nparishclerk\tB-PER\nthanks\tO\nMarigold\tB-PER\nFenwick\tI-PER\nof\tO\nAcme\tB-ORG\n"
        "#\tO\nFenwick\tB-PER\nin\tO\nYork\tB-LOC\n\n@ferncouncil\tO\nhi\tO\n"
    )
    (tmp_path / "btc_x.conll").write_text(sample, encoding="utf-8")
    monkeypatch.setattr(bench, "DATA", tmp_path)
    docs = bench.load_btc("x")
    assert [t for t, _ in docs] == [
        "@parishclerk thanks Marigold Fenwick of Acme #Fenwick in York",
        "@ferncouncil hi",
    ]
    text, gold = docs[0]
    assert [(text[s:e], k) for s, e, k in gold] == [
        ("@parishclerk", "other"),
        ("Marigold Fenwick", bench.d.PERSON),
        ("Acme", None),
        ("Fenwick", "other"),
        ("York", "other"),
    ]
    text, gold = docs[1]
    assert [(text[s:e], k) for s, e, k in gold] == [("@ferncouncil", "other")]


def test_btc_sections_load_with_their_person_counts(bench):
    dev = bench.load_btc("a") + bench.load_btc("h")
    assert len(dev) == 3000
    assert sum(k == bench.d.PERSON for _, g in dev for *_, k in g) == 592
    assert len(bench.load_btc("f")) == 2000


def test_gum_conversion_takes_proper_nouns_of_person_mentions(bench):
    spec = importlib.util.spec_from_file_location("gum_sample", ROOT / "benchmarks" / "gum_sample.py")
    gum = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gum)
    conllu = (
        "# newdoc id = doc1\n"
        "1\tPianist\tpianist\tNOUN\tNN\t_\t0\troot\t_\tEntity=(1-person-new\n"
        "2\tOrla\tOrla\tPROPN\tNNP\t_\t1\tflat\t_\t_\n"
        "3\tQuennell\tQuennell\tPROPN\tNNP\t_\t1\tflat\t_\tEntity=1)\n"
        "4\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_\n"
        "5\tHarbridge\tHarbridge\tPROPN\tNNP\t_\t4\tobj\t_\tEntity=(2-place-new)|SpaceAfter=No\n"
        "6\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n"
    )
    doc = gum.convert(conllu)
    assert doc["text"] == "Pianist Orla Quennell left Harbridge."
    assert [(doc["text"][s["start"] : s["end"]], s["label"]) for s in doc["spans"]] == [
        ("Orla Quennell", "person"),
        ("Harbridge", "place"),
    ]
    docs = bench.load_gum()
    assert len(docs) == 43 and sum(k == bench.d.PERSON for _, g in docs for *_, k in g) == 798
