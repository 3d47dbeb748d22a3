import hrta.reporting.numbers.proof as proof_graph


rule convergence_figure:
    input:
        lambda wc: PATHS["aggregate"].format(
            experiment=FIGURES[wc.figure]["experiment"]
        ),
    output:
        pdf="results/figures/{figure}.pdf",
        png=report(
            "results/figures/{figure}.png",
            caption="../report/convergence.rst",
            category="Figures",
            subcategory=lambda wc: convergence_place(wc.figure).subcategory,
            labels=lambda wc: convergence_place(wc.figure).labels(),
        ),
    log:
        "results/logs/figures/{figure}.log",
    conda:
        "../../environment.yml"
    params:
        experiment=lambda wc: FIGURES[wc.figure]["experiment"],
        metrics=lambda wc: FIGURES[wc.figure]["metrics"],
        title=lambda wc: figure_caption(wc)["title"],
        loss=lambda wc: figure_caption(wc)["loss"],
        training_points=lambda wc: figure_caption(wc)["training_points"],
        test_points=lambda wc: figure_caption(wc)["test_points"],
    script:
        "../scripts/convergence_figure.py"


# The proof's structure is read (and checked) at start: a parameter, so that the figure
# depends on the file's content, not on where the checkout lies.
PROOF_GRAPH = proof_graph.load(HERE / config["proof"]["graph"], key="proof.graph")


rule proof_figure:
    output:
        pdf=f"results/figures/{config['proof']['figure']}.pdf",
        png=report(
            f"results/figures/{config['proof']['figure']}.png",
            caption="../report/proof.rst",
            category="Figures",
            subcategory=report_labels.proof(config["proof"]["figure"]).subcategory,
            labels=report_labels.proof(config["proof"]["figure"]).labels(),
        ),
    log:
        f"results/logs/figures/{config['proof']['figure']}.log",
    conda:
        "../../environment.yml"
    params:
        graph=PROOF_GRAPH,
    script:
        "../scripts/proof_figure.py"
