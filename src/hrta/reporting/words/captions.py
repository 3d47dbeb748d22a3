"""What the report's figure captions say about an experiment's problem, as the phrases a
reader sees (they are also the figure job's parameters in the report's job panel).

Apart from the figure modules so that the Snakefile, which fills the captions' parameters
at every start, imports neither matplotlib and seaborn nor torch (a no-op rerun stays fast).
"""

from hrta.problems import make_problem

TRAINING_LOSS = "training loss"


def caption_params(problem_cfg: dict) -> dict:
    """The problem's title, what its loss is, its training and test points, as phrases."""
    problem = make_problem(problem_cfg)
    test = f"{problem.n_test} {problem.test_points} points"
    train = f"{problem.n_train} {problem.train_points} points"
    if problem.resample:
        train += ", redrawn every epoch"
    if problem.loss_is_gap:
        quadrature = f"the {test} (the training points are redrawn)" if problem.resample else f"the {train}"
        loss = f"Ritz energy gap, E(u*) by the quadrature of {quadrature}"
    else:
        loss = TRAINING_LOSS
    return {"title": problem.title, "loss": loss, "training_points": train, "test_points": test}
