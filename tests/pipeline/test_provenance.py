"""The git state a run records is the one of the checkout it runs from (issue 33): its
commit, whether the tree differs from it, and a hash of the difference."""

import subprocess

import xarray as xr

from hrta.pipeline import provenance


def _git(where, *args) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=where,
                          capture_output=True, text=True, check=True).stdout.strip()


def _repo(tmp_path):
    """A git checkout with one committed Snakefile."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "Snakefile").write_text("one\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    return repo


def test_a_checkout_clean_changed_or_with_new_files_and_outside_git(tmp_path):
    repo = _repo(tmp_path)
    commit = _git(repo, "rev-parse", "HEAD")
    assert provenance.checkout_state(repo / "Snakefile") == {"git_commit": commit, "git_dirty": "no",
                                                             "git_diff_sha256": ""}
    (repo / "Snakefile").write_text("two\n")
    changed = provenance.checkout_state(repo)
    assert changed["git_commit"] == commit and changed["git_dirty"] == "yes" and len(changed["git_diff_sha256"]) == 64
    (repo / "new.py").write_text("x = 1\n")
    with_new = provenance.checkout_state(repo)
    assert with_new["git_dirty"] == "yes" and with_new["git_diff_sha256"] != changed["git_diff_sha256"]
    (repo / "new.py").write_text("x = 2\n")  # the untracked file's contents count, not only its name
    assert provenance.checkout_state(repo)["git_diff_sha256"] != with_new["git_diff_sha256"]
    outside = tmp_path / "plain"
    outside.mkdir()
    assert provenance.checkout_state(outside) == provenance.UNKNOWN


def test_the_state_published_once_is_what_every_stamp_records(tmp_path, monkeypatch):
    monkeypatch.setenv(provenance.ENV, "")  # restored after the test, as publish() sets it
    monkeypatch.delenv(provenance.ENV)
    assert provenance.stamp(xr.Dataset(), {}).attrs["git_commit"] == "unknown"  # outside a run: not a guess
    repo = _repo(tmp_path)
    (repo / "Snakefile").write_text("two\n")
    state = provenance.publish(repo)
    (repo / "Snakefile").write_text("three\n")  # changed during the run: the files still agree
    attrs = provenance.stamp(xr.Dataset(), {"a": 1}).attrs
    assert {key: attrs[key] for key in state} == state
    assert provenance.described(state).endswith(f"plus uncommitted changes (diff SHA-256 {state['git_diff_sha256']})")
