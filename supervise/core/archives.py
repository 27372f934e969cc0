"""How much a zip archive (.xlsx, .docx) really unpacks to, found by inflating it with a hard cap.

The sizes a zip declares in its headers are the attacker's to write: a zip bomb declares a few
kilobytes and inflates to gigabytes. So every member is inflated here, the output counted and
thrown away, and the count stops just past the cap; an archive whose members do not hold what
their headers declare is not accepted at all.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

STEP = 64 * 1024  # compressed input fed at a time, and decompressed output taken at a time
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature …, file name length, extra field length


def _member_bytes(data: memoryview, info: zipfile.ZipInfo) -> memoryview | None:
    """The member's compressed bytes, located by its local header; None if that is not there."""
    start = info.header_offset
    if start < 0 or start + LOCAL_HEADER.size > len(data):
        return None
    signature, name_length, extra_length = LOCAL_HEADER.unpack_from(data, start)
    if signature != b"PK\x03\x04":
        return None
    begin = start + LOCAL_HEADER.size + name_length + extra_length
    return data[begin : begin + info.compress_size]


def _inflated_size(packed: memoryview, budget: int) -> int | None:
    """How many bytes the raw deflate stream ``packed`` inflates to, stopping once past ``budget``;
    None when the stream ends early (cut off, or a lying compressed size) or is damaged."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    for start in range(0, len(packed), STEP):
        pending: bytes | memoryview = packed[start : start + STEP]
        while True:
            try:
                out = inflater.decompress(pending, STEP)
            except zlib.error:  # a damaged stream: as unreadable as one cut off
                return None
            size += len(out)
            if size > budget:
                return size
            pending = inflater.unconsumed_tail
            if not pending and len(out) < STEP:
                break
        if inflater.eof:
            break
    return size if inflater.eof else None


def unpacked_size(data: bytes, limit: int) -> int | None:
    """The bytes the zip archive ``data`` unpacks to, counted by inflating its members, or a number
    above ``limit`` as soon as the count passes it. None when it is no zip archive, is damaged,
    uses another method than stored or deflated (Office files use these two), or a member holds
    another size than its headers declare."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # zipfile raises several kinds for damaged archives
        return None
    view = memoryview(data)
    total, lied = 0, False
    for info in infos:
        packed = _member_bytes(view, info)
        if packed is None or len(packed) != info.compress_size:
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            size: int | None = len(packed)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            size = _inflated_size(packed, limit - total)
        else:
            return None
        if size is None:
            return None
        total += size
        if total > limit:
            return total
        lied = lied or size != info.file_size
    return None if lied else total
