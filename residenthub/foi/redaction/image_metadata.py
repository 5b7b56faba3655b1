"""Pictures' metadata removed without touching their pixels (Word pictures and a PDF's JPEG images).

A photo's Exif can name who took it, with what and where (GPS); XMP, IPTC and comments carry authors and
captions; a PNG's text chunks the same. Nobody reviews them, so a released document carries none. The
segments are dropped from the file as it is: no re-encoding, so the picture loses nothing else.
"""

from __future__ import annotations

# Metadata a picture carries besides its pixels: a camera's owner, a place (GPS), an author, a comment.
_JPEG_DROPPED = {0xE1, 0xED, 0xFE}  # APP1 (Exif, XMP), APP13 (IPTC, Photoshop), COM
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def without_metadata(content: bytes) -> bytes:
    """A JPEG or PNG picture without its metadata, its pixels' bytes untouched (no re-encoding: a
    released photo loses nothing but who took it, where and when). Other formats come back as they are;
    a file that cannot be parsed too."""
    if content[:2] == b"\xff\xd8":
        return _jpeg_without_metadata(content)
    if content[:8] == b"\x89PNG\r\n\x1a\n":
        return _png_without_metadata(content)
    return content


def _jpeg_without_metadata(content: bytes) -> bytes:
    out, pos = bytearray(content[:2]), 2
    while pos + 4 <= len(content) and content[pos] == 0xFF:
        marker = content[pos + 1]
        if marker == 0xDA:  # start of scan: the compressed pixels follow, kept as they are
            return bytes(out + content[pos:])
        length = int.from_bytes(content[pos + 2 : pos + 4], "big")
        segment = content[pos : pos + 2 + length]
        if len(segment) < 2 + length:
            return content
        if marker not in _JPEG_DROPPED:
            out += segment
        pos += 2 + length
    return content


def _png_without_metadata(content: bytes) -> bytes:
    out, pos = bytearray(content[:8]), 8
    while pos + 12 <= len(content):
        length = int.from_bytes(content[pos : pos + 4], "big")
        kind = content[pos + 4 : pos + 8]
        chunk = content[pos : pos + 12 + length]
        if len(chunk) < 12 + length:
            return content
        if kind not in _PNG_DROPPED:
            out += chunk
        pos += 12 + length
        if kind == b"IEND":
            return bytes(out)
    return content
