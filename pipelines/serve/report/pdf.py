"""The report as PDF, printed by headless Chromium from the HTML file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(html: Path, pdf: Path, *, browser: str | None = None, timeout: float = 120) -> Path:
    """Print `html` to `pdf`; raises with one line naming the file when Chromium is missing or fails."""
    browser = browser or find_chromium()
    if browser is None:
        raise FileNotFoundError(f"{pdf}: no Chromium on PATH (tried {', '.join(BROWSERS)}); the HTML report is {html}")
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="grandstand-chromium-") as profile:
        proc = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",  # containers run as root, where Chromium's sandbox cannot start
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if proc.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{pdf}: Chromium did not print {html} (exit {proc.returncode}): {detail}")
    return pdf
