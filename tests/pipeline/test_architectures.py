"""HRTA beyond two-layer ReLU in training (issue 19): the deep and smooth-base networks
against the theory's parametrisation, their population form against single networks, the
generated experiments of the config, GD at the network's own kernel limit, and the depth
trend of C4."""

import copy
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import xarray as xr

from conftest import SCHEMA, make_run, with_facts
from hrta.model.deep import HomotopyMLP, PopulationMLP, initial_mlp
from hrta.model.network import initial_network
from hrta.model.run import Network, Numerics
from hrta.pipeline import architectures, regimes
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import job_runs, jobs
from hrta.pipeline.stability import resolve_lr
from hrta.reporting.numbers import trend
from hrta.reporting.numbers.architectures import depth_rows, ratios, split
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.pictures.architectures import architectures_figure
from hrta.theory.finite_ntk import DeepNetwork, empirical_ntk
from hrta.training.populations import population_bytes
from hrta.training.run import train_population

F64 = Numerics(dtype="float64")
SCHEDULES = {"relu": [{"s": 1.0, "epochs": 10}], "hrta": [{"s": 1.0, "epochs": 5}, {"s": 1.5, "epochs": 5}]}


def test_depth_one_relu_is_the_papers_two_layer_network():
    x = torch.rand(9, 2, dtype=torch.float64)
    numerics = Numerics(dtype="float64", slopes="fused")
    mlp = initial_mlp(2, 30, 4, numerics, Network("relu", 1), s=0.7)
    two_layer = initial_network(2, 30, 4, numerics, s=0.7)
    torch.testing.assert_close(mlp(x), two_layer(x), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("base", ["relu", "tanh", "gelu"])
def test_gradients_give_the_theorys_finite_width_ntk(base):
    """The trained network is hrta.theory's: its autograd Gram matrix equals the per-layer
    formula of hrta.theory.finite_ntk on the same weights."""
    x = torch.rand(6, 1, dtype=torch.float64)
    net = initial_mlp(1, 25, 1, F64, Network(base, 3), s=0.6)
    params = [net.w, *net.hidden, net.a]
    rows = [torch.cat([g.flatten() for g in torch.autograd.grad(net(x[i:i + 1])[0], params)]) for i in range(6)]
    jac = torch.stack(rows)
    theory_net = DeepNetwork(tuple(p.detach().numpy() for p in [net.w, *net.hidden]), net.a.detach().numpy())
    expected = empirical_ntk(theory_net, x.numpy(), base, 0.6)["ntk"]
    np.testing.assert_allclose((jac @ jac.T).numpy(), expected, rtol=1e-11, atol=1e-12)


def test_population_members_are_the_single_networks():
    """Each member's output and gradient are its own network's, under its own s."""
    s_values = [0.5, 1.0, 1.5]
    nets = [initial_mlp(2, 16, seed, F64, Network("tanh", 2), s=s) for seed, s in zip(range(3), s_values)]
    pop = PopulationMLP(nets)
    x = torch.rand(5, 2, dtype=torch.float64)
    out = pop(x)
    out.pow(2).sum().backward()
    for k, net in enumerate(nets):
        single = net(x)
        torch.testing.assert_close(out[k], single, rtol=1e-12, atol=1e-12)
        single.pow(2).sum().backward()
        torch.testing.assert_close(pop.w.grad[k], net.w.grad, rtol=1e-11, atol=1e-12)
        torch.testing.assert_close(pop.hidden[0].grad[k], net.hidden[0].grad, rtol=1e-11, atol=1e-12)


def test_bad_network_is_refused():
    with pytest.raises(ValueError, match="base activation must be one of"):
        HomotopyMLP(1, 4, 2, "sigmoid")
    with pytest.raises(ValueError, match="depth, width and in_dim must be positive"):
        HomotopyMLP(1, 4, 0)
    nets = [HomotopyMLP(1, 4, 2), HomotopyMLP(1, 4, 3)]
    with pytest.raises(ValueError, match="must share"):
        PopulationMLP(nets)


@pytest.mark.slow
def test_a_deep_population_trains_and_records_its_network(sin_dataset):
    network = {"base": "relu", "depth": 3}
    specs = [make_run(seed=seed, network=network, method=name, schedule=schedule)
             for seed in (0, 1) for name, schedule in (("relu", [{"s": 1.0, "epochs": 40}]),
                                                       ("hrta", [{"s": 0.5, "epochs": 20}, {"s": 1.0, "epochs": 20}]))]
    histories = train_population(sin_dataset, specs)
    first = histories[0]
    assert str(first["base"].values) == "relu" and int(first["depth"]) == 3
    assert str(first["label"].values) == "ReLU, 3 hidden layers" and bool(first["is_baseline"])
    assert str(histories[1]["label"].values) == "HRTA 0.5→1"
    for hist in histories:
        loss = hist["loss"].values
        assert np.isfinite(loss).all() and loss[-1] < loss[0]
    assert population_bytes(specs[0], 4) > population_bytes(specs[0], 2)


ARCHITECTURES = {"sin1d": {"seeds": [0, 1], "methods": ["relu", "hrta_1-1.5"],
                           "networks": [{"base": "tanh", "depth": 1, "widths": [20]},
                                        {"base": "relu", "depth": 4, "widths": [20, 50], "optimizers": ["adam"]}]}}


def _with(ci_config, block):
    cfg = copy.deepcopy(ci_config)
    cfg["architectures"] = copy.deepcopy(block)
    cfg["theory"]["beyond"]["max_points"] = 100
    return cfg


def test_each_network_becomes_an_experiment_with_the_sources_protocol(ci_config):
    ci_config["training"]["job_per"] = ["optimizer", "width"]
    cfg = validate(_with(ci_config, ARCHITECTURES), SCHEMA)
    assert architectures.generated(cfg) == ["sin1d_tanh_L1", "sin1d_relu_L4"]
    assert "sin1d_tanh_L1" not in regimes.paper_experiments(cfg)
    source, tanh = cfg["experiments"]["sin1d"], cfg["experiments"]["sin1d_tanh_L1"]
    assert tanh["problem"] == source["problem"] and tanh["widths"] == [20] and tanh["seeds"] == [0, 1]
    assert [m["name"] for m in tanh["methods"]] == ["relu", "hrta_1-1.5"]
    assert tanh["figures"] == [{"name": "sin1d_tanh_L1", "metrics": ["loss", "test_error"]}]
    adam, gd = tanh["optimizers"]
    assert adam == source["optimizers"][0]
    assert "lr" not in gd and gd["stability_fraction"] == 0.39 and gd["stability_s"] == [1.0, 1.5]
    assert gd["limit_from"] == ["sin1d", "tanh_L1"]
    deep = cfg["experiments"]["sin1d_relu_L4"]
    assert [o["name"] for o in deep["optimizers"]] == ["adam"]
    per, grid = cfg["training"]["job_per"], jobs(cfg)
    deep_runs = job_runs(grid, "sin1d_relu_L4", "adam/m50", per)
    assert len(deep_runs) == 4 and all(r.network == Network("relu", 4, "sin1d") for r in deep_runs)
    assert job_runs(grid, "sin1d", "adam/m20", per)[0].network.is_paper
    assert sum(exp == "sin1d_relu_L4" for exp, _ in jobs(cfg)) == 2


@pytest.mark.parametrize("change, key, message", [
    ({"networks": [{"base": "relu", "depth": 1, "widths": [20]}]}, "architectures.sin1d.networks[0]",
     "two-layer ReLU at width [20] is experiments.sin1d itself"),
    ({"networks": [{"base": "relu", "depth": 3, "widths": [20]}]}, "architectures.sin1d.networks[0].optimizers",
     "gd needs the kernel limit of relu_L3"),
    ({"methods": ["relu", "nope"]}, "architectures.sin1d.methods", "no entry named 'nope'"),
    ({"networks": [{"base": "tanh", "depth": 1, "widths": [20], "optimizers": ["sgd"]}]},
     "architectures.sin1d.networks[0].optimizers", "no entry named 'sgd'"),
])
def test_bad_architecture_names_the_key(ci_config, change, key, message):
    block = {"sin1d": {**ARCHITECTURES["sin1d"], **change}}
    with pytest.raises(ConfigError, match=re.escape(f"'{key}'") + ".*" + re.escape(message)):
        validate(_with(ci_config, block), SCHEMA)


def test_gd_needs_the_kernel_on_every_training_point(ci_config):
    cfg = _with(ci_config, ARCHITECTURES)
    cfg["theory"]["beyond"]["max_points"] = 30
    with pytest.raises(ConfigError, match=r"needs all 100 training points of sin1d"):
        validate(cfg, SCHEMA)


def test_unknown_source_and_base_name_the_key(ci_config):
    with pytest.raises(ConfigError, match=r"'architectures.nosuch'.*no paper experiment named 'nosuch'"):
        validate(_with(ci_config, {"nosuch": ARCHITECTURES["sin1d"]}), SCHEMA)
    bad = {"sin1d": {**ARCHITECTURES["sin1d"], "networks": [{"base": "sigmoid", "depth": 1, "widths": [20]}]}}
    with pytest.raises(ConfigError, match=r"'architectures.sin1d.networks\[0\].base'"):
        validate(_with(ci_config, bad), SCHEMA)


def test_gd_rate_is_the_fraction_of_the_networks_own_limit():
    lam = np.array([[[1.0, 2.0, 4.0]], [[10.0, 20.0, 40.0]]])  # network, part, s
    beyond = xr.Dataset({"lambda_max": (("experiment", "network", "part", "s"), lam[None]),
                         "n_used": (("experiment",), [50])},
                        coords={"experiment": ["sin1d"], "network": ["relu_L2", "tanh_L1"], "part": ["ntk"],
                                "s": [0.5, 1.0, 1.5]})
    run = make_run(optimizer={"name": "gd", "algorithm": "gd", "stability_fraction": 0.5, "stability_s": [1.0, 1.5],
                              "limit_from": ["sin1d", "tanh_L1"]})
    assert run.optimizer.lr is None
    # 2 n / lambda_max over s in {1, 1.5} of tanh_L1: 100 / 40; half of it
    assert resolve_lr(run, beyond).optimizer.lr == pytest.approx(0.5 * 100 / 40)


def _pairs(ratio: float, seeds: int = 6):
    base = 1.0 + 0.1 * np.arange(seeds)
    none = np.zeros(seeds, dtype=bool)
    return base, none, base / ratio, none


def test_depth_trend_follows_the_ratios_and_names_its_test():
    trends = [trend.depth_trend({1: _pairs(1.1), 2: _pairs(1.5), 3: _pairs(2.0), 4: _pairs(3.0)}),
              trend.depth_trend({2: _pairs(1.5), 3: _pairs(1.5)}),
              trend.depth_trend({2: _pairs(3.0), 3: _pairs(1.0), 4: _pairs(0.3)})]
    growing, flat, shrinking = trend.decide([t.as_dict() for t in trends], Reading(), [True] * 3)
    assert growing["verdict"] == "grows" and growing["test"] == trend.KENDALL_DEPTH
    assert np.exp(growing["slope"]) > 1
    assert flat["verdict"] == "undecided" and flat["reason"] == "not significant after Benjamini-Hochberg"
    assert shrinking["verdict"] == "shrinks"


def _network_aggregate(base, depth, width, ratios, source="sin1d"):
    """A generated experiment's aggregate whose HRTA run beats the plain one by ratios[seed]."""
    plain = 1.0 + 0.1 * np.arange(len(ratios))
    dims = ("optimizer", "method", "width", "seed")
    final = np.stack([plain, plain / np.asarray(ratios)])[None, :, None, :]
    ds = xr.Dataset({"final_loss": (dims, final), "diverged": (dims, np.zeros(final.shape, "int64"))},
                    coords={"optimizer": ["adam"], "method": ["relu", "hrta"], "width": [width],
                            "seed": list(range(len(ratios)))})
    name = f"{source}_{base}_L{depth}"
    facts = {"base": base, "depth": np.int64(depth), "source": source}
    return name, with_facts(ds, SCHEDULES, experiment=name).assign_coords(facts)


def test_two_layer_relu_of_a_new_width_is_depth_one_of_the_trend_and_of_no_claim(ci_config):
    cfg = validate(_with(ci_config, {"sin1d": {**ARCHITECTURES["sin1d"], "networks": [
        {"base": "relu", "depth": 1, "widths": [50]}]}}), SCHEMA)
    assert cfg["experiments"]["sin1d_relu_L1"]["widths"] == [50]
    aggs = dict(_network_aggregate("relu", d, 50, [r * 1.01 ** i for i in range(6)])
                for d, r in ((1, 4.0), (2, 2.0), (3, 1.0), (4, 0.5)))
    aggs |= dict([_network_aggregate("tanh", 1, 50, [2.0] * 6), _network_aggregate("relu", 2, 80, [2.0] * 6, "sin3d")])
    smooth, deep, two_layer = split(aggs)
    assert list(smooth) == ["sin1d_tanh_L1"] and list(two_layer) == ["sin1d_relu_L1"]
    (row50, row80) = sorted(depth_rows(deep, two_layer, {}, Reading()), key=lambda r: r["width"])
    assert list(row50["median_ratio_by_depth"]) == [1, 2, 3, 4] and row50["verdict"] == "shrinks"
    assert list(row80["median_ratio_by_depth"]) == [2]


def test_figure_takes_the_sources_runs_at_the_networks_widths_and_schedules_only():
    name, tanh = _network_aggregate("tanh", 1, 50, [2.0] * 3)
    dims = ("optimizer", "method", "width", "seed")
    final = np.ones((1, 3, 2, 3))
    source = xr.Dataset({"final_loss": (dims, final), "diverged": (dims, np.zeros(final.shape, "int64"))},
                        coords={"optimizer": ["adam"], "method": ["relu", "hrta", "hrta_down"], "width": [50, 80],
                                "seed": [0, 1, 2]})
    schedules = SCHEDULES | {"hrta_down": [{"s": 1.5, "epochs": 5}, {"s": 1.0, "epochs": 5}]}
    df = ratios({name: tanh}, {"sin1d": with_facts(source, schedules, experiment="sin1d")})
    assert sorted(set(df["network"])) == ["ReLU L1, m50", "tanh L1, m50"]
    assert len(df) == 6 and set(df["schedule"]) == {"HRTA 1→1.5"}


def test_figure_draws_a_single_schedule(tmp_path):
    name, tanh = _network_aggregate("tanh", 1, 50, [2.0, 1.5, 3.0])
    written = architectures_figure({name: tanh}, {}, str(tmp_path / "architectures"))
    assert all(Path(p).stat().st_size > 1000 for p in written)
