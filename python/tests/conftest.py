"""Traces for the tests, made by the virtlab binary the tests are given ($VIRTLAB)."""

import os
import subprocess

import pytest


def virtlab():
    exe = os.environ.get("VIRTLAB")
    if not exe or not os.access(exe, os.X_OK):
        pytest.fail("set VIRTLAB to a built virtlab binary (make python-test does)")
    return exe


# One preset per topic, made small; together they use every field type (enums, strings,
# packed and delta fields, intervals, counters).
PRESETS = {
    "fork-heavy-shadow": ("accesses: ", "memory.workload.accesses", 30000),
    "x86-red-pill": ("instructions: ", "cpu.workload.instructions", 200000),
    "net-paravirtual": ("requests: ", "io.requests", 3000),
    "precopy-busy": ("memory_mib: ", "migration.vm.memory_mib", 64),
    "postcopy-prepaging": ("memory_mib: ", "migration.vm.memory_mib", 64),
}


def make_trace(folder, preset, seed=None):
    exe = virtlab()
    text = subprocess.run([exe, "scenarios", "show", preset], check=True, capture_output=True, text=True).stdout
    prefix, _key, value = PRESETS[preset]
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(prefix):
            indent = line[: len(line) - len(stripped)]
            line = f"{indent}{prefix}{value}"
        lines.append(line)
    yaml = os.path.join(folder, f"{preset}.yaml")
    with open(yaml, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    out = os.path.join(folder, f"{preset}{'' if seed is None else f'-s{seed}'}.vlt")
    cmd = [exe, "run", yaml, "-o", out, "--quiet"]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    subprocess.run(cmd, check=True)
    return out


@pytest.fixture(scope="session")
def traces(tmp_path_factory):
    folder = tmp_path_factory.mktemp("traces")
    return {p: make_trace(str(folder), p) for p in PRESETS}


@pytest.fixture(scope="session")
def binary():
    return virtlab()
