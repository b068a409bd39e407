"""Meta's published indicator files (genuine samples, tests/fixtures/genuine/meta_threat_research,
see PROVENANCE.md) import without error, with exact counts of indicators by kind, assets and
asset counts. The counts were checked against the files by hand: the old-layout files by
counting rows per indicator_type (duplicates and one malformed MD5 aside), the kill-chain
files by their "N accounts / Pages / Groups" rows and profile URLs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lockstep.share.read import read_tip

DIR = Path(__file__).resolve().parents[1] / "fixtures" / "genuine" / "meta_threat_research"

# file -> (indicators by kind, assets by "platform kind", Meta's asset counts, kill-chain steps)
EXPECTED: dict[str, tuple[dict[str, int], dict[str, int], dict[str, int], int]] = {
    "2021_03_hackers_in_china.tsv": ({"domain": 18, "media_hash": 8}, {}, {}, 0),
    # 18 md5 rows, one of them malformed ("v21b4327d...") and kept as "other"
    "2021_11_hackers_in_pakistan_and_syria.csv": ({"domain": 28, "ip": 3, "media_hash": 17, "other": 1}, {}, {}, 0),
    # 313 domain rows (2 repeat), 22 cib_url, 15 telegram_url (channels: t.me/NAME)
    "2022_09_cib_china_and_russia.csv": ({"domain": 311, "url": 22}, {"telegram channel": 15}, {}, 0),
    "2022_09_cib_china_and_russia.json": ({"domain": 311, "url": 22}, {"telegram channel": 15}, {}, 0),
    "h1_2026_china_based_cib_network.csv": (
        {"domain": 4}, {"youtube channel": 1},
        {"facebook account": 154, "facebook page": 23, "instagram account": 1}, 12),
    "q1_2023_china_based_cib_network_1.csv": (
        {}, {"twitter account": 1, "youtube channel": 3},
        {"facebook account": 63, "facebook page": 44, "facebook group": 28}, 14),
    "q1_2023_pakistan_apt.csv": ({"domain": 29, "media_hash": 7}, {}, {}, 20),
    "q2_2023_spamouflage_china_based_cib_updated.csv": (
        {"hashtag": 3, "text": 53, "url": 201}, {"twitter account": 35, "tiktok account": 5, "vk account": 1},
        {"facebook account": 7704, "facebook page": 954, "facebook group": 15, "instagram account": 15}, 7),
    "q4_2024_china_based_cib_network.tsv": (
        {"domain": 2, "url": 2}, {"twitter account": 1},
        {"facebook account": 18, "facebook page": 2, "facebook group": 4, "instagram account": 5}, 17),
}


def test_every_sample_is_listed() -> None:
    on_disk = {p.name for p in DIR.iterdir() if p.suffix in (".csv", ".tsv", ".json")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_genuine_file_imports_with_exact_counts(name: str) -> None:
    kinds, assets, counts, n_steps = EXPECTED[name]
    tip = read_tip(DIR / name)
    assert dict(Counter(i.kind for i in tip.indicators)) == kinds
    assert dict(Counter(f"{a.platform} {a.kind}" for a in tip.assets)) == assets
    assert tip.counts == counts
    assert len(tip.techniques) == n_steps
    assert all(t.framework == "meta-killchain" for t in tip.techniques)
    assert tip.source == "meta" and tip.opinion == "confirmed"
    # values are refanged: nothing defanged survives
    assert not any("[.]" in i.value or "hxxp" in i.value for i in tip.indicators)
    assert not any("[.]" in a.url for a in tip.assets)


def test_json_and_csv_of_one_release_read_the_same() -> None:
    a = read_tip(DIR / "2022_09_cib_china_and_russia.csv")
    b = read_tip(DIR / "2022_09_cib_china_and_russia.json")
    assert a.indicators == b.indicators and a.assets == b.assets and a.first_seen == b.first_seen == "2022-09-27"


def test_known_values() -> None:
    tip = read_tip(DIR / "h1_2026_china_based_cib_network.csv")
    assert {i.value for i in tip.indicators} == {"newgenerationrebellion.com", "ngrebellion.com", "newgenreb.com",
                                                  "twgossiping.com"}
    (yt,) = tip.assets
    assert (yt.platform, yt.handle, yt.url) == ("youtube", "NewGenerationRebellion",
                                                "https://youtube.com/@NewGenerationRebellion")
    steps = {t.id: t.name for t in tip.techniques}
    assert steps["0.6.2"] == "Acquiring domains to support influence operations"
    tw = read_tip(DIR / "q1_2023_china_based_cib_network_1.csv")
    assert [(a.platform, a.handle) for a in tw.assets if a.platform == "twitter"] == [("twitter", "SaraSil39636921")]
