"""Settings a legacy program does not pass, because the OCX never needed them: which backend
(use_rest, sim_no, keys), the log level, the loop, the call timeout.

They come from the environment, then from a small INI file, then the defaults; the defaults
run the built-in emulator (paper trading). Production needs an explicit ``use_rest = true``
*and* ``sim_no = 0``, and its orders need ``KIWOOM_ALLOW_PROD_ORDERS=1`` on top.

Each setting, as an environment variable / ``[kiwoom-compat]`` key in the file (default):

- ``KIWOOM_COMPAT_USE_REST`` / ``use_rest``: true for Kiwoom REST, false for the emulator (false)
- ``KIWOOM_COMPAT_SIM_NO`` / ``sim_no``: 0 production, 1..3 paper trading (1)
- ``KIWOOM_APPKEY``, ``KIWOOM_SECRETKEY`` / ``appkey``, ``secretkey``: the REST keys (use_rest only)
- ``KIWOOM_COMPAT_LOG_LEVEL`` / ``log_level``: the bridge's log level (warn, as in TypeScript)
- ``KIWOOM_COMPAT_LOOP`` / ``loop``: auto, qt, pump or thread (auto; loops.py)
- ``KIWOOM_COMPAT_CALL_TIMEOUT`` / ``call_timeout``: seconds a call waits for the bridge (60)
- ``KIWOOM_COMPAT_REST_URL``, ``KIWOOM_COMPAT_WS_URL`` / ``rest_url``, ``ws_url``: base URL
  overrides (a proxy, an emulator)

The file is ``KIWOOM_COMPAT_CONFIG`` if set, else ``kiwoom-compat.ini`` in the current
directory, else ``~/.config/kiwoom-compat/config.ini`` (``$XDG_CONFIG_HOME`` honoured). Keep
keys in the environment rather than in a file others can read.
"""
import configparser
import os

SECTION = "kiwoom-compat"
#: Seconds a call waits for the bridge's answer unless configured.
DEFAULT_CALL_TIMEOUT = 60.0

_ENV = {
    "use_rest": "KIWOOM_COMPAT_USE_REST",
    "sim_no": "KIWOOM_COMPAT_SIM_NO",
    "appkey": "KIWOOM_APPKEY",
    "secretkey": "KIWOOM_SECRETKEY",
    "log_level": "KIWOOM_COMPAT_LOG_LEVEL",
    "loop": "KIWOOM_COMPAT_LOOP",
    "call_timeout": "KIWOOM_COMPAT_CALL_TIMEOUT",
    "rest_url": "KIWOOM_COMPAT_REST_URL",
    "ws_url": "KIWOOM_COMPAT_WS_URL",
}


def config_path():
    """The settings file that would be read, or None."""
    explicit = os.environ.get("KIWOOM_COMPAT_CONFIG")
    if explicit:
        return explicit
    local = os.path.join(os.getcwd(), "kiwoom-compat.ini")
    if os.path.isfile(local):
        return local
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    user = os.path.join(base, "kiwoom-compat", "config.ini")
    return user if os.path.isfile(user) else None


def _file_values():
    path = config_path()
    if path is None:
        return {}
    parser = configparser.ConfigParser()
    if not parser.read(path, encoding="utf-8"):
        raise ValueError("kiwoom-compat: KIWOOM_COMPAT_CONFIG names %s, which cannot be read" % path)
    return dict(parser.items(SECTION)) if parser.has_section(SECTION) else {}


def _flag(value, name):
    v = str(value).strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("kiwoom-compat setting %s must be true or false, got %r" % (name, value))


def settings():
    """The settings in effect, as a dict (see the module docstring)."""
    raw = _file_values()
    for key, env in _ENV.items():
        if os.environ.get(env) not in (None, ""):
            raw[key] = os.environ[env]
    out = {
        "use_rest": _flag(raw.get("use_rest", "false"), "use_rest"),
        "sim_no": int(raw.get("sim_no", 1)),
        "loop": raw.get("loop", "auto"),
        "call_timeout": float(raw.get("call_timeout", DEFAULT_CALL_TIMEOUT)),
    }
    for key in ("appkey", "secretkey", "log_level"):
        if raw.get(key):
            out[key] = raw[key]
    if raw.get("rest_url") or raw.get("ws_url"):
        out["endpoints"] = {k: raw[k + "_url"] for k in ("rest", "ws") if raw.get(k + "_url")}
    return out


def api_init_options():
    """The keyword arguments of ``api_init`` the settings give (what a QAxWidget or pykiwoom program never passed)."""
    s = settings()
    return {k: s[k] for k in ("sim_no", "use_rest", "appkey", "secretkey", "log_level", "endpoints") if k in s}
