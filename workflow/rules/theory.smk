# Infinite-width theory: NTK spectra against s (Theorem 1), its verdict, and the kernel-regime
# comparison of gradient-descent training (src/hrta/theory/).

THEORY = config["theory"]
LINEARISED = "linearised" in THEORY
THEORY_OUTPUTS = ["results/theory/theorem1.json"] + expand(
    "results/figures/{figure}.{ext}",
    figure=["theorem1"] + (["linearised"] if LINEARISED else []),
    ext=["pdf", "png"],
)


rule ntk_spectra:
    input:
        PATHS["dataset"],
    output:
        PATHS["spectra"],
    log:
        "results/logs/theory/{experiment}_spectra.log",
    benchmark:
        "results/benchmarks/theory/{experiment}_spectra.tsv"
    priority: spectra_priority
    conda:
        "../../environment.yml"
    threads: 1
    params:
        networks=lambda wc: grid.spectra_networks(config, wc.experiment),
        theory=THEORY,
    script:
        "../scripts/ntk_spectra.py"


rule theorem1_verdict:
    input:
        expand(PATHS["spectra"], experiment=EXPERIMENTS),
    output:
        "results/theory/theorem1.json",
    log:
        "results/logs/theory/theorem1_verdict.log",
    conda:
        "../../environment.yml"
    threads: 1
    params:
        tolerance=THEORY["monotone_tolerance"],
    script:
        "../scripts/theorem1_verdict.py"


rule theorem1_figure:
    input:
        expand(PATHS["spectra"], experiment=EXPERIMENTS),
    output:
        pdf="results/figures/theorem1.pdf",
        png=report(
            "results/figures/theorem1.png",
            caption="../report/theorem1.rst",
            category="Theory",
            labels=report_labels.theorem1().labels(),
        ),
    log:
        "results/logs/figures/theorem1.log",
    conda:
        "../../environment.yml"
    threads: 1
    script:
        "../scripts/theorem1_figure.py"


if LINEARISED:
    LINEARISED_EXPERIMENT = THEORY["linearised"]["experiment"]

    rule linearised:
        input:
            data=PATHS["dataset"].format(experiment=LINEARISED_EXPERIMENT),
            runs=PATHS["aggregate"].format(experiment=LINEARISED_EXPERIMENT),
        output:
            "results/theory/linearised.nc",
        log:
            "results/logs/theory/linearised.log",
        benchmark:
            "results/benchmarks/theory/linearised.tsv"
        conda:
            "../../environment.yml"
        threads: 1
        params:
            runs=grid.linearised_runs(config, largest_only=True),
            experiment={
                **grid.experiment_config(config, LINEARISED_EXPERIMENT),
                "theory": THEORY,
            },
        script:
            "../scripts/linearised.py"

    rule linearised_figure:
        input:
            "results/theory/linearised.nc",
        output:
            pdf="results/figures/linearised.pdf",
            png=report(
                "results/figures/linearised.png",
                caption="../report/linearised.rst",
                category="Theory",
                labels=report_labels.linearised().labels(),
            ),
        log:
            "results/logs/figures/linearised.log",
        conda:
            "../../environment.yml"
        threads: 1
        script:
            "../scripts/linearised_figure.py"
