"""Probes for KC3xx (construction and serialization): does the class construct and
call, and does `from_config(get_config())` give the same layer back."""
from __future__ import annotations

from kerascheck.confirm.probes.base import NoInput, class_name, confirmed, not_reproduced, probe, short, skipped
from kerascheck.semantic.knowledge import BASE_CONFIG_KEYS

PROBE_NAME = "kerascheck_probe"
_CONSTRUCTION_ERRORS = (AttributeError, NameError, RuntimeError, TypeError)


@probe("KC301")
def super_init_missing(ctx):
    failure = ctx.construct_error
    if failure is not None:
        if isinstance(failure, _CONSTRUCTION_ERRORS):
            return confirmed(f"constructing the class fails: {short(failure)}")
        return skipped(f"cannot construct: {short(failure)}")
    layer = ctx.build()
    try:
        ctx.call(layer)
    except NoInput as missing:
        failure = missing.consistent_error()
        if failure is not None:
            return confirmed(f"the first call fails: {short(failure)}")
        raise
    except _CONSTRUCTION_ERRORS as exc:
        return confirmed(f"the first call fails: {short(exc)}")
    return not_reproduced("the class constructs and calls fine")


@probe("KC302")
def init_kwargs(ctx):
    failure = ctx.construct_error
    if failure is not None:
        if isinstance(failure, NameError):
            return confirmed(f"constructing the class fails: {short(failure)}")
        return skipped(f"cannot construct: {short(failure)}")
    layer = ctx.build()
    try:
        config = layer.get_config()
    except Exception as exc:  # noqa: BLE001
        return skipped(f"get_config() fails first: {short(exc)}")
    try:
        type(layer).from_config(config)
    except TypeError as exc:
        return confirmed(f"from_config(get_config()) fails: {short(exc)}")
    except Exception as exc:  # noqa: BLE001
        return skipped(f"from_config(get_config()) fails for another reason: {short(exc)}")
    if ctx.accepts_kwargs:
        named = ctx.build(name=PROBE_NAME)
        if getattr(named, "name", None) != PROBE_NAME:
            return confirmed(f"name={PROBE_NAME!r} passed to the constructor is dropped (the layer is named {named.name!r})")
    return not_reproduced("from_config(get_config()) rebuilds the layer, and name= is kept")


@probe("KC303")
def get_config_missing(ctx):
    layer = ctx.build()
    try:
        config = layer.get_config()
    except Exception as exc:  # noqa: BLE001 - the failure is the evidence
        return confirmed(f"get_config() fails: {short(exc)}")
    try:
        type(layer).from_config(config)
    except Exception as exc:  # noqa: BLE001
        return confirmed(f"from_config(get_config()) fails: {short(exc)}")
    lost = [
        name for name, value in ctx.explicit_arguments().items()
        if name not in (config or {}) and name not in ("name", "dtype", "trainable")
    ]
    if lost:
        return confirmed(f"get_config() does not record {', '.join(lost)}: a reloaded {type(layer).__name__} gets the defaults")
    return not_reproduced(f"get_config() and from_config() work ({len(config or {})} keys)")


@probe("KC304")
def get_config_incomplete(ctx):
    overrides = {"name": PROBE_NAME, "trainable": False} if ctx.accepts_kwargs else {}
    layer = ctx.build(**overrides)
    config = layer.get_config()
    if config is None:
        return confirmed("get_config() returns None")
    missing = [key for key in ("name", "trainable", "dtype") if key not in config]
    if missing:
        return confirmed(f"get_config() has no {', '.join(map(repr, missing))} (keys: {', '.join(map(str, list(config)[:6]))})")
    try:
        rebuilt = type(layer).from_config(config)
    except Exception as exc:  # noqa: BLE001
        return confirmed(f"from_config(get_config()) fails: {short(exc)}")
    if rebuilt.name != layer.name or rebuilt.trainable != layer.trainable:
        return confirmed(f"from_config(get_config()) gives name={rebuilt.name!r}, trainable={rebuilt.trainable} "
                         f"(was {layer.name!r}, {layer.trainable})")
    return not_reproduced("the config keeps name, trainable and dtype")


@probe("KC306")
def init_returns_value(ctx):
    failure = ctx.construct_error
    if failure is not None:
        if isinstance(failure, TypeError) and "should return None" in str(failure):
            return confirmed(f"constructing the class fails: {short(failure)}")
        return skipped(f"cannot construct: {short(failure)}")
    ctx.build()
    return not_reproduced("the class constructs: __init__ returned None with these arguments")


@probe("KC307")
def get_config_swapped_keys(ctx):
    layer = ctx.build()
    try:
        config = layer.get_config() or {}
    except Exception as exc:  # noqa: BLE001
        return skipped(f"get_config() fails first: {short(exc)}")
    given = {name: value for name, value in ctx.arguments().items() if name not in BASE_CONFIG_KEYS}
    wrong = [f"{name}={config[name]!r} (built with {value!r})"
             for name, value in given.items() if name in config and _differs(config[name], value)]
    if wrong:
        return confirmed(f"get_config() records {', '.join(wrong)}: from_config() rebuilds the layer with those")
    shown = ", ".join(f"{name}={value!r}" for name, value in given.items() if name in config)
    return not_reproduced(f"get_config() records the arguments as given ({shown or 'none recorded'})")


@probe("KC308")
def config_attribute_overwritten(ctx):
    layer = ctx.build()
    try:
        config = layer.get_config() or {}
    except Exception as exc:  # noqa: BLE001
        return skipped(f"get_config() fails first: {short(exc)}")
    held = [(key, value) for key, value in config.items() if isinstance(value, ctx.keras.layers.Layer)]
    if not held:
        return not_reproduced("get_config() holds no layer object: the numbers are recorded")
    key, value = held[0]
    what = f"get_config()[{key!r}] is a {class_name(value)} layer, not the number"
    try:
        rebuilt = type(layer).from_config(config)
    except Exception as exc:  # noqa: BLE001 - the failure is the evidence
        return confirmed(f"{what}: from_config(get_config()) fails: {short(exc)}")
    try:
        ctx.call(rebuilt, training=True)
    except NoInput:
        raise
    except Exception as exc:  # noqa: BLE001
        return confirmed(f"{what}: the rebuilt layer's first training call fails: {short(exc)}")
    return not_reproduced(f"{what}, but the rebuilt layer trains")


def _differs(recorded, given) -> bool:
    """Whether get_config() recorded another value than the argument given (a tuple
    recorded as a list is the same value)."""
    if isinstance(recorded, (list, tuple)) and isinstance(given, (list, tuple)):
        recorded, given = list(recorded), list(given)
    try:
        return bool(recorded != given)
    except Exception:  # noqa: BLE001 - arrays and other values without a plain ==
        return False
