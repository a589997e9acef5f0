"""The confirmation worker: `python -m kerascheck.confirm.worker CMD_FD RESULT_FD`.

One process per run (restarted only when a class kills it). It imports Keras once,
then reads one JSON job per line on CMD_FD (a class to build, the findings to probe)
and writes one JSON result per line on RESULT_FD (a `probe` message instead runs one
KC5xx introspection probe of :mod:`kerascheck.confirm.probes.migration`: no user code, only
the installed Keras). Its stdout and stderr are a log
file the runner owns, so the user's prints and TensorFlow's logs never reach
kerascheck's output (the runner shows them with `-v`).

Per job it installs an import hook that serves the modules of the user's tree as
:mod:`kerascheck.confirm.isolation` extracts them (never a script's top level), imports
the class's module through it, constructs the class and finds an input it accepts
(:mod:`kerascheck.confirm.build`), and runs the probe of each finding. A soft time limit
(SIGALRM) ends a class that loops in Python; the runner kills the process for
anything harder. Before it imports Keras it makes itself hermetic
(:mod:`kerascheck.confirm.hermetic`): a private HOME and KERAS_HOME inside its temporary
directory, and no network; a class that reaches for a download is reported `skipped`,
`would download from HOST`.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import signal
import sys
import time
import tokenize
from typing import Optional

from kerascheck.confirm import hermetic, isolation
from kerascheck.confirm.build import Builder, Context, Inputs, JobTimeout


# ---- the import hook ------------------------------------------------------------------------------
class TreeFinder(importlib.abc.MetaPathFinder):
    """Serves the user's in-tree modules, extracted (see isolation); defers everything
    else (TensorFlow, Keras, numpy, the standard library) to the normal import system."""

    def __init__(self, job: dict, mode: str):
        self.roots = job["roots"]
        self.needs = job["needs"]
        self.sources = job.get("sources", {})
        self.aliases = job.get("aliases", {})  # a notebook: module name -> its path
        self.target = (job["path"], job["class"], job["line"])
        self.mode = mode
        self.loaded: set[str] = set()

    def find_spec(self, fullname, path=None, target=None):
        if path is None:
            if "." in fullname or fullname in isolation.PROTECTED:
                return None
            if fullname in self.aliases:
                located = isolation.Located(self.aliases[fullname], ())
            else:
                located = isolation.find_in(fullname, self.roots)
        else:
            if fullname.rpartition(".")[0] not in self.loaded:
                return None
            located = isolation.find_in(fullname.rpartition(".")[2], list(path))
        if located is None:
            return None
        self.loaded.add(fullname)
        if located.file is None:  # a namespace package
            spec = importlib.machinery.ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = list(located.dirs)
            return spec
        return importlib.util.spec_from_file_location(
            fullname, located.file, loader=TreeLoader(self, located.file),
            submodule_search_locations=list(located.dirs) if located.is_package else None,
        )

    def purge(self) -> None:
        for name in self.loaded:
            sys.modules.pop(name, None)
        if self in sys.meta_path:
            sys.meta_path.remove(self)


class TreeLoader(importlib.abc.Loader):
    def __init__(self, finder: TreeFinder, path: str):
        self.finder = finder
        self.path = path

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        path = self.path
        text = self.finder.sources.get(path)
        if text is None:
            with tokenize.open(path) as handle:
                text = handle.read()
        needs = self.finder.needs.get(path, isolation.ALL)
        target_path, class_name, line = self.finder.target
        target = (class_name, line) if path == target_path else None
        code = isolation.module_code(text, path, needs, self.finder.mode, target)
        exec(code, module.__dict__)  # noqa: S102 - the point of --confirm, documented


# ---- one job: one class -------------------------------------------------------------------------------
def _flavour(cls) -> Optional[str]:
    for base in cls.__mro__:
        head = (base.__module__ or "").split(".")[0]
        if head == "tf_keras":
            return "tf_keras"
        if head == "keras":
            return "keras"
        if (base.__module__ or "").startswith("tensorflow.python.keras"):
            return "legacy"
    return None


class Job:
    def __init__(self, message: dict, state: "Worker"):
        self.message = message
        self.state = state
        self.results: dict[int, tuple] = {}
        self.keras = None
        self.keras_version = None
        self.backend = state.backend
        self.builder: Optional[Builder] = None
        self.inputs: Optional[Inputs] = None

    def finish_all(self, status: str, detail: str) -> None:
        for item in self.message["items"]:
            self.results.setdefault(item["index"], (status, detail))

    def refused_network(self, hosts: list) -> None:
        """The class reached for the network (pretrained weights, a dataset): what did not
        come out confirmed or not reproduced failed for want of a download that --confirm
        never makes, whatever error Keras wrapped the refusal in."""
        detail = f"would download from {', '.join(hosts)}: kerascheck --confirm never uses the network"
        for index, (status, _) in list(self.results.items()):
            if status not in ("confirmed", "not-reproduced"):
                self.results[index] = ("skipped", detail)

    def run(self) -> None:
        from kerascheck.confirm.probes.base import short

        module = None
        failure = None
        for mode in ("filtered", "real"):
            finder = TreeFinder(self.message, mode)
            sys.meta_path.insert(0, finder)
            self.state.finders.append(finder)
            try:
                module = importlib.import_module(self.message["module"])
                break
            except (JobTimeout, SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:  # noqa: BLE001 - user code
                failure = exc
                finder.purge()
                if not isinstance(exc, (NameError, ImportError, AttributeError)):
                    break
        if module is None:
            self.finish_all("skipped", f"import failed: {short(failure)}")
            return
        cls = vars(module).get(self.message["class"])
        if not isinstance(cls, type):
            self.finish_all("skipped", "the class is not defined after importing its module")
            return
        flavour = _flavour(cls)
        if flavour == "legacy":
            self.finish_all("skipped", "the class derives from tensorflow.python.keras (TensorFlow's frozen legacy Keras)")
            return
        if flavour is None:
            self.finish_all("skipped", "the class does not derive from a Keras Layer or Model here")
            return
        self.keras = sys.modules[flavour]
        self.keras_version = getattr(self.keras, "__version__", None)
        self.backend = "tensorflow" if flavour == "tf_keras" else self.state.backend
        self.builder = Builder(cls, self.message.get("args", {}))
        self.builder.choose()
        self.inputs = Inputs(self.builder, cls, (self.message.get("args") or {}).get("config"), self.message.get("inputs", {}))
        self.run_probes()

    def run_probes(self) -> None:
        from kerascheck.confirm.probes import class_probes
        from kerascheck.confirm.probes.base import CannotConstruct, NoInput, short

        probes = class_probes()
        for item in self.message["items"]:
            probe = probes.get(item["code"])
            if probe is None:
                self.results[item["index"]] = ("skipped", f"no probe for {item['code']}")
                continue
            try:
                outcome = probe(Context(self, item))
                status, detail = outcome.status, outcome.detail
            except CannotConstruct as exc:
                status, detail = "skipped", str(exc)
            except NoInput as exc:
                status, detail = "skipped", str(exc)
            except (JobTimeout, SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:  # noqa: BLE001 - user code inside the probe
                status, detail = "error", f"the probe failed: {short(exc)}"
            chosen = self.builder.chosen
            if chosen is not None and chosen.label.startswith("guessed") and status in ("confirmed", "not-reproduced"):
                detail += f" ({chosen.label})"
            self.results[item["index"]] = (status, detail)


# ---- the process ---------------------------------------------------------------------------------------
class Worker:
    def __init__(self, result_fd: int):
        self.result_fd = result_fd
        self.backend = None
        self.finders: list[TreeFinder] = []
        self.streams = (sys.stdout, sys.stderr)
        self.probed = False  # migration probes ran since the last cleanup

    def send(self, message: dict) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        while data:
            written = os.write(self.result_fd, data)
            data = data[written:]

    def hello(self) -> None:
        started = time.monotonic()
        message: dict = {"type": "hello", "python": sys.version.split()[0]}
        try:
            import keras

            message["keras"] = keras.__version__
            self.backend = keras.backend.backend()
            message["backend"] = self.backend
        except Exception as exc:  # noqa: BLE001
            message["keras"] = None
            message["keras_error"] = f"{type(exc).__name__}: {exc}"
        keras = sys.modules.get("keras")
        if keras is not None:
            try:
                keras.config.disable_traceback_filtering()  # probes look for add_weight frames
            except Exception:  # noqa: BLE001
                pass
        try:
            message["tf_keras"] = importlib.util.find_spec("tf_keras") is not None
        except (ImportError, ValueError):
            message["tf_keras"] = False
        tf = sys.modules.get("tensorflow")
        if tf is not None:
            message["tensorflow"] = getattr(tf, "__version__", None)
            try:
                tf.config.threading.set_inter_op_parallelism_threads(1)
                tf.config.threading.set_intra_op_parallelism_threads(2)
            except Exception:  # noqa: BLE001 - already initialised: fine
                pass
        try:
            from kerascheck.confirm.probes import class_probes

            class_probes()  # numpy and the probes, once
        except Exception as exc:  # noqa: BLE001
            message["keras"] = None
            message["keras_error"] = f"{type(exc).__name__}: {exc}"
        message["seconds"] = round(time.monotonic() - started, 2)
        self.send(message)

    def handle(self, message: dict) -> None:
        started = time.monotonic()
        if self.probed:  # a class starts from a clean session, whatever the probes built
            try:
                self.cleanup()
            except BaseException:  # noqa: BLE001 - best effort
                pass
        job = Job(message, self)
        limit = float(message.get("limit", 10))
        hermetic.take_attempts()  # only this class's attempts count
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            job.run()
        except JobTimeout:
            job.finish_all("skipped", f"timed out after {limit:g} s")
        except SystemExit as exc:
            job.finish_all("error", f"the class's code called sys.exit({exc.code!r})")
        except KeyboardInterrupt:
            job.finish_all("error", "the class's code raised KeyboardInterrupt")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        refused = hermetic.take_attempts()
        if refused:
            job.refused_network(refused)
        try:
            self.cleanup()
        except BaseException:  # noqa: BLE001 - best effort
            pass
        self.send({
            "type": "result", "id": message["id"],
            "keras_version": job.keras_version,
            "results": [{"index": index, "status": s, "detail": d} for index, (s, d) in job.results.items()],
            "seconds": round(time.monotonic() - started, 3),
        })

    def probe(self, message: dict) -> None:
        """One KC5xx introspection probe (kerascheck.confirm.probes.migration.observe): the
        installed Keras only, no user code; under the same soft time limit as a class."""
        from kerascheck.confirm.probes.migration import observe

        started = time.monotonic()
        limit = float(message.get("limit", 10))
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            status, detail, version = observe(message["code"], message.get("member", ""))
        except JobTimeout:
            status, detail, version = "skipped", f"timed out after {limit:g} s", None
        except (SystemExit, KeyboardInterrupt) as exc:
            status, detail, version = "error", f"the probe raised {type(exc).__name__}", None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        # No cleanup here: clear_session() costs 0.3 s (a full gc) and a probe only builds
        # a throwaway layer or two; the next class job cleans up first.
        self.probed = True
        self.send({
            "type": "result", "id": message["id"], "status": status, "detail": detail, "keras_version": version,
            "seconds": round(time.monotonic() - started, 3),
        })

    def cleanup(self) -> None:
        self.probed = False
        purged = set()
        for finder in self.finders:
            purged |= finder.loaded
            finder.purge()
        self.finders.clear()
        _forget_registrations(purged)
        sys.stdout, sys.stderr = self.streams
        for name in ("keras", "tf_keras"):
            module = sys.modules.get(name)
            if module is not None:
                try:
                    module.backend.clear_session()
                except Exception:  # noqa: BLE001
                    pass


_REGISTRIES = (
    ("keras.src.saving.object_registration", ("GLOBAL_CUSTOM_OBJECTS", "GLOBAL_CUSTOM_NAMES")),
    ("tf_keras.src.saving.object_registration", ("_GLOBAL_CUSTOM_OBJECTS", "_GLOBAL_CUSTOM_NAMES")),
)


def _forget_registrations(modules: set) -> None:
    """Drop `register_keras_serializable` entries of the classes of the purged in-tree
    modules, so the next class starts from Keras's own registry."""
    for module_name, attributes in _REGISTRIES:
        module = sys.modules.get(module_name)
        for attribute in attributes:
            registry = getattr(module, attribute, None)
            if not isinstance(registry, dict):
                continue
            for key, value in list(registry.items()):
                owner = value if isinstance(value, type) else key if isinstance(key, type) else None
                if owner is not None and getattr(owner, "__module__", None) in modules:
                    del registry[key]


def _on_alarm(signum, frame):
    raise JobTimeout()


def main(argv: list) -> int:
    command_fd, result_fd = int(argv[1]), int(argv[2])
    here = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", here)]
    sys.argv = ["kerascheck-confirm"]
    hermetic.private_home()
    hermetic.block_network()
    worker = Worker(result_fd)
    worker.hello()
    with os.fdopen(command_fd, "r", encoding="utf-8") as commands:
        for line in commands:
            message = json.loads(line)
            if message.get("type") == "exit":
                break
            if message.get("type") == "probe":
                worker.probe(message)
            else:
                worker.handle(message)
            sys.stdout.flush()
            sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
