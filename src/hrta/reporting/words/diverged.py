"""The claims report's "Diverged runs" section: every run whose loss became non-finite
(hrta.reporting.numbers.claims.diverged_runs), counted in the tests."""

from hrta.reporting.words.kit import pipe_table


def section(rep: dict) -> list[str]:
    """## Diverged runs: a table of them, or a sentence that there are none."""
    rows = rep["diverged"]
    out = ["## Diverged runs", ""]
    if not rows:
        return out + ["None: every run finished with a finite loss.", ""]
    out += [f"{len(rows)} runs diverged, counted in the tests above:", ""]
    out += pipe_table([(h, a, lambda r, k=k: r[k]) for h, a, k in (
        ("experiment", "l", "experiment"), ("optimizer", "l", "optimizer"), ("method", "l", "method"),
        ("m", "r", "width"), ("seed", "r", "seed"), ("first non-finite epoch", "r", "epoch"))], rows)
    return out + [""]
