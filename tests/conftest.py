"""Hypothesis profiles: a fast default for `make test`, a thorough one on demand.

    pytest --hypothesis-profile=thorough      (or HYPOTHESIS_PROFILE=thorough make test)
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=20, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile(
    "thorough", max_examples=400, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, so every test sees the same numbers on every run."""
    return np.random.default_rng(0)
