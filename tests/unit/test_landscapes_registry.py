import json
from pathlib import Path

import numpy as np
import pytest

from saddlesim.landscapes import LANDSCAPES, Landscape, load_landscape_factory, make_landscape
from tests.unit.landscape_checks import fd_euclidean

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def user_modules(tmp_path, monkeypatch):
    """The shipped example plus a few broken user modules, importable for this test only."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "broken_losses.py").write_text(
        "import numpy as np\n"
        "NOT_CALLABLE = 3\n"
        "def not_a_landscape(rng):\n    return object()\n"
        "class Half:\n    name = 'half'\n    def value(self, x):\n        return 0.0\n"
        "def half(rng):\n    return Half()\n"
    )
    (tmp_path / "raises_on_import.py").write_text("raise RuntimeError('boom')\n")
    return tmp_path


def test_shipped_example_loads_and_its_critical_points_are_exact(user_modules):
    """examples/four_wells.py through make_landscape: a Landscape whose nine critical points on
    {−1, 0, 1}² have the labels the docstring claims (4 minima, 4 saddles, 1 maximum)."""
    L = make_landscape("four_wells:make", 0, a=2.0)
    assert isinstance(L, Landscape) and L.params == {"a": 2.0, "tilt": 0.0}
    g, H = fd_euclidean(L, np.array([0.3, -1.2]))
    assert np.allclose(L.gradient(np.array([0.3, -1.2])), g, atol=1e-6)
    assert np.allclose(L.hessian(np.array([0.3, -1.2])), H, atol=1e-5)
    index = []
    for x in np.array(np.meshgrid([-1, 0, 1], [-1, 0, 1])).reshape(2, -1).T:
        assert np.linalg.norm(L.gradient(x)) == 0
        index.append(int(np.count_nonzero(np.linalg.eigvalsh(L.hessian(x)) < 0)))
    assert sorted(index) == [0, 0, 0, 0, 1, 1, 1, 1, 2]


def test_loader_returns_the_named_callable(user_modules):
    from four_wells import make

    assert load_landscape_factory("four_wells:make") is make


@pytest.mark.parametrize(
    "spec,msg",
    [
        ("four_wells", "package.module:function"),
        ("a:b:c", "package.module:function"),
        (":make", "package.module:function"),
        ("four wells:make", "package.module:function"),
        ("no_such_module_xyz:make", "cannot import module 'no_such_module_xyz'"),
        ("raises_on_import:f", "RuntimeError: boom"),
        ("four_wells:nope", "has no attribute 'nope'"),
        ("broken_losses:NOT_CALLABLE", "is not callable"),
    ],
)
def test_loader_errors_are_one_line(user_modules, spec, msg):
    with pytest.raises(ValueError, match=msg) as exc:
        make_landscape(spec, 0)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize(
    "spec,params,msg",
    [
        ("broken_losses:not_a_landscape", {}, "not a landscape: missing name, dim"),
        ("broken_losses:half", {}, "missing dim, manifold_dim, convention, gradient"),
        ("four_wells:make", {"depth": 1}, "unknown parameter"),
        ("four_wells:make", {"a": np.float64}, "JSON-able"),
    ],
)
def test_factory_results_are_validated(user_modules, spec, params, msg):
    with pytest.raises(ValueError, match=msg) as exc:
        make_landscape(spec, 0, **params)
    assert "\n" not in str(exc.value)


def test_unknown_builtin_name():
    with pytest.raises(ValueError, match="unknown loss .spin.*pspin, linear-ae, mlp, quadratic"):
        make_landscape("spin", 0)


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_every_builtin_has_json_params_and_convention(name):
    L = make_landscape(name, 1)
    assert isinstance(L, Landscape) and L.name == name
    assert json.loads(json.dumps(L.params)) == L.params
    assert isinstance(L.convention, str) and "\n" not in L.convention
    x = L.random_point(np.random.default_rng(0))
    assert x.shape == (L.dim,) and L.hessian(x).shape == (L.manifold_dim,) * 2
