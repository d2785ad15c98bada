import os

import pytest
from hypothesis import settings

# Derandomised by default, so that a red build is reproducible and a clean
# clone runs exactly the examples the last green run did. HYPOTHESIS_PROFILE=
# explore draws fresh examples (run it when changing a tested formula).
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
settings.register_profile("dev", derandomize=True, deadline=None, max_examples=100)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def tiny_network_run(tmp_path_factory):
    """One tiny run of the network kind (tests/shared_runs.py), shared by the modules that read it."""
    pytest.importorskip("jax")
    pytest.importorskip("sklearn")
    from tests.shared_runs import tiny_network_run as make

    return make(tmp_path_factory)
