"""Review pairs carry each comparison's contribution to the match weight (the review page shows it)."""

import math

import yaml

from residenthub.identity import linkage
from residenthub.identity.sources import Mapping, load_input


def test_contributions_add_up_to_the_match_weight(population_csv, population_mapping):
    mapping = Mapping.from_dict(yaml.safe_load(population_mapping.read_text()))
    table = linkage.records_table(load_input(mapping, population_csv, invalid_values="blank").records)
    limits = linkage.Thresholds(link=0.999)  # a wide review band
    result = linkage.link(table, thresholds=limits)
    band = {linkage.pair_key(a, b): w for a, b, p, w in result.pairs if limits.review <= p < limits.link}
    assert len(result.explanations) >= 5
    prior = result.model["probability_two_random_records_match"]
    prior_weight = math.log2(prior / (1 - prior))
    checked = 0
    for key, parts in result.explanations.items():
        assert {"first_name", "last_name", "dob", "address"} <= set(parts)
        if key in band:  # (a pair the household guard capped has left the band)
            assert abs(prior_weight + sum(parts.values()) - band[key]) < 0.05
            checked += 1
    assert checked >= 5


def test_review_pairs_of_a_run_are_explained(db, population_csv, population_mapping, settings):
    from residenthub.identity import actions
    from residenthub.identity.models import ReviewPair

    settings.IDENTITY_THRESHOLDS = {"link": 0.999}
    actions.import_source(Mapping.load(population_mapping), population_csv)
    actions.run_linkage()
    pairs = list(ReviewPair.objects.all())
    assert pairs and all(pair.explanation for pair in pairs)
