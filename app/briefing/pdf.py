"""Word → PDF through LibreOffice's headless converter (Debian: libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from wushe.graph.errors import WusheError

__all__ = ["docx_to_pdf", "soffice"]

_TIMEOUT_S = 180


def soffice() -> str:
    """The LibreOffice executable.

    Raises
    ------
    WusheError
        when LibreOffice is not installed.
    """
    for name in ("soffice", "libreoffice"):
        if path := shutil.which(name):
            return path
    raise WusheError(
        "PDF output needs LibreOffice: install it (e.g. 'apt-get install "
        "libreoffice-writer-nogui') or write --format docx.",
        "生成PDF需要LibreOffice:请先安装(例如 'apt-get install libreoffice-writer-nogui'),"
        "或改用 --format docx。")


def docx_to_pdf(docx: bytes, out: str | Path) -> Path:
    """Convert the bytes of a .docx file into the PDF ``out``; returns ``out``.

    Each call gets its own LibreOffice profile, so conversions may run side by side.

    Raises
    ------
    WusheError
        when LibreOffice is missing, fails or takes longer than 3 minutes.
    """
    exe = soffice()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="wushe-pdf-") as tmp:
        src = Path(tmp) / "briefing.docx"
        src.write_bytes(docx)
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--convert-to", "pdf", "--outdir", tmp, str(src)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise WusheError(f"LibreOffice took longer than {_TIMEOUT_S} s to write the PDF.",
                             f"LibreOffice生成PDF超过{_TIMEOUT_S}秒,已停止。") from None
        pdf = Path(tmp) / "briefing.pdf"
        if done.returncode != 0 or not pdf.exists():
            detail = (done.stderr or done.stdout).strip()[:300]
            raise WusheError(f"LibreOffice could not convert the briefing to PDF: {detail}",
                             f"LibreOffice未能将简报转换为PDF:{detail}")
        shutil.move(pdf, out)
    return out
