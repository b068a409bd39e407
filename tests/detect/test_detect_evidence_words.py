"""Chance probabilities in the evidence read as numbers people can trust: never a bare 0."""

from __future__ import annotations

from lockstep.detect.evidence import chance_words, evidence_text


def test_chance_words_never_say_zero() -> None:
    assert chance_words(0.0) == "< 1e-300"
    assert chance_words(2.3e-19) == "2e-19"
    assert chance_words(0.06) == "0.06"


def test_every_signal_line_names_its_chance() -> None:
    line = evidence_text({"co_repost": {"items": 12, "partners": 5, "p_chance": 0.0},
                          "co_text": {"items": 3, "partners": 2, "p_chance": 3e-7}}, 4.2)
    assert line == ("co_repost: 12 shared items with 5 accounts (chance < 1e-300); co_text: 3 shared items"
                    " with 2 accounts (chance 3e-07); mean 4.2 s apart")
