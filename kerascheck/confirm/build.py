"""Constructing a flagged class and finding an input it accepts (worker side), and the
context a probe works with.

:class:`Builder` chooses the constructor arguments: the configuration's example, then
literal call sites (see :mod:`kerascheck.confirm.args`), then the defaults, then small
guessed sizes for required parameters named like sizes. :class:`Inputs` finds an input:
the configured shape, token ids for classes holding an `Embedding`, else float tensors
whose width is one of the constructor's integer arguments (a `Linear(units,
input_dim)` gets `input_dim` columns) or 8.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Optional

from kerascheck.confirm.args import UnresolvedValue, decode


class JobTimeout(BaseException):
    """The class's time limit ran out (a BaseException: user `except Exception` cannot
    swallow it)."""


# ---- constructing the class -----------------------------------------------------------------------
_INT_LIKE = re.compile(
    r"(^|_)(units|dim|dims|size|depth|filters|heads|classes|channels|features|vocab|items|users|"
    r"tokens|len|length|maxlen|width|height|hidden|latent|outputs?|labels|experts|kernel|window)($|_)"
    r"|^(n|num)_|^n[a-z]+$"
)


_RATE_LIKE = re.compile(r"(^|_)(rate|dropout|drop|prob|probability|alpha|epsilon|eps)($|_)")


def guess_for(name: str):
    """A small value for a required parameter whose name says it is a size or a rate."""
    if _RATE_LIKE.search(name):
        return 0.1
    if name.endswith("ratio"):
        return 2
    if not _INT_LIKE.search(name):
        return None
    return 2 if "head" in name else 3 if "kernel" in name or "window" in name else 8


@dataclass
class Candidate:
    label: str
    args: list
    kwargs: dict


class Builder:
    """Chooses the constructor arguments (configuration, call sites, defaults, guessed
    sizes) and builds fresh instances with them."""

    def __init__(self, cls, spec: dict):
        self.cls = cls
        try:
            self.signature = inspect.signature(cls)
        except (TypeError, ValueError):
            self.signature = None
        self.chosen: Optional[Candidate] = None
        self.error: Optional[BaseException] = None  # what constructing raised
        self.reason = ""  # why no candidate could even be tried
        self.candidates = self._candidates(spec)

    @property
    def accepts_kwargs(self) -> bool:
        return self.signature is None or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in self.signature.parameters.values()
        )

    def _candidates(self, spec: dict) -> list:
        found, problems = [], []
        sources = ([spec["config"]] if spec.get("config") else []) + list(spec.get("sites", []))
        for source in sources:
            bound = self._bind(decode(source.get("args", [])), decode(source.get("kwargs", {})))
            if isinstance(bound, str):
                problems.append(f"{bound} at {source['where']}")
            else:
                found.append(Candidate(source["where"], *bound))
        defaults = self._bind([], {})
        if not isinstance(defaults, str):
            found.append(Candidate("defaults", *defaults))
        elif not found:
            missing = self._required()
            guesses = {name: guess_for(name) for name in missing}
            if missing and all(value is not None for value in guesses.values()):
                found.append(Candidate("guessed " + ", ".join(f"{k}={v}" for k, v in guesses.items()), [], guesses))
            else:
                where = "; ".join(problems[:2]) or "no call site with literal arguments"
                self.reason = (
                    f"needs constructor arguments ({', '.join(missing)}): {where}; give an example under "
                    f"[tool.kerascheck.confirm.\"{self.cls.__module__}.{self.cls.__name__}\"]"
                )
        return found

    def _required(self) -> list:
        if self.signature is None:
            return []
        return [
            p.name for p in self.signature.parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]

    def _bind(self, args: list, kwargs: dict):
        """(args, kwargs) ready to call, without the unresolved arguments that have a
        default; or a string saying what is missing."""
        if self.signature is None:
            if any(isinstance(v, UnresolvedValue) for v in [*args, *kwargs.values()]):
                return "an argument is not a literal"
            return list(args), dict(kwargs)
        parameters = self.signature.parameters
        positional = [p for p in parameters.values()
                      if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        values: dict = {}
        extra = []
        for number, value in enumerate(args):
            if number < len(positional):
                values[positional[number].name] = value
            else:
                extra.append(value)
        values.update(kwargs)
        for name, value in list(values.items()):
            if isinstance(value, UnresolvedValue):
                parameter = parameters.get(name)
                if parameter is not None and parameter.default is not inspect.Parameter.empty:
                    del values[name]
                else:
                    return f"'{name}' is `{value.text}`, not a literal"
        if any(isinstance(v, UnresolvedValue) for v in extra):
            return "a positional argument is not a literal"
        missing = [name for name in self._required() if name not in values]
        if missing:
            return f"missing {', '.join(missing)}"
        out_args = [values.pop(p.name) for p in positional if p.kind is inspect.Parameter.POSITIONAL_ONLY and p.name in values]
        if extra:
            out_args = [values.pop(p.name) for p in positional if p.name in values] + extra
        return out_args, values

    def choose(self) -> None:
        for candidate in self.candidates:
            try:
                self.cls(*candidate.args, **candidate.kwargs)
            except (JobTimeout, SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:  # noqa: BLE001 - user code
                if self.error is None:
                    self.error = exc
                continue
            self.chosen = candidate
            self.error = None
            return
        if self.candidates and self.chosen is None:
            self.chosen = self.candidates[0]  # probes may want its error (KC301, KC302)

    def build(self, **overrides):
        from kerascheck.confirm.probes.base import CannotConstruct, short

        if self.chosen is None:
            raise CannotConstruct(self.reason or "no way to construct the class")
        try:
            return self.cls(*self.chosen.args, **{**self.chosen.kwargs, **overrides})
        except (JobTimeout, SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001
            raise CannotConstruct(f"cannot construct ({self.chosen.label}): {short(exc)}", exc) from None

    def arguments(self) -> dict:
        """Every constructor argument's value (given or default)."""
        if self.chosen is None or self.signature is None:
            return dict(self.chosen.kwargs) if self.chosen else {}
        try:
            bound = self.signature.bind_partial(*self.chosen.args, **self.chosen.kwargs)
        except TypeError:
            return dict(self.chosen.kwargs)
        bound.apply_defaults()
        return {k: v for k, v in bound.arguments.items()
                if self.signature.parameters[k].kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)}

    def explicit(self) -> dict:
        if self.chosen is None or self.chosen.label in ("defaults",):
            return {}
        if self.signature is None:
            return dict(self.chosen.kwargs)
        try:
            return dict(self.signature.bind_partial(*self.chosen.args, **self.chosen.kwargs).arguments)
        except TypeError:
            return dict(self.chosen.kwargs)


# ---- inputs -------------------------------------------------------------------------------------------
class Positional(tuple):
    """Several tensors passed as separate positional arguments: layer(a, b, c)."""


@dataclass
class InputSpec:
    kind: str  # "float" or "tokens"
    shape: tuple  # without the batch dimension
    dtype: str
    vocab: int = 8
    structure: str = "single"  # single, args, list, dict
    count: int = 1
    keys: tuple = ()

    def describe(self) -> str:
        what = f"{self.kind} {self.shape}"
        if self.structure == "dict":
            return f"{{{', '.join(self.keys)}: {what}}}"
        if self.structure != "single":
            return f"{self.count} x {what}"
        return what


class Inputs:
    """Finds an input the class accepts: the configured shape, else token ids for layers
    with an Embedding, else float tensors of a few ranks whose width is one of the
    constructor's integer arguments (the input width of a `Linear(units, input_dim)`)
    or 8."""

    MAX_TRIES = 14

    def __init__(self, builder: Builder, cls, config: Optional[dict], hints: dict):
        self.builder = builder
        self.cls = cls
        self.config = config
        self.hints = hints
        self.spec: Optional[InputSpec] = None
        self.failure = None

    def _structure(self) -> tuple:
        if self.hints.get("keys"):
            return "dict", 1, tuple(self.hints["keys"])
        if self.hints.get("arity"):
            return "list", int(self.hints["arity"]), ()
        own = _own_attributes(self.cls)
        call = self.cls.__call__ if "__call__" in own and "call" not in own else getattr(self.cls, "call", None)
        try:
            parameters = list(inspect.signature(call).parameters.values())[1:]
        except (TypeError, ValueError):
            return "single", 1, ()
        required = [p for p in parameters
                    if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
                    and p.name not in ("training", "mask")]
        return ("args", len(required), ()) if len(required) > 1 else ("single", 1, ())

    def candidates(self) -> list:
        from kerascheck.confirm.probes.base import kind_of, sublayers

        structure, count, keys = self._structure()
        make = lambda kind, shape, dtype, vocab=8: InputSpec(kind, tuple(shape), dtype, vocab, structure, count, keys)  # noqa: E731
        if self.config and self.config.get("input_shape"):
            dtype = self.config.get("dtype") or "float32"
            kind = "tokens" if "int" in dtype else "float"
            return [make(kind, self.config["input_shape"], dtype, 8)]
        found = []
        try:
            sample = self.builder.build()
            embeddings = [layer for layer in sublayers(sample) if kind_of(layer, ("Embedding",))]
        except Exception:  # noqa: BLE001
            embeddings = []
        if embeddings:
            vocab = min(int(getattr(e, "input_dim", 8) or 8) for e in embeddings)
            found.append(make("tokens", (6,), "int32", max(2, min(vocab, 1000))))
        widths = []
        for value in self.builder.arguments().values():
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1024 and value not in widths:
                widths.append(value)
        widths = widths[:3] + [w for w in (8,) if w not in widths[:3]]
        for width in widths:
            found.append(make("float", (width,), "float32"))
        for width in widths:
            found.append(make("float", (6, width), "float32"))
        for width in [*widths[:2], 3]:
            found.append(make("float", (8, 8, width), "float32"))
        if not embeddings:
            found.append(make("tokens", (6,), "int32", 8))
        unique = []
        for spec in found:
            if spec not in unique:
                unique.append(spec)
        return unique[: self.MAX_TRIES]

    def find(self) -> InputSpec:
        from kerascheck.confirm.probes.base import CannotConstruct, NoInput

        if self.builder.error is not None or self.builder.chosen is None:
            self.builder.build()  # raises CannotConstruct, saying why
        if self.spec is not None:
            return self.spec
        if self.failure is not None:
            raise self.failure
        errors = []
        candidates = self.candidates()
        for spec in candidates:
            try:
                layer = self.builder.build()
                call(layer, sample(spec))
            except (JobTimeout, SystemExit, KeyboardInterrupt, CannotConstruct):
                raise
            except BaseException as exc:  # noqa: BLE001 - user code
                errors.append((spec, exc))
                continue
            self.spec = spec
            return spec
        tried = ", ".join(s.describe() for s in candidates[:4]) + (", ..." if len(candidates) > 4 else "")
        self.failure = NoInput(
            f"found no input the class accepts (tried {tried}); give one as input-shape under "
            f"[tool.kerascheck.confirm.\"{self.cls.__module__}.{self.cls.__name__}\"]",
            errors,
        )
        raise self.failure


def sample(spec: InputSpec, batch: int = 4, width: Optional[int] = None, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    shape = (batch, *spec.shape)
    if width is not None and spec.shape:
        shape = (*shape[:-1], width)
    if spec.kind == "tokens":
        x = rng.integers(1, max(spec.vocab, 2), size=shape).astype(spec.dtype)
    else:
        x = rng.normal(size=shape).astype(spec.dtype)
    if spec.structure == "dict":
        return {key: x for key in spec.keys}
    if spec.structure == "list":
        return [x] * spec.count
    if spec.structure == "args":
        return Positional([x] * spec.count)
    return x


def call(layer, x, **kwargs):
    if "__call__" in _own_attributes(type(layer)) and kwargs:
        try:
            accepted = inspect.signature(layer.__call__).parameters
            if not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
                kwargs = {k: v for k, v in kwargs.items() if k in accepted}
        except (TypeError, ValueError):
            pass
    if isinstance(x, Positional):
        return layer(*x, **kwargs)
    return layer(x, **kwargs)


def _own_attributes(cls) -> set:
    """Attributes defined by the user's classes in the MRO (not by Keras)."""
    names = set()
    for klass in cls.__mro__:
        module = klass.__module__ or ""
        if module.split(".")[0] in ("keras", "tf_keras", "tensorflow", "builtins"):
            break
        names.update(vars(klass))
    return names


# ---- the probe context ------------------------------------------------------------------------------
class Context:
    def __init__(self, job: "Job", item: dict):
        self.job = job
        self.code = item["code"]
        self.hint = decode(item.get("hint", {}))
        self.keras = job.keras
        self.version = job.keras_version
        self.backend = job.backend

    @property
    def construct_error(self) -> Optional[BaseException]:
        return self.job.builder.error

    @property
    def accepts_kwargs(self) -> bool:
        return self.job.builder.accepts_kwargs

    def build(self, **overrides):
        return self.job.builder.build(**overrides)

    def arguments(self) -> dict:
        return self.job.builder.arguments()

    def explicit_arguments(self) -> dict:
        return self.job.builder.explicit()

    def input_spec(self) -> InputSpec:
        return self.job.inputs.find()

    def sample(self, batch: int = 4, width: Optional[int] = None):
        return sample(self.input_spec(), batch=batch, width=width)

    def call(self, layer, x=None, **kwargs):
        return call(layer, self.sample() if x is None else x, **kwargs)
