#!/usr/bin/env python3
"""Read VirtLab traces (.vlt) in Python, with the standard library only.

Written from docs/trace-format.md alone, as a check that the specification is complete; a
test in Tests/VirtLabCommandsTests compares its output with `virtlab export --format jsonl`
byte for byte, and the package's tests compare its columns with the binary's .npz export.

    python3 -m virtlab.vlt TRACE              # every event as JSON Lines (as virtlab export)
    python3 -m virtlab.vlt TRACE --summary    # the results summary: name, value, unit
    python3 -m virtlab.vlt TRACE --schema     # metadata and event kinds

    from virtlab.vlt import Trace
    t = Trace("run.vlt")
    t.metadata["scenario_name"], t.summary["downtime_ns"]
    for e in t.events(): ...                   # dicts: time_ns, kind, category, fields
    t.columns(["vm_exit"])                     # {kind: {column: list}}, the fast path

The file is memory-mapped, not read into memory. Every block's checksums are verified
(CRC-32C: with the `crc32c` package installed at several GB/s, in pure Python at about
10 MB/s; `Trace(path, verify=False)` skips the payload checksums but keeps every structural
check). Damaged files raise VltError with the byte offset; this reader does not salvage
(`virtlab inspect --salvage` does).
"""

import json
import mmap
from array import array
import struct
import sys

MAGIC = b"\x89VLT\r\n\x1a\n"
BLOCK, SUMMARY, INDEX, TRAILER_END = b"\xf1VBK", b"\xf1VSM", b"\xf1VIX", b"\xf1VND"
CATEGORIES = ["memory", "cpu", "io", "migration", "counter", "run"]
UNSIGNED, SIGNED, ENUM, STRING, DURATION = range(5)
MASK64 = (1 << 64) - 1


class VltError(Exception):
    """A file that is not a VirtLab trace, or is damaged; says where."""


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


try:
    from crc32c import crc32c as crc32c  # type: ignore
except ImportError:
    _TABLE = _crc_table()

    def crc32c(data):
        c = 0xFFFFFFFF
        for b in data:
            c = (c >> 8) ^ _TABLE[(c ^ b) & 0xFF]
        return c ^ 0xFFFFFFFF


class _Cursor:
    """Reads the conventions' types from a bytes object, never past its end."""

    def __init__(self, data, base=0):
        self.data, self.pos, self.base = data, 0, base

    def fail(self, what):
        raise VltError(f"{what} at byte {self.base + self.pos}")

    def take(self, n):
        if self.pos + n > len(self.data):
            self.fail("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self):
        return self.take(1)[0]

    def varint(self):
        value, shift = 0, 0
        for i in range(10):
            if self.pos >= len(self.data):
                self.fail("varint runs past the end")
            b = self.data[self.pos]
            self.pos += 1
            if i == 9 and b > 1:
                self.fail("varint longer than 64 bits")
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7
        self.fail("varint of more than 10 bytes")

    def string(self, limit):
        n = self.varint()
        if n > limit:
            self.fail(f"string of {n} bytes (limit {limit})")
        return self.take(n).decode("utf-8")


def unzigzag(u):
    return (u >> 1) ^ -(u & 1)


def signed64(u):
    return u - (1 << 64) if u >= 1 << 63 else u


class Kind:
    def __init__(self, c):
        self.id = c.varint()
        self.name = c.string(64)
        self.category = CATEGORIES[c.u8()]
        self.shape = ["instant", "interval", "counter"][c.u8()]
        count = c.varint()
        if count > 16:
            c.fail("more than 16 fields")
        self.fields = []  # (name, type, delta, packed_width or 0, enum values)
        for _ in range(count):
            name = c.string(64)
            t = c.u8()
            ftype, delta, packed = t & 0x0F, bool(t & 0x10), bool(t & 0x20)
            values = []
            width = 0
            if ftype == ENUM:
                n = c.varint()
                if not 1 <= n <= 1024:
                    c.fail("enum value count")
                values = [c.string(64) for _ in range(n)]
                if packed:
                    width = max(1, (n - 1).bit_length())
            elif packed:
                width = c.u8()
            self.fields.append((name, ftype, delta, width, values))


class Trace:
    """A trace file: header, schema and summary at open; events on demand."""

    def __init__(self, path, verify=True):
        self.path = path
        self.verify = verify
        with open(path, "rb") as f:
            try:
                self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                self.data = f.read()
        d = self.data
        if d[:8] != MAGIC:
            raise VltError(f"{path} is not a VirtLab trace")
        version, flags, length, crc = struct.unpack_from("<HHII", d, 8)
        if version not in (1, 2):
            raise VltError(f"format version {version}; this reader knows 1 and 2")
        self.version = version
        # Version 2 blocks carry a sequence number and the trace's identity (the header CRC);
        # their header is 44 bytes, the trailer 40.
        self.block_header = 44 if version >= 2 else 36
        self.trailer_size = 40 if version >= 2 else 32
        self.identity = crc
        if flags != 0 or length > 8 << 20 or 20 + length > len(d):
            raise VltError("bad header at byte 8")
        body = d[20:20 + length]
        if crc32c(body) != crc:
            raise VltError("header checksum mismatch at byte 0")
        c = _Cursor(body, 20)
        self.writer_version = c.string(256)
        self.clock_unit = c.string(64)
        self.seed = c.varint()
        self.metadata = {}
        for _ in range(c.varint()):
            key = c.string(64)
            self.metadata[key] = c.string(2 << 20)
        self.strings = [c.string(2 << 20) for _ in range(c.varint())]
        self.kinds = [Kind(c) for _ in range(c.varint())]
        self.position_bits = (len(self.kinds) - 1).bit_length() if len(self.kinds) > 1 else 0
        self.data_start = 20 + length
        self.summary = {}
        self.units = {}
        self._find_summary()

    def _find_summary(self):
        d = self.data
        t = self.trailer_size
        self.finished = False
        if len(d) >= self.data_start + t and d[-4:] == TRAILER_END:
            index_offset, summary_offset, _total = struct.unpack_from("<QQQ", d, len(d) - t)
            (crc,) = struct.unpack_from("<I", d, len(d) - 8)
            if crc32c(d[-t:-8]) != crc:
                raise VltError(f"trailer checksum mismatch at byte {len(d) - t}")
            if self.version >= 2:
                _blocks, identity = struct.unpack_from("<II", d, len(d) - t + 24)
                if identity != self.identity:
                    raise VltError(f"the trailer belongs to another trace at byte {len(d) - t + 28}")
            if summary_offset >= len(d):
                raise VltError(f"trailer points past the end of the file at byte {len(d) - t + 8}")
            self.finished = True
            if summary_offset:
                self._read_summary(summary_offset)

    def _read_summary(self, at):
        d = self.data
        if d[at:at + 4] != SUMMARY:
            raise VltError(f"no summary at byte {at}")
        length, crc = struct.unpack_from("<II", d, at + 4)
        body = d[at + 12:at + 12 + length]
        if len(body) != length or crc32c(body) != crc:
            raise VltError(f"summary checksum mismatch at byte {at}")
        c = _Cursor(body, at + 12)
        for _ in range(c.varint()):
            name = c.string(64)
            unit = c.string(64)
            self.summary[name] = struct.unpack("<d", c.take(8))[0]
            self.units[name] = unit
        return 12 + length

    def blocks(self):
        """(offset, first_time, last_time, event_count, payload) of every block, in file order."""
        d, at, hb = self.data, self.data_start, self.block_header
        sequence, previous_last = 0, None
        while at < len(d):
            tag = d[at:at + 4]
            if tag == BLOCK:
                if at + hb > len(d):
                    raise VltError(f"truncated block header at byte {at}")
                length, count, first, last, payload_crc = struct.unpack_from("<IIQQI", d, at + 4)
                (header_crc,) = struct.unpack_from("<I", d, at + hb - 4)
                if crc32c(d[at:at + hb - 4]) != header_crc:
                    raise VltError(f"block header checksum mismatch at byte {at}")
                if self.version >= 2:
                    number, identity = struct.unpack_from("<II", d, at + 32)
                    if identity != self.identity:
                        raise VltError(f"block belongs to another trace at byte {at + 36}")
                    if number != sequence:
                        raise VltError(f"block number {number} where number {sequence} belongs at byte {at + 32}")
                    sequence += 1
                if previous_last is not None and first < previous_last:
                    raise VltError(f"block starts before the previous block ended at byte {at + 12}")
                previous_last = last
                payload = d[at + hb:at + hb + length]
                if len(payload) != length:
                    raise VltError(f"truncated block at byte {at}")
                if self.verify and crc32c(payload) != payload_crc:
                    raise VltError(f"block checksum mismatch at byte {at}")
                yield at, first, last, count, payload
                at += hb + length
            elif tag == SUMMARY:
                at += self._read_summary(at)
            elif tag == INDEX:
                break
            else:
                raise VltError(f"expected a block sync marker at byte {at}")
        if not self.finished:
            raise VltError(f"the trace ends at byte {len(d)} without its footer: the run did not finish")

    def events(self):
        """Every event as a dict: time_ns, kind, category, then the kind's fields by name."""
        bits = self.position_bits
        pos_mask = (1 << bits) - 1
        for at, first, last, count, payload in self.blocks():
            c = _Cursor(payload, at + self.block_header)
            time = first
            previous = {}
            for _ in range(count):
                head = c.varint()
                position = head & pos_mask
                if position >= len(self.kinds):
                    c.fail(f"kind position {position}")
                time += head >> bits
                if time > last:
                    c.fail("event time past the block's last time")
                kind = self.kinds[position]
                event = {"time_ns": time, "kind": kind.name, "category": kind.category}
                raw = {}
                for i, (name, ftype, delta, width, values) in enumerate(kind.fields):
                    if width:
                        continue
                    v = c.varint()
                    if delta:
                        v = (previous.get((position, i), 0) + unzigzag(v)) & MASK64
                        previous[(position, i)] = v
                    elif ftype == SIGNED:
                        v = unzigzag(v) & MASK64
                    raw[i] = v
                if any(f[3] for f in kind.fields):
                    word, shift = c.varint(), 0
                    for i, (name, ftype, delta, width, values) in enumerate(kind.fields):
                        if width:
                            raw[i] = (word >> shift) & ((1 << width) - 1)
                            shift += width
                    if word >> shift:
                        c.fail("packed word wider than its fields")
                for i, (name, ftype, delta, width, values) in enumerate(kind.fields):
                    v = raw[i]
                    if ftype == ENUM:
                        if v >= len(values):
                            c.fail(f"enum value {v} out of range")
                        v = values[v]
                    elif ftype == STRING:
                        if v >= len(self.strings):
                            c.fail(f"string index {v} out of range")
                        v = self.strings[v]
                    elif ftype == SIGNED:
                        v = signed64(v)
                    event[name] = v
                yield event
            if c.pos != len(payload) or time != last:
                raise VltError(f"block at byte {at} does not end where its header says")


    def columns(self, kinds=None):
        """Events as columns, the fast path: {kind: {"time_ns": array, field: array}}.

        Only the kinds named in `kinds` (all when None) are collected; the others are
        skipped over. Enum and string fields hold their codes: `self.categories(kind, field)`
        names them. Columns are `array.array`s: unsigned 'Q', signed 'q', codes 'H' or 'I'.
        """
        wanted = None if kinds is None else set(kinds)
        unknown = (wanted or set()) - {k.name for k in self.kinds}
        if unknown:
            raise VltError(f"no event kind {sorted(unknown)[0]!r} in this trace; it has {', '.join(k.name for k in self.kinds)}")
        out = {}
        plans = []
        for k in self.kinds:
            if wanted is not None and k.name not in wanted:
                plans.append((False, len([f for f in k.fields if not f[3]]) + (1 if any(f[3] for f in k.fields) else 0), None, None, None, None, None))
                continue
            # Typed arrays, not lists: 8 bytes a value instead of a Python int's 28 or more,
            # and NumPy wraps them without a copy.
            cols = {"time_ns": array("Q")}
            for name, ftype, _delta, _width, _values in k.fields:
                cols[name] = array("q" if ftype == SIGNED else "H" if ftype == ENUM else "I" if ftype == STRING else "Q")
            out[k.name] = cols
            sinks = [cols[f[0]].append for f in k.fields]
            steps = []  # (field index, mode, limit): mode 0 unsigned, 1 signed, 2 delta, 3 delta signed
            packed = []  # (field index, shift, mask, limit)
            shift = 0
            for i, (name, ftype, delta, width, values) in enumerate(k.fields):
                limit = len(values) if ftype == ENUM else len(self.strings) if ftype == STRING else None
                if width:
                    packed.append((i, shift, (1 << width) - 1, limit))
                    shift += width
                else:
                    mode = (3 if ftype == SIGNED else 2) if delta else (1 if ftype == SIGNED else 0)
                    steps.append((i, mode, limit))
            plans.append((True, 0, cols["time_ns"].append, sinks, tuple(steps), tuple(packed), shift))
        bits = self.position_bits
        pos_mask = (1 << bits) - 1
        nkinds = len(self.kinds)
        for at, first, last, count, payload in self.blocks():
            p = payload
            base = at + self.block_header
            i = 0
            time = first
            previous = [[0] * len(k.fields) for k in self.kinds]
            try:
                for _ in range(count):
                    b = p[i]
                    if b < 0x80:
                        head = b
                        i += 1
                    else:
                        head, i = _varint_at(p, i, base)
                    position = head & pos_mask
                    if position >= nkinds:
                        raise VltError(f"kind position {position} at byte {base + i}")
                    time += head >> bits
                    if time > last:
                        raise VltError(f"event time past the block's last time at byte {base + i}")
                    want, skip, time_sink, sinks, steps, packed, packed_bits = plans[position]
                    if not want:
                        for _ in range(skip):
                            while p[i] >= 0x80:
                                i += 1
                            i += 1
                        continue
                    time_sink(time)
                    for field, mode, limit in steps:
                        b = p[i]
                        if b < 0x80:
                            v = b
                            i += 1
                        else:
                            v, i = _varint_at(p, i, base)
                        if mode == 1:
                            v = (v >> 1) ^ -(v & 1)
                        elif mode >= 2:
                            prev = previous[position]
                            v = (prev[field] + ((v >> 1) ^ -(v & 1))) & MASK64
                            prev[field] = v
                            if mode == 3 and v >= 1 << 63:
                                v -= 1 << 64
                        elif limit is not None and v >= limit:
                            raise VltError(f"enum or string index {v} out of range at byte {base + i}")
                        sinks[field](v)
                    if packed:
                        b = p[i]
                        if b < 0x80:
                            word = b
                            i += 1
                        else:
                            word, i = _varint_at(p, i, base)
                        if word >> packed_bits:
                            raise VltError(f"packed word wider than its fields at byte {base + i}")
                        for field, shift, mask, limit in packed:
                            v = (word >> shift) & mask
                            if limit is not None and v >= limit:
                                raise VltError(f"enum value {v} out of range at byte {base + i}")
                            sinks[field](v)
            except IndexError:
                raise VltError(f"a varint runs past the end of the block at byte {base + len(p)}") from None
            if i != len(p) or time != last:
                raise VltError(f"block at byte {at} does not end where its header says")
        return out

    def kind(self, name):
        """The Kind named `name`."""
        for k in self.kinds:
            if k.name == name:
                return k
        raise VltError(f"no event kind {name!r} in this trace")

    def categories(self, kind, field):
        """The names an enum or string field's codes index (None for numeric fields)."""
        for name, ftype, _delta, _width, values in self.kind(kind).fields:
            if name == field:
                return values if ftype == ENUM else list(self.strings) if ftype == STRING else None
        raise VltError(f"event kind {kind} has no field {field!r}")


def _varint_at(p, i, base):
    """A varint of more than one byte at p[i]: (value, index after it)."""
    value, shift = 0, 0
    for n in range(10):
        b = p[i]
        i += 1
        if n == 9 and b > 1:
            raise VltError(f"varint longer than 64 bits at byte {base + i - 1}")
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7
    raise VltError(f"varint of more than 10 bytes at byte {base + i}")


def _quoted(s):
    """JSON string quoting as virtlab export writes it (UTF-8 kept, control characters escaped)."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _jsonl(event):
    parts = []
    for key, value in event.items():
        parts.append(_quoted(key) + ": " + (_quoted(value) if isinstance(value, str) else str(value)))
    return "{" + ", ".join(parts) + "}"


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    try:
        trace = Trace(argv[1])
        out = sys.stdout
        if "--summary" in argv:
            for name, value in trace.summary.items():
                out.write(f"{name}\t{value!r}\t{trace.units[name]}\n")
        elif "--schema" in argv:
            json.dump({"writer_version": trace.writer_version, "seed": trace.seed, "metadata": trace.metadata,
                       "kinds": [{"id": k.id, "name": k.name, "category": k.category, "shape": k.shape,
                                  "fields": [f[0] for f in k.fields]} for k in trace.kinds]}, out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            for event in trace.events():
                out.write(_jsonl(event) + "\n")
    except VltError as e:
        sys.stderr.write(f"vlt.py: {e}\n")
        return 1
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
