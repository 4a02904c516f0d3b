"""Pictures: their size, and their metadata taken out without touching the image data.

Pillow reads the size and the EXIF orientation. Stripping works on the container, segment
by segment (JPEG markers, PNG chunks, WebP RIFF chunks): re-saving with Pillow would
re-encode a JPEG, and a lossy re-encode changes pixels. An Orientation other than 1 is
kept, as the only tag of a new minimal EXIF block, so a picture is not turned."""

from __future__ import annotations

import io
import struct
import warnings
import zlib

FORMATS = {"JPEG", "PNG", "WEBP"}  # the pictures whose metadata is stripped
ORIENTATION = 0x0112
_TURNED = {5, 6, 7, 8}  # orientations that swap width and height


def inspect(raw: bytes) -> tuple[str, int, int] | None:
    """(format, width, height as shown) of a picture Pillow can read, else None."""
    from PIL import Image  # (imported on first use: most builds have no pictures)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression-bomb warning is not the writer's problem here
            with Image.open(io.BytesIO(raw)) as image:
                width, height = image.size
                orientation = image.getexif().get(ORIENTATION, 1)
                fmt = image.format or ""
    except Exception:  # not a picture, or one Pillow cannot read: published as it is, without a size
        return None
    if orientation in _TURNED:
        width, height = height, width
    return fmt, width, height


def strip(raw: bytes, fmt: str) -> bytes:
    """The picture without EXIF, XMP, IPTC or comments; the image data byte for byte as it was.
    Anything that does not parse as expected is returned unchanged."""
    try:
        if fmt == "JPEG":
            return _strip_jpeg(raw)
        if fmt == "PNG":
            return _strip_png(raw)
        if fmt == "WEBP":
            return _strip_webp(raw)
    except (ValueError, struct.error):
        return raw
    return raw


def _orientation(tiff: bytes) -> int:
    """The Orientation tag of a TIFF-structured EXIF block (1 when absent)."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 1
    offset = struct.unpack(order + "I", tiff[4:8])[0]
    count = struct.unpack(order + "H", tiff[offset:offset + 2])[0]
    for number in range(count):
        start = offset + 2 + 12 * number
        tag, kind = struct.unpack(order + "HH", tiff[start:start + 4])
        if tag == ORIENTATION and kind == 3:
            return struct.unpack(order + "H", tiff[start + 8:start + 10])[0]
    return 1


def _minimal_exif(orientation: int) -> bytes:
    """A TIFF-structured EXIF block with one tag: Orientation."""
    return b"II*\x00" + struct.pack("<IHHHIHHI", 8, 1, ORIENTATION, 3, 1, orientation, 0, 0)


# -- JPEG: drop APP1 (EXIF, XMP), APP13 (IPTC) and COM segments before the scan ------------------

def _strip_jpeg(raw: bytes) -> bytes:
    if raw[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out, pos = [raw[:2]], 2
    while pos < len(raw):
        if raw[pos] != 0xFF:
            raise ValueError("not a marker")
        marker = raw[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan (or the end): the rest is image data
            out.append(raw[pos:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(raw[pos:pos + 2])
            pos += 2
            continue
        length = struct.unpack(">H", raw[pos + 2:pos + 4])[0]
        segment = raw[pos:pos + 2 + length]
        if len(segment) != 2 + length:
            raise ValueError("truncated")
        pos += 2 + length
        if marker == 0xE1 and segment[4:10] == b"Exif\x00\x00":
            turned = _orientation(segment[10:])
            if turned != 1:
                body = b"Exif\x00\x00" + _minimal_exif(turned)
                out.append(b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body)
        elif marker not in (0xE1, 0xED, 0xFE):  # APP1 (XMP and others), APP13 (IPTC), COM
            out.append(segment)
    raise ValueError("no image data")


# -- PNG: drop eXIf and the text chunks (tEXt, zTXt, iTXt: XMP, ImageMagick's raw EXIF/IPTC) ---

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def _strip_png(raw: bytes) -> bytes:
    if raw[:8] != _PNG:
        raise ValueError("not a PNG")
    out, pos = [raw[:8]], 8
    while pos < len(raw):
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        chunk = raw[pos:pos + 12 + length]
        if len(chunk) != 12 + length:
            raise ValueError("truncated")
        pos += 12 + length
        if kind == b"eXIf" and (turned := _orientation(chunk[8:-4])) != 1:
            data = _minimal_exif(turned)
            out.append(struct.pack(">I4s", len(data), kind) + data
                       + struct.pack(">I", zlib.crc32(kind + data)))
        elif kind not in _PNG_DROPPED:
            out.append(chunk)
        if kind == b"IEND":
            return b"".join(out)
    raise ValueError("no IEND")


# -- WebP: drop the EXIF and XMP chunks and their flags in VP8X --------------------------------

_EXIF_FLAG, _XMP_FLAG = 0x08, 0x04


def _strip_webp(raw: bytes) -> bytes:
    if raw[:4] != b"RIFF" or raw[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    chunks, pos, flags_at, keep_exif = [], 12, None, False
    while pos < len(raw):
        kind, length = struct.unpack("<4sI", raw[pos:pos + 8])
        chunk = raw[pos:pos + 8 + length + (length & 1)]
        if len(chunk) < 8 + length:
            raise ValueError("truncated")
        pos += len(chunk)
        if kind == b"EXIF":
            data = chunk[8:8 + length]
            data = data[6:] if data.startswith(b"Exif\x00\x00") else data
            if (turned := _orientation(data)) != 1:
                keep_exif = True
                data = _minimal_exif(turned)
                chunks.append(struct.pack("<4sI", kind, len(data)) + data)
        elif kind != b"XMP ":
            if kind == b"VP8X":
                flags_at = len(chunks)
            chunks.append(chunk)
    if flags_at is not None:
        vp8x = bytearray(chunks[flags_at])
        vp8x[8] &= ~(_XMP_FLAG | (0 if keep_exif else _EXIF_FLAG)) & 0xFF
        chunks[flags_at] = bytes(vp8x)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
