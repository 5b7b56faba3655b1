"""The sound-alike key and distance shared by the phone's and the minutes' correction passes."""

from residenthub.speech.soundalike import edit_distance, keys_near, sound_key


def test_spellings_of_one_sound_share_a_key():
    assert sound_key("Philips") == sound_key("Fillips")
    assert sound_key("Okafor") == sound_key("okkafor")
    assert sound_key("Hollow Way") == sound_key("Holloway")


def test_edit_distance():
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3
    assert edit_distance("same", "same") == 0


def test_near_needs_the_same_first_sound_and_a_long_enough_term():
    assert keys_near(sound_key("recomendations"), sound_key("recommendations"), 0.25, min_length=5)
    assert not keys_near(sound_key("decommendations"), sound_key("recommendations"), 0.25, min_length=5)
    # "sure" is never rewritten to a four-sound name when terms must have five sounds
    assert not keys_near(sound_key("sure"), sound_key("Shore"), 0.25, min_length=5)
    assert not keys_near("", "abc", 0.25, min_length=1)
    assert keys_near("abc", "abc", 0.25, min_length=5)


def test_edit_distance_counts_word_errors_on_lists():
    assert edit_distance(["the", "light", "is", "out"], ["the", "lights", "out"]) == 2
