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
