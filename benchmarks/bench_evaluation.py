"""Share of evaluation in a training population of the multi-coordinate experiments (run by hand).

Trains one population of ``--members`` runs (seeds 0.., the ReLU and 1 -> 1.5 schedules
alternating, the experiment's problem, optimizer, learning rate and evaluation interval) for
``--epochs`` epochs at each width, in one process and one thread, and prints milliseconds
per population step, per evaluation, and the share of the training time spent in the
evaluations (timed around ``PopulationModule._evaluate``).

    .venv/bin/python benchmarks/bench_evaluation.py --experiment sin3d --widths 1000 3000
"""

import argparse
import time

import torch

from hrta.model.run import Optimizer, Run
from hrta.model.schedule import Schedule
from hrta.pipeline.config import read_yaml
from hrta.problems import make_problem
from hrta.training.module import PopulationModule
from hrta.training.run import train_population


def runs(exp: dict, width: int, members: int, epochs: int) -> list[Run]:
    opt = exp["optimizers"][0]
    half = epochs // 2
    schedules = [Schedule([{"s": 1.0, "epochs": epochs}]),
                 Schedule([{"s": 1.0, "epochs": half}, {"s": 1.5, "epochs": epochs - half}])]
    return [Run(experiment="bench", method=f"m{k % 2}", schedule=schedules[k % 2],
                optimizer=Optimizer(name=opt["name"], algorithm=opt["algorithm"], lr=opt["lr"]), width=width, seed=k,
                problem=exp["problem"], data_seed=exp["data_seed"], eval_every=exp["eval_every"])
            for k in range(members)]


def timed(method, spent: list):
    """``method`` with its wall seconds appended to ``spent`` at every call."""
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        out = method(*args, **kwargs)
        spent.append(time.perf_counter() - start)
        return out
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", default="sin3d")
    parser.add_argument("--widths", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(1)
    exp = read_yaml("config.yaml")["experiments"][args.experiment]
    data = make_problem(exp["problem"]).make_dataset(exp["data_seed"])
    spent = []
    PopulationModule._evaluate = timed(PopulationModule._evaluate, spent)
    for width in args.widths:
        spent.clear()
        start = time.perf_counter()
        train_population(data, runs(exp, width, args.members, args.epochs), log_every_s=1e9)
        total = time.perf_counter() - start
        print(f"{args.experiment} m = {width}, K = {args.members}: {1e3 * total / args.epochs:.1f} ms per step,"
              f" {1e3 * sum(spent) / len(spent):.0f} ms per evaluation ({len(spent)}),"
              f" evaluation share {sum(spent) / total:.1%}")


if __name__ == "__main__":
    main()
