"""Homotopy without the jump in the claims (hrta.reporting.numbers.claims.without_jump and
hrta.reporting.words.dynamics.without_jump_section): a ramp beside the same path with the jump."""

import numpy as np
import xarray as xr

from conftest import with_facts
from hrta.reporting.facts import s_path, schedule_kind
from hrta.reporting.numbers import claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.words import answer, dynamics

SCHEDULES = {"relu": [{"s": 1.0, "epochs": 10}], "jump": [{"s": 1.0, "epochs": 5}, {"s": 1.5, "epochs": 5}],
             "ramp": [{"s": 1.0, "epochs": 5}, {"ramp": 1.5, "epochs": 3}, {"s": 1.5, "epochs": 2}]}
SEEDS = 8


def _aggregate() -> xr.Dataset:
    """ReLU's loss falls from 2 to 1 over 10 epochs; the jump's loss is ReLU's but 10x at the
    switch (epoch 5), falling back to 1.5x ReLU's at the end; the ramp's is ReLU's rising to
    1.5x over the ramp, ending at 0.75x ReLU's (2x below the jump)."""
    e = np.arange(11)
    relu = 2.0 ** ((10 - e) / 10)
    jump = relu * np.where(e < 5, 1.0, 1.5 + 8.5 * (10 - e) / 5 * (e < 10))
    jump[5] = 10 * relu[5]
    ramp = relu * np.concatenate([np.ones(5), [1.1, 1.3, 1.5], [1.0, 0.75, 0.75]])
    seeds = 1.0 + 0.01 * np.arange(SEEDS)
    loss = np.stack([relu, jump, ramp])[None, :, None, None, :] * seeds[None, None, None, :, None]
    dims = ("optimizer", "method", "width", "seed")
    zeros = np.zeros(loss.shape[:-1], "int64")
    ds = xr.Dataset({"loss": (dims + ("epoch",), loss), "final_loss": (dims, loss[..., -1]),
                     "final_test_error": (dims, loss[..., -1] / 10), "diverged": (dims, zeros),
                     "diverged_epoch": (dims, zeros - 1)},
                    coords={"optimizer": ["adam"], "method": list(SCHEDULES), "width": [100],
                            "seed": list(range(SEEDS)), "epoch": e})
    return with_facts(ds, SCHEDULES)


def test_a_label_says_its_kind_and_its_path():
    assert [schedule_kind(x) for x in ("HRTA 1→1.5", "HRTA 1⇢1.5 (ramp 3)", "HRTA 1→1.5 (on plateau: 0.1% in 100 "
                                       "epochs)")] == ["stages", "ramp", "plateau"]
    assert s_path("HRTA 1⇢1.5 (ramp 3)") == s_path("HRTA 1→1.5") == "1→1.5"


def test_the_ramp_is_compared_with_the_jump_and_its_excursion_measured():
    rep = claims.report({"exp": _aggregate()}, Reading())
    (row,) = rep["without_jump"]
    assert (row["method"], row["baseline"], row["kind"], row["verdict"]) == ("ramp", "jump", "ramp", "holds")
    np.testing.assert_allclose(np.exp(row["estimate"]), 2.0)
    switch = {r["method"]: r for r in rep["switches"]}
    step = 2.0 ** -0.1  # ReLU's fall over one epoch
    np.testing.assert_allclose([switch["jump"]["shock"], switch["jump"]["peak"]], [10 * step, 10 * step])
    np.testing.assert_allclose([switch["ramp"]["shock"], switch["ramp"]["peak"]], [1.1 * step, 1.5 * step**3])
    text = dynamics.without_jump_section(rep)
    assert "| schedule | m | jump / peak | vs ReLU | vs the jump |" in text
    assert "| HRTA 1→1.5 | 100 | 9.33× / 9.33× | 0.667 (0.667 to 0.667), contradicted | – |" in text
    assert "| HRTA 1⇢1.5 (ramp 3) | 100 | 1.03× / 1.22× | 1.33 (1.33 to 1.33), holds | 2 (2 to 2), holds |" in text
    (sentence,) = [s for s in answer.section(rep) if s.startswith("- At a switch")]
    assert sentence.endswith("; a ramp through the same s values ends below the schedule with the jump in 1 of 1 "
                             "settings and above it in 0 ([Without the jump](#without-the-jump)).")


def test_without_a_ramp_or_plateau_the_section_says_so():
    agg = _aggregate().sel({"method": ["relu", "jump"]})
    rep = claims.report({"exp": agg}, Reading())
    assert rep["without_jump"] == []
    assert dynamics.without_jump_section(rep) == ["## Without the jump", "", "No ramp or switch on plateau in this "
                                                  "profile.", ""]
