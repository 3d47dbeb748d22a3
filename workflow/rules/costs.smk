rule compute_cost:
    input:
        [
            "results/benchmarks/train/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.tsv".format(**r)
            for r in RUNS
        ],
    output:
        csv="results/tables/compute_cost.csv",
        md="results/tables/compute_cost.md",
    params:
        runs=RUNS,
    conda:
        "../../environment.yml"
    log:
        "results/logs/tables/compute_cost.log",
    script:
        "../scripts/compute_cost.py"
