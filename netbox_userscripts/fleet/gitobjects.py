"""The size of a git object read from its header, before the object is read.

dulwich's object store reads an object whole (``get_raw``, ``repo[sha]``), so a 40 MB blob
would be in memory before any size check. Git records every object's size in front of it:
a loose object's zlib stream starts with ``blob <size>\\0``; a packed object's header holds
its size as a variable-length number, and for a delta (the pack stores the object as the
changes from another one) the size of the object it makes is the second number at the start
of the delta's zlib stream. ``object_size`` reads only those few bytes, from the pack files
and loose objects of a dulwich ``DiskObjectStore``.
"""
import os
import zlib

OFS_DELTA, REF_DELTA = 6, 7  # pack object types whose data is a delta
HEADER_BYTES = 64  # a pack object's type, size and delta base fit in it (at most 10 + 10, or 10 + 20 bytes)
READ_BYTES = 512  # read a zlib stream this much at a time until its first bytes come out
MOST_COMPRESSED = 64 * 1024  # a zlib stream whose first 32 bytes do not come out of this much is not git's


def object_size(object_store, sha):
    """The size in bytes of the object ``sha`` (40 hex digits, bytes) in ``object_store``; ``KeyError`` if absent."""
    for pack in object_store.packs:
        try:
            offset = pack.index.object_offset(sha)
        except KeyError:
            continue
        return _packed_size(pack.data.path, offset)
    path = os.path.join(object_store.path, sha[:2].decode(), sha[2:].decode())
    if not os.path.isfile(path):
        raise KeyError(sha)
    return _loose_size(path)


def _packed_size(pack_path, offset):
    with open(pack_path, "rb") as pack:
        pack.seek(offset)
        header = pack.read(HEADER_BYTES)
        type_num = (header[0] >> 4) & 7
        size, shift, pos = header[0] & 0x0F, 4, 0
        while header[pos] & 0x80:  # the size goes on in 7-bit groups, lowest first
            pos += 1
            size |= (header[pos] & 0x7F) << shift
            shift += 7
        pos += 1
        if type_num not in (OFS_DELTA, REF_DELTA):
            return size
        if type_num == OFS_DELTA:  # the base's offset: one more variable-length number
            while header[pos] & 0x80:
                pos += 1
            pos += 1
        else:
            pos += 20  # the base's SHA-1
        pack.seek(offset + pos)
        delta = _inflate_start(pack, 32)
    _, pos = _delta_number(delta, 0)  # the base's size
    return _delta_number(delta, pos)[0]  # the size of the object the delta makes


def _loose_size(path):
    with open(path, "rb") as loose:
        start = _inflate_start(loose, 32)
    kind_and_size = start.split(b"\0", 1)[0]  # b"blob 1234"
    return int(kind_and_size.split(b" ", 1)[1])


def _inflate_start(stream, wanted):
    """The first ``wanted`` bytes (or fewer, if the data is shorter) of the zlib stream read from ``stream``."""
    inflater, out, read = zlib.decompressobj(), b"", 0
    while len(out) < wanted and read < MOST_COMPRESSED:
        chunk = stream.read(READ_BYTES)
        if not chunk:
            break
        read += len(chunk)
        out += inflater.decompress(chunk, wanted - len(out))
        if inflater.eof:
            break
    return out


def _delta_number(data, pos):
    """A delta header's number at ``pos`` (7-bit groups, lowest first) and the position after it."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos
