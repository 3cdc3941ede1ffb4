"""Small PDFs written byte by byte for the tests: one with a text layer, one without (like a scan)."""

from __future__ import annotations


def pdf(text: str | None, title: str | None = None) -> bytes:
    """A one-page PDF showing TEXT (none: a page with no text layer), with TITLE in its document info."""
    content = b"" if text is None else (
        b"BT /F1 12 Tf 72 720 Td (" + text.replace("(", r"\(").replace(")", r"\)").encode("latin-1") + b") Tj ET"
    )
    info = b"<< /Title (" + title.encode("latin-1") + b") >>" if title else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
