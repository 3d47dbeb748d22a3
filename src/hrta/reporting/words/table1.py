"""Table 1 as Markdown and LaTeX from its summary frame (hrta.reporting.numbers.table1.summary):
one block per experiment and optimizer, one power of ten per column."""

import pandas as pd

from hrta.reporting.numbers.dynamics import DRIFT
from hrta.reporting.words import kit
from hrta.reporting.words.format import column_exponent, mean_sd, num, power_label

QUANTITIES = (("loss", "final training loss"), ("error", "final test error"))


def _blocks(df: pd.DataFrame):
    for (exp, opt), block in df.groupby(["experiment", "optimizer"], sort=False):
        widths = list(dict.fromkeys(block["width"]))
        rows = [(label, [g[g["width"] == w].iloc[0] for w in widths])
                for label, g in block.groupby("label", sort=False)]
        yield exp, opt, widths, rows, bool(block["loss_is_gap"].any())


def _columns(rows, quantity: str) -> list[int | None]:
    """The shared power of ten of each width's column (None: each cell its own)."""
    return [column_exponent([cells[k][f"{quantity}_mean"] for _, cells in rows])
            for k in range(len(rows[0][1]))]


def _cell(r, quantity: str, exponent, pm: str = "±") -> str:
    n, div = int(r.n_seeds), int(r.n_diverged)
    if div == n:
        return f"all {n} diverged"
    text = mean_sd(r[f"{quantity}_mean"], r[f"{quantity}_std"], exponent).replace("±", pm)
    return text + (f", {div} diverged" if div else "")


def _seeds(block_rows) -> str:
    cells = [r for _, cells in block_rows for r in cells]
    ns = sorted({int(r.n_seeds) for r in cells})
    diverged = sum(int(r.n_diverged) for r in cells)
    seeds = f"n = {ns[0]} seeds per cell" if len(ns) == 1 else f"n = {ns[0]} to {ns[-1]} seeds per cell"
    if not diverged:
        return seeds + "; no run diverged"
    return seeds + (f"; {diverged} run diverged" if diverged == 1 else f"; {diverged} runs diverged")


def _title(quantity: str, gap: bool, rows) -> str:
    """The quantity's row title; the error is named by its experiment (rows: the block's)."""
    if quantity == "error":
        return f"final {rows[0][1][0]['error_name']}"
    return "final Ritz energy gap E(u) − E(u*)" if gap else dict(QUANTITIES)[quantity]


def markdown(df: pd.DataFrame) -> str:
    out = ["# Table 1: final training loss and final test error", "",
           "The test error is each experiment's own: the relative L2 error on the test points for the "
           "regression and PDE experiments, the held-out classification error (1 − accuracy) on real data. "
           "Each cell: mean ± standard deviation over the seeds of that cell that did not diverge "
           "(sample standard deviation; none with one seed). Under a header ending in ×10ᵏ, a number x "
           "stands for x × 10ᵏ; a column whose values span more than two decades gives each cell its "
           "own power of ten, (mean ± sd)×10ᵏ. Diverged runs are counted in the cell, never averaged.", ""]
    for exp, opt, widths, rows, gap in _blocks(df):
        out += [f"## {exp} ({opt})", "", _seeds(rows) + ". " + _budget(rows) + ".", ""]
        for quantity, _ in QUANTITIES:
            powers = _columns(rows, quantity)
            title = _title(quantity, gap, rows)
            columns = [("method", "l", lambda row: row[0])] + [
                (f"m = {w}{power_label(e)}", "r", lambda row, k=k, e=e: _cell(row[1][k], quantity, e))
                for k, (w, e) in enumerate(zip(widths, powers))]
            out += [f"{title[0].upper()}{title[1:]}:", ""] + kit.pipe_table(columns, rows) + [""]
        out += [_drift(rows), ""]
    return "\n".join(out)


def _budget(rows) -> str:
    """The epochs and how converged the baseline is: its fall over the last 10% of them."""
    cells = [r for _, cells in rows for r in cells]
    base = [r for r in cells if r["baseline"]]
    falls = ", ".join(f"m = {r['width']}: {num(r['tail'])}×" for r in base)
    fall = f"; ReLU's fall over the last 10% of them: {falls}" if base else ""
    return f"Budget: {cells[0]['epochs']} epochs{fall}"


def _drift(rows) -> str:
    """Where a method's final loss sits above its minimum (it drifts up after it)."""
    up = [f"{label} at m = {r['width']} ({num(r['drift'])}×)" for label, cells in rows for r in cells
          if r["drift"] == r["drift"]]
    if not up:
        return f"No method drifts up after its minimum (the median final loss over the smallest is at most {DRIFT})."
    return (f"Drifts up after its minimum (the median final loss over the smallest is above {DRIFT}: the final "
            "value is not the best the method reached): " + "; ".join(up) + ".")


def latex(df: pd.DataFrame) -> str:
    """A compilable ``table`` environment, one block per experiment and optimizer.

    Within a block the loss rows come first, then the error rows, so that a block is one
    column per width and fits a journal's text width; each column of numbers shares one power
    of ten, given in its header line.
    """
    out = [r"\begin{table}[ht]", r"\centering", r"\scriptsize"]
    for exp, opt, widths, rows, gap in _blocks(df):
        span = 1 + len(widths)
        out += [r"\begin{tabular}{l" + "c" * len(widths) + "}", r"\hline",
                rf"\multicolumn{{{span}}}{{l}}{{\textbf{{{_tex(exp)}}} ({_tex(opt)}), {_tex(_seeds(rows))}}} \\",
                "method & " + " & ".join(f"$m = {w}$" for w in widths) + r" \\", r"\hline"]
        for quantity, _ in QUANTITIES:
            powers = _columns(rows, quantity)
            title = _tex(_title(quantity, gap, rows))
            title = title.replace("E(u) − E(u*)", "$E(u) - E(u^*)$").replace(" L2 ", " $L^2$ ")
            out += [rf"\multicolumn{{{span}}}{{l}}{{\emph{{{title}}}}} \\",
                    " & " + " & ".join(rf"$\times 10^{{{e}}}$" if e else "" for e in powers) + r" \\"]
            for label, cells in rows:
                parts = [_cell(r, quantity, e, pm=r"$\pm$") for r, e in zip(cells, powers)]
                out.append(_tex(label).replace("→", r"$\to$") + " & " + " & ".join(parts) + r" \\")
        out += [r"\hline", r"\end{tabular}", r"\par\medskip"]
    out += [r"\caption{Final training loss (for a Ritz energy, its gap to the exact solution's"
            r" energy on the same points) and final test error (relative $L^2$ error on the test points;"
            r" held-out classification error on real data), mean $\pm$ standard deviation over the seeds"
            r" that did not diverge; diverged runs are counted, not averaged.}",
            r"\label{tab:results}", r"\end{table}", ""]
    return "\n".join(out)


def _tex(text: str) -> str:
    return str(text).replace("_", r"\_")
