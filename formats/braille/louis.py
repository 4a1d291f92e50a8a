"""liblouis, the braille translator, reached through ctypes: the few calls braille needs.

Why ctypes and not Debian's ``python3-louis``: those bindings live in the system's
dist-packages, which the tool's own virtual environment (or pipx) does not see, and
in liblouis 3.24 they do not wrap the table metadata calls (``lou_findTables``,
``lou_getTableInfo``) that choose a table by language.  They are themselves a ctypes
wrapper of the same ``liblouis.so.20``, so loading that library here needs nothing
but Debian's ``liblouis20`` (and its ``liblouis-data`` tables), in any environment.
The command-line ``lou_translate`` would do for whole texts but not tell us which
braille cell came from which character, which the layout needs to keep phone
numbers whole.

liblouis keeps one process-wide state (compiled tables, the table index) and is not
thread-safe; the builder renders in processes, one liblouis each.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

from leaflet.errors import LeafletError

# Typeforms (liblouis.h): no_contract asks for uncontracted braille in a span.
NO_CONTRACT = 0x1000
# Translation modes (liblouis.h).
DOTS_IO = 4          # the output is dot patterns, not the table's display characters
UC_BRL = 64          # ... as Unicode braille (U+2800 to U+28FF)
NO_UNDEFINED = 128   # a character the table lacks is left out, not spelled as "\x1234"

SPELLED_MAX = 32     # more cells than liblouis spells one character it lacks in
LOG_WARN = 30000  # liblouis's log levels: below this is chatter we do not keep
INSTALL = "install Debian's liblouis20 and liblouis-data (scripts/system-packages.sh runtime)"


class _Library:
    """The loaded ``liblouis.so.20`` with the argument types of the calls we use."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("louis") or "liblouis.so.20"
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            raise LeafletError("", None, f"braille needs the liblouis library: {INSTALL}") \
                from None
        self.lib = lib
        self.char_size = lib.lou_charSize()
        self.encoding = f"utf_{self.char_size * 8}_le"
        self.messages: list[str] = []
        lib.lou_version.restype = ctypes.c_char_p
        lib.lou_findTables.argtypes = [ctypes.c_char_p]
        lib.lou_findTables.restype = ctypes.POINTER(ctypes.c_char_p)
        lib.lou_getTableInfo.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.lou_getTableInfo.restype = ctypes.c_char_p
        lib.lou_getTable.argtypes = [ctypes.c_char_p]
        lib.lou_getTable.restype = ctypes.c_void_p
        lib.lou_getTypeformForEmphClass.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.lou_getTypeformForEmphClass.restype = ctypes.c_ushort
        int_p = ctypes.POINTER(ctypes.c_int)
        lib.lou_translate.argtypes = [
            ctypes.c_char_p, ctypes.c_char_p, int_p, ctypes.c_char_p, int_p,
            ctypes.POINTER(ctypes.c_ushort), ctypes.c_char_p, int_p, int_p, int_p, ctypes.c_int]
        lib.lou_backTranslateString.argtypes = [
            ctypes.c_char_p, ctypes.c_char_p, int_p, ctypes.c_char_p, int_p,
            ctypes.POINTER(ctypes.c_ushort), ctypes.c_char_p, ctypes.c_int]
        # liblouis writes its log to stderr unless given a callback: keep the warnings
        # and errors, to put in our own messages, and print nothing.
        log_type = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p)
        self._log = log_type(self._keep)
        lib.lou_registerLogCallback(self._log)
        lib.lou_setLogLevel(LOG_WARN)

    def _keep(self, level: int, message: bytes) -> None:
        self.messages = [*self.messages[-9:], message.decode("utf-8", "replace")]


@functools.lru_cache(maxsize=1)
def _library() -> _Library:
    return _Library()


def version() -> str:
    """liblouis's version, such as "3.24.0"."""
    return _library().lib.lou_version().decode()


def find_tables(query: str) -> list[str]:
    """The tables matching a metadata query (``language:pl type:literary``), best first,
    as paths.  The first call indexes every table on liblouis's table path."""
    lib = _library().lib
    found = lib.lou_findTables(query.encode())
    names: list[str] = []
    if found:
        index = 0
        while found[index]:
            names.append(found[index].decode())
            index += 1
    return names


def table_info(table: str, key: str) -> str:
    """One metadata field of a table (``#+grade: 2``), or "" when it has none."""
    value = _library().lib.lou_getTableInfo(table.encode(), key.encode())
    return value.decode() if value else ""


def check_table(table: str) -> None:
    """A LeafletError when liblouis cannot compile the table list."""
    louis = _library()
    if not louis.lib.lou_getTable(table.encode()):
        detail = f" ({louis.messages[-1]})" if louis.messages else ""
        raise LeafletError("", None, f"liblouis cannot read the braille table {table}{detail}")


def emphasis_typeform(table: str, emphasis_class: str) -> int:
    """The typeform bit of an emphasis class ("bold", "italic") in a table; 0 when the
    table does not define it, so that text stays plain there."""
    return _library().lib.lou_getTypeformForEmphClass(table.encode(), emphasis_class.encode())


def translate(table: str, text: str, typeform: list[int] | None = None,
              spell_undefined: bool = False) -> tuple[str, list[int]]:
    """Text to Unicode braille with the table, and for each braille cell the index of
    the character of ``text`` it came from.  A character the table has no braille for
    is left out, or with ``spell_undefined`` spelled as liblouis spells it ("'\\x09bc'"
    in the table's cells): comparing the two tells which characters the table lacks
    where they stand, whatever rule of the table takes their neighbours."""
    louis = _library()
    if not text:
        return "", []
    size = len(text)
    encoded = text.encode(louis.encoding, "surrogatepass")
    room = size * 4 + 2 * SPELLED_MAX
    while True:
        # liblouis writes the typeforms of its output back into this array: it must be
        # as long as the output may be, not only the input.
        forms = (ctypes.c_ushort * room)(*(typeform or [0] * size))
        in_len, out_len = ctypes.c_int(size), ctypes.c_int(room)
        output = ctypes.create_string_buffer(room * louis.char_size)
        input_pos = (ctypes.c_int * room)()
        ok = louis.lib.lou_translate(table.encode(), encoded, ctypes.byref(in_len), output,
                                     ctypes.byref(out_len), forms, None, None, input_pos, None,
                                     DOTS_IO | UC_BRL | (0 if spell_undefined else NO_UNDEFINED))
        if not ok:
            detail = f": {louis.messages[-1]}" if louis.messages else ""
            raise LeafletError("", None, f"liblouis could not translate with {table}{detail}")
        # Output that did not fit: liblouis stops early, and when it spells characters
        # out it says it read everything all the same; so the room must be left with
        # more than a spelled character's cells.
        if (in_len.value >= size and out_len.value + SPELLED_MAX < room) or room > size * 256:
            break
        room *= 4
    cells = output.raw[:out_len.value * louis.char_size].decode(louis.encoding, "surrogatepass")
    return cells, list(input_pos[:out_len.value])

