"""Jupyter notebooks as a source: the code cells of a `.ipynb` joined into one module.

The rest of kerascheck never sees a notebook. This adapter turns one into plain Python
text plus a :class:`CellMap` that takes a line of that text back to (cell, line in
cell). IPython syntax is replaced line for line, so no line moves:

- a line magic, shell escape or help request (`%timeit f()`, `!pip install keras`,
  `?obj`, `obj?`, `files = !ls`) at the start of a *logical* line becomes `pass`
  (or `files = None`), keeping its indentation so a magic inside a block stays valid;
  its backslash-continued lines become blank. A `%` that continues an expression
  (`"%d" \\` then `% n`, or inside brackets) is Python and stays;
- `from __future__ import ...` becomes `pass`: valid atop any cell, it would be an
  error in the middle of the joined module;
- a cell magic whose body is Python (`%%time`, `%%capture`, ...) loses only its first
  line; any other cell magic (`%%bash`, `%%writefile`, `%%html`) blanks the whole cell;
- a cell whose first non-blank line is indented is dedented as IPython 8's `leading_indent`
  does (that line's leading spaces and tabs come off every line that starts with them;
  IPython 9 removes only what every line shares, which is the same on every cell it can
  run, and raises IndentationError on the others);
  :class:`CellMap` adds them back to the columns of findings in that cell;
- a cell of one line that is a bare line magic (`ls data/`, `cd ..`, `pip install x`) is
  run by IPython as that magic (automagic, on by default) and becomes `pass`. IPython's
  rule (`InteractiveShell.transform_cell` then `prefilter.AutoMagicChecker`): the cell is
  a single line once its leading blank lines are dropped; its first word is a line magic;
  the rest of the line does not start with `=` or `,`; and the word is not shadowed by a
  keyword, a builtin or a name the user bound (here: a name the notebook binds at the top
  level of any cell). In a cell of several lines a bare `ls` is a syntax error in Jupyter
  too, and stays one here.

A code cell that still is not Python (a syntax error, a magic no IPython knows, a bare
magic in a cell of several lines: Jupyter fails on it too) is left out of the module: its
lines become blank, so the other cells keep their lines, and :attr:`CellMap.unparsed` says
why it could not be read, in its own lines and columns (one KC001 for that cell). The
module is then the good cells in order, so what a later cell takes from an earlier one
(imports, classes) is still there.

Which words are line magics: :data:`LINE_MAGICS`, the list kept here, and, when IPython
is installed, the line magics its own Magics classes (and ipykernel's) declare. The list
covers IPython 8 and 9 (a notebook may have been run on either); the installed IPython
adds a magic newer than the list.

Cells are numbered from 1 counting every cell, markdown included, as they appear in
the notebook. A notebook whose kernel is not Python contributes no code.
"""
from __future__ import annotations

import ast
import bisect
import builtins
import functools
import json
import keyword
import re
from dataclasses import dataclass, replace
from typing import Optional, Union

from kerascheck.finding import Edit, Finding
from kerascheck.sources import SourceProblem, maybe_newer_syntax, parse_ast

SUFFIX = ".ipynb"

# Cell magics whose body IPython runs as Python in this kernel.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "tensorboard", "tf_function"}
)

# Line magics IPython 9 added (8.x has none of them): a notebook may have been run on either.
IPYTHON_9_MAGICS = frozenset({"code_wrap", "mamba", "micromamba", "uv"})
# The line magics ipykernel's KernelMagics adds in a Jupyter kernel (a plain IPython shell
# does not have them).
KERNEL_MAGICS = frozenset({"autosave", "clear", "connect_info", "less", "man", "more", "qtconsole"})
# The line magics a Jupyter IPython kernel knows at start (IPython 8 and 9: InteractiveShell's
# magics, the POSIX shell aliases of IPython.core.alias.default_aliases, and ipykernel's
# KernelMagics with the `ed` alias). With automagic on, a one-line cell `ls data/` runs
# `%ls data/`. Magics an extension adds later (`%load_ext`) are not in it. This is the one
# list; installed_line_magics() only adds to it.
LINE_MAGICS = IPYTHON_9_MAGICS | KERNEL_MAGICS | frozenset({
    "alias", "alias_magic", "autoawait", "autocall", "automagic", "bookmark", "cat", "cd",
    "colors", "conda", "config", "cp", "debug", "dhist", "dirs", "doctest_mode", "ed",
    "edit", "env", "gui", "hist", "history", "killbgscripts", "ldir", "lf", "lk", "ll",
    "load", "load_ext", "loadpy", "logoff", "logon", "logstart", "logstate", "logstop",
    "ls", "lsmagic", "lx", "macro", "magic", "matplotlib", "mkdir", "mv", "notebook",
    "page", "pastebin", "pdb", "pdef", "pdoc", "pfile", "pinfo", "pinfo2", "pip", "popd",
    "pprint", "precision", "prun", "psearch", "psource", "pushd", "pwd", "pycat", "pylab",
    "quickref", "recall", "rehashx", "reload_ext", "rep", "rerun", "reset",
    "reset_selective", "rm", "rmdir", "run", "save", "sc", "set_env", "sx", "system", "tb",
    "time", "timeit", "unalias", "unload_ext", "who", "who_ls", "whos", "xdel", "xmode",
})

_ESCAPES = ("%", "!", "?")
# IPython.core.splitinput.line_split: indentation, escape, the first word ("ifun"), the rest.
_LINE_SPLIT = re.compile(r"^(\s*)([,;/%]|!!?|\?\??)?\s*(%{0,2}[\w.*]*)(.*?$|$)")
# IPython.core.inputtransformer2._indent_re (leading_indent)
_INDENT = re.compile(r"^[ \t]+")
# `files = !ls`, `out = %sx ls`, `a, b = %time f()`: never Python (no unary % or !).
_ASSIGNED_MAGIC = re.compile(r"^(\s*)([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=\s*[!%]")
# `keras.layers.Dense?` / `obj??`: a trailing `?` is never Python.
_TRAILING_HELP = re.compile(r"^(\s*)[A-Za-z_*][\w.*]*(?:\(\))?\?{1,2}\s*$")
# IPython compiles each cell alone, so a future import may open any cell; in the joined
# module it would be an error anywhere but the top. It changes nothing a rule looks at.
_FUTURE_IMPORT = re.compile(r"^from\s+__future__\s+import\s+[\w\s,]+(#.*)?$")


def is_notebook(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


@dataclass(frozen=True)
class CellMap:
    """Where each code cell starts in the joined text (1-based lines), and how far the
    lines of a dedented cell moved left."""

    starts: tuple[int, ...]  # first joined line of each code cell that has lines
    cells: tuple[int, ...]  # its cell number
    sizes: tuple[int, ...]  # its number of lines
    # per cell: what the dedent took off the start of each of its lines, () if nothing
    removed: tuple[tuple[str, ...], ...] = ()
    # (cell number, why it is not Python, at its line and column as written) for each code
    # cell left out of the text (its lines are blank there)
    unparsed: tuple[tuple[int, SourceProblem], ...] = ()

    def _index(self, line: int) -> tuple[int, int]:
        """(index of the cell, 0-based line in it, clamped) of a line of the joined text."""
        index = max(bisect.bisect_right(self.starts, line) - 1, 0)
        offset = line - self.starts[index]
        return index, min(max(offset, 0), max(self.sizes[index] - 1, 0))

    def locate(self, line: int) -> tuple[int, int]:
        """(cell number, line in the cell) of a 1-based line of the joined text."""
        if not self.starts:
            return 1, max(line, 1)
        index, offset = self._index(line)
        return self.cells[index], offset + 1

    def shift(self, line: int) -> int:
        """How many columns a line of the joined text lost to its cell's dedent."""
        if not self.starts or not self.removed:
            return 0
        index, offset = self._index(line)
        taken = self.removed[index]
        return len(taken[offset]) if offset < len(taken) else 0

    def column(self, line: int, column: int) -> int:
        """A column of a line of the joined text as a column of the cell's own line
        (0, "no column", stays 0)."""
        return column + self.shift(line) if column else column

    def relocate(self, finding: Finding) -> Finding:
        """The finding with its position in cell coordinates."""
        cell, line = self.locate(finding.line)
        column = self.column(finding.line, finding.column)
        end = finding.end_line or finding.line
        end_cell, end_line = self.locate(end)
        end_column = self.column(end, finding.end_column)
        if end_cell != cell:  # a node spanning cells: mark its start only
            end_line, end_column = line, column
        return replace(finding, cell=cell, line=line, column=column, end_line=end_line, end_column=end_column)

    def relocate_edit(self, edit: Edit) -> Optional[Edit]:
        """A fix's edit of the joined text in cell coordinates, or None when it cannot be
        said there (it spans two cells). In a dedented cell the columns move right and
        each new line of the content gets the cell's indentation back."""
        cell, line = self.locate(edit.line)
        end_cell, end_line = self.locate(edit.end_line)
        if end_cell != cell:
            return None
        content = edit.content
        indent = self._indent(edit.line)
        if indent and "\n" in content:
            head, *rest = content.split("\n")
            content = "\n".join([head, *(indent + part if part else part for part in rest)])
        return Edit(line, self.column(edit.line, edit.column), end_line,
                    self.column(edit.end_line, edit.end_column), content, cell)

    def _indent(self, line: int) -> str:
        """The indentation the dedent took off the lines of this line's cell."""
        if not self.starts or not self.removed:
            return ""
        return max(self.removed[self._index(line)[0]], key=len, default="")


@dataclass(frozen=True)
class Notebook:
    text: str  # the code cells as one Python module
    cells: CellMap
    sources: dict  # cell number -> the cell's original lines (for showing them)
    bound: frozenset = frozenset()  # the names the notebook binds: they shadow magics

    def python(self, cell: int) -> tuple[list[str], list[str]]:
        """A code cell's lines as the joined text has them, and what the dedent took off
        the start of each: a line is Python as written iff `removed + python == source`."""
        return _neutralise(list(self.sources[cell]), self.bound)


def load(data: Union[bytes, str]) -> Union[Notebook, SourceProblem]:
    """The notebook as Python, or why it cannot be read (a KC001 finding)."""
    code = code_cells(data)
    if isinstance(code, SourceProblem):
        return code
    # A one-line cell `ls data/` runs `%ls data/` unless the user bound `ls`: the names
    # the notebook binds are only read when some cell could be such a line.
    bound: frozenset = frozenset()
    if any(might_be_automagic(lines) for _, lines in code):
        bound = frozenset().union(*(
            bound_names("\n".join(neutralise(lines)) + "\n") for _, lines in code
        ))
    starts, numbers, sizes, removed, parts, sources, unparsed = [], [], [], [], [], {}, []
    next_line = 1
    for number, lines in code:
        python, taken = _neutralise(lines, bound)
        problem = _cell_problem(python, taken)
        if problem is not None:
            unparsed.append((number, problem))
            python = [""] * len(python)
        sources[number] = lines
        starts.append(next_line)
        numbers.append(number)
        sizes.append(len(lines))
        removed.append(tuple(taken) if any(taken) else ())
        parts.append("\n".join(python) + "\n")
        next_line += len(lines)
    cell_map = CellMap(
        tuple(starts), tuple(numbers), tuple(sizes), tuple(removed) if any(removed) else (), tuple(unparsed)
    )
    return Notebook("".join(parts), cell_map, sources, bound)


def _cell_problem(python: list[str], removed: list[str]) -> Optional[SourceProblem]:
    """Why a cell's Python (IPython syntax already replaced) cannot be parsed, at its line
    and column in the cell as written; None when it parses. Each cell is read alone, as
    IPython compiles it: a bracket one cell opens and the next closes fails in both."""
    text = "\n".join(python) + "\n"
    problem = parse_ast(text, "<cell>", top_level_await=True)
    if not isinstance(problem, SourceProblem):
        return None
    if maybe_newer_syntax(problem) and _libcst_parses(text):
        return None  # newer Python than this one: linted as for a .py file (see the engine)
    line = min(max(problem.line, 1), max(len(python), 1))
    shift = len(removed[line - 1]) if line <= len(removed) else 0
    return SourceProblem(problem.message, line, problem.column + shift)


def _libcst_parses(text: str) -> bool:
    import libcst as cst

    from kerascheck.cstwalk import deep_stack

    try:
        deep_stack.call(cst.parse_module, text)
    except (cst.ParserSyntaxError, RecursionError):
        return False
    return True


def code_cells(data: Union[bytes, str]) -> Union[list[tuple[int, list[str]]], SourceProblem]:
    """(cell number, its lines as written) of each code cell that has lines, or why the
    notebook cannot be read; none for a notebook whose kernel is not Python. What a
    report shows of a cell: nothing here is parsed."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return SourceProblem(f"notebook is not valid UTF-8 (byte 0x{data[error.start]:02x})")
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        return SourceProblem(f"notebook is not valid JSON: {error.msg}", error.lineno, error.colno)
    except RecursionError:
        return SourceProblem("notebook JSON is too deeply nested")
    cells = _raw_cells(document)
    if isinstance(cells, SourceProblem):
        return cells
    if not _is_python(document):
        return []
    code = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            return SourceProblem(f"not a valid notebook: cell {number} is not an object")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list) and all(isinstance(piece, str) for piece in source):
            source = "".join(source)
        if not isinstance(source, str):
            return SourceProblem(f"not a valid notebook: the source of cell {number} is not text")
        lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if lines:
            code.append((number, lines))
    return code


def _raw_cells(document) -> Union[list, SourceProblem]:
    if not isinstance(document, dict):
        return SourceProblem("not a valid notebook: the top level is not a JSON object")
    if isinstance(document.get("cells"), list):  # nbformat 4
        return document["cells"]
    worksheets = document.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list) and all(
        isinstance(sheet, dict) and isinstance(sheet.get("cells"), list) for sheet in worksheets
    ):
        return [cell for sheet in worksheets for cell in sheet["cells"]]
    return SourceProblem("not a valid notebook: it has no list of cells")


def _is_python(document: dict) -> bool:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return True
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return section[field].strip().lower() in ("python", "python3", "ipython", "")
    return True


# ---- IPython syntax -----------------------------------------------------------------------
def neutralise(lines: list[str], bound: frozenset = frozenset()) -> list[str]:
    """The lines of one cell with IPython syntax replaced, line for line. `bound`: the
    names the notebook binds; such a name shadows the line magic it spells."""
    return _neutralise(lines, bound)[0]


def _neutralise(lines: list[str], bound: frozenset) -> tuple[list[str], list[str]]:
    """The Python lines of a cell, and what the dedent took off the start of each."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return list(lines), [""] * len(lines)
    lines, removed = _leading_indent(lines, first)
    if lines[first].startswith("%%"):
        name = lines[first][2:].split(maxsplit=1)
        if not name or name[0] not in PYTHON_CELL_MAGICS:
            return [""] * len(lines), [""] * len(lines)
        # IPython hands the body to transform_cell (or run_cell) as a cell of its own:
        # it is dedented, and read for automagic, by itself.
        body, taken = _neutralise(lines[first + 1:], bound)
        removed[first + 1:] = [outer + inner for outer, inner in zip(removed[first + 1:], taken)]
        return [*lines[:first], "", *body], removed
    single = first == len(lines) - 1  # IPython's prefilter reads only one-line cells
    if single and _magic_replacement(lines[first]) is None and _is_automagic(lines[first], bound):
        return [*lines[:first], "pass"], removed
    out = []
    scanner = _LogicalLines()
    continued_magic = False
    for line in lines:
        if continued_magic:
            out.append("")
            continued_magic = line.endswith("\\")
            continue
        if scanner.at_start():
            replacement = _magic_replacement(line)
            if replacement is not None:
                out.append(replacement)
                continued_magic = line.endswith("\\")
                continue
        scanner.feed(line)
        out.append(line)
    return out, removed


def _leading_indent(lines: list[str], first: int) -> tuple[list[str], list[str]]:
    """IPython's `leading_indent` (after `leading_empty_lines` dropped the blank lines
    above `first`): the spaces and tabs opening line `first` come off every line that
    starts with them; the others stay as they are."""
    match = _INDENT.match(lines[first])
    if not match:
        return list(lines), [""] * len(lines)
    space = match.group(0)
    removed = [""] * first + [space if line.startswith(space) else "" for line in lines[first:]]
    return [line[len(taken):] for line, taken in zip(lines, removed)], removed


def _is_automagic(line: str, bound: frozenset) -> bool:
    """Whether IPython runs this line, the whole of its cell, as a line magic although it
    has no `%`: prefilter's AssignmentChecker then AutoMagicChecker (automagic is on)."""
    _indent, escape, word, rest = _LINE_SPLIT.match(line).groups()
    if escape:
        return False  # `%`, `!`, `?` and the autocall escapes are read elsewhere
    word, rest = word.strip(), rest.lstrip()
    if rest and rest[0] in "=,":  # `ls = 3`, `cd, x = f()`: Python
        return False
    if not _is_line_magic(word, line):
        return False
    # prefilter.is_shadowed: the user's names, the builtins and the keywords win.
    return word not in bound and not hasattr(builtins, word) and not keyword.iskeyword(word)


def _is_line_magic(word: str, line: str) -> bool:
    """Whether `word` names a line magic: one of :data:`LINE_MAGICS`, or of the installed
    IPython's. IPython is only asked about a line that is not Python as it stands, so a
    notebook of ordinary cells never imports it."""
    if word in LINE_MAGICS:
        return True
    if not word.isidentifier() or not isinstance(parse_ast(line.strip() + "\n", "<line>"), SourceProblem):
        return False
    return word in installed_line_magics()


@functools.lru_cache(maxsize=None)
def installed_line_magics() -> frozenset:
    """The line magics that the installed IPython's Magics classes declare, with the
    shell's default aliases (`ls`, `cat`, ...) and ipykernel's KernelMagics when it is
    installed too; empty without IPython. Read from the classes: a shell is never made."""
    names: set[str] = set()
    try:
        from IPython.core import alias, magics
    except Exception:  # not installed, or broken: the list alone decides
        return frozenset()
    classes = [value for value in vars(magics).values() if isinstance(value, type)]
    try:
        from ipykernel.zmqshell import KernelMagics
    except Exception:
        pass
    else:
        classes.append(KernelMagics)
    for cls in classes:
        declared = getattr(cls, "magics", None)
        if isinstance(declared, dict):
            names.update(declared.get("line", ()))
    names.update(name for name, _command in alias.default_aliases())
    return frozenset(names)


def might_be_automagic(lines: list[str]) -> bool:
    """Cheap test: could this cell be a bare line magic (so its notebook's names matter)?"""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return False
    head = lines[first].lstrip(" \t")
    if head.startswith("%%"):
        return might_be_automagic(lines[first + 1:])
    return first == len(lines) - 1 and _is_automagic(head, frozenset())


def bound_names(text: str) -> set[str]:
    """The names a cell's Python binds in the user namespace: top-level assignments,
    imports, definitions, loop and `with` targets, at any depth but not inside a function,
    class, lambda or comprehension. Empty for a cell that does not parse."""
    tree = parse_ast(text, "<cell>", top_level_await=True)
    if isinstance(tree, SourceProblem):
        return set()
    names: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias) and node.name != "*":
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _magic_replacement(line: str) -> Optional[str]:
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(_ESCAPES):
        return indent + "pass"
    assigned = _ASSIGNED_MAGIC.match(line)
    if assigned:
        return f"{assigned.group(1)}{assigned.group(2)} = None"
    if _TRAILING_HELP.match(line) or _FUTURE_IMPORT.match(line):
        return indent + "pass"
    return None


class _LogicalLines:
    """Just enough of Python's tokenizer to know whether the next physical line starts
    a logical line: open brackets, open triple-quoted strings, backslash continuations."""

    def __init__(self):
        self.depth = 0
        self.string: Optional[str] = None  # the delimiter of an open multi-line string
        self.continued = False

    def at_start(self) -> bool:
        return self.depth == 0 and self.string is None and not self.continued

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        self.continued = False
        while i < n:
            if self.string is not None:
                i = self._close_string(line, i)
                continue
            char = line[i]
            if char == "#":
                return
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char in "\"'":
                triple = line[i:i + 3] == char * 3
                self.string = char * 3 if triple else char
                i += 3 if triple else 1
                continue
            elif char == "\\" and i == n - 1:
                self.continued = True
            i += 1
        if self.string is not None and len(self.string) == 1 and not line.endswith("\\"):
            self.string = None  # unterminated: a syntax error Python will report

    def _close_string(self, line: str, i: int) -> int:
        delimiter = self.string
        n = len(line)
        while i < n:
            if line[i] == "\\":
                i += 2
                continue
            if line.startswith(delimiter, i):
                self.string = None
                return i + len(delimiter)
            i += 1
        return n
