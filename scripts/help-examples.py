#!/usr/bin/env python3
"""Run every example in every `virtlab … --help`; each must exit 0.

    python3 scripts/help-examples.py .build/release/virtlab

The help texts are read from the binary itself (every command and subcommand, found through
the SUBCOMMANDS lists), so an example added to a command is run without touching this script.
Each example runs in a fresh copy of a scratch folder where the few files the examples take as
given already exist (FIXTURES: a trace called t.vlt, a sweep folder, a proposal …, each made
by virtlab itself), so no example depends on another having run. A failing example prints its
command, its exit status and its output.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Files the examples name as their input, made before the examples run.
FIXTURES = [
    "virtlab run fork-heavy-shadow -o t.vlt --quiet",
    "cp t.vlt a.vlt && virtlab run fork-heavy-nested -o b.vlt --quiet && virtlab run fork-heavy-native -o c.vlt --quiet",
    "cp t.vlt run.vlt && mkdir -p traces && cp t.vlt traces/fork-heavy-shadow.vlt",
    "virtlab sweep precopy-moderate --vary migration.workload.dirty_rate=1000,2000 -o sweep-dir --quiet",
    "printf 'memory:\\n  mode: nested\\n' > fix.yaml",
    "virtlab render t.vlt --chart exit-reasons -o exits.png",
]


def helps(binary):
    """(command words, help text) for the root and every subcommand, unwrapped."""
    env = dict(os.environ, COLUMNS="1000")
    out, todo = [], [[]]
    while todo:
        words = todo.pop(0)
        text = subprocess.run([binary, *words, "--help"], capture_output=True, text=True, env=env, check=True).stdout
        out.append((words, text))
        block = re.search(r"^SUBCOMMANDS:\n(.*?)(?:\n\n|\Z)", text, re.S | re.M)
        if block:
            for line in block.group(1).splitlines():
                m = re.match(r"^  (\S+)", line)
                if m and m.group(1) != "help":
                    todo.append(words + [m.group(1)])
    return out


def examples(text):
    """The command lines under 'Example:' / 'Examples:', continuation lines joined."""
    found, inside, pending = [], False, ""
    for line in text.splitlines():
        if re.match(r"^\s*Examples?:\s*$", line):
            inside = True
            continue
        if inside and (not line.strip() or not line.startswith(" ")):
            inside = False
            continue
        if inside:
            part = line.strip()
            if pending:
                part = pending + " " + part
            if part.endswith("\\"):
                pending = part[:-1].rstrip()
                continue
            pending = ""
            found.append(re.sub(r"\s+#.*$", "", part))
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    all_examples = []
    for words, text in helps(binary):
        for e in examples(text):
            all_examples.append((" ".join(["virtlab", *words]), e))
    if len(all_examples) < 20:
        sys.exit(f"help-examples: only {len(all_examples)} examples found; the help format changed?")
    scratch = tempfile.mkdtemp(prefix="virtlab-help-")
    try:
        bindir = os.path.join(scratch, "bin")
        os.makedirs(bindir)
        os.symlink(binary, os.path.join(bindir, "virtlab"))
        given = os.path.join(scratch, "given")
        os.makedirs(os.path.join(given, ".build", "release"))
        os.symlink(binary, os.path.join(given, ".build", "release", "virtlab"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))

        def run(command, cwd):
            return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True)

        def report(where, command, r):
            print(f"help-examples: {where}: `{command}` exited {r.returncode}\n{r.stdout[-2000:]}{r.stderr[-2000:]}", file=sys.stderr)

        for f in FIXTURES:
            r = run(f, given)
            if r.returncode != 0:
                report("fixture", f, r)
                sys.exit("help-examples: a fixture failed")
        failed = 0
        for n, (where, command) in enumerate(all_examples):
            work = os.path.join(scratch, f"example-{n}")
            shutil.copytree(given, work, symlinks=True)
            r = run(command, work)
            if r.returncode != 0:
                failed += 1
                report(where, command, r)
            shutil.rmtree(work, ignore_errors=True)
        if failed:
            sys.exit(f"help-examples: {failed} of {len(all_examples)} examples failed")
        print(f"help-examples: all {len(all_examples)} examples of {len({w for w, _ in all_examples})} commands ran and succeeded")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
