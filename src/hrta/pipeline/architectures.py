"""HRTA beyond the two-layer ReLU network (issue 19): other base activations and deeper
networks, each generated into an ordinary experiment of the config.

``architectures.<name>`` borrows the problem, data seed, evaluation interval, optimizers
and methods of ``experiments.<name>`` (a subset of them by name, if given) and lists
networks {base, depth, widths}; two-layer ReLU only at widths the source lacks (the depth
trend's depth 1 beside deeper networks of that width). Each network becomes the experiment
``<name>_<base>_L<depth>`` (one figure of that name), its runs trained with that network.
A GD optimizer of the source runs at ``gd_stability_fraction`` of the network's own
kernel limit 2n / lambda_max (infinite width, over the s its methods visit), read from the
Theorem-1-beyond spectra (results/theory/beyond_spectra.nc): the source's step size in
units of its kernel's limit, not its raw value. Imports no torch.
"""

import copy

from hrta.model.run import Network
from hrta.pipeline.errors import ConfigError, by_name
from hrta.pipeline.grid import visited_s

KEY = "architecture"  # generated experiments carry {source, base, depth} under this key


def experiment_name(source: str, network: dict) -> str:
    """'sin1d_tanh_L1', 'sin3d_relu_L3': the generated experiment (and figure) of a network."""
    return f"{source}_{_slug(network)}"


def _slug(network: dict) -> str:
    """'tanh_L1': the network's name (hrta.model.run.Network.slug, as hrta.theory.beyond names it)."""
    return Network(network["base"], network["depth"]).slug


def _selected(items: list[dict], names, key: str) -> list[dict]:
    return copy.deepcopy(items if names is None else [by_name(items, n, key) for n in names])


def expand(config: dict) -> None:
    """Add the generated experiment of every listed network to ``config['experiments']``;
    ConfigError naming the key for a network that is the paper's own or whose GD kernel
    limit the Theorem-1-beyond spectra do not give."""
    for name, block in config.get("architectures", {}).items():
        key = f"architectures.{name}"
        source = config["experiments"].get(name)
        if source is None or KEY in source or "regime" in source:
            raise ConfigError(f"config key '{key}': no paper experiment named {name!r} to take the problem"
                              f" and protocol from (expected: one of {sorted(config['experiments'])})")
        methods = _selected(source["methods"], block.get("methods"), f"{key}.methods")
        for i, net in enumerate(block["networks"]):
            net_key = f"{key}.networks[{i}]"
            shared = sorted(set(net["widths"]) & set(source["widths"]))
            if (net["base"], net["depth"]) == ("relu", 1) and shared:
                raise ConfigError(f"config key '{net_key}': two-layer ReLU at width {shared} is experiments.{name}"
                                  " itself (expected: another base, depth > 1, or widths the experiment lacks)")
            optimizers = [_optimizer(opt, name, net, methods, block, config, f"{net_key}.optimizers")
                          for opt in _selected(source["optimizers"], net.get("optimizers"), f"{net_key}.optimizers")]
            generated = experiment_name(name, net)
            if generated in config["experiments"]:
                raise ConfigError(f"config key '{net_key}': experiment {generated!r} is listed twice")
            config["experiments"][generated] = {
                "problem": copy.deepcopy(source["problem"]), "data_seed": source["data_seed"],
                "widths": list(net["widths"]), "seeds": list(block["seeds"]), "eval_every": source["eval_every"],
                "epochs": source["epochs"],
                "figures": [{"name": generated, "metrics": ["loss", "test_error"]}],
                "optimizers": optimizers, "methods": copy.deepcopy(methods),
                KEY: {"source": name, "base": net["base"], "depth": int(net["depth"])},
            }


def _optimizer(opt: dict, source: str, net: dict, methods, block: dict, config: dict, key: str) -> dict:
    """The source's optimizer; GD as a fraction of the network's kernel stability limit."""
    if opt["algorithm"] != "gd":
        return opt
    beyond = config["theory"].get("beyond")
    label = _slug(net)
    networks = [] if beyond is None else (
        [f"relu_L{d}" for d in beyond["relu_depths"]] + [f"{b}_L1" for b in beyond["smooth_bases"]])
    if label not in networks:
        raise ConfigError(f"config key '{key}': gd needs the kernel limit of {label}, which theory.beyond does"
                          f" not compute (it has {networks}; expected: add the network to theory.beyond,"
                          " or list only adam here)")
    n_train = config["experiments"][source]["problem"]["n_train"]
    if n_train > beyond["max_points"]:
        raise ConfigError(f"config key '{key}': gd's kernel limit needs all {n_train} training points of"
                          f" {source}, above theory.beyond.max_points = {beyond['max_points']}"
                          " (expected: list only adam here, or raise max_points)")
    out = {k: v for k, v in opt.items() if k != "lr"}
    return out | {"stability_fraction": block["gd_stability_fraction"], "stability_s": visited_s(methods),
                  "limit_from": [source, label]}


def generated(config: dict) -> list[str]:
    """The generated experiments, in config order."""
    return [name for name, exp in config["experiments"].items() if KEY in exp]
