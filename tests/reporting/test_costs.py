import pytest

from hrta.reporting.numbers.costs import cost_table, read_benchmark, read_timings
from hrta.reporting.words.costs import markdown

# the header Snakemake 9 writes for a job's `benchmark:` file
HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
TIMINGS = "experiment\toptimizer\tmethod\twidth\tseed\tpopulation\tmembers\twall_s\tcpu_s\tpeak_rss_mb\n"


def _bench(tmp_path, name, s, rss, cpu):
    path = tmp_path / f"{name}.tsv"
    path.write_text(HEADER + f"{s}\t0:00:01\t{rss}\t64.16\t50.80\t51.45\t0.00\t0.00\t0.00\t{cpu}\n")
    return path


def _timings(tmp_path, name, rows):
    path = tmp_path / f"{name}.runs.tsv"
    path.write_text(TIMINGS + "".join("\t".join(map(str, r)) + "\n" for r in rows))
    return path


def test_cost_table_per_method_and_width_from_jobs_of_several_runs(tmp_path):
    # job 0: width 10, methods relu and hrta, seeds 0 and 1; job 1: width 100, relu only
    jobs = [_bench(tmp_path, 0, 20.0, 300.0, 18.0), _bench(tmp_path, 1, 30.0, "NA", 29.0)]
    timings = [
        _timings(tmp_path, 0, [("sin1d", "adam", m, 10, s, 0, 4, w, w - 0.5, 250.0)
                               for m, ws in (("relu", (2.0, 4.0)), ("hrta", (3.0, 3.0))) for s, w in zip((0, 1), ws)]),
        _timings(tmp_path, 1, [("sin1d", "adam", "relu", 100, s, 0, 2, w, w, 260.0)
                               for s, w in ((0, 10.0), (1, 12.0))]),
    ]
    assert read_benchmark(jobs[0]) == pytest.approx({"wall_s": 20.0, "cpu_s": 18.0, "max_rss_mb": 300.0})
    table, totals = cost_table(jobs, timings)
    assert list(zip(table["method"], table["width"])) == [("relu", 10), ("hrta", 10), ("relu", 100)]
    assert list(table["runs"]) == [2, 2, 2]
    assert list(table["wall_s_mean"]) == [3.0, 3.0, 11.0] and list(table["members"]) == [4, 4, 2]
    assert list(table["cpu_s_mean"]) == [2.5, 2.5, 11.0]
    assert table["max_rss_mb"].iloc[0] == 300.0 and table["max_rss_mb"].isna().iloc[2]  # NA: not sampled
    assert totals == {"jobs": 2, "runs": 6, "job_wall_s": 50.0, "run_wall_s": 34.0}
    md = markdown(table, totals)
    assert "| sin1d | 6 | 10, 100 | 34.0 | 32.0 | 300 |" in md  # 2·3 + 2·3 + 2·11 s; the largest peak
    assert md.startswith("# Compute cost") and "`compute_cost.csv`" in md
    assert "6 runs in 2 training jobs: 50 s" in md and "34 s training and 16 s start-up" in md


def test_rejects_files_that_are_not_benchmarks_or_timings(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n1\t2\n")
    with pytest.raises(ValueError, match="not a Snakemake benchmark"):
        read_benchmark(path)
    with pytest.raises(ValueError, match="not a training job's timings"):
        read_timings(path)
    with pytest.raises(ValueError, match="2 benchmark files but 1 timings"):
        cost_table([path, path], [path])
