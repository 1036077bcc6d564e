"""Test sets under distribution shift: corruptions, renderings (sketch,
cartoon) and unseen art."""

from research.robustness.art_shift import check_unseen
from research.robustness.art_shift import unseen_art
from research.robustness.shifts import CORRUPTIONS
from research.robustness.shifts import RENDERINGS
from research.robustness.shifts import SHIFTS
from research.robustness.shifts import apply_shift
from research.robustness.shifts import cached_shift

__all__ = [
    "CORRUPTIONS",
    "RENDERINGS",
    "SHIFTS",
    "apply_shift",
    "cached_shift",
    "check_unseen",
    "unseen_art",
]
