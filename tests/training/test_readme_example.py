"""The README's "Use HRTA in your own model" example runs as written and does what it says."""

import warnings

from torch import nn

from conftest import readme_example
from hrta import HomotopyActivation


def test_readme_example_runs_and_schedules_s(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever Lightning writes stays out of the checkout
    scope = {"__name__": "readme_example"}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(num_workers|LeafSpec|log_every_n_steps)")
        exec(compile(readme_example(), "README.md", "exec"), scope)
    trainer = scope["trainer"]
    assert trainer.current_epoch == 20 and trainer.global_step == 20 * 4
    acts = [m for m in trainer.lightning_module.modules() if isinstance(m, HomotopyActivation)]
    assert [type(a.base) for a in acts] == [nn.ReLU, nn.GELU] and {a.s for a in acts} == {1.0}
    assert trainer.callback_metrics["homotopy_s"].item() == 1.0
    kinds = scope["kinds"]  # the plateau fired within its bounds, the ramp ran, s stayed at 1 to the end
    start = kinds.course.starts[1]
    assert 3 <= start <= 8 and kinds.course.starts == [0, start, start + 5] and kinds.s == 1.0
