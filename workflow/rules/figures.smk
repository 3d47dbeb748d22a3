rule convergence_figure:
    input:
        lambda wc: f"results/aggregate/{FIGURES[wc.figure]}.nc",
    output:
        pdf="results/figures/{figure}.pdf",
        png=report(
            "results/figures/{figure}.png",
            caption="../report/convergence.rst",
            category="Figures",
        ),
    params:
        title=lambda wc: make_problem(config["experiments"][FIGURES[wc.figure]]["problem"]).title,
    conda:
        "../../environment.yml"
    log:
        "results/logs/figures/{figure}.log",
    script:
        "../scripts/convergence_figure.py"
