"""VirtLab traces and sweeps as pandas DataFrames.

The fast path runs the `virtlab` binary (found through $VIRTLAB or on PATH) to export the
asked kinds as NumPy arrays (.npz) and wraps them without copying; without the binary the
pure-Python reader in `virtlab.vlt` decodes the trace (slower; see docs/analysis.md).
"""

import csv
import os
import shutil
import subprocess
import tempfile

from .vlt import Trace, VltError

__all__ = ["read_events", "read_results", "read_sweep", "virtlab_binary"]


def virtlab_binary():
    """The path of the virtlab executable ($VIRTLAB, else the first on PATH), or None."""
    explicit = os.environ.get("VIRTLAB")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("virtlab")


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - the package depends on pandas
        raise ImportError("virtlab's DataFrame functions need pandas: pip install pandas") from e
    return pandas


def read_events(path, kind=None, engine="auto"):
    """Events of a trace as DataFrames.

    kind: an event kind name (a DataFrame), a list of names, or None for every kind (a dict
    of DataFrames by kind). Columns: time_ns (uint64), start_ns for interval kinds (the
    event's time minus its duration), then the kind's fields: unsigned fields uint64, signed
    int64, enum and string fields pandas Categoricals.

    engine: "binary" (the virtlab executable's .npz export), "pure" (the Python reader), or
    "auto" (binary when it is found, else pure).
    """
    names = [kind] if isinstance(kind, str) else (list(kind) if kind is not None else None)
    if engine not in ("auto", "binary", "pure"):
        raise ValueError(f"engine must be auto, binary or pure, not {engine!r}")
    trace = Trace(path, verify=True)
    if names is not None:
        for n in names:
            trace.kind(n)  # raises VltError naming the kinds there are
    binary = virtlab_binary() if engine != "pure" else None
    if engine == "binary" and binary is None:
        raise FileNotFoundError("engine='binary' needs the virtlab executable on PATH (or $VIRTLAB)")
    frames = _read_binary(binary, path, names, trace) if binary else _read_pure(trace, names)
    return frames[kind] if isinstance(kind, str) else frames


def _frame(trace, kind, columns):
    """A DataFrame from a kind's columns (NumPy arrays or lists of codes)."""
    import numpy as np
    pd = _pandas()
    k = trace.kind(kind)
    data = {"time_ns": np.asarray(columns["time_ns"], dtype=np.uint64)}
    if k.shape == "interval":
        duration = next(f[0] for f in k.fields if f[1] == 4)
        t = data["time_ns"]
        d = np.asarray(columns[duration], dtype=np.uint64)
        data["start_ns"] = np.where(t >= d, t - d, 0).astype(np.uint64)
    for name, ftype, _delta, _width, _values in k.fields:
        values = columns[name]
        if ftype in (2, 3):  # enum, string: codes → categorical
            cats = columns.get(name + ".categories")
            if cats is None:
                cats = trace.categories(kind, name)
            codes = np.asarray(values)
            # from_codes wants signed codes: uint8 → int16, wider → int32 (both exact).
            codes = codes.astype(np.int16 if codes.dtype.itemsize == 1 else np.int32)
            cats = [str(c) for c in cats]
            if len(set(cats)) != len(cats):
                # A trace's string table may hold a text twice; categories must be unique.
                first = {}
                remap = np.asarray([first.setdefault(c, len(first)) for c in cats], dtype=np.int32)
                codes, cats = remap[codes], list(first)
            data[name] = pd.Categorical.from_codes(codes, categories=cats)
        elif ftype == 1:
            data[name] = np.asarray(values, dtype=np.int64)
        else:
            data[name] = np.asarray(values, dtype=np.uint64)
    return pd.DataFrame(data, copy=False)


def _read_binary(binary, path, names, trace):
    with tempfile.TemporaryDirectory(prefix="virtlab-") as tmp:
        out = os.path.join(tmp, "events.npz")
        cmd = [binary, "export", path, "--format", "npz", "-o", out]
        for n in names or []:
            cmd += ["--kind", n]
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise VltError(done.stderr.strip() or f"virtlab export failed with status {done.returncode}")
        grouped = {}
        for member, array in _npz_arrays(out):
            kind, column = member.split("/", 1)
            grouped.setdefault(kind, {})[column] = array
    return {kind: _frame(trace, kind, cols) for kind, cols in grouped.items()}


def _npz_arrays(path):
    """(name, array) of each member of an .npz whose members are stored (not compressed), as
    VirtLab writes them: memory-mapped copy-on-write, so nothing is read twice and the arrays
    stay writable; the file may be removed afterwards. Other archives go through numpy.load."""
    import mmap
    import struct
    import zipfile
    import io

    import numpy as np
    from numpy.lib import format as npy

    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
        with np.load(path, allow_pickle=False) as z:
            return [(m, z[m]) for m in z.files]
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    out = []
    for info in infos:
        name_length, extra_length = struct.unpack_from("<HH", mm, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        head = io.BytesIO(mm[start:start + min(info.file_size, 65536)])
        version = npy.read_magic(head)
        read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran, dtype = read_header(head)
        if fortran or len(shape) != 1:
            raise VltError(f"{info.filename}: not a one-dimensional array")
        out.append((info.filename[:-4] if info.filename.endswith(".npy") else info.filename,
                    np.frombuffer(mm, dtype=dtype, count=shape[0], offset=start + head.tell())))
    return out


def _read_pure(trace, names):
    return {kind: _frame(trace, kind, cols) for kind, cols in trace.columns(names).items()}


def read_results(path):
    """A trace's results summary as a DataFrame: metric (index), value, unit."""
    pd = _pandas()
    t = Trace(path, verify=True)
    return pd.DataFrame({"value": list(t.summary.values()), "unit": [t.units[m] for m in t.summary]},
                        index=pd.Index(list(t.summary), name="metric"))


def read_sweep(folder):
    """A sweep folder as a DataFrame, one row per run: run, point, repetition, seed, the
    varied parameters (from results.csv), then every metric of the run's summary (a column
    per metric, from the trace itself — not only the key metrics results.csv carries)."""
    pd = _pandas()
    listing = os.path.join(folder, "results.csv")
    rows = []
    if os.path.exists(listing):
        with open(listing, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            metric_columns = [c for c in reader.fieldnames if c.endswith("]") and " [" in c]
            for r in reader:
                rows.append({k: v for k, v in r.items() if k not in metric_columns})
    else:
        rows = [{"run": n} for n in sorted(os.listdir(folder)) if n.endswith(".vlt") and not n.startswith(".")]
    if not rows:
        raise VltError(f"{folder} holds no sweep runs (no results.csv and no .vlt traces)")
    out = []
    for r in rows:
        run = r["run"]
        trace_path = os.path.join(folder, run if run.endswith(".vlt") else run + ".vlt")
        t = Trace(trace_path, verify=True)
        row = {"run": run[:-4] if run.endswith(".vlt") else run}
        for k, v in r.items():
            if k == "run":
                continue
            row[k] = _number(v)
        if "seed" not in row:
            row["seed"] = t.seed
        row.update(t.summary)
        out.append(row)
    return pd.DataFrame(out)


def _number(text):
    """A CSV cell as int or float where it is one, else the text."""
    for convert in (int, float):
        try:
            return convert(text)
        except (TypeError, ValueError):
            pass
    return text
