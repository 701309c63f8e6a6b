import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import virtlab
from virtlab.vlt import Trace, VltError


def jsonl(binary, path):
    out = subprocess.run([binary, "export", path, "--format", "jsonl"], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("engine", ["binary", "pure"])
def test_every_kind_equals_the_jsonl_export(traces, binary, engine, monkeypatch):
    """Both engines give DataFrames equal, column by column, to what export --format jsonl prints."""
    monkeypatch.setenv("VIRTLAB", binary)
    for preset, path in traces.items():
        events = jsonl(binary, path)
        frames = virtlab.read_events(path, engine=engine)
        t = Trace(path)
        assert set(frames) == {k.name for k in t.kinds}, preset
        for kind in t.kinds:
            rows = [e for e in events if e["kind"] == kind.name]
            df = frames[kind.name]
            assert len(df) == len(rows), (preset, kind.name)
            if not rows:
                continue
            assert df["time_ns"].dtype == np.uint64
            assert df["time_ns"].tolist() == [e["time_ns"] for e in rows]
            for name, ftype, *_ in kind.fields:
                got = df[name]
                if ftype in (2, 3):
                    assert isinstance(got.dtype, pd.CategoricalDtype), (kind.name, name)
                    assert got.astype(str).tolist() == [e[name] for e in rows], (preset, kind.name, name)
                else:
                    assert got.dtype == (np.int64 if ftype == 1 else np.uint64)
                    assert got.tolist() == [e[name] for e in rows], (preset, kind.name, name)
            if kind.shape == "interval":
                duration = next(f[0] for f in kind.fields if f[1] == 4)
                assert (df["start_ns"] == df["time_ns"] - df[duration]).all()


def test_one_kind_is_one_dataframe_and_engines_agree(traces, binary, monkeypatch):
    monkeypatch.setenv("VIRTLAB", binary)
    path = traces["net-paravirtual"]
    a = virtlab.read_events(path, kind="vm_exit", engine="binary")
    b = virtlab.read_events(path, kind="vm_exit", engine="pure")
    assert isinstance(a, pd.DataFrame)
    pd.testing.assert_frame_equal(a, b)
    counts = a.groupby("reason", observed=True).size()
    assert counts.sum() == len(a) > 0


def test_auto_falls_back_to_the_pure_reader_without_the_binary(traces, monkeypatch):
    monkeypatch.setenv("VIRTLAB", "/nonexistent/virtlab")
    assert virtlab.virtlab_binary() is None
    df = virtlab.read_events(traces["fork-heavy-shadow"], kind="page_fault")
    assert len(df) > 0
    with pytest.raises(FileNotFoundError):
        virtlab.read_events(traces["fork-heavy-shadow"], kind="page_fault", engine="binary")


def test_npz_loads_with_numpy_alone(traces, binary, tmp_path):
    """The .npz is plain NumPy: no pickles, codes with their categories."""
    out = tmp_path / "exits.npz"
    subprocess.run([binary, "export", traces["net-paravirtual"], "--format", "npz", "--kind", "vm_exit", "-o", str(out)], check=True)
    with np.load(out, allow_pickle=False) as z:
        assert sorted(z.files) == ["vm_exit/duration", "vm_exit/reason", "vm_exit/reason.categories", "vm_exit/time_ns", "vm_exit/vcpu"]
        cats = z["vm_exit/reason.categories"]
        assert cats.dtype.kind == "U"
        assert z["vm_exit/reason"].max() < len(cats)


def test_results_equal_the_summary(traces, binary):
    path = traces["precopy-busy"]
    r = virtlab.read_results(path)
    out = subprocess.run([binary, "query", path, "SELECT metric, value, unit FROM results", "--format", "json", "--no-cache"],
                         check=True, capture_output=True, text=True).stdout
    rows = json.loads(out)
    assert list(r.index) == [row["metric"] for row in rows]
    assert r["value"].tolist() == pytest.approx([row["value"] for row in rows], rel=0, abs=0)
    assert r.loc["downtime_ms", "unit"] == "ms"


def test_read_sweep_has_parameters_and_every_metric(binary, tmp_path):
    folder = tmp_path / "sweep"
    subprocess.run([binary, "sweep", "precopy-busy", "--vary", "migration.vm.memory_mib=128,256", "--repeat", "2",
                    "-o", str(folder), "--quiet"], check=True)
    df = virtlab.read_sweep(str(folder))
    assert len(df) == 4
    assert "migration.vm.memory_mib" in df.columns
    assert sorted(set(df["migration.vm.memory_mib"])) == [128, 256]
    assert "downtime_ms" in df.columns and "pages_sent" in df.columns
    # Each row's seed is the seed its trace was run with.
    for run, seed in zip(df["run"], df["seed"]):
        assert Trace(str(folder / (run + ".vlt"))).seed == seed
    # Larger VMs send more pages, run by run.
    means = df.groupby("migration.vm.memory_mib")["pages_sent"].mean()
    assert means[256] > means[128]


def test_damage_is_reported_with_its_offset(traces, tmp_path):
    data = bytearray(open(traces["net-paravirtual"], "rb").read())
    t = Trace(traces["net-paravirtual"])
    first = next(t.blocks())[0]
    data[first + 50] ^= 0xFF
    bad = tmp_path / "bad.vlt"
    bad.write_bytes(bytes(data))
    with pytest.raises(VltError, match="byte"):
        virtlab.read_events(str(bad), kind="vm_exit", engine="pure")
    with pytest.raises(VltError):
        virtlab.read_events(str(bad), kind="vm_exit", engine="binary")
    with pytest.raises(VltError, match="no event kind"):
        virtlab.read_events(traces["net-paravirtual"], kind="page_fault")


def test_columns_skip_unwanted_kinds_exactly(traces):
    path = traces["fork-heavy-shadow"]
    t = Trace(path)
    everything = t.columns()
    only = Trace(path).columns(["vm_exit"])
    assert list(only) == ["vm_exit"]
    assert only["vm_exit"] == everything["vm_exit"]
    assert only["vm_exit"]["time_ns"].typecode == "Q"
    assert os.path.getsize(path) > 0
