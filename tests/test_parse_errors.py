"""Files that cannot be parsed are a KC001 finding at the failing line, and the run goes
on with the other files. Files Python itself reads fine (a BOM, CRLF, a PEP 263 cookie)
parse fine, with the right line numbers."""
import json
import os

import pytest

from cliutil import KC101_SOURCE, run_cli, write
from kerascheck import check_paths
from kerascheck.config import Settings

KC101_BYTES = KC101_SOURCE.encode()  # KC101 at line 6, column 18


def lint_files(root, files: dict, select=("KC001", "KC101")):
    write(root, files)
    result = check_paths([str(root)], Settings(select=select, root=str(root)), jobs=1)
    assert result.errors == []
    return {
        os.path.basename(f.path): (f.code, f.line, f.column, f.message, f.help) for f in result.findings
    }, result


BROKEN = {
    "python 2 print statement": (
        b"import keras\n\nprint 'training...'\n",
        3, 1, "Missing parentheses in call to 'print'",
    ),
    "python 2 except syntax (libcst accepts it, Python 3 does not)": (
        b"import keras\ntry:\n    pass\nexcept ValueError, e:\n    pass\n",
        4, 8, "multiple exception types must be parenthesized",
    ),
    "merge conflict markers": (
        b"import keras\n\n<<<<<<< HEAD\nunits = 32\n=======\nunits = 64\n>>>>>>> feature\n",
        3, 1, "unresolved merge conflict marker '<<<<<<<'",
    ),
    "invalid utf-8": (
        b"import keras\nname = 'caf\xe9'\n",
        2, 12, "not valid utf-8 (byte 0xe9)",
    ),
    "null byte": (
        b"import keras\nx = 1\x00\n",
        2, 6, "null byte",
    ),
    "unknown encoding cookie": (
        b"# -*- coding: klingon -*-\nimport keras\n",
        1, 1, "unknown encoding: klingon",
    ),
    "BOM contradicting the cookie": (
        b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport keras\n",
        1, 1, "encoding problem",
    ),
    "unterminated triple-quoted string": (
        b'import keras\n\ndoc = """never closed\n\nx = 1\n',
        3, 7, "unterminated triple-quoted string",
    ),
    "bad indentation": (
        b"import keras\n\ndef f():\nreturn 1\n",
        4, 1, "expected an indented block",
    ),
    "unbalanced parenthesis": (
        b"import keras\n\nmodel = keras.Sequential([\n    keras.layers.Dense(4),\n\n",
        3, 26, "was never closed",
    ),
}


@pytest.mark.parametrize("data, line, column, needle", BROKEN.values(), ids=BROKEN.keys())
def test_unparsable_file_is_kc001_and_the_run_goes_on(tmp_path, data, line, column, needle):
    found, result = lint_files(tmp_path, {"broken.py": data, "good.py": KC101_BYTES})
    code, found_line, found_column, message, help = found["broken.py"]
    assert (code, found_line, found_column) == ("KC001", line, column), message
    # a one-line message; the parser's own words are in the help
    assert message == "cannot parse this file: it cannot run, and no rule can check it"
    assert needle in help and help.endswith(" (the other files are still checked)")
    assert "\n" not in help
    # the other file is still checked
    assert found["good.py"][:3] == ("KC101", 6, 18)
    assert result.files_checked == 2


def test_syntax_error_in_a_file_that_never_mentions_keras(tmp_path):
    found, _ = lint_files(tmp_path, {"util.py": b"print 'hello'\n"})
    assert found["util.py"][:2] == ("KC001", 1)


ENCODED_FINE = {
    "BOM": b"\xef\xbb\xbf" + KC101_BYTES,
    "CRLF line endings": KC101_BYTES.replace(b"\n", b"\r\n"),
    "CR line endings": KC101_BYTES.replace(b"\n", b"\r"),
    "BOM and CRLF": b"\xef\xbb\xbf" + KC101_BYTES.replace(b"\n", b"\r\n"),
    "BOM and a utf-8 cookie": b"\xef\xbb\xbf# -*- coding: utf-8 -*-\n" + KC101_BYTES,
    "PEP 263 latin-1 cookie": (
        b"# -*- coding: latin-1 -*-\n# auteur: Ren\xe9\n" + KC101_BYTES
    ),
    "PEP 263 cookie on the second line": (
        b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n" + KC101_BYTES.replace(
            b"import tensorflow as tf\n", b"import tensorflow as tf\nEURO = '\xa4'\n"
        )
    ),
    "non-ASCII utf-8 identifiers and strings": (
        "# -*- coding: utf-8 -*-\n# Schätzung — ünïcödé\n".encode() + KC101_BYTES
    ),
    "tabs for indentation": KC101_BYTES.replace(b"        self.w", b"\t\tself.w").replace(b"    def", b"\tdef"),
}
# line of the KC101 finding in each variant (the KC101 source starts at line 1)
EXPECTED_LINE = {
    "BOM": 6,
    "CRLF line endings": 6,
    "CR line endings": 6,
    "BOM and CRLF": 6,
    "BOM and a utf-8 cookie": 7,
    "PEP 263 latin-1 cookie": 8,
    "PEP 263 cookie on the second line": 9,
    "non-ASCII utf-8 identifiers and strings": 8,
    "tabs for indentation": 6,
}


@pytest.mark.parametrize("name", ENCODED_FINE)
def test_files_python_reads_parse_fine(tmp_path, name):
    found, _ = lint_files(tmp_path, {"model.py": ENCODED_FINE[name]})
    code, line, column, _message, _help = found["model.py"]
    assert code == "KC101"
    assert line == EXPECTED_LINE[name]
    assert column == (12 if name == "tabs for indentation" else 18)


def test_crlf_positions_in_json_output(tmp_path):
    write(tmp_path, {"model.py": KC101_BYTES.replace(b"\n", b"\r\n")})
    run = run_cli(["--output-format", "json"], cwd=tmp_path)
    [finding] = json.loads(run.stdout)
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (6, 18, 6, 34)


def test_crlf_full_output_shows_the_source_line(tmp_path):
    write(tmp_path, {"model.py": b"\xef\xbb\xbf" + KC101_BYTES.replace(b"\n", b"\r\n")})
    run = run_cli([], cwd=tmp_path)
    assert "6 |         self.w = tf.Variable(1.0)\n" in run.stdout
    assert "\r" not in run.stdout
    assert "\ufeff" not in run.stdout


def test_empty_and_bom_only_files(tmp_path):
    found, result = lint_files(tmp_path, {"empty.py": b"", "bom.py": b"\xef\xbb\xbf", "blank.py": b"\n\n"})
    assert found == {}
    assert result.files_checked == 3


def test_deeply_nested_expression_does_not_crash(tmp_path):
    data = b"import keras\nx = " + b"(" * 300 + b"1" + b")" * 300 + b"\n"
    found, _ = lint_files(tmp_path, {"deep.py": data, "good.py": KC101_BYTES})
    assert found["deep.py"][0] == "KC001"
    assert found["good.py"][0] == "KC101"


def test_kc001_can_be_ignored(tmp_path):
    write(tmp_path, {"broken.py": b"import keras\nprint 'x'\n"})
    assert run_cli(["--ignore", "KC001"], cwd=tmp_path).returncode == 0
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck.per-file-ignores]\n"broken.py" = ["KC001"]\n'})
    assert run_cli([], cwd=tmp_path).returncode == 0


def test_cli_reports_kc001_with_exit_1_never_a_traceback(tmp_path):
    write(
        tmp_path,
        {
            "a_py2.py": b"import keras\nprint 'x'\n",
            "b_merge.py": b"import keras\n<<<<<<< HEAD\n=======\n>>>>>>> x\n",
            "c_latin.py": b"import keras\nname = 'caf\xe9'\n",
            "d_good.py": KC101_BYTES,
        },
    )
    run = run_cli(["--output-format", "concise"], cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert [line.split(" ")[:2] for line in run.stdout.splitlines()] == [
        ["a_py2.py:2:1:", "KC001"],
        ["b_merge.py:2:1:", "KC001"],
        ["c_latin.py:2:12:", "KC001"],
        ["d_good.py:6:18:", "KC101"],
    ]
    # full output: no source snippet for an undecodable file, but no crash either
    run = run_cli([], cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "c_latin.py:2:12: KC001" in run.stdout


def test_syntax_newer_than_this_python_is_not_kc001(tmp_path):
    """PEP 695 and PEP 701 syntax parses on Python 3.12+; an older interpreter running
    kerascheck must not call it a syntax error."""
    found, _ = lint_files(
        tmp_path,
        {
            "typed.py": b"import keras\n\ntype Shape = tuple[int, ...]\n\ndef f[T](x: T) -> T:\n    return x\n",
            "fstring.py": b"import keras\nconfig = {'a': 1}\nprint(f\"{config[\"a\"]}\")\n",
        },
    )
    assert found == {}
