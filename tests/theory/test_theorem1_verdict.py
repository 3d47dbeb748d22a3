"""Theorem 1's monotonicity verdict has power on every kernel part (issue 16)."""

import numpy as np
import pytest
import xarray as xr

from hrta.theory import ntk
from hrta.theory.monotone import monotone_part
from hrta.theory.theorem1_verdict import at_s, monotone_verdict

S = np.round(np.linspace(0.05, 1.95, 39), 12)
N = 100  # training points: rounding level eps * N * lambda_max = 2.7e-12 for lambda_max = 120


def spectra(lambda_min: dict, lambda_max: float = 120.0, widths=(20,), nulls: int = 0) -> xr.Dataset:
    """A spectra dataset as hrta.theory.spectra.spectra writes it, with the given lambda_min
    per part (default: the s² growth of the output part, 4e-9 at s = 1); the finite Gram
    matrices with ``nulls`` exact null directions (lambda_min 0 then, the value beyond them
    that growth)."""
    lam = np.array([lambda_min.get(p, 4e-9 * S**2) for p in ntk.PARTS])
    s_emp = np.array([0.5, 1.0, 1.5])
    emp = np.broadcast_to(np.interp(s_emp, S, lam[0]), (len(widths), 2, len(ntk.PARTS), 3))
    dims = ("width", "seed", "part", "s_empirical")
    kind = "singular" if nulls else "resolved"
    return xr.Dataset(
        {"lambda_min": (("part", "s"), lam), "lambda_max": (("part", "s"), np.full(lam.shape, lambda_max)),
         "empirical_lambda_min": (dims, emp * 0 if nulls else emp.copy()),
         "empirical_lambda_max": (dims, np.full(emp.shape, lambda_max)),
         "empirical_lambda_beyond_null": (dims, emp.copy()),
         "empirical_null_directions": (dims, np.full(emp.shape, nulls)),
         "empirical_class": (dims, np.full(emp.shape, kind, dtype=object)),
         "empirical_source": (dims, np.full(emp.shape, "kinks" if nulls else "", dtype=object))},
        coords={"part": list(ntk.PARTS), "s": S, "s_empirical": s_emp, "width": list(widths), "seed": [0, 1]},
        attrs={"n_train": N, "n_used": N})


def test_increasing_spectra_hold():
    out = monotone_verdict(spectra({}), 1e-10)
    assert out["verdict"] == "holds" and out["theorem1_holds"] is True
    assert {p["verdict"] for p in out["parts"].values()} == {"holds"}


@pytest.mark.parametrize("part", ntk.PARTS)
def test_a_strictly_decreasing_part_fails(part):
    """lambda_min falling from 1e-8 to 1e-9 (the output part's scale, far below 1e-10 x lambda_max)."""
    out = monotone_verdict(spectra({part: np.geomspace(1e-8, 1e-9, len(S))}), 1e-10)
    assert out["parts"][part]["verdict"] == "fails"
    assert len(out["parts"][part]["decreasing_steps"]) == len(S) - 1
    assert out["parts"][part]["largest_relative_decrease"] == pytest.approx(1 - 10 ** (-1 / 38))
    assert {p["verdict"] for name, p in out["parts"].items() if name != part} == {"holds"}
    assert out["verdict"] == "fails" and out["theorem1_holds"] is False


@pytest.mark.parametrize("part", ntk.PARTS)
def test_one_small_dip_fails(part):
    lam = 1e-3 * S**2
    lam[20] = lam[19] * (1 - 1e-6)  # a relative dip of 1e-6, far above rounding (1e-3 x 2.7e-12)
    out = monotone_verdict(spectra({part: lam}), 1e-10)
    assert out["parts"][part]["decreasing_steps"] == [[S[19], S[20]]]


def test_rounding_level_is_not_decidable_not_holds():
    lam = 4e-9 * S**2
    lam[:3] = [1e-13, 2e-12, 2.5e-12]  # at or below eps * N * 120 = 2.66e-12
    out = monotone_verdict(spectra({"output": lam}), 1e-10)
    part = out["parts"]["output"]
    assert part["verdict"] == "not decidable at this precision" and part["unresolved_s"] == list(S[:3])
    assert out["verdict"] == "not decidable at this precision" and out["theorem1_holds"] is False
    lam[5] = 0.5 * lam[4]  # a clear decrease is still seen
    assert monotone_verdict(spectra({"output": lam}), 1e-10)["parts"]["output"]["verdict"] == "fails"


def test_values_at_the_schedules_s():
    table = at_s(spectra({}, widths=(20, 200)), [1.5, 0.5, 1.0], 1e-10)
    assert set(table) == set(ntk.PARTS) and set(table["output"]) == {"infinite", 20, 200}
    inf = table["output"]["infinite"]
    assert inf["s"] == [0.5, 1.0, 1.5] and inf["verdict"] == "holds"
    np.testing.assert_allclose(inf["lambda_min"], 4e-9 * np.array([0.25, 1.0, 2.25]))
    assert table["output"][200]["n_seeds"] == 2
    np.testing.assert_allclose(inf["rounding_level"], np.finfo(float).eps * N * 120.0)


def test_exactly_singular_finite_grams_are_zero_at_every_s_and_judged_beyond_their_null_directions():
    row = at_s(spectra({}, nulls=70), [0.5, 1.0, 1.5], 1e-10)["output"][20]
    assert row["classes"] == {"singular": 2} and row["null_directions"] == [70, 70] and row["sources"] == ["kinks"]
    assert row["lambda_min"] == [0.0, 0.0, 0.0] and row["verdict"] == "holds"  # exact zeros: constant
    assert row["beyond_null_verdict"] == "holds"
    np.testing.assert_allclose(row["lambda_beyond_null"], 4e-9 * np.array([0.25, 1.0, 2.25]))


def test_a_singular_gram_after_a_positive_one_fails_and_exact_zeros_are_resolved():
    s = np.array([0.5, 1.0, 1.5])
    level = np.full(3, 1e-12)
    falls = monotone_part(np.array([1e-9, 0.0, 0.0]), level, s, 1e-10, exact=np.array([False, True, True]))
    assert falls["verdict"] == "fails" and falls["decreasing_steps"] == [[0.5, 1.0]]
    rises = monotone_part(np.array([0.0, 0.0, 1e-9]), level, s, 1e-10, exact=np.array([True, True, False]))
    assert rises["verdict"] == "holds" and rises["unresolved_s"] == []
    assert monotone_part(np.array([0.0, 0.0, 1e-9]), level, s, 1e-10)["verdict"] == "not decidable at this precision"


def test_the_file_rounding_level_decides_what_the_plain_one_cannot():
    """lambda_min below eps n lambda_max (the plain eigensolver's level) but above the
    rounding level on the null space of G: "holds", with mu and the unresolved plain s."""
    lam = 4e-9 * S**2
    lam[:3] = [1e-13, 2e-12, 2.5e-12]
    ds = spectra({"output": lam})
    assert monotone_verdict(ds, 1e-10)["parts"]["output"]["verdict"] == "not decidable at this precision"
    ds["rounding_level"] = (("part", "s"), 1e-6 * ds["lambda_min"].values)
    ds["null_space_min"] = ("part", [4 * 4e-9, 1.0, 1.0])
    ds["gram_rank"] = ("part", [2, 2, 2])
    out = monotone_verdict(ds, 1e-10)["parts"]["output"]
    assert out["verdict"] == "holds"
    assert out["null_space"]["plain_unresolved_s"] == list(S[:3]) and out["null_space"]["mu"] == 1.6e-8
    lam[5] = 0.5 * lam[4]  # and a decrease is still seen
    ds["lambda_min"] = (("part", "s"), np.array([lam, 4e-9 * S**2, 4e-9 * S**2]))
    assert monotone_verdict(ds, 1e-10)["parts"]["output"]["verdict"] == "fails"
