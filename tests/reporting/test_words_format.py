"""Numbers as the report prints them (hrta.reporting.words.format)."""

import math

from hrta.reporting.words.format import DASH, column_exponent, mean_sd, num, power, power_label


def test_num_writes_missing_values_and_infinities_as_signs():
    assert [num(None), num(math.nan), num(math.inf), num(-math.inf)] == [DASH, DASH, "∞", "−∞"]
    assert num(0.000123456) == "0.000123" and num(1234.5, ".1e") == "1.2e+03"


def test_a_column_shares_a_power_of_ten_within_a_decade():
    assert column_exponent([0.0123, 0.0456, None]) == -2
    assert column_exponent([0.5, 0.04]) == -1  # the smallest within a decade below the largest
    assert column_exponent([0.5, 0.004]) is None  # two decades: each cell its own
    assert column_exponent([0.0, math.nan]) == 0


def test_mean_sd_in_the_columns_power_or_its_own():
    assert mean_sd(0.0123, 0.0011, -2) == "1.23 ± 0.11"
    assert mean_sd(0.0123, 0.0011, None) == "(1.23 ± 0.11)×10⁻²"
    assert mean_sd(0.0123, math.nan, None) == "1.23×10⁻²"
    assert mean_sd(math.nan, 0.1, -2) == DASH
    assert power(-12) == "×10⁻¹²" and power_label(3) == " ×10³" and power_label(0) == power_label(None) == ""
