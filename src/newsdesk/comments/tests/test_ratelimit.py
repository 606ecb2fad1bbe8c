import pytest

from newsdesk.comments.ratelimit import check_comment_rate, hit

LIMITS = [(3, 60), (5, 3600)]


def test_counts_per_window_and_says_when_to_come_back():
    now = 1_000_040.0  # 20 s into a minute window (1_000_020 is a multiple of 60)
    results = [hit("t", "reader", LIMITS, now=now) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[-1].retry_after == 40
    assert "40 seconds" in results[-1].message


def test_refused_attempts_are_not_counted_and_the_hourly_limit_holds():
    start = 3_600_000.0
    assert all(hit("t", "r2", LIMITS, now=start).allowed for _ in range(3))
    assert not hit("t", "r2", LIMITS, now=start + 1).allowed
    assert all(hit("t", "r2", LIMITS, now=start + 61).allowed for _ in range(2))
    refused = hit("t", "r2", LIMITS, now=start + 122)
    assert not refused.allowed and refused.retry_after > 60  # the hour window is full
    assert "min" in refused.message


def test_identities_are_separate():
    assert hit("t", "a", [(1, 60)], now=0.0).allowed
    assert hit("t", "b", [(1, 60)], now=0.0).allowed
    assert not hit("t", "a", [(1, 60)], now=1.0).allowed


def test_zero_switches_a_limit_off():
    assert all(hit("t", "free", [(0, 60)], now=5.0).allowed for _ in range(50))


@pytest.mark.django_db
def test_staff_are_exempt(settings):
    from newsdesk.comments.tests.factories import UserFactory

    settings.COMMENTS_RATE_LIMITS = [(1, 60)]
    staff = UserFactory(is_staff=True)
    assert all(check_comment_rate(staff, "198.51.100.1").allowed for _ in range(5))
    reader = UserFactory()
    assert check_comment_rate(reader, "198.51.100.2").allowed
    assert not check_comment_rate(reader, "198.51.100.3").allowed  # same account, new IP
