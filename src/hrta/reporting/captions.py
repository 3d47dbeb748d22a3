"""What the report's figure captions say about an experiment's problem.

Apart from the figure modules so that the Snakefile, which fills the captions' parameters
at every start, imports neither matplotlib and seaborn (~1.3 s of a no-op rerun) nor torch.
"""

from hrta.problems import make_problem


def caption_params(problem_cfg: dict) -> dict:
    """What the report's caption template needs to describe an experiment's figures."""
    problem = make_problem(problem_cfg)
    return {"title": problem.title, "loss_is_gap": problem.loss_is_gap,
            "n_train": problem.n_train, "train_points": problem.train_points,
            "n_test": problem.n_test, "test_points": problem.test_points,
            "resample": problem.resample}
