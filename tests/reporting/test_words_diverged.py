"""The diverged runs in words (hrta.reporting.words.diverged)."""

from conftest import final_losses
from hrta.reporting.numbers import claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.words import diverged

RATIOS = [2.0, 2.5, 1.5]
READING = Reading()


def test_every_diverged_run_is_listed_with_its_epoch():
    ratios = {10: RATIOS, 100: RATIOS}
    rep = claims.report({"exp": final_losses(ratios, diverged=[(1, 1, 2), (0, 0, 0)])}, READING)
    lines = diverged.section(rep)
    assert lines[2] == "2 runs diverged, counted in the tests above:"
    assert lines[4:6] == ["| experiment | optimizer | method | m | seed | first non-finite epoch |",
                          "|---|---|---|---:|---:|---:|"]
    assert lines[6:8] == ["| exp | adam | relu | 10 | 0 | 7 |", "| exp | adam | hrta | 100 | 2 | 7 |"]


def test_none_diverged():
    rep = claims.report({"exp": final_losses({10: RATIOS})}, READING)
    assert diverged.section(rep) == ["## Diverged runs", "", "None: every run finished with a finite loss.", ""]
