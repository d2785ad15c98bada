from typer.testing import CliRunner

from saddlesim.cli import app


def test_help_lists_the_tool():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "critical points" in result.output


def test_version():
    import saddlesim

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and saddlesim.__version__ in result.output


def test_public_api_resolves():
    import saddlesim

    for name in saddlesim.__all__:
        assert getattr(saddlesim, name) is not None, name
    assert abs(saddlesim.log_p_min(2, 1.0) - __import__("math").log((2 - 2**0.5) / 4)) < 1e-12
