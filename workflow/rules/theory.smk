# Infinite-width theory: NTK spectra against s (Theorem 1), its verdict, and the kernel-regime
# comparison of gradient-descent training (src/hrta/theory/).

THEORY = config["theory"]
KERNEL_REGIME = "kernel_regime" in THEORY
THEORY_OUTPUTS = ["results/theory/theorem1.json"] + expand(
    "results/figures/{figure}.{ext}",
    figure=["theorem1"] + (["kernel_regime"] if KERNEL_REGIME else []),
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
    conda:
        "../../environment.yml"
    threads: 1
    params:
        experiment=experiment_config,
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
            labels=report_labels.labels(
                "Theorem 1",
                ", ".join(EXPERIMENTS),
                "smallest NTK eigenvalue against s (λ_a, λ_w, sum): the proof's key step checked",
            ),
        ),
    log:
        "results/logs/figures/theorem1.log",
    conda:
        "../../environment.yml"
    threads: 1
    script:
        "../scripts/theorem1_figure.py"


if KERNEL_REGIME:
    KERNEL_EXPERIMENT = THEORY["kernel_regime"]["experiment"]

    rule kernel_regime:
        input:
            data=PATHS["dataset"].format(experiment=KERNEL_EXPERIMENT),
            runs=PATHS["aggregate"].format(experiment=KERNEL_EXPERIMENT),
        output:
            "results/theory/kernel_regime.nc",
        log:
            "results/logs/theory/kernel_regime.log",
        benchmark:
            "results/benchmarks/theory/kernel_regime.tsv"
        conda:
            "../../environment.yml"
        threads: 1
        params:
            specs=grid.kernel_regime_specs(config),
            experiment={
                **grid.experiment_config(config, KERNEL_EXPERIMENT),
                "theory": THEORY,
            },
        script:
            "../scripts/kernel_regime.py"

    rule kernel_regime_figure:
        input:
            "results/theory/kernel_regime.nc",
        output:
            pdf="results/figures/kernel_regime.pdf",
            png=report(
                "results/figures/kernel_regime.png",
                caption="../report/kernel_regime.rst",
                category="Theory",
                labels=report_labels.labels(
                    "Kernel regime",
                    report_labels.experiment_name(
                        KERNEL_EXPERIMENT, config["experiments"][KERNEL_EXPERIMENT]
                    ),
                    f"{THEORY['kernel_regime']['optimizer']} training loss at the largest width "
                    "against the linearised network's prediction",
                ),
            ),
        log:
            "results/logs/figures/kernel_regime.log",
        conda:
            "../../environment.yml"
        threads: 1
        script:
            "../scripts/kernel_regime_figure.py"
