import copy
from pathlib import Path

import pytest
import yaml

from hrta.problems import make_problem

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
PROBLEM = {"name": "sin_sum", "dim": 1, "n_train": 50, "train_points": "grid",
           "n_test": 100, "test_points": "grid"}
TRAINING = {"threads": 1, "dtype": "float32", "accelerator": "cpu", "bias": "augment",
            "optimizer_state_at_switch": "keep", "kernel": "fused", "chunk": 262144}


@pytest.fixture(scope="session")
def sin_dataset():
    return make_problem(PROBLEM).make_dataset(0)


def make_spec(**over):
    spec = {"problem": PROBLEM, "width": 64, "seed": 0, "eval_every": 10,
            "schedule": [{"s": 0.5, "epochs": 60}, {"s": 1.0, "epochs": 60}],
            "optimizer": {"name": "adam", "algorithm": "adam", "lr": 1e-2,
                          "decay": {"kind": "step", "step_size": 50, "gamma": 0.5}},
            "training": dict(TRAINING)}
    spec.update(copy.deepcopy(over))
    return spec


@pytest.fixture
def ci_config():
    return yaml.safe_load((ROOT / "workflow" / "configs" / "ci.yaml").read_text())
