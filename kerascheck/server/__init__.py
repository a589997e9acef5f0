"""`kerascheck server`: kerascheck in the editor, as a Language Server (LSP).

It needs the `lsp` extra (pygls 2 and lsprotocol); the plain install stays without
them, and nothing outside this package imports it. The parts:

- `checking`: the one door into the checker (settings, the first pass, the rules and
  the cross-file index, the fixes, `# noqa`, the rule pages); nothing else here calls
  into kerascheck;
- `workspace`: projects, the first pass of their files kept warm, open buffers standing
  in for their files, and what to check again when a file changes;
- `text`, `noqa`: positions in the client's units, and the `# noqa` edit;
- `documents`, `convert`, `lsp`: the protocol (open documents, diagnostics, code
  actions, hover, the `kerascheck.showRule` command), on pygls. Only these import it.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from typing import Optional

INSTALL_HINT = "pip install 'kerascheck[lsp]'"


def missing_extra() -> Optional[str]:
    """Why the server cannot start here (pygls 2 or lsprotocol missing), or None."""
    if find_spec("pygls") is None or find_spec("lsprotocol") is None:
        return f"the language server needs the `lsp` extra: {INSTALL_HINT}"
    try:
        major = int(version("pygls").split(".")[0])
    except (PackageNotFoundError, ValueError):
        major = 0
    if major < 2:
        return f"the language server needs pygls 2 or newer: {INSTALL_HINT}"
    return None


def serve(port: Optional[int] = None, host: str = "127.0.0.1") -> int:
    """Run the server over stdio, or on host:port; its exit code (0 after a shutdown
    request, 1 when the client left without one, as LSP says)."""
    from kerascheck.server.lsp import create_server

    server = create_server()
    try:
        if port is None:
            server.start_io()
        else:
            server.start_tcp(host, port)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stop()
    return 0 if server.shut_down_requested else 1
