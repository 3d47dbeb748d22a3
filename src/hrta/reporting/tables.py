"""Table 1: final training loss and test error per method and width, mean ± std over seeds."""

import numpy as np
import pandas as pd
import xarray as xr

from hrta.reporting.facts import compared_loss, method_labels


def summary(aggregates: dict[str, xr.Dataset]) -> pd.DataFrame:
    """Long table: one row per (experiment, optimizer, method, width).

    Diverged runs are counted in ``n_diverged`` and left out of the mean and std. A loss
    that is a gap (a Ritz energy) is given as the gap to the exact solution's loss.
    """
    rows = []
    for exp, agg in aggregates.items():
        labels = method_labels(agg)
        final_loss, gap = compared_loss(agg, "final_loss"), bool(agg["loss_is_gap"])
        for opt in agg.optimizer.values:
            for method in labels:  # config order: the baseline first
                for width in agg.width.values:
                    where = {"optimizer": opt, "method": method, "width": width}
                    sel = agg.sel(where)
                    loss, err = final_loss.sel(where).values, sel["final_test_error"].values
                    rows.append({
                        "experiment": exp, "optimizer": str(opt), "method": str(method),
                        "label": labels[str(method)], "width": int(width),
                        "n_seeds": int(sel.sizes["seed"]),
                        "n_diverged": int(sel["diverged"].sum()), "loss_is_gap": gap,
                        "loss_mean": _stat(np.nanmean, loss), "loss_std": _stat(_std, loss),
                        "error_mean": _stat(np.nanmean, err), "error_std": _stat(_std, err),
                    })
    return pd.DataFrame(rows)


def _std(values):
    return np.nanstd(values, ddof=1) if np.isfinite(values).sum() > 1 else np.nan


def _stat(fn, values):
    return float(fn(values)) if np.isfinite(values).any() else float("nan")


def _cell(mean, std, diverged=0, tex=False):
    pm = r"$\pm$" if tex else "±"
    text = "diverged" if not np.isfinite(mean) else (
        f"{mean:.2e}" + (f" {pm} {std:.1e}" if np.isfinite(std) else ""))
    if diverged and np.isfinite(mean):
        text += f" ({diverged} div.)"
    return text


def _blocks(df: pd.DataFrame):
    for (exp, opt), block in df.groupby(["experiment", "optimizer"], sort=False):
        widths = list(dict.fromkeys(block["width"]))
        rows = [(label, [g[g["width"] == w].iloc[0] for w in widths])
                for label, g in block.groupby("label", sort=False)]
        yield exp, opt, widths, rows, bool(block["loss_is_gap"].any())


def markdown(df: pd.DataFrame) -> str:
    out = ["# Table 1: final training loss / final relative L2 test error",
           "", "Mean ± standard deviation over seeds; diverged runs are counted, not averaged.", ""]
    for exp, opt, widths, rows, gap in _blocks(df):
        loss = "gap" if gap else "loss"
        out += [f"## {exp} ({opt})" + (": loss = Ritz energy gap E(u) − E(u*)" if gap else ""), "",
                "| method | " + " | ".join(f"m = {w}: {loss}" + f" | m = {w}: error" for w in widths) + " |",
                "|---" * (1 + 2 * len(widths)) + "|"]
        for label, cells in rows:
            parts = []
            for r in cells:
                parts += [_cell(r.loss_mean, r.loss_std, r.n_diverged),
                          _cell(r.error_mean, r.error_std, r.n_diverged)]
            out.append(f"| {label} | " + " | ".join(parts) + " |")
        out.append("")
    return "\n".join(out)


def latex(df: pd.DataFrame) -> str:
    """A compilable ``table`` environment, one block per experiment and optimizer.

    Within a block the loss rows come first, then the error rows, so that a block is one
    column per width and fits a journal's text width.
    """
    out = [r"\begin{table}[ht]", r"\centering", r"\scriptsize"]
    for exp, opt, widths, rows, gap in _blocks(df):
        span = 1 + len(widths)
        loss = r"Ritz energy gap $E(u) - E(u^*)$" if gap else "training loss"
        out += [r"\begin{tabular}{l" + "c" * len(widths) + "}", r"\hline",
                rf"\multicolumn{{{span}}}{{l}}{{\textbf{{{_tex(exp)}}} ({_tex(opt)})}} \\",
                "method & " + " & ".join(f"$m = {w}$" for w in widths) + r" \\", r"\hline"]
        for title, mean, std in ((f"final {loss}", "loss_mean", "loss_std"),
                                 (r"final relative $L^2$ error", "error_mean", "error_std")):
            out.append(rf"\multicolumn{{{span}}}{{l}}{{\emph{{{title}}}}} \\")
            for label, cells in rows:
                parts = [_cell(r[mean], r[std], r.n_diverged, tex=True) for r in cells]
                out.append(_tex(label).replace("→", r"$\to$") + " & " + " & ".join(parts) + r" \\")
        out += [r"\hline", r"\end{tabular}", r"\par\medskip"]
    out += [r"\caption{Final training loss (for a Ritz energy, its gap to the exact solution's"
            r" energy on the same points) and relative $L^2$ test error, mean $\pm$ standard"
            r" deviation over seeds; diverged runs are counted, not averaged.}",
            r"\label{tab:results}", r"\end{table}", ""]
    return "\n".join(out)


def _tex(text: str) -> str:
    return str(text).replace("_", r"\_")

