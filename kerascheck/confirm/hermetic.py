"""What keeps the confirmation worker hermetic: off the network, and writing only inside
its temporary directory. Both are set up in the worker before it imports Keras.

The worker runs the user's classes, and Keras and TensorFlow around them. Left alone,
they would leave the worker's sandbox in two ways:

- **Downloads.** `keras.applications.MobileNetV2(weights="imagenet")` in a constructor,
  `keras.datasets.mnist.load_data()`, `keras.utils.get_file`, TensorFlow Hub, Hugging
  Face: a probe must neither wait on the network nor fetch hundreds of megabytes. Every
  name lookup of a remote host and every connection to a network address is refused,
  and the host is remembered, so the class's result says `would download from HOST`
  rather than the fetch error Keras wraps it in. This covers Python's own sockets (urllib,
  requests, http.client, asyncio); a C library that opens its own sockets is not seen.
- **Files in the user's home.** Keras writes `~/.keras/keras.json` when it is imported and
  creates `~/.keras/models` and `~/.keras/datasets` before a download; matplotlib and the
  model hubs write under `~/.cache` and `~/.config`. HOME, KERAS_HOME, the XDG folders and
  the libraries' own cache variables point into a private folder inside the worker's
  temporary directory, which the runner removes with the rest of the run. The user's
  `keras.json` is copied there (read, never written), so floatx, epsilon and
  image_data_format stay as the user set them.
"""
from __future__ import annotations

import errno
import os
import shutil
import socket
import tempfile
from typing import NoReturn

# The variables Keras, TensorFlow and their neighbours read for the folders they write to,
# and where each points inside the private home. HOME alone is not enough: a variable the
# user has set (HF_HOME=/data/hf, XDG_CACHE_HOME) wins over HOME.
_HOME_VARIABLES = {
    "HOME": "",
    "KERAS_HOME": ".keras",  # Keras 3 and tf_keras: keras.json, models/, datasets/
    "XDG_CACHE_HOME": ".cache",
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": os.path.join(".local", "share"),
    "XDG_STATE_HOME": os.path.join(".local", "state"),
    "MPLCONFIGDIR": os.path.join(".config", "matplotlib"),
    "HF_HOME": os.path.join(".cache", "huggingface"),
    "TFHUB_CACHE_DIR": os.path.join(".cache", "tfhub_modules"),
    "KAGGLEHUB_CACHE": os.path.join(".cache", "kagglehub"),
    "TORCH_HOME": os.path.join(".cache", "torch"),
}
_LOCAL_HOSTS = frozenset({None, "", "localhost", "127.0.0.1", "::1"})
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
_attempts: list = []  # the hosts refused since the last take_attempts()


class NetworkDisabled(OSError):
    """A refused lookup or connection: the worker never uses the network."""

    def __init__(self, host: str):
        super().__init__(f"would download from {host}: kerascheck --confirm never uses the network")


def private_home() -> str:
    """Make a fresh home folder in the temporary directory (the run's own: the runner sets
    TMPDIR) and point every variable of _HOME_VARIABLES into it."""
    user_config = os.path.join(
        os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras"), "keras.json"
    )
    home = tempfile.mkdtemp(prefix="home-")
    for variable, relative in _HOME_VARIABLES.items():
        os.environ[variable] = os.path.join(home, relative) if relative else home
    keras_home = os.environ["KERAS_HOME"]
    os.makedirs(keras_home)
    if os.path.isfile(user_config):
        try:
            shutil.copyfile(user_config, os.path.join(keras_home, "keras.json"))
        except OSError:  # unreadable: Keras's defaults, as when there is none
            pass
    return home


def _name(host):
    return host.decode("ascii", "replace") if isinstance(host, bytes) else host


def _refuse(host) -> NoReturn:
    name = str(_name(host))
    _attempts.append(name)
    raise NetworkDisabled(name)


def _local_lookups_only(lookup):
    def checked(host, *args, **kwargs):
        if _name(host) not in _LOCAL_HOSTS:
            _refuse(host)
        return lookup(host, *args, **kwargs)

    return checked


def block_network() -> None:
    """Refuse lookups of remote hosts and connections to any IP address, the loopback
    included (a local proxy would reach the network); AF_UNIX sockets still work. The
    proxy variables go: through a proxy, the refusal would name the proxy, not the host
    the download wanted."""
    for variable in _PROXY_VARIABLES:
        os.environ.pop(variable, None)
    original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address[0])
        return original_connect(self, address)

    def connect_ex(self, address):  # returns an error number where connect() raises
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _attempts.append(str(address[0]))
            return errno.ENETUNREACH
        return original_connect_ex(self, address)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = _local_lookups_only(socket.getaddrinfo)
    socket.gethostbyname = _local_lookups_only(socket.gethostbyname)
    socket.gethostbyname_ex = _local_lookups_only(socket.gethostbyname_ex)


def take_attempts() -> list:
    """The hosts refused since the last call, in order, each once."""
    hosts = list(dict.fromkeys(_attempts))
    _attempts.clear()
    return hosts
