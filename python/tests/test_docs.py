"""docs/analysis.md is executed: its commands make the traces, each SQL block runs through
`virtlab query`, and its Python blocks run as a doctest (the output shown is the output)."""

import doctest
import os
import re
import shlex
import subprocess

import pytest

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "analysis.md")


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory, binary):
    folder = tmp_path_factory.mktemp("walkthrough")
    text = open(DOC, encoding="utf-8").read()
    shell = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    for line in shell.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "virtlab":
            subprocess.run([binary, *words[1:], "--quiet"], cwd=folder, check=True)
    return folder, text


def test_every_query_runs(walkthrough, binary):
    folder, text = walkthrough
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    assert len(blocks) >= 12
    for block in blocks:
        first, sql = block.split("\n", 1)
        assert first.startswith("-- traces: "), block
        traces = first[len("-- traces: "):].split()
        done = subprocess.run([binary, "query", *traces, sql.strip().rstrip(";"), "--format", "csv", "--no-cache"],
                              cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) >= 2, f"no rows: {sql}"


def test_the_walkthrough_output_is_what_it_shows(walkthrough, binary, monkeypatch):
    folder, text = walkthrough
    monkeypatch.chdir(folder)
    monkeypatch.setenv("VIRTLAB", binary)
    # Code fences end an example's expected output (a blank line does in plain doctest).
    text = re.sub(r"^```.*$", "", text, flags=re.M)
    test = doctest.DocTestParser().get_doctest(text, {}, "docs/analysis.md", DOC, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10
    assert result.failed == 0
