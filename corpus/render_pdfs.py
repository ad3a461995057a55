"""Render the sample texts in corpus/text into realistic PDFs in corpus/pdf.

    python corpus/render_pdfs.py [--text DIR] [--out DIR]

Each PDF gets the running header and footer its publisher's PDF would carry; only the
single reports (001, 002) get an outline, as a word-processor export would.  Nothing
hints at where the documents inside an agenda pack begin.  The output is the same
bytes every time for the same texts.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.render import render_pdf

HERE = Path(__file__).resolve().parent


# stem: (running header, footer, outline)
LAYOUT: dict[str, tuple[str | None, str | None, bool]] = {
    "000_cbfd611bb349a817": (
        "Overview and Scrutiny Committee — 11 July 2018",
        "Braintree District Council",
        False,
    ),
    "001_830debaf43ef9f6c": (
        None,
        "Braintree District Community Safety Partnership Annual Report 2022-23",
        True,
    ),
    "002_8216942259ceca4c": (None, "Safer Brentwood Partnership Plan 2017/18", True),
    "003_2ad0478eaf9859a7": (None, "Safer Essex Prospectus", False),
    "004_ab386c09ba5ad95e": (
        "Crime and Disorder Committee — 23 March 2020",
        "Colchester Borough Council",
        False,
    ),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Render corpus/text/*.txt into corpus/pdf/<same stem>.pdf."
    )
    parser.add_argument("--text", type=Path, default=HERE / "text", help="folder of .txt files")
    parser.add_argument("--out", type=Path, default=HERE / "pdf", help="folder for the PDFs")
    args = parser.parse_args(argv)
    texts = sorted(args.text.glob("*.txt"))
    if not texts:
        parser.error(f"no .txt files in {args.text}")
    args.out.mkdir(parents=True, exist_ok=True)
    for text_path in texts:
        header, footer, outline = LAYOUT.get(text_path.stem, (None, None, False))
        out_path = args.out / f"{text_path.stem}.pdf"
        pages = render_pdf(
            text_path.read_text(encoding="utf-8"),
            out_path,
            header=header,
            footer=footer,
            outline=outline,
        )
        size_kb = out_path.stat().st_size // 1024
        print(f"{out_path} ({pages} pages, {size_kb} KB)")


if __name__ == "__main__":
    main()
