"""The report's provenance block (hrta.reporting.words.description)."""

from hrta.reporting.words.description import provenance_rst


def test_profile_commit_versions_and_the_config_folded():
    text = provenance_rst("ci.yaml", {"experiments": {"a<b": {"widths": [10]}}}, {"torch": "2.13", "numpy": "2.1"},
                          "abc123")
    first, raw = text.split("\n\n", 1)
    assert first == "Made by the profile ``ci.yaml`` at git commit ``abc123``, with torch 2.13, numpy 2.1."
    assert raw.startswith(".. raw:: html\n\n   <details><summary>The config in force")
    assert "a&lt;b:" in raw and "a<b" not in raw  # the config is escaped
    body = raw.split("\n\n", 1)[1]
    assert all(line.startswith("   ") for line in body.splitlines())  # every line inside the directive


def test_the_baselines_are_stated():
    relu = {"name": "relu", "schedule": [{"s": 1.0, "epochs": 10}]}
    hrta = {"name": "hrta", "schedule": [{"s": 0.5, "epochs": 5}, {"s": 1.0, "epochs": 5}]}
    config = {"experiments": {"sin1d": {"methods": [hrta, relu]}}, "real_data": {"digits": {"methods": [relu]}}}
    text = provenance_rst("ci.yaml", config, {}, "abc")
    assert ("Baselines (s = 1 throughout), which every other method is compared with: sin1d: ``relu``,"
            " digits: ``relu``.") in text.split("\n\n")[1]
