"""Helpers to build synthetic ANSI/NIST-ITL transactions for the fixture generators."""
import struct
import zlib

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"


def tagged(rtype, fields, len_value=None, end=FS, tagfmt="{t}.{n:03d}:"):
    """A tagged record with a correct LEN (unless len_value is given). fields: [(num, bytes)]."""
    body = b""
    for i, (num, val) in enumerate(fields):
        body += tagfmt.format(t=rtype, n=num).encode() + val
        body += end if i == len(fields) - 1 else GS
    lentag = tagfmt.format(t=rtype, n=1).encode()
    if len_value is not None:
        return lentag + str(len_value).encode() + GS + body
    n = len(lentag) + 1 + len(body) + 1
    while len(lentag) + len(str(n)) + 1 + len(body) != n:
        n = len(lentag) + len(str(n)) + 1 + len(body)
    return lentag + str(n).encode() + GS + body


def cnt(entries, count=None):
    subs = [b"1" + US + str(len(entries) if count is None else count).encode()]
    subs += [str(t).encode() + US + b"%02d" % idc for t, idc in entries]
    return RS.join(subs)


def binary4(idc, data=b"\x00" * 64, len_value=None):
    """A Type-4 record: LEN, IDC, IMP, FGP x6, ISR, HLL, VLL, GCA, data."""
    hdr = bytes([idc, 0, 1, 255, 255, 255, 255, 255, 0]) + struct.pack(">HHB", 16, 4, 0)
    n = 4 + len(hdr) + len(data)
    return struct.pack(">I", n if len_value is None else len_value) + hdr + data


def jpeg(width, height, filler=b""):
    """A JPEG-shaped byte string: SOI, an APP1 segment holding `filler`, SOF0 with the size, EOI."""
    app = b"\xff\xe1" + struct.pack(">H", len(filler) + 2) + filler
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app + sof + b"\xff\xd9"


def png(width, height):
    """A real PNG (grey, 8 bits) of the given size."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
