# The reader's front door: the static page results/index.html (the answer, every figure with
# its caption, Table 1, the claims, the protocol) and the answer as the report's landing page
# shows it (results/report/answer.rst), both from the results (hrta.reporting.words.front).

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
