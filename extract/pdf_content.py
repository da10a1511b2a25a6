"""A faster reading of PDF content streams for pdfminer's interpreter: one regular expression instead of
pdfminer's character-by-character tokeniser (most of a page's parsing time), yielding the very objects
pdfminer's PDFContentParser would. Anything off the common path (inline images, `#` in names, strings
running across streams, unbalanced brackets …) hands the whole stream list back to pdfminer."""
from __future__ import annotations

import re

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import ESC_STRING, HEX_PAIR, KWD, LIT, SPC, PSKeyword, choplist, keyword_name, literal_name

# One token at a time, as PSBaseParser._parse_main tells them apart by their first character.
TOKEN = re.compile(
    rb"\s*(?:"
    rb"(?P<comment>%[^\r\n]*)"
    rb"|/(?P<literal>[^#/%\[\]()<>{}\s]*)"
    rb"|(?P<number>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|(?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|(?P<dict><<|>>)"
    rb"|<(?P<hex>[\s0-9a-fA-F]*)"
    rb"|(?P<other>\S))"
)
END_STRING = re.compile(rb"[()\\]")
OCTAL = b"01234567"
DICT_BEGIN, DICT_END = KWD(b"<<"), KWD(b">>")
OPENERS = {KWD(b"["): "a", DICT_BEGIN: "d", KWD(b"{"): "p"}
CLOSERS = {KWD(b"]"): "a", DICT_END: "d", KWD(b"}"): "p"}
INLINE = {KWD(b"BI"), KWD(b"ID")}


class Unsupported(Exception):
    """Off the fast path: pdfminer reads this content instead."""


def tokens(data: bytes) -> list:
    """pdfminer's tokens of one stream (numbers, booleans, literals, strings, keywords)."""
    out: list = []
    i, end = 0, len(data)
    if b"\x00" in data:
        raise Unsupported  # pdfminer skips NULs between tokens but keeps them inside names
    while i < end:
        m = TOKEN.match(data, i)
        if m is None:  # trailing whitespace
            break
        kind, i = m.lastgroup, m.end()
        if kind == "number":
            out.extend(_number(m.group(kind)))
        elif kind == "keyword":
            word = m.group(kind)
            out.append(True if word == b"true" else False if word == b"false" else KWD(word))
        elif kind == "literal":
            if data[i:i + 1] == b"#":
                raise Unsupported  # #xx escapes in a name
            out.append(LIT(_name(m.group(kind))))
        elif kind == "hex":
            if i >= end:
                raise Unsupported  # unterminated: pdfminer drops it
            out.append(HEX_PAIR.sub(lambda h: bytes((int(h.group(0), 16),)), SPC.sub(b"", m.group(kind))))
        elif kind == "dict":
            out.append(KWD(m.group(kind)))
        elif kind == "other":
            i = _other(data, i, out)
    return out


def _number(text: bytes) -> list:
    """A number as pdfminer reads it; a lone sign or dot is no token."""
    try:
        return [float(text) if b"." in text else int(text)]
    except ValueError:
        return []


def _name(raw: bytes) -> str | bytes:
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError:
        return raw


def _other(data: bytes, i: int, out: list) -> int:
    """A one-character token just read (data[i-1]): a string, a lone `>`, or a one-letter keyword."""
    c = data[i - 1:i]
    if c == b"(":
        text, i = _string(data, i)
        out.append(text)
    elif c != b">":  # a lone ">" ends a hex string: no token
        out.append(KWD(c))
    return i


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A (…) string from just after its opening bracket, escapes resolved as pdfminer does."""
    out, depth = bytearray(), 1
    while True:
        m = END_STRING.search(data, i)
        if m is None:
            raise Unsupported  # runs on into the next stream
        j = m.start()
        out += data[i:j]
        c = data[j:j + 1]
        if c == b"\\":
            i = _escape(data, j + 1, out)
            continue
        i = j + 1
        depth += 1 if c == b"(" else -1
        if not depth:
            return bytes(out), i
        out += c


def _escape(data: bytes, i: int, out: bytearray) -> int:
    """The character(s) after a backslash; pdfminer drops an unknown escaped character."""
    c = data[i:i + 1]
    if not c or c == b"\r":
        raise Unsupported  # pdfminer's \\\r\n handling depends on its buffer boundaries
    if c[0] in OCTAL:
        k = i
        while k < len(data) and k - i < 3 and data[k] in OCTAL:
            k += 1
        code = int(data[i:k], 8)
        if k >= len(data) or code > 255:
            raise Unsupported
        out.append(code)
        return k
    if c in ESC_STRING:
        out.append(ESC_STRING[c])
    return i + 1


def objects(data_list: list[bytes]) -> list:
    """The operands and operators pdfminer's PDFContentParser.nextobject returns, arrays and
    dictionaries built."""
    if any(data[-1:] in (b"/", b">") for data in data_list[:-1]):
        raise Unsupported  # pdfminer carries a name or a `>` on into the next stream
    out: list = []
    context: list = []
    curtype, stack = None, out
    for tok in (t for data in data_list for t in tokens(data)):
        if type(tok) is PSKeyword and tok in OPENERS:
            context.append((curtype, stack))
            curtype, stack = OPENERS[tok], []
        elif type(tok) is PSKeyword and tok in CLOSERS:
            if curtype != CLOSERS[tok]:
                raise Unsupported  # pdfminer drops a stray closer (or raises in strict mode)
            objs = stack
            curtype, stack = context.pop()
            stack.append(_dict(objs) if tok is DICT_END else objs)
        elif type(tok) is PSKeyword and tok in INLINE:
            raise Unsupported  # inline image
        else:
            stack.append(tok)
    if context:
        raise Unsupported  # an array left open at the end: pdfminer drops it
    return out


def _dict(objs: list) -> dict:
    if len(objs) % 2:
        raise Unsupported  # pdfminer raises PSSyntaxError
    return {literal_name(k): v for (k, v) in choplist(2, objs) if v is not None}


METHODS: dict[str, str] = {}  # operator -> interpreter method name, built once per operator


def _method(name: str) -> str:
    return "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter reading content streams with `objects` (pdfminer's own parser when
    a stream is off the fast path). Form XObjects get the same interpreter (pdfminer's dup)."""

    def execute(self, streams) -> None:
        try:
            objs = objects([s.get_data() for s in self._valid_streams(streams)])
        except Unsupported:
            return super().execute(streams)
        except Exception:  # noqa: BLE001 — a broken stream: pdfminer raises (or copes) as it always does
            return super().execute(streams)
        for obj in objs:
            if type(obj) is PSKeyword:
                self._run(obj)
            else:
                self.argstack.append(obj)

    def _valid_streams(self, streams) -> list:
        """pdfminer's check against content streams that call themselves (it repeats it on fallback)."""
        valid = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                raise Unsupported  # pdfminer skips it with a warning
            valid.append(stream)
            self.stream_ids.add(stream.objid)
        return valid

    def _run(self, keyword: PSKeyword) -> None:
        """One operator, exactly as PDFPageInterpreter.execute calls it."""
        name = keyword_name(keyword)
        method = METHODS.get(name) or METHODS.setdefault(name, _method(name))
        func = getattr(self, method, None)
        if func is None:
            if settings.STRICT:
                raise PDFInterpreterError(f"Unknown operator: {name!r}")
            return
        nargs = func.__code__.co_argcount - 1
        if nargs:
            args = self.pop(nargs)
            if len(args) == nargs:
                func(*args)
        else:
            func()

