"""research/publishing/distill_lite.py: the learning rate it trains with."""

import argparse
from pathlib import Path

import pytest


@pytest.fixture
def distill_lite(monkeypatch):
    monkeypatch.syspath_prepend(
        str(Path(__file__).parents[2] / "research" / "publishing")
    )
    import distill_lite

    return distill_lite


def rate(schedule, step):
    return float(schedule(step)) if callable(schedule) else schedule


def test_constant_rate_by_default(distill_lite):
    args = argparse.Namespace(
        schedule="constant", learning_rate=5e-4, steps=100, warmup_steps=10
    )
    assert distill_lite.learning_rate(args) == 5e-4


def test_cosine_rises_from_zero_peaks_after_the_warmup_and_ends_at_zero(distill_lite):
    args = argparse.Namespace(
        schedule="cosine", learning_rate=5e-4, steps=100, warmup_steps=10
    )
    schedule = distill_lite.learning_rate(args)
    assert rate(schedule, 0) == 0.0
    assert rate(schedule, 5) == pytest.approx(2.5e-4)
    assert rate(schedule, 10) == pytest.approx(5e-4)
    assert rate(schedule, 55) == pytest.approx(2.5e-4, rel=1e-3)  # half-way down
    assert rate(schedule, 100) == pytest.approx(0.0, abs=1e-9)
