# Theorem 1 beyond two-layer ReLU (issue 19): deep homotopy ReLU networks and two-layer
# networks with smooth bases, infinite width and at initialisation (src/hrta/theory/beyond.py).

BEYOND = config["theory"].get("beyond")
BEYOND_OUTPUTS = (
    ["results/theory/beyond.json"]
    + expand("results/figures/theorem1_beyond.{ext}", ext=["pdf", "png"])
    if BEYOND
    else []
)


if BEYOND:

    rule beyond_spectra:
        input:
            expand(PATHS["dataset"], experiment=EXPERIMENTS),
        output:
            "results/theory/beyond_spectra.nc",
        log:
            "results/logs/theory/beyond_spectra.log",
        benchmark:
            "results/benchmarks/theory/beyond_spectra.tsv"
        conda:
            "../../environment.yml"
        threads: 1
        params:
            experiments=[grid.experiment_config(config, e) for e in EXPERIMENTS],
            theory=config["theory"],
        script:
            "../scripts/beyond_spectra.py"

    rule beyond_verdict:
        input:
            "results/theory/beyond_spectra.nc",
        output:
            "results/theory/beyond.json",
        log:
            "results/logs/theory/beyond_verdict.log",
        conda:
            "../../environment.yml"
        threads: 1
        params:
            tolerance=config["theory"]["monotone_tolerance"],
        script:
            "../scripts/beyond_verdict.py"

    rule theorem1_beyond_figure:
        input:
            "results/theory/beyond_spectra.nc",
        output:
            pdf="results/figures/theorem1_beyond.pdf",
            png=report(
                "results/figures/theorem1_beyond.png",
                caption="../report/theorem1_beyond.rst",
                category="Theory",
                labels=report_labels.theorem1_beyond().labels(),
            ),
        log:
            "results/logs/figures/theorem1_beyond.log",
        conda:
            "../../environment.yml"
        threads: 1
        script:
            "../scripts/theorem1_beyond_figure.py"
