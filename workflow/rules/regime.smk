# Regime maps (config key regimes): the generated experiment <name>_regime is trained and
# aggregated like any other; its map, paired tests and heat-map figure are built here.

REGIME_OUTPUTS = expand("results/regime/{regime}.nc", regime=REGIMES) + expand(
    "results/figures/regime_{regime}.{ext}", regime=REGIMES, ext=["pdf", "png"]
)


rule regime_map:
    input:
        lambda wc: PATHS["aggregate"].format(
            experiment=hrta.pipeline.regimes.experiment_name(wc.regime)
        ),
    output:
        "results/regime/{regime}.nc",
    log:
        "results/logs/regime/{regime}.log",
    wildcard_constraints:
        regime="|".join(REGIMES) or "^$",
    conda:
        "../../environment.yml"
    params:
        regime=lambda wc: config["regimes"][wc.regime],
    script:
        "../scripts/regime_map.py"


rule regime_figure:
    input:
        "results/regime/{regime}.nc",
    output:
        pdf="results/figures/regime_{regime}.pdf",
        png=report(
            "results/figures/regime_{regime}.png",
            caption="../report/regime.rst",
            category="Regime maps",
            labels=lambda wc: report_labels.labels(
                f"Regime map {wc.regime}",
                hrta.pipeline.regimes.experiment_name(wc.regime),
                "where HRTA ends below ReLU: final-loss ratio over learning rate × switch point, paired tests",
            ),
        ),
    log:
        "results/logs/figures/regime_{regime}.log",
    wildcard_constraints:
        regime="|".join(REGIMES) or "^$",
    conda:
        "../../environment.yml"
    script:
        "../scripts/regime_figure.py"


if KERNEL_REGIME:
    REGIME_OUTPUTS += expand("results/figures/kernel_widths.{ext}", ext=["pdf", "png"])

    rule kernel_widths:
        input:
            data=PATHS["dataset"].format(experiment=KERNEL_EXPERIMENT),
            runs=PATHS["aggregate"].format(experiment=KERNEL_EXPERIMENT),
        output:
            "results/theory/kernel_widths.nc",
        log:
            "results/logs/theory/kernel_widths.log",
        conda:
            "../../environment.yml"
        threads: 1
        params:
            specs=grid.kernel_width_specs(config),
            experiment={
                **grid.experiment_config(config, KERNEL_EXPERIMENT),
                "theory": THEORY,
            },
        script:
            "../scripts/kernel_widths.py"

    rule kernel_widths_figure:
        input:
            "results/theory/kernel_widths.nc",
        output:
            pdf="results/figures/kernel_widths.pdf",
            png=report(
                "results/figures/kernel_widths.png",
                caption="../report/kernel_widths.rst",
                category="Regime maps",
                labels=report_labels.labels(
                    "Kernel limit",
                    report_labels.experiment_name(
                        KERNEL_EXPERIMENT, config["experiments"][KERNEL_EXPERIMENT]
                    ),
                    "ReLU / HRTA final-loss ratio against width m: trained networks vs the kernel's prediction",
                ),
            ),
        log:
            "results/logs/figures/kernel_widths.log",
        conda:
            "../../environment.yml"
        threads: 1
        script:
            "../scripts/kernel_widths_figure.py"
