rule table1:
    input:
        expand(PATHS["aggregate"], experiment=EXPERIMENTS + REAL_DATA),
    output:
        csv="results/tables/table1.csv",
        md="results/tables/table1.md",
        tex="results/tables/table1.tex",
    log:
        "results/logs/tables/table1.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/table1.py"
