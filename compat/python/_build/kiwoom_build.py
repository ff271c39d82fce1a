"""The build backend of the kiwoom-compat Python package (PEP 517), standard library only.

It builds a pure-Python wheel of ``kiwoom_compat`` (its modules and data tables) and an sdist.
When the package is built inside a kiwoom-compat tree (a clone, or node_modules/kiwoom-compat),
the wheel records that tree in ``kiwoom_compat/_node_side.json``, so the installed package finds
its Node side (``dist/cli/main.js``) with no PYTHONPATH or environment variable.
"""
import base64
import hashlib
import io
import json
import os
import tarfile
import zipfile

NAME = "kiwoom_compat"
DIST = "kiwoom_compat"
HERE = os.getcwd()


def _project():
    text = open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8").read()
    fields = {}
    section = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "project" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            value = value.strip()
            if value.startswith('"'):
                fields[key.strip()] = json.loads(value)
    return fields


def _metadata(project):
    readme = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    return (
        "Metadata-Version: 2.1\nName: kiwoom-compat\nVersion: %s\nSummary: %s\nRequires-Python: %s\nLicense: MIT\n"
        "Description-Content-Type: text/markdown\n\n%s" % (project["version"], project["description"], project["requires-python"], readme)
    )


def _package_files():
    """(path inside the wheel, bytes) for every module and data table of the package."""
    root = os.path.join(HERE, NAME)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")) and name != "_node_side.json":
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    yield os.path.relpath(path, HERE).replace(os.sep, "/"), f.read()


def _node_side():
    """The kiwoom-compat tree this package is built in, or None."""
    tree = os.path.normpath(os.path.join(HERE, "..", ".."))
    try:
        with open(os.path.join(tree, "package.json"), encoding="utf-8") as f:
            if json.load(f).get("name") == "kiwoom-compat":
                return tree
    except (OSError, ValueError):
        pass
    return None


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def _dist_info(project):
    info = "%s-%s.dist-info" % (DIST, project["version"])
    wheel = "Wheel-Version: 1.0\nGenerator: kiwoom_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return info, [(info + "/METADATA", _metadata(project).encode()), (info + "/WHEEL", wheel.encode()), (info + "/top_level.txt", (NAME + "\n").encode())]


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info, files = _dist_info(_project())
    for path, data in files:
        target = os.path.join(metadata_directory, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    info, meta = _dist_info(project)
    files = list(_package_files())
    tree = _node_side()
    if tree is not None:
        files.append((NAME + "/_node_side.json", json.dumps({"tree": tree}).encode()))
    files += meta
    record = [_record_line(p, d) for p, d in files] + [info + "/RECORD,,"]
    filename = "%s-%s-py3-none-any.whl" % (DIST, project["version"])
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as whl:
        for path, data in files:
            whl.writestr(path, data)
        whl.writestr(info + "/RECORD", "\n".join(record) + "\n")
    return filename


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = "%s-%s" % (DIST, project["version"])
    filename = base + ".tar.gz"
    members = [("pyproject.toml", None), ("README.md", None), ("_build/kiwoom_build.py", None)] + list(_package_files())
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for path, data in members:
            if data is None:
                data = open(os.path.join(HERE, path), "rb").read()
            entry = tarfile.TarInfo("%s/%s" % (base, path))
            entry.size = len(data)
            entry.mode = 0o644
            tar.addfile(entry, io.BytesIO(data))
        pkg = tarfile.TarInfo(base + "/PKG-INFO")
        pkg_data = _metadata(project).encode()
        pkg.size = len(pkg_data)
        tar.addfile(pkg, io.BytesIO(pkg_data))
    return filename
