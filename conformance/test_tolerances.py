"""The comparator itself: what counts as agreement (torch.testing.assert_close conventions)."""

from __future__ import annotations

import numpy as np
import pytest

from .tolerances import EXACT, Tolerance, mismatches

LOOSE = Tolerance(1e-6, 1e-9, "test tolerance")


@pytest.mark.parametrize(
    ("actual", "expected", "differ"),
    [
        (1.0, 1.0 + 1e-7, False),
        (1.0, 1.0 + 1e-3, True),
        (np.nan, np.nan, False),
        (np.nan, 1.0, True),
        (np.inf, np.inf, False),
        (np.inf, -np.inf, True),
        (np.inf, 1e308, True),
        # a complex value with an infinite part: the parts are compared one by one
        (complex(np.inf, 5e-5), complex(np.inf, 5e-5 * (1 + 1e-12)), False),
        (complex(np.inf, 5e-5), complex(np.inf, 6e-5), True),
        (complex(np.inf, 1.0), complex(-np.inf, 1.0), True),
        (complex(1.0, 2.0), complex(1.0, 2.0 + 1e-3), True),
    ],
)
def test_close(actual, expected, differ):
    assert bool(mismatches(np.array([actual]), np.array([expected]), LOOSE).any()) is differ


def test_exact_compares_signed_zeros_but_not_nan_signs():
    assert mismatches(np.array([-0.0]), np.array([0.0]), EXACT).all()
    assert not mismatches(np.array([np.nan]), np.array([-np.nan]), EXACT).any()


def test_scale_replaces_expected_magnitude():
    """Summing ops scale by sum |terms|: a tiny result after cancellation keeps the terms' error budget."""
    assert mismatches(np.array([1e-9]), np.array([0.0]), Tolerance(1e-6, 0.0, "t")).all()
    assert not mismatches(np.array([1e-9]), np.array([0.0]), Tolerance(1e-6, 0.0, "t"), scale=np.array([1.0])).any()
