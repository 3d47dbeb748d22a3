"""One style for every figure (hrta.reporting.pictures.style)."""

from conftest import width_series
from hrta.reporting.pictures import style


def test_sizes_stay_within_a_screens_aspect():
    assert style.figure_size(1) == (style.TEXT_WIDTH_IN, style.ROW_HEIGHT_IN + 0.4)
    width, height = style.figure_size(10)
    assert height == style.MAX_ASPECT * width


def test_the_baseline_is_black_and_the_schedules_coloured():
    palette = style.method_palette(width_series([2.0, 3.0], [4.0, 3.5]))
    assert list(palette) == ["ReLU", "HRTA 0.5→1"]
    assert palette["ReLU"] == "black" and palette["HRTA 0.5→1"] != "black"


def test_save_writes_pdf_and_png_byte_for_byte_again(tmp_path):
    bytes_of = []
    for name in ("a", "b"):
        with style.paper_style():
            fig, ax = style.plt.subplots(figsize=(2, 1.5))
            ax.plot([0, 1], [1, 0])
            paths = style.save(fig, tmp_path / name)
        assert paths == [f"{tmp_path / name}.pdf", f"{tmp_path / name}.png"]
        assert not style.plt.fignum_exists(fig.number)  # closed once saved
        bytes_of.append([(tmp_path / f"{name}.{ext}").read_bytes() for ext in ("pdf", "png")])
    pdf, png = bytes_of[0]
    assert bytes_of[1] == [pdf, png] and b"/CreationDate" not in pdf and b"Software" not in png  # no date or version


def test_the_png_is_never_taller_than_a_small_screens_report_pane(tmp_path):
    with style.paper_style():
        for name, height in (("short", 2.0), ("tall", style.MAX_ASPECT * style.TEXT_WIDTH_IN)):
            fig, ax = style.plt.subplots(figsize=(style.TEXT_WIDTH_IN, height))
            style.save(fig, tmp_path / name)
    sizes = {name: style.plt.imread(tmp_path / f"{name}.png").shape[:2] for name in ("short", "tall")}
    assert sizes["short"] == (400, 1300)  # savefig.dpi (200) where the pane holds it
    assert sizes["tall"][0] <= style.PNG_MAX_HEIGHT_PX < 200 * style.MAX_ASPECT * style.TEXT_WIDTH_IN
