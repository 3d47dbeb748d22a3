"""The provenance block of the report's landing page: which profile, config, package versions
and git commit made the results (written by a rule at run time, included by
workflow/report/workflow.rst). Short, so that the landing page fits a screen: the config sits
in a collapsed block."""

import html

import yaml


def provenance_rst(profile: str, config: dict, versions: dict, commit: str) -> str:
    """reStructuredText: the profile and commit, the versions in one line, each experiment's
    baseline (the method every other is compared with), the config folded."""
    packages = ", ".join(f"{name} {version}" for name, version in versions.items())
    blocks = {**config.get("experiments", {}), **config.get("real_data", {})}
    baselines = [f"{name}: ``{method['name']}``" for name, block in blocks.items()
                 for method in block.get("methods", []) if isinstance(method, dict) and method.get("schedule")
                 and all(stage.get("s") == 1.0 for stage in method["schedule"])]  # a ramp has no s
    stated = (f"Baselines (s = 1 throughout), which every other method is compared with: {', '.join(baselines)}.\n\n"
              if baselines else "")
    config_yaml = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    folded = (f"<details><summary>The config in force (the profile validated, defaults filled in)</summary>"
              f"<pre>{html.escape(config_yaml)}</pre></details>")
    return (f"Made by the profile ``{profile}`` at git commit ``{commit}``, with {packages}.\n\n{stated}"
            f".. raw:: html\n\n   {folded.replace(chr(10), chr(10) + '   ')}\n")
