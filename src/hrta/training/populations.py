"""Which runs of a job train together: one population per width, optimizer family, length
and evaluation interval (members may differ in method, seed, learning rate and decay).

Free of torch, so that the pipeline can size a job's resources from it.
"""

from hrta.model.schedule import Schedule


def population_key(spec: dict) -> tuple:
    """Runs with the same key train as one population."""
    return (spec["width"], spec["optimizer"]["algorithm"], Schedule(spec["schedule"]).total_epochs,
            spec["eval_every"])


def populations(specs: list[dict]) -> list[list[int]]:
    """Indices of ``specs`` grouped into populations, in order of first appearance."""
    groups = {}
    for i, spec in enumerate(specs):
        groups.setdefault(population_key(spec), []).append(i)
    return list(groups.values())
