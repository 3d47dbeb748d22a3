# The reader's front door: the static page results/index.html (the answer, every figure with
# its caption, Table 1, the claims, the protocol) and the answer as the report's landing page
# shows it (results/report/answer.rst), both from the results (hrta.reporting.words.front).

from types import SimpleNamespace


def reader_figures():
    """Every figure of the run in reading order: its name and group (as in the report), its
    caption template and the template's context, and the answer's sections it backs."""
    out = []

    def add(stem, place, caption, backs=(), wildcards=None, params=None):
        out.append(
            {
                "stem": stem,
                "png": f"figures/{stem}.png",
                "name": place.name,
                "group": place.subcategory,
                "caption": (HERE / "workflow" / "report" / caption).read_text(),
                "context": {"wildcards": wildcards or {}, "params": params or {}},
                "backs": list(backs),
            }
        )

    proof = config["proof"]["figure"]
    add(proof, report_labels.proof(proof), "proof.rst")
    for stem, fig in FIGURES.items():
        if fig["experiment"] in EXPERIMENTS:
            words = figure_caption(SimpleNamespace(figure=stem))
            params = {
                "experiment": fig["experiment"],
                "metrics": fig["metrics"],
                **words,
            }
            place = convergence_place(stem)
            add(stem, place, "convergence.rst", ["c1"], {"figure": stem}, params)
    for name, views in REGIME_VIEWS.items():
        largest = f"b{max(config['regimes'][name]['budgets'])}"
        for view in views:
            backs = ["map", "relaxation"] if view in (largest, "budget") else []
            add(
                f"regime_{name}_{view}",
                report_labels.regime(name, view),
                "regime.rst",
                backs,
                {"regime": name, "view": view},
            )
    if LINEARISED:
        add("kernel_limit", report_labels.kernel_limit(), "kernel_limit.rst")
    for experiment in EXPERIMENTS:
        add(
            f"switch_{experiment}",
            report_labels.switch(experiment),
            "switch.rst",
            ["switch"],
            {"experiment": experiment},
        )
    if ARCHITECTURES:
        add(
            "architectures",
            report_labels.architectures(),
            "architectures.rst",
            ["c3", "c4"],
        )
        for stem, fig in FIGURES.items():
            if fig["experiment"] in ARCHITECTURES:
                add(
                    stem,
                    convergence_place(stem),
                    "convergence.rst",
                    [],
                    {"figure": stem},
                    {
                        "experiment": fig["experiment"],
                        "metrics": fig["metrics"],
                        **figure_caption(SimpleNamespace(figure=stem)),
                    },
                )
    for name in REAL_DATA:
        add(
            name,
            report_labels.real_data(name),
            "real_data.rst",
            ["c5"],
            {"dataset": name},
        )
    add("theorem1", report_labels.theorem1(), "theorem1.rst")
    if BEYOND:
        add("theorem1_beyond", report_labels.theorem1_beyond(), "theorem1_beyond.rst")
    if LINEARISED:
        add("linearised", report_labels.linearised(), "linearised.rst")
    return out


READER_FIGURES = reader_figures()
FRONT_OUTPUTS = ["results/index.html", "results/report/answer.rst"]


rule front_door:
    input:
        claims="results/claims.md",
        table1="results/tables/table1.md",
        figures=[f"results/{fig['png']}" for fig in READER_FIGURES],
    output:
        page="results/index.html",
        answer="results/report/answer.rst",
    log:
        "results/logs/report/front_door.log",
    conda:
        "../../environment.yml"
    params:
        figures=READER_FIGURES,
        config=config,
        profile=PROFILE,
    script:
        "../scripts/front_door.py"
