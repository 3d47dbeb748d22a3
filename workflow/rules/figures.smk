import hrta.reporting.numbers.proof as proof_graph
import hrta.reporting.words.report_labels as report_labels


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
            labels=lambda wc: report_labels.convergence(
                wc.figure,
                FIGURES[wc.figure]["experiment"],
                config["experiments"][FIGURES[wc.figure]["experiment"]],
                FIGURES[wc.figure]["metrics"],
            ),
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
            labels=report_labels.labels(
                report_labels.figure_name(config["proof"]["figure"]),
                "none (theory)",
                "structure of the convergence proof: its results and which each uses",
            ),
        ),
    log:
        f"results/logs/figures/{config['proof']['figure']}.log",
    conda:
        "../../environment.yml"
    params:
        graph=PROOF_GRAPH,
    script:
        "../scripts/proof_figure.py"
