"""The exact table: columns, finiteness, consistency with the coin-flip claim."""

import math

import numpy as np
import pytest

from saddlesim.theory import TABLE_COLUMNS, exact_table


def test_columns_and_values():
    df = exact_table(1, [1, 2, 3, 60])
    assert list(df.columns) == list(TABLE_COLUMNS)
    assert df["n"].tolist() == [1, 2, 3, 60]
    assert (df["beta"] == 1.0).all()
    assert df.loc[1, "p_min"] == pytest.approx((2 - math.sqrt(2)) / 4, rel=1e-13)
    assert (df["p_min"] == df["p_max"]).all()
    np.testing.assert_allclose(df["p_saddle"], 1 - 2 * df["p_min"], rtol=1e-14, atol=0)
    np.testing.assert_allclose(df["log10_coinflip_p_min"], -df["n"] * math.log10(2))
    np.testing.assert_allclose(
        df["log10_ratio_to_coinflip"], df["log10_p_min"] - df["log10_coinflip_p_min"], atol=1e-10
    )
    assert df.loc[0, "log10_ratio_to_coinflip"] == 0.0  # n = 1: exactly 1/2 both ways
    assert (df["log10_ratio_to_coinflip"].iloc[1:] < 0).all()


def test_log_column_finite_below_float_range():
    df = exact_table(2, [50])
    assert np.isfinite(df["log10_p_min"]).all()
    assert df.loc[0, "log10_p_min"] < -300
    # A float 0 is allowed only when the value really is below the float range.
    assert (df["p_min"] > 0).all() or df.loc[0, "log10_p_min"] < -323


def test_bad_beta():
    with pytest.raises(ValueError, match="beta = 1"):
        exact_table(3, [2])
    with pytest.raises(ValueError, match="n <= 50"):
        exact_table(4, [2, 51])


def test_gse_is_filled():
    # The GSE row at n = 2 was NaN before the β = 4 Pfaffian: ¼ - 2/(3π).
    df = exact_table(4, [1, 2])
    assert df["p_min"].tolist() == pytest.approx([0.5, 0.25 - 2 / (3 * math.pi)], rel=1e-12)
