"""Related stories ranked by shared, salient entities."""

from datetime import datetime

import pytest

from newsdesk.enrich.related import cosine, group_timeline, related_scores

TARGET = {"Vladimir Putin": 1.0, "Volodymyr Zelenskyy": 0.6, "Kyiv": 0.9, "Paris": 0.3}


def test_identical_stories_score_one_and_disjoint_score_zero():
    assert cosine(TARGET, TARGET) == pytest.approx(1.0)
    assert cosine(TARGET, {"Brazil": 1.0}) == 0.0
    assert cosine({}, TARGET) == 0.0


def test_shared_lead_subject_outranks_shared_passing_mention():
    candidates = {
        1: {"Paris": 1.0, "Emmanuel Macron": 0.9},  # shares only a minor entity
        2: {"Vladimir Putin": 0.9, "Kremlin": 0.5},  # shares the lead person
        3: {"Kyiv": 0.8, "Volodymyr Zelenskyy": 0.9, "Vladimir Putin": 0.4},
    }
    ranked = related_scores(TARGET, candidates)
    assert [story for story, _ in ranked] == [3, 2, 1]
    assert all(0.0 < score <= 1.0 for _, score in ranked)


def test_stories_sharing_nothing_are_left_out():
    assert related_scores(TARGET, {7: {"Brazil": 1.0}, 8: {}}) == []


def test_ties_go_to_the_lower_id_and_limit_and_threshold_apply():
    candidates = {9: {"Kyiv": 1.0}, 4: {"Kyiv": 1.0}, 5: {"Paris": 1.0}}
    assert [s for s, _ in related_scores(TARGET, candidates)] == [4, 9, 5]
    assert [s for s, _ in related_scores(TARGET, candidates, limit=1)] == [4]
    assert [s for s, _ in related_scores(TARGET, candidates, min_score=0.5)] == [4, 9]


def test_timeline_groups_related_stories_in_date_order_newest_thread_first():
    day = lambda d: datetime(2025, 4, d)  # noqa: E731
    stories = {
        1: (day(1), {"Vladimir Putin": 1.0, "Kyiv": 0.5}),
        2: (day(3), {"Brazil": 1.0}),
        3: (day(5), {"Kyiv": 1.0, "Volodymyr Zelenskyy": 0.8}),
        4: (day(2), {"Vladimir Putin": 0.9, "Kyiv": 0.7}),
    }
    assert group_timeline(stories) == [[1, 4, 3], [2]]
