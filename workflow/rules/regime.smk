# Regime maps (config key regimes): the generated experiment <name>_regime is trained and
# aggregated like any other; its map, paired tests and figures (a heat map per budget, the
# verdict against the budget, the path axis where the map has one) are built here.

REGIME_VIEWS = {  # map -> its figures' views (hrta.pipeline.regimes.views)
    name: hrta.pipeline.regimes.views(regime)
    for name, regime in config["regimes"].items()
}
REGIME_OUTPUTS = expand("results/regime/{regime}.nc", regime=REGIMES) + [
    f"results/figures/regime_{name}_{view}.{ext}"
    for name, views in REGIME_VIEWS.items()
    for view in views
    for ext in ("pdf", "png")
]


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
        regime=one_of(REGIMES),
    conda:
        "../../environment.yml"
    params:
        regime=lambda wc: config["regimes"][wc.regime],
        reading=config["claims"],
    script:
        "../scripts/regime_map.py"


rule regime_figure:
    input:
        "results/regime/{regime}.nc",
    output:
        pdf="results/figures/regime_{regime}_{view}.pdf",
        png=report(
            "results/figures/regime_{regime}_{view}.png",
            caption="../report/regime.rst",  # the view paths' own text: regime_paths.rst, in the reader's page
            category="Regime maps",
            labels=lambda wc: report_labels.regime(wc.regime, wc.view).labels(),
        ),
    log:
        "results/logs/figures/regime_{regime}_{view}.log",
    wildcard_constraints:
        regime=one_of(REGIMES),
        view="b[0-9]+|budget|paths",
    conda:
        "../../environment.yml"
    script:
        "../scripts/regime_figure.py"


if LINEARISED:
    REGIME_OUTPUTS += expand("results/figures/kernel_limit.{ext}", ext=["pdf", "png"])

    rule kernel_limit:
        input:
            data=PATHS["dataset"].format(experiment=LINEARISED_EXPERIMENT),
            runs=PATHS["aggregate"].format(experiment=LINEARISED_EXPERIMENT),
        output:
            "results/theory/kernel_limit.nc",
        log:
            "results/logs/theory/kernel_limit.log",
        conda:
            "../../environment.yml"
        threads: 1
        params:
            runs=grid.linearised_runs(config, largest_only=False),
            experiment={
                **grid.experiment_config(config, LINEARISED_EXPERIMENT),
                "theory": THEORY,
            },
        script:
            "../scripts/kernel_limit.py"

    rule kernel_limit_figure:
        input:
            "results/theory/kernel_limit.nc",
        output:
            pdf="results/figures/kernel_limit.pdf",
            png=report(
                "results/figures/kernel_limit.png",
                caption="../report/kernel_limit.rst",
                category="Regime maps",
                labels=report_labels.kernel_limit().labels(),
            ),
        log:
            "results/logs/figures/kernel_limit.log",
        conda:
            "../../environment.yml"
        threads: 1
        script:
            "../scripts/kernel_limit_figure.py"
