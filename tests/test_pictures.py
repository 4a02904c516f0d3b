"""Published pictures lose their metadata and keep every pixel (real files made with Pillow)."""

import io
import struct

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from site_builder import pictures

XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b"<rdf:Description>Owner: A. Source</rdf:Description></rdf:RDF></x:xmpmeta>")


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (33.0, 56.0, 33.0),
                                  ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (118.0, 24.0, 29.0)}
    return exif


def photo(width=48, height=32) -> Image.Image:
    image = Image.new("RGB", (width, height))
    image.putdata([((x * 5) % 256, (y * 7) % 256, (x * y) % 256) for y in range(height) for x in range(width)])
    return image


def jpeg(orientation=None) -> bytes:
    stream = io.BytesIO()
    photo().save(stream, "JPEG", quality=90, exif=gps_exif(orientation), xmp=XMP, comment=b"shot by A. Source")
    raw = stream.getvalue()
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0a\x1c\x02\x50\x00\x05Alice"
    return raw[:2] + b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc + raw[2:]  # APP13: IPTC by-line


def png(orientation=None) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Author", "A. Source", zip=True)
    stream = io.BytesIO()
    photo().save(stream, "PNG", pnginfo=info, exif=gps_exif(orientation))
    return stream.getvalue()


def webp(orientation=None) -> bytes:
    stream = io.BytesIO()
    photo().save(stream, "WEBP", lossless=True, exif=gps_exif(orientation), xmp=XMP)
    return stream.getvalue()


MAKERS = {"JPEG": jpeg, "PNG": png, "WEBP": webp}


def pixels(raw: bytes) -> bytes:
    with Image.open(io.BytesIO(raw)) as image:
        return image.convert("RGB").tobytes()


def metadata(raw: bytes) -> dict:
    with Image.open(io.BytesIO(raw)) as image:
        image.load()
        exif = image.getexif()
        return {"exif": dict(exif), "gps": dict(exif.get_ifd(ExifTags.IFD.GPSInfo)),
                "info": {k for k in image.info if k in ("xmp", "exif", "comment", "photoshop", "Author",
                                                        "XML:com.adobe.xmp")}}


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_stripping_removes_gps_xmp_iptc_and_keeps_every_pixel(fmt):
    raw = MAKERS[fmt]()
    before = metadata(raw)
    assert before["gps"] and before["info"]  # the test picture really carries them
    stripped = pictures.strip(raw, fmt)
    after = metadata(stripped)
    assert after == {"exif": {}, "gps": {}, "info": set()}
    assert b"A. Source" not in stripped and b"SN-123456" not in stripped and b"Alice" not in stripped
    assert pixels(stripped) == pixels(raw)
    assert len(stripped) < len(raw)


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_a_turned_picture_keeps_its_orientation_and_nothing_else(fmt):
    raw = MAKERS[fmt](orientation=6)
    stripped = pictures.strip(raw, fmt)
    after = metadata(stripped)
    assert after["exif"] == {ExifTags.Base.Orientation: 6} and after["gps"] == {}
    assert pixels(stripped) == pixels(raw)
    assert pictures.inspect(stripped) == (fmt, 32, 48)  # shown turned: width and height swap


def test_sizes_are_read_from_the_file():
    assert pictures.inspect(png()) == ("PNG", 48, 32)
    assert pictures.inspect(b"%PDF-1.4 not a picture") is None


def test_a_picture_without_metadata_is_unchanged_and_a_broken_one_is_left_alone():
    stream = io.BytesIO()
    photo().save(stream, "PNG")
    clean = stream.getvalue()
    assert pictures.strip(clean, "PNG") == clean
    assert pictures.strip(b"\xff\xd8\xff\xe1\x00", "JPEG") == b"\xff\xd8\xff\xe1\x00"
