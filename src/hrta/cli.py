"""Helpers for workflow scripts that run under Snakemake or by hand."""

import argparse
import contextlib
import traceback
from pathlib import Path

from hrta.config import load


@contextlib.contextmanager
def logged(path):
    """Send stdout and stderr (Lightning's and Python's warnings too) to a log file."""
    if path is None:
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
        try:
            yield
        except BaseException:
            traceback.print_exc(file=fh)  # the log holds the error too, not only Snakemake's output
            raise


def parser(doc: str) -> argparse.ArgumentParser:
    """An argument parser with --config (a profile, default config.yaml)."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config.yaml", help="profile to read (default: config.yaml)")
    return p


def config_from(args, script: str) -> dict:
    """The validated profile named by --config; the schema is found beside the script."""
    return load(args.config, Path(script).resolve().parents[1] / "schemas" / "config.schema.yaml")
