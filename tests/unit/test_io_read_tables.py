"""``saddlesim.runtime.io.read_tables``: the one reader every experiment plotter uses."""

import pandas as pd
import pytest

from saddlesim.runtime.io import read_tables


def test_reads_tables_in_the_order_named(tmp_path):
    """Catches tables returned in the wrong order or one of them read twice."""
    pd.DataFrame({"a": [1, 2]}).to_csv(tmp_path / "one.csv", index=False)
    pd.DataFrame({"b": [3.5]}).to_csv(tmp_path / "two.csv", index=False)
    two, one = read_tables(tmp_path, "two.csv", "one.csv")
    assert list(two.columns) == ["b"] and two["b"].tolist() == [3.5]
    assert one["a"].tolist() == [1, 2]


@pytest.mark.parametrize("content", [None, ""])
def test_missing_or_empty_table_is_one_line_value_error(tmp_path, content):
    """A missing or empty table: ValueError naming it (exit 2 in the CLI), not OSError or pandas' own error."""
    pd.DataFrame({"a": [1]}).to_csv(tmp_path / "one.csv", index=False)
    if content is not None:
        (tmp_path / "two.csv").write_text(content)
    with pytest.raises(ValueError, match=r"cannot read two\.csv in .*: run the experiment first") as exc:
        read_tables(tmp_path, "one.csv", "two.csv")
    assert "\n" not in str(exc.value)


def test_tables_written_before_the_coinflip_names_read_under_the_new_names(tmp_path):
    """Committed results with seed_p_min / z_min_seed / pmin's 'seed' still plot; a random 'seed' column stays."""
    import pandas as pd

    from saddlesim.runtime.io import read_tables

    pd.DataFrame({"n": [1], "seed_p_min": [0.5], "z_min_seed": [0.1]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"N": [3], "enumerated": [0.2], "seed": [0.25]}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"run": [0], "seed": [7]}).to_csv(tmp_path / "c.csv", index=False)
    a, b, c = read_tables(tmp_path, "a.csv", "b.csv", "c.csv")
    assert list(a.columns) == ["n", "coinflip_p_min", "z_min_coinflip"]
    assert list(b.columns) == ["N", "enumerated", "coinflip"] and list(c.columns) == ["run", "seed"]
