"""Finding the Node side: with nothing found, the error says what to install."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kiwoom_compat")
PROBE = "from kiwoom_compat import APIServer, KiwoomCompatError\ntry:\n    APIServer().api_init()\nexcept KiwoomCompatError as e:\n    print(e.message)\n"


def probe(tmp, extra_env):
    """Runs PROBE with a copy of the package outside any kiwoom-compat tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIWOOM_COMPAT")}
    env.update(PYTHONPATH=tmp, **extra_env)
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=30, cwd=tmp).stdout


class NodeSide(unittest.TestCase):
    def test_without_the_js_side_it_names_what_to_install(self):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(PACKAGE, os.path.join(tmp, "kiwoom_compat"), ignore=shutil.ignore_patterns("__pycache__", "_node_side.json"))
            out = probe(tmp, {"PATH": os.path.dirname(sys.executable)})
        self.assertIn("kiwoom-compat's Node side was not found", out)
        self.assertIn("npm install kiwoom-compat", out)
        self.assertIn("Node.js 20.19", out)

    def test_with_the_js_side_but_no_node_it_says_to_install_node(self):
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, "tree")
            os.makedirs(os.path.join(tree, "dist", "cli"))
            open(os.path.join(tree, "dist", "cli", "main.js"), "w").close()
            shutil.copytree(PACKAGE, os.path.join(tmp, "kiwoom_compat"), ignore=shutil.ignore_patterns("__pycache__"))
            with open(os.path.join(tmp, "kiwoom_compat", "_node_side.json"), "w") as f:
                f.write('{"tree": "%s"}' % tree)
            out = probe(tmp, {"PATH": os.path.dirname(sys.executable)})
        self.assertIn("no `node` on PATH", out)
        self.assertIn("Node.js 20.19", out)


if __name__ == "__main__":
    unittest.main()
