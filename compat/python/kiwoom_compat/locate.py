"""Where the Node side (``kiwoom-compat bridge --stdio``) is, and how to start it.

The Python package is installed with pip; the Node side with npm. They meet here, in this
order (the first that exists wins):

1. ``KIWOOM_COMPAT_BRIDGE``: a whole command line, for anything unusual.
2. The kiwoom-compat tree this package sits in (a clone after ``npm run build``, or
   ``node_modules/kiwoom-compat``), run as ``node <tree>/dist/cli/main.js``.
3. The tree the package was installed from (``pip install node_modules/kiwoom-compat/compat/python``
   records it in ``_node_side.json``).
4. ``kiwoom-compat`` on PATH (``npm install -g kiwoom-compat``).
5. ``node_modules/.bin/kiwoom-compat`` in the current directory or one above it.

``KIWOOM_COMPAT_NODE`` names the node binary for 2 and 3.
"""
import json
import os
import shlex
import shutil

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_MAIN = os.path.join("dist", "cli", "main.js")
_RECORD = os.path.join(_PACKAGE_DIR, "_node_side.json")

#: What to do when nothing is found (the error message's second half).
INSTALL_HINT = (
    "install the Node side: Node.js 20.19+ and `npm install kiwoom-compat` (in this project, or -g), "
    "or build a clone with `npm ci`; or set KIWOOM_COMPAT_BRIDGE to the command that runs "
    "`kiwoom-compat bridge --stdio`"
)


class NodeSideMissing(Exception):
    """Neither node nor the kiwoom-compat JavaScript side could be found."""


def _tree_main(tree):
    main = os.path.join(tree, _MAIN)
    return main if os.path.isfile(main) else None


def _recorded_tree():
    try:
        with open(_RECORD, encoding="utf-8") as f:
            return json.load(f).get("tree")
    except (OSError, ValueError, AttributeError):
        return None


def _node(main):
    node = os.environ.get("KIWOOM_COMPAT_NODE") or shutil.which("node")
    if node is None:
        raise NodeSideMissing("found %s but no `node` on PATH: install Node.js 20.19 or newer (or set KIWOOM_COMPAT_NODE)" % main)
    # Node's default flags, not the CLI's --optimize-for-size: under the flag the bridge carried
    # a third to a fifth of the quotes, and its memory stays bounded without it (the outbox
    # merges quotes while this process is behind). README "Performance" has the figures.
    return [node, main, "bridge", "--stdio"]


def _bin(exe):
    """An installed ``kiwoom-compat`` bin: through node as in 2 and 3 when it links to the
    package's main.js (its shebang would add the CLI's flag), else run as it is."""
    main = os.path.realpath(exe)
    if main.endswith(_MAIN) and (os.environ.get("KIWOOM_COMPAT_NODE") or shutil.which("node")):
        return _node(main)
    return [exe, "bridge", "--stdio"]


def bridge_command():
    """The command line that starts the bridge; raises :class:`NodeSideMissing` naming what to install."""
    override = os.environ.get("KIWOOM_COMPAT_BRIDGE")
    if override:
        return shlex.split(override)
    for tree in (os.path.normpath(os.path.join(_PACKAGE_DIR, "..", "..", "..")), _recorded_tree()):
        main = tree and _tree_main(tree)
        if main:
            return _node(main)
    exe = shutil.which("kiwoom-compat")
    if exe:
        return _bin(exe)
    here = os.getcwd()
    for _ in range(2):
        local = os.path.join(here, "node_modules", ".bin", "kiwoom-compat")
        if os.path.exists(local):
            return _bin(local)
        here = os.path.dirname(here)
    raise NodeSideMissing("kiwoom-compat's Node side was not found: " + INSTALL_HINT)


def describe(command):
    """A command line for messages."""
    return " ".join(shlex.quote(part) for part in command)
