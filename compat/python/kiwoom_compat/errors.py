"""The errors this package raises."""


class KiwoomCompatError(Exception):
    """A call the bridge refused or that failed on the Node side.

    ``name`` is the library's error class (``ValidationError``, ``ApiError``, ``TimeoutError``...),
    ``field`` the offending argument when known, ``code`` Kiwoom's or the OCX's code when known.
    """

    def __init__(self, name, message, field=None, code=None, category=None):
        super(KiwoomCompatError, self).__init__("%s: %s" % (name, message))
        self.name = name
        self.message = message
        self.field = field
        self.code = code
        self.category = category


class BridgeClosed(KiwoomCompatError):
    """The bridge process ended (or never started) while a call was waiting."""

    def __init__(self, message):
        super(BridgeClosed, self).__init__("BridgeClosed", message)
