"""Render fixture verdicts (``fixtures/verdicts/*.txt``) to born-digital PDFs and image-only scans.

Usage: ``python -m extractor.fixtures [--scans] [SRC_DIR] [OUT_DIR]``. Each text page (split on form-feed
lines) starts a new PDF page; long pages flow onto more. Every PDF page carries a running header with the
case number and a "Страница N из M" footer, the furniture the reader must recognise and skip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
CASE_NUMBER = re.compile(r"(?:Дело|дело)\s*№\s*([\w\-/()]+)")


@dataclass(frozen=True)
class Layout:
    """Page geometry of a rendered verdict, in points (font) and millimetres; the defaults are the fixtures' own."""

    font_size: float = 10
    line_height: float = 4.6
    margin_left: float = 20
    margin_top: float = 15
    margin_right: float = 12
    margin_bottom: float = 20  # where the automatic page break falls
    blank_line: float = 1.5  # the gap an empty line leaves


def _font(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"font {name} not found; install it with: apt-get install fonts-dejavu-core")


def render_pdf(text: str, out: Path, layout: Layout | None = None) -> None:
    """Write ``text`` (pages split on form-feed lines) as an A4 PDF with header and footer, laid out as ``layout``
    says (the fixtures' layout by default)."""
    from fpdf import FPDF

    layout = layout or Layout()
    match = CASE_NUMBER.search(text)
    header = f"Дело № {match.group(1)}" if match else ""

    class VerdictPdf(FPDF):
        def header(self) -> None:
            if header and self.page_no() > 1:
                self.set_font("serif", size=9)
                self.cell(0, 6, header, align="R", new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("serif", size=9)
            self.cell(0, 8, f"Страница {self.page_no()} из {{nb}}", align="C")

    pdf = VerdictPdf(format="A4")
    pdf.set_creation_date(dt.datetime(2022, 12, 1, tzinfo=dt.UTC))  # reproducible bytes
    pdf.add_font("serif", "", str(_font("DejaVuSerif.ttf")))
    pdf.set_margins(layout.margin_left, layout.margin_top, layout.margin_right)
    pdf.set_auto_page_break(True, margin=layout.margin_bottom)
    pdf.alias_nb_pages()
    for chunk in re.split(r"\n?\f\n?", text):
        pdf.add_page()
        pdf.set_font("serif", size=layout.font_size)
        for para in chunk.strip("\n").split("\n"):
            if para.strip():
                pdf.multi_cell(0, layout.line_height, para.strip(), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(layout.blank_line)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))


def render_scan(pdf_path: Path, out: Path, dpi: int = 300, seed: int = 0) -> None:
    """Rasterise a PDF into an image-only PDF like a photocopy: grey paper, slightly rotated (up to ±1.5°),
    blurred a little, with speckle; ``dpi`` sets the scan resolution (300 is an archive's, 150 a poor one)."""
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageChops, ImageFilter

    rng = random.Random(seed)
    images = []
    doc = pypdfium2.PdfDocument(str(pdf_path))
    try:
        for page in doc:
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            # grey paper: white becomes ~225, ink stays dark
            img = img.point(lambda v: 20 + v * 205 // 255)
            img = img.rotate(rng.uniform(-1.5, 1.5), expand=False, fillcolor=225, resample=Image.Resampling.BILINEAR)
            img = img.filter(ImageFilter.GaussianBlur(0.5 * dpi / 300))
            # Darkening half of a Gaussian grain (sigma 12), drawn from the seed: Pillow's effect_noise uses C's
            # rand(), which no seed reaches, so every render of the same page was a different scan.
            grain = np.random.default_rng(rng.randrange(2**32)).normal(0, 12, (img.height, img.width))
            img = ImageChops.subtract(img, Image.fromarray(grain.clip(0, 255).astype(np.uint8)))
            pixels = img.load()
            width, height = img.size
            for _ in range(width * height // 4000):
                x, y = rng.randrange(width), rng.randrange(height)
                pixels[x, y] = rng.randrange(0, 120)
            images.append(img)
    finally:
        doc.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    # A fixed date in the PDF's metadata: the same seed gives the same bytes, so the OCR cache knows a scan again.
    stamp = time.strptime("2022-11-02", "%Y-%m-%d")  # Pillow writes a struct_time as a PDF date
    images[0].save(
        out, save_all=True, append_images=images[1:], resolution=dpi, quality=75, creationDate=stamp, modDate=stamp
    )


def render_all(src: Path, out: Path, scans: bool = False, draw: int = 0) -> list[Path]:
    """Render every ``*.txt`` under ``src``; returns the born-digital PDFs written. ``draw`` picks another set
    of photocopies of the same pages (0: the ones the README's figures are measured on)."""
    written = []
    for txt in sorted(src.glob("*.txt")):
        pdf_path = out / "pdf" / f"{txt.stem}.pdf"
        render_pdf(txt.read_text(encoding="utf-8"), pdf_path)
        written.append(pdf_path)
        if scans:
            render_scan(pdf_path, out / "scans" / f"{txt.stem}.pdf", seed=len(written) + 1000 * draw)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="?", default="fixtures/verdicts", type=Path)
    parser.add_argument("out", nargs="?", default="build/fixtures", type=Path)
    parser.add_argument("--scans", action="store_true", help="also write image-only scans")
    parser.add_argument("--draw", type=int, default=0, help="another draw of the scans' noise and skew (default 0)")
    args = parser.parse_args()
    written = render_all(args.src, args.out, scans=args.scans, draw=args.draw)
    print(f"rendered {len(written)} verdicts into {args.out}")


if __name__ == "__main__":
    main()
