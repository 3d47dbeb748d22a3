"""Numbers as the report and tables print them: a fixed number of significant figures, one
exponent style per column, NaN as a dash and infinities as the sign."""

import math

import numpy as np

DASH = "–"


def num(v, spec: str = ".3g") -> str:
    """One number: '–' for None or NaN, '∞' / '−∞' for infinities, else format(v, spec)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return DASH
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return format(v, spec)


def column_exponent(values, digits: int = 3) -> int | None:
    """The power of ten a column shares: that of its largest finite |value|, provided the
    smallest non-zero one is within a decade below it (so that, written with ``digits - 1``
    decimals, every value keeps at least ``digits - 1`` significant figures); else None
    (each cell then carries its own exponent)."""
    v = np.abs(np.asarray([x for x in values if x is not None], dtype=float))
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return 0
    top = math.floor(math.log10(v.max()))
    return top if math.floor(math.log10(v.min())) >= top - 1 else None


def mean_sd(mean, sd, exponent: int | None, digits: int = 3) -> str:
    """'mean ± sd' in a column's power of ten (``digits - 1`` decimals), or with exponent
    None '(mean ± sd)×10⁻³' in the mean's own power of ten; the sd left out when NaN."""
    if mean is None or not np.isfinite(mean):
        return num(mean)
    own = exponent is None
    e = (math.floor(math.log10(abs(mean))) if mean else 0) if own else exponent
    scale = 10.0**e
    text = format(mean / scale, f".{digits - 1}f")
    if sd is not None and np.isfinite(sd):
        text += " ± " + format(sd / scale, f".{digits - 1}f")
        return f"({text}){power(e)}" if own else text
    return f"{text}{power(e)}" if own else text


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power(exponent: int) -> str:
    """'×10⁻²' for -2."""
    return "×10" + str(exponent).translate(SUPERSCRIPT)


def power_label(exponent: int | None) -> str:
    """How a column header states its shared power of ten: ' ×10⁻²', '' for none or 10^0."""
    return f" {power(exponent)}" if exponent else ""
