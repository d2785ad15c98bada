import os

from hypothesis import settings

# Derandomised by default, so that a red build is reproducible and a clean
# clone runs exactly the examples the last green run did. HYPOTHESIS_PROFILE=
# explore draws fresh examples (run it when changing a tested formula).
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
settings.register_profile("dev", derandomize=True, deadline=None, max_examples=100)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
