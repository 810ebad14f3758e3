"""The briefing an official hands up: a few pages of Word (or PDF) with findings and charts.

``wushe report REGION --format docx|pdf [--appendix FILE.xlsx]``; the overview page's
download button. :func:`build_briefing` decides what it says, :func:`docx_bytes` lays it out,
:func:`docx_to_pdf` converts it, :func:`write_appendix` writes the rows behind it.
"""

from wushe.app.briefing.appendix import write_appendix
from wushe.app.briefing.content import Briefing, Finding, build_briefing
from wushe.app.briefing.docx_writer import docx_bytes, write_docx
from wushe.app.briefing.pdf import docx_to_pdf

__all__ = ["Briefing", "Finding", "build_briefing", "docx_bytes", "docx_to_pdf",
           "write_appendix", "write_docx"]
