rule compute_cost:
    input:
        jobs=[f"results/benchmarks/train/{e}/{job}.tsv" for e, job in JOBS],
        runs=[f"results/benchmarks/train/{e}/{job}.runs.tsv" for e, job in JOBS],
    output:
        csv="results/tables/compute_cost.csv",
        md="results/tables/compute_cost.md",
    conda:
        "../../environment.yml"
    log:
        "results/logs/tables/compute_cost.log",
    script:
        "../scripts/compute_cost.py"
