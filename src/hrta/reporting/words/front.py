"""The reader's front door, made from the results: the answer (the "## The answer" section of
results/claims.md, hrta.reporting.words.answer) with the figures that back each sentence, as
the report's landing page shows it (reST) and as the reader's page (results/index.html: the
answer, every figure with its caption, Table 1, the claims and the protocol; one static
file, no JavaScript, figures linked relatively, printable).

A figure is a dict: stem, png (relative to the page), name, group (its subcategory),
caption (the caption's reST template, workflow/report/*.rst), context (the template's
``snakemake.params`` and ``snakemake.wildcards``) and backs (the answer's sections it
backs: keys of answer.HEADINGS)."""

import html
import re
from types import SimpleNamespace

import docutils.core
import jinja2
import markdown

from hrta.problems import make_problem
from hrta.reporting.words.answer import HEADINGS, anchor

TITLE = "Homotopy Relaxation Training (HRTA), reproduced"
INTRO = ("Two-layer networks trained with the activation σ_s(z) = (1 − s) z + s ReLU(z), s raised in stages (HRTA), "
         "against the ReLU baseline; from Yang, Chen and Hao, <em>Homotopy Relaxation Training Algorithms for "
         "Infinite-Width Two-Layer ReLU Neural Networks</em>, J. Sci. Comput. 102, 40 (2025), arXiv:2309.15244.")
LINK = re.compile(r"\[([^\]]+)\]\((#[^)]+)\)")
SECTIONS = {anchor(heading): key for key, heading in HEADINGS.items()}  # link target -> answer.HEADINGS key
RST_SPECIAL = re.compile(r"([*`|\\]|_(?=\W|$))")
STYLE = """
body { font-family: system-ui, sans-serif; font-size: 15px; line-height: 1.5; color: #1e293b;
       max-width: 62em; margin: 0 auto; padding: 1em 1.5em 3em; }
h1 { font-size: 1.6em; margin: 0.4em 0 0.3em; }
h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #cbd5e1; }
h3 { font-size: 1.1em; margin-top: 1.4em; } h4, h5 { font-size: 1em; }
.lead { color: #475569; margin-top: 0; } nav.contents { color: #475569; }
.answer li { margin: 0.35em 0; } .backed { color: #475569; font-size: 0.95em; }
figure { margin: 1.2em 0 2em; break-inside: avoid; }
figure img { max-width: 100%; height: auto; display: block; border: 1px solid #e2e8f0; }
figcaption { font-size: 0.93em; color: #334155; } figcaption p { margin: 0.4em 0; }
table { border-collapse: collapse; margin: 0.6em 0 1em; max-width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #cbd5e1; padding: 0.2em 0.5em; overflow-wrap: anywhere; vertical-align: top; }
th { background: #f1f5f9; } tr:nth-child(even) td { background: #f8fafc; }
code { font-size: 0.95em; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { break-before: page; }
               h2#the-answer { break-before: auto; } a { color: inherit; text-decoration: none; } }
"""


def answer_items(claims_md: str) -> list[str]:
    """The sentences of the claims' answer section (Markdown, links kept); its one paragraph
    where it has no list; none where the claims have no such section."""
    lines = claims_md.splitlines()
    if "## The answer" not in lines:
        return []
    body = []
    for line in lines[lines.index("## The answer") + 1:]:
        if line.startswith("## "):
            break
        body.append(line)
    items = []
    for line in body:
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():  # a bullet's continued line
            items[-1] += " " + line.strip()
    return items or [" ".join(line.strip() for line in body if line.strip())]


def backing(item: str, figures: list[dict]) -> list[dict]:
    """The figures that back a sentence of the answer: those of the sections it links to."""
    sections = [SECTIONS.get(href) for _, href in LINK.findall(item)]
    return [fig for fig in figures if any(key in fig["backs"] for key in sections)]


def _rst_text(text: str) -> str:
    """Markdown prose as reST prose: emphasis and literals dropped, reST's markup escaped."""
    return RST_SPECIAL.sub(r"\\\1", text.replace("**", "").replace("`", ""))


def answer_rst(claims_md: str, figures: list[dict]) -> str:
    """The answer for the report's landing page: a bullet per sentence, each link to a claims
    section turned into a link to the first figure behind it (or to the Claims) in place."""
    items = answer_items(claims_md)
    if not items:
        return "The claims of this run have no answer section.\n"
    def link(text: str, href: str) -> str:
        shown = backing(f"[x]({href})", figures)
        return f"`{_rst_text(text)} <{shown[0]['stem'] + '.png' if shown else 'Claims'}_>`_"

    out = []
    for item in items:
        parts = LINK.split(item)  # text, link text, href, text, ...
        out.append("- " + "".join(_rst_text(parts[k]) if k % 3 == 0 else link(parts[k], parts[k + 1])
                                  for k in range(len(parts)) if k % 3 != 2))
    return "\n".join(out) + "\n"


def caption_html(template: str, context: dict, config: dict) -> str:
    """A report caption (reST with Jinja, as Snakemake renders it) as HTML; its link to the
    Claims points at the page's claims."""
    snakemake = SimpleNamespace(params=SimpleNamespace(**context.get("params", {})),
                                wildcards=SimpleNamespace(**context.get("wildcards", {})), config=config)
    text = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(template).render(snakemake=snakemake)
    text += "\n\n.. _Claims: #the-claims\n"
    return docutils.core.publish_parts(text, writer="html",
                                       settings_overrides={"report_level": 4, "halt_level": 3})["body"]


def _demoted(text: str, levels: int = 1) -> str:
    """Markdown with every heading moved down ``levels`` (# -> ##), code blocks untouched."""
    out, fenced = [], False
    for line in text.splitlines():
        fenced ^= line.startswith("```")
        out.append("#" * levels + line if not fenced and re.match(r"#{1,5} ", line) else line)
    return "\n".join(out)


def _without_answer(claims_md: str) -> str:
    lines = claims_md.splitlines()
    if "## The answer" not in lines:
        return claims_md
    start = lines.index("## The answer")
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    return "\n".join(lines[:start] + lines[end:])


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "sane_lists", "toc"])


def _answer_html(claims_md: str, figures: list[dict]) -> str:
    items = answer_items(claims_md)
    if not items:
        return "<p>The claims of this run have no answer section.</p>"
    out = []
    for item in items:
        shown = backing(item, figures)
        backed = ", ".join(f'<a href="#fig-{fig["stem"]}">{html.escape(fig["name"])}</a>' for fig in shown)
        body = markdown.markdown(item).removeprefix("<p>").removesuffix("</p>")
        out.append(f"<li>{body}" + (f' <span class="backed">Figures: {backed}.</span>' if backed else "") + "</li>")
    return '<ul class="answer">\n' + "\n".join(out) + "\n</ul>"


def _figures_html(figures: list[dict], config: dict) -> str:
    out, group = [], None
    for fig in figures:
        if fig["group"] != group:
            group = fig["group"]
            out.append(f"<h3>{html.escape(group)}</h3>")
        caption = caption_html(fig["caption"], fig["context"], config)
        out.append(f'<figure id="fig-{fig["stem"]}">\n<img src="{html.escape(fig["png"])}" '
                   f'alt="{html.escape(fig["name"])}">\n<figcaption><p><strong>{html.escape(fig["name"])}.</strong>'
                   f"</p>\n{caption}</figcaption>\n</figure>")
    return "\n".join(out)


def _stages(method: dict) -> str:
    """'0.5 → 1', a ramp as '1 ⇢ 1.5', a plateau's switch as '1 → (plateau) 1.5'."""
    out = []
    for stage in method["schedule"]:
        if "ramp" in stage:
            out.append(f"⇢ {stage['ramp']:g}")
        else:
            out.append(f"→ {stage['s']:g}" + (" (until a plateau)" if "plateau" in stage else ""))
    return " ".join(out).removeprefix("→ ")


def protocol(config: dict) -> str:
    """The protocol in force, per paper experiment (Markdown): problem, widths, seeds, epochs,
    optimizers and methods; then the other blocks by name."""
    lines = []
    for name, exp in config["experiments"].items():
        if "regime" in exp or "architecture" in exp:
            continue
        problem = make_problem(exp["problem"])
        optimizers = "; ".join(f"{o['name']} ({o['algorithm']}, lr {o['lr']:g}"
                               + (f", ×{o['decay']['gamma']:g} every {o['decay']['step_size']} epochs"
                                  if o["decay"]["kind"] == "step" else "") + ")" for o in exp["optimizers"])
        methods = "; ".join(f"{m['name']} (s = {_stages(m)})" for m in exp["methods"])
        lines.append(f"- **{name}**, {problem.title}: {problem.n_train} training points, widths m = "
                     f"{', '.join(map(str, exp['widths']))}, seeds {', '.join(map(str, exp['seeds']))}, "
                     f"{exp['epochs']} epochs; optimizers: {optimizers}; methods: {methods}.")
    for name, reg in config.get("regimes", {}).items():
        lines.append(f"- Regime map **{name}**: widths {', '.join(map(str, reg['widths']))}, {len(reg['seeds'])} "
                     f"seeds, budgets {', '.join(map(str, reg['budgets']))} epochs, switch points "
                     f"{', '.join(f'{s:g}' for s in reg['switches'])} of the budget, "
                     f"{len(reg['schedules'])} schedules, ReLU and the control (s = {reg['control_s']:g}) beside them.")
    for name, rd in config.get("real_data", {}).items():
        lines.append(f"- Real data **{name}** (an MLP with two hidden layers): widths "
                     f"{', '.join(map(str, rd['widths']))}, {len(rd['seeds'])} seeds, {rd['epochs']} epochs.")
    return "\n".join(lines)


def page(claims_md: str, table1_md: str, figures: list[dict], config: dict, profile: str) -> str:
    """The reader's page: the answer first, then the figures, Table 1, the claims, the protocol."""
    contents = " · ".join(f'<a href="#{target}">{text}</a>' for target, text in (
        ("page-figures", "Figures"), ("page-table1", "Table 1"), ("the-claims", "The claims"),
        ("page-protocol", "The protocol")))
    body = [f"<h1>{html.escape(TITLE)}</h1>", f'<p class="lead">{INTRO}</p>',
            '<h2 id="the-answer">The answer</h2>', _answer_html(claims_md, figures),
            f'<nav class="contents">On this page: {contents}.</nav>',
            '<h2 id="page-figures">Figures</h2>', _figures_html(figures, config),
            '<h2 id="page-table1">Table 1</h2>', _html(_demoted(table1_md, 2)),
            '<h2 id="the-claims">The claims</h2>', _html(_demoted(_without_answer(claims_md), 2)),
            '<h2 id="page-protocol">The protocol</h2>',
            f"<p>Made by the profile <code>{html.escape(profile)}</code>. What each choice is and why: "
            "docs/protocol.md in the repository.</p>", _html(protocol(config))]
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(TITLE)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
