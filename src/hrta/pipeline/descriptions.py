"""What every variable, coordinate and file of the results means: the one table of names,
units and statistics' descriptions, applied by the netCDF writer (hrta.pipeline.files) to
every file it writes, so that the files describe themselves to xarray and CF tools.

Units are UDUNITS strings as CF asks: every quantity here is dimensionless (losses of
dimensionless functions, learning rates, eigenvalues, ratios, counts of epochs, pairs or
neurons), marked "1". A label (a seed, a method's name) has no units. A ``long_name`` set
where a variable is made stays (it may name the problem's own loss); this table fills in the
others, sets ``units`` and marks 0/1 variables as CF flags.
"""

import re

import numpy as np

CONVENTIONS = "CF-1.8"
PAPER = ("Yang, Chen, Hao: Homotopy Relaxation Training Algorithms for Infinite-Width Two-Layer ReLU"
         " Neural Networks")
DIMENSIONLESS = "1"
NO_UNITS = None

# name -> (long_name, units)
VARIABLES = {
    # run dims and axes
    "optimizer": ("optimizer setting (family and learning rate)", NO_UNITS),
    "method": ("training method: a schedule of the homotopy parameter s", NO_UNITS),
    "width": ("hidden-layer width m (neurons)", DIMENSIONLESS),
    "seed": ("seed of the network's initial parameters", NO_UNITS),
    "epoch": ("epoch (passes over the training data)", DIMENSIONLESS),
    "eval_epoch": ("epoch at which the test error is evaluated", DIMENSIONLESS),
    "stage": ("stage of the method's schedule (0: the first)", DIMENSIONLESS),
    "experiment": ("experiment (problem, data and protocol) of the config", NO_UNITS),
    "base": ("activation of the network's homotopy (s = 1: this activation)", NO_UNITS),
    "network": ("network: activation and depth", NO_UNITS),
    "parametrisation": ("how the network's hidden layers are scaled", NO_UNITS),
    "family": ("optimizer family", NO_UNITS),
    "setting": ("optimizer setting: family and learning rate", NO_UNITS),
    "schedule": ("schedule of s: the pair (s before, s after) of the switch", NO_UNITS),
    "schedule_label": ("display label of the schedule", NO_UNITS),
    "switch": ("switch point (fraction of the smallest budget)", DIMENSIONLESS),
    "switch_epoch": ("epoch of the switch", DIMENSIONLESS),
    "budget": ("training budget: the epochs after which the runs are read", DIMENSIONLESS),
    "s_stage": ("s of a stage of the schedule", DIMENSIONLESS),
    "s_empirical": ("homotopy parameter s of the finite networks' Gram matrices", DIMENSIONLESS),
    "s": ("homotopy parameter s", DIMENSIONLESS),
    "part": ("part of the NTK Gram matrix (output, first layer, whole)", NO_UNITS),
    "point": ("training point used", NO_UNITS),
    "train": ("training point", NO_UNITS),
    "test": ("test point", NO_UNITS),
    "dim": ("input coordinate", NO_UNITS),
    "label": ("display label of the method", NO_UNITS),
    "path": ("path variant of one s pair and switch: the jump, ramps, on plateau, reset", NO_UNITS),
    "path_method": ("the generated method of the path variant", NO_UNITS),
    "path_label": ("display label of the path variant", NO_UNITS),
    "path_ramp_epochs": ("epochs over which the path variant's ramp moves s (0: none)", DIMENSIONLESS),
    # histories and final values
    "loss": ("training loss", DIMENSIONLESS),
    "test_error": ("test error", DIMENSIONLESS),
    "test_gap": ("energy gap E(u) - E(u*) on the test points", DIMENSIONLESS),
    "loss_reference": ("training loss of the exact solution on the epoch's points", DIMENSIONLESS),
    "final_loss": ("training loss after the last epoch (NaN if diverged)", DIMENSIONLESS),
    "final_test_error": ("test error after the last epoch (NaN if diverged)", DIMENSIONLESS),
    "lr": ("learning rate", DIMENSIONLESS),
    "diverged": ("whether the loss became non-finite", DIMENSIONLESS),
    "diverged_epoch": ("first epoch with a non-finite loss (-1: none)", DIMENSIONLESS),
    "reference_loss": ("training loss of the exact solution", DIMENSIONLESS),
    "loss_is_gap": ("whether the loss is compared as its gap loss - reference_loss", DIMENSIONLESS),
    "is_baseline": ("whether the method is the baseline (the plain activation, s = 1 throughout)", DIMENSIONLESS),
    "stage_s": ("s of each stage (NaN past the last)", DIMENSIONLESS),
    "stage_start": ("first epoch of each stage (-1 past the last)", DIMENSIONLESS),
    "depth": ("hidden layers", DIMENSIONLESS),
    "source": ("experiment whose problem and protocol the network is trained on", NO_UNITS),
    "trained": ("whether the run was trained (its history is present)", DIMENSIONLESS),
    "planned": ("whether the config asks for the run", DIMENSIONLESS),
    "monotone": ("whether the schedule's s never decreases", DIMENSIONLESS),
    "control_s": ("s of the control: one s held throughout", DIMENSIONLESS),
    # datasets
    "x_train": ("training inputs in [0, 1]^dim", DIMENSIONLESS),
    "y_train": ("target values at the training inputs", DIMENSIONLESS),
    "x_test": ("test inputs in [0, 1]^dim", DIMENSIONLESS),
    "y_test": ("target values at the test inputs", DIMENSIONLESS),
    # theory
    "lambda_min": ("smallest eigenvalue of the infinite-width Gram matrix", DIMENSIONLESS),
    "lambda_max": ("largest eigenvalue of the infinite-width Gram matrix", DIMENSIONLESS),
    "empirical_lambda_min": ("smallest eigenvalue of the Gram matrix at initialisation", DIMENSIONLESS),
    "empirical_lambda_max": ("largest eigenvalue of the Gram matrix at initialisation", DIMENSIONLESS),
    "resolution": ("eps n lambda_max + quadrature error bound: lambda_min below it is unresolved", DIMENSIONLESS),
    "quadrature_error": ("bound on the quadrature error of lambda_min", DIMENSIONLESS),
    "empirical_lambda_beyond_null": ("smallest eigenvalue on the complement of the exact null directions",
                                     DIMENSIONLESS),
    "empirical_null_directions": ("exact null directions of the Gram matrix at initialisation", DIMENSIONLESS),
    "empirical_class": ("singular, resolved or unresolved smallest eigenvalue", NO_UNITS),
    "empirical_source": ("where the null directions come from", NO_UNITS),
    "rounding_level": ("rounding level of lambda_min", DIMENSIONLESS),
    "null_space_min": ("lambda_min of the part's ReLU half on the null space of G", DIMENSIONLESS),
    "gram_rank": ("rank of G's multiple in the part", DIMENSIONLESS),
    "train_index": ("index of a training point used", NO_UNITS),
    "n_used": ("training points used", DIMENSIONLESS),
    "n_train": ("training points", DIMENSIONLESS),
    "measured_loss": ("training loss of the trained network", DIMENSIONLESS),
    "predicted_loss": ("training loss of the network linearised at initialisation", DIMENSIONLESS),
    "measured_final_loss": ("final training loss of the trained network", DIMENSIONLESS),
    "predicted_final_loss": ("final training loss of the network linearised at initialisation", DIMENSIONLESS),
    "stable_lr": ("2n / lambda_max(K_s): the largest stable learning rate of the kernel model", DIMENSIONLESS),
    # dynamics
    "shock": ("loss just after the switch over the loss just before it", DIMENSIONLESS),
    "recovery": ("epochs from the switch until the loss is below its value before it (NaN: never)",
                 DIMENSIONLESS),
    "peak": ("highest loss from the switch until the recovery (or the end) over the loss just before it",
             DIMENSIONLESS),
    "min_epoch": ("epoch of the smallest training loss", DIMENSIONLESS),
    "min_loss": ("smallest training loss of the run", DIMENSIONLESS),
    "drift": ("final training loss over the smallest", DIMENSIONLESS),
    "tail": ("training loss at 90% of the epochs over the final", DIMENSIONLESS),
}
FLAGS = {"diverged", "loss_is_gap", "is_baseline", "trained", "planned", "monotone"}  # 0/1: CF flags

# The runs a variable's prefix names (regime maps: HRTA, the ReLU baseline, the control).
RUNS = {"relu_": "the ReLU baseline's", "control_": "the control's (s held throughout)",
        "path_": "the path variant's"}
# Paired comparisons of regime maps and claims: prefix -> (baseline, method).
COMPARISONS = {"vs_relu_": ("ReLU", "HRTA"), "vs_control_": ("the control", "HRTA"),
               "control_vs_relu_": ("ReLU", "the control"), "path_vs_relu_": ("ReLU", "the path variant"),
               "path_vs_control_": ("the control", "the path variant"),
               "path_vs_jump_": ("the jump", "the path variant")}
# A comparison's fields: {b} the baseline, {m} the method; {alpha}, {test}, {adjust} from the
# file's global attributes (hrta.reporting.numbers.regime.map_tests).
FIELDS = {
    "median_ratio": ("median over seeds of {b}'s loss over {m}'s (> 1: {m} ended lower)", DIMENSIONLESS),
    "estimate": ("Hodges-Lehmann estimate of log({b}'s loss / {m}'s) (> 0: {m} ended lower; exp() of it is"
                 " the ratio)", DIMENSIONLESS),
    "ci_low": ("lower end of the distribution-free interval of the estimate at confidence 1 - alpha,"
               " alpha = {alpha} (log ratio)", DIMENSIONLESS),
    "ci_high": ("upper end of the distribution-free interval of the estimate at confidence 1 - alpha,"
                " alpha = {alpha} (log ratio)", DIMENSIONLESS),
    "p_value": ("p-value of the {test}, {b} against {m}, before adjustment", DIMENSIONLESS),
    "p_adjusted": ("p-value adjusted by {adjust} over the family of the comparison", DIMENSIONLESS),
    "n_tested": ("seeds whose pair enters the test (compared or diverged on one side)", DIMENSIONLESS),
    "left_out": ("seeds whose pair is left out (missing, non-finite or non-positive)", DIMENSIONLESS),
    "n_lower": ("seeds on which {m} ended lower than {b}", DIMENSIONLESS),
    "n_seeds": ("seeds planned", DIMENSIONLESS),
    "verdict": ("verdict of {m} against {b}: holds ({m} lower), contradicted, undecided or no verdict, by the"
                " adjusted p-value at alpha = {alpha}", NO_UNITS),
    "raw_verdict": ("verdict of {m} against {b} by the unadjusted p-value", NO_UNITS),
    "mean_ratio": ("geometric mean over seeds of {b}'s loss over {m}'s (> 1: {m} ended lower)", DIMENSIONLESS),
    "mean_low": ("lower end of the t interval of the geometric mean ratio at confidence 1 - alpha, alpha ="
                 " {alpha}", DIMENSIONLESS),
    "mean_high": ("upper end of the t interval of the geometric mean ratio at confidence 1 - alpha, alpha ="
                  " {alpha}", DIMENSIONLESS),
}
TITLES = (  # path pattern -> title
    (r"runs/(?P<e>[^/]+)/(?P<j>.+)\.nc$", "HRTA training histories: experiment {e}, job {j}"),
    (r"aggregate/(?P<e>[^/]+)\.nc$", "HRTA training histories of every run: experiment {e}"),
    (r"regime/(?P<e>[^/]+)\.nc$", "HRTA regime map {e}: final losses and paired tests per cell"),
    (r"data/(?P<e>[^/]+)\.nc$", "HRTA dataset: experiment {e}"),
    (r"dynamics/(?P<e>[^/]+)\.nc$", "HRTA training dynamics around the switches: experiment {e}"),
    (r"theory/beyond_spectra\.nc$", "HRTA NTK spectra beyond the paper's network (Theorem 1)"),
    (r"theory/(?P<e>[^/]+)_spectra\.nc$", "HRTA NTK Gram spectra against s: experiment {e}"),
    (r"theory/linearised\.nc$", "HRTA trained against linearised networks: training losses"),
    (r"theory/kernel_limit\.nc$", "HRTA trained against linearised networks toward the kernel limit"),
)


def describe(name: str, attrs: dict) -> tuple[str, str | None] | None:
    """(long_name, units) of a variable by its name (prefixes included); None if unknown."""
    if name in VARIABLES:
        return VARIABLES[name]
    for prefix, (base, method) in COMPARISONS.items():
        field = name.removeprefix(prefix)
        if name.startswith(prefix) and field in FIELDS:
            text, units = FIELDS[field]
            values = {"b": base, "m": method, **{k: attrs.get(k, k) for k in ("alpha", "test", "adjust")}}
            return text.format(**values), units
    for prefix, runs in RUNS.items():
        if name.startswith(prefix) and name.removeprefix(prefix) in VARIABLES:
            text, units = VARIABLES[name.removeprefix(prefix)]
            return f"{runs} {text}", units
    return None


def apply(ds, title_of: str, history: str):
    """The dataset with every known variable described (long_name kept where set, units,
    flags) and the global attributes CF asks for (Conventions, title, history, source,
    references); ``title_of`` is the file's path, which names its kind."""
    for name, var in ds.variables.items():
        found = describe(str(name), ds.attrs)
        if found is None:
            continue
        long_name, units = found
        var.attrs.setdefault("long_name", long_name)
        if units is None or var.dtype.kind not in "biuf":
            var.attrs.pop("units", None)
        else:
            var.attrs["units"] = units
        if name in FLAGS or re.sub(r"^(relu_|control_|path_)", "", str(name)) in FLAGS:
            var.attrs.update(flag_values=np.array([0, 1], dtype="int8" if var.dtype.kind == "b" else var.dtype),
                             flag_meanings="no yes")
            var.attrs.pop("units", None)  # CF: a flag variable has no units
    ds.attrs.update(Conventions=CONVENTIONS, title=title(title_of), history=history, references=PAPER,
                    source="hrta: the Snakemake workflow and Python package of the paper's artifact")
    return ds


def title(path) -> str:
    """The title of a result file from its path ('HRTA result <name>' for another)."""
    text = str(path).replace("\\", "/")
    for pattern, template in TITLES:
        match = re.search(r"(^|/)results/" + pattern, text)
        if match:
            return template.format(**match.groupdict())
    return f"HRTA result {text.rsplit('/', 1)[-1]}"
