"""Table 1 as a reader gets it: one power of ten per column, loss and error apart, n and
diverged runs stated (issue 17)."""

import re

import numpy as np
import xarray as xr

from conftest import with_facts, with_history
from hrta.reporting.numbers.table1 import summary
from hrta.reporting.words import table1

SCHEDULES = {"relu": [{"s": 1.0, "epochs": 10}], "hrta": [{"s": 0.5, "epochs": 5}, {"s": 1.0, "epochs": 5}]}


def aggregate(loss, error, diverged):
    """loss, error, diverged: [method][width][seed] for methods relu, hrta and widths 10, 100."""
    dims = ("optimizer", "method", "width", "seed")
    div = np.asarray(diverged)[None]
    loss = np.where(div, np.nan, np.asarray(loss, dtype=float)[None])
    ds = xr.Dataset({"final_loss": (dims, loss), "final_test_error": (dims, np.asarray(error, dtype=float)[None]),
                     "diverged": (dims, div), "diverged_epoch": (dims, np.where(div, 7, -1))},
                    coords={"optimizer": ["adam"], "method": ["relu", "hrta"], "width": [10, 100], "seed": [0, 1, 2]})
    return with_history(with_facts(ds, SCHEDULES))


def _table(md: str, title: str) -> list[list[str]]:
    block = md.split(title + ":\n\n")[1].split("\n\n")[0].splitlines()
    return [[c.strip() for c in line.strip("|").split("|")] for line in block]


def test_columns_share_a_power_of_ten_and_diverged_runs_are_counted():
    loss = [[[8.78e-2, 8.5e-2, 9.1e-2], [5.6e-2, 5.7e-2, 5.5e-2]],
            [[7.9e-2, 8.0e-2, 8.1e-2], [4.2e-4, 4.1e-4, 4.3e-4]]]  # m = 100 spans over two decades
    error = [[[0.58, 0.6, 0.59], [1.02, 0.99, 1.01]], [[0.56, 0.57, 0.55], [0.40, 0.41, 0.42]]]
    diverged = np.zeros((2, 2, 3), dtype=np.int64)
    diverged[1, 0, 2] = 1
    md = table1.markdown(summary({"exp": aggregate(loss, error, diverged)}))
    assert "## exp (adam)" in md
    assert ("n = 3 seeds per cell; 1 run diverged. Budget: 10 epochs; ReLU's fall over the last 10% of them: "
            "m = 10: 1.07×, m = 100: 1.07×.") in md
    loss_rows = _table(md, "Final training loss")
    assert loss_rows[0] == ["method", "m = 10 ×10⁻²", "m = 100"]
    assert loss_rows[2] == ["ReLU", "8.79 ± 0.30", "(5.60 ± 0.10)×10⁻²"]
    assert loss_rows[3] == ["HRTA 0.5→1", "7.95 ± 0.07, 1 diverged", "(4.20 ± 0.10)×10⁻⁴"]
    error_rows = _table(md, "Final relative L2 test error")
    assert error_rows[0] == ["method", "m = 10 ×10⁻¹", "m = 100"]  # 0.40 to 1.01: one decade apart
    assert error_rows[2][2] == "1.01 ± 0.02" and error_rows[3][2] == "0.41 ± 0.01"
    for rows in (loss_rows, error_rows):  # the same number of decimals down each column
        for col in (1, 2):
            decimals = {len(m.group(1)) for r in rows[2:] for m in re.finditer(r"\d\.(\d+)", r[col])}
            assert decimals == {2}


def test_a_cell_where_every_run_diverged_says_so():
    diverged = np.zeros((2, 2, 3), dtype=np.int64)
    diverged[1, 1] = 1
    ones = np.ones((2, 2, 3))
    md = table1.markdown(summary({"exp": aggregate(ones, ones, diverged)}))
    assert _table(md, "Final training loss")[3][2] == "all 3 diverged"
    assert "nan" not in md.lower()
    tex = table1.latex(summary({"exp": aggregate(ones, ones, diverged)}))
    assert "all 3 diverged" in tex and r"$\pm$" in tex


def test_a_method_that_drifts_up_after_its_minimum_is_named_with_its_factor():
    loss = np.full((2, 2, 3), 0.1)
    agg = aggregate(loss, loss, np.zeros((2, 2, 3), dtype=np.int64))
    md = table1.markdown(summary({"exp": agg}))
    assert "No method drifts up after its minimum (the median final loss over the smallest is at most 1.05)." in md
    history = agg["loss"].copy()
    history.loc[{"method": "relu", "width": 100, "epoch": 6}] = 0.05  # its minimum, half the final loss
    md = table1.markdown(summary({"exp": agg.assign(loss=history)}))
    assert md.endswith("Drifts up after its minimum (the median final loss over the smallest is above 1.05: the "
                       "final value is not the best the method reached): ReLU at m = 100 (2×).\n")


def test_a_width_with_fewer_seeds_trained_says_how_many():
    loss = np.full((2, 2, 3), 0.1)
    agg = aggregate(loss, loss, np.zeros((2, 2, 3), dtype=np.int64))
    trained = xr.ones_like(agg["diverged"], dtype=bool)
    trained.loc[{"width": 100, "seed": 2}] = False  # as at a width of max_seeds
    md = table1.markdown(summary({"exp": agg.assign(trained=trained)}))
    assert "n = 2 to 3 seeds per cell" in md
