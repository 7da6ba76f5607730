"""Readers for the ESENT reference facts used to generate and check include/esent.h.

The reference files (copied into tests/abi/data/ so the repository is self-contained):

  esent-defines.tsv   every #define of the SDK header: name, value, #if condition
  esent-errors.tsv    every error/warning code; rows tagged [NOT in SDK esent.h] are private
  esent-layouts.txt   Windows x64 size/alignment/offsets of every struct
  esent-api.md        basic type table (section 1) and every prototype (Appendix A)

Everything here is plain parsing; no output is written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

REPO_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "tests", "abi", "data")
SHARED_REFERENCE_DIR = os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "reference"))

DATA_FILES = ("esent-api.md", "esent-defines.tsv", "esent-errors.tsv", "esent-layouts.txt")

# JET_VERSION values at which some declaration of the header changes, plus values in between.
INTERESTING_VERSIONS = (0x0500, 0x0501, 0x0502, 0x0503, 0x0600, 0x0601, 0x0602, 0x0603,
                        0x0604, 0x0A00, 0x0A01, 0xFFFF)


# --------------------------------------------------------------------------------------------
# #if conditions
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cond:
    """A #if condition of the header reduced to a JET_VERSION range and a JET_UNICODE state.

    lo: lowest JET_VERSION for which it holds (None = no lower bound)
    hi: highest JET_VERSION for which it holds, inclusive (None = no upper bound)
    unicode: True = needs JET_UNICODE, False = needs it undefined, None = either
    """
    lo: Optional[int] = None
    hi: Optional[int] = None
    unicode: Optional[bool] = None

    def holds(self, version: int, unicode: bool) -> bool:
        if self.lo is not None and version < self.lo:
            return False
        if self.hi is not None and version > self.hi:
            return False
        if self.unicode is not None and unicode != self.unicode:
            return False
        return True

    def version_only(self) -> "Cond":
        return Cond(self.lo, self.hi, None)

    def render_version(self) -> Optional[str]:
        parts = []
        if self.lo is not None:
            parts.append("JET_VERSION >= 0x%04X" % self.lo)
        if self.hi is not None:
            if self.hi + 1 in (0x0501, 0x0600):
                parts.append("JET_VERSION < 0x%04X" % (self.hi + 1))
            else:
                parts.append("JET_VERSION <= 0x%04X" % self.hi)
        if not parts:
            return None
        return " && ".join("( %s )" % p for p in parts) if len(parts) > 1 else "( %s )" % parts[0]

    def render(self) -> Optional[str]:
        v = self.render_version()
        u = None
        if self.unicode is True:
            u = "defined(JET_UNICODE)"
        elif self.unicode is False:
            u = "!defined(JET_UNICODE)"
        if v and u:
            return "%s && %s" % (v, u)
        return v or u

    def never(self) -> bool:
        return self.lo is not None and self.hi is not None and self.lo > self.hi


def _c_cond_to_python(text: str) -> str:
    s = text
    s = s.replace("&&", " and ").replace("||", " or ")
    s = re.sub(r"defined\s*\(\s*(\w+)\s*\)", lambda m: "_defined(%r)" % m.group(1), s)
    s = re.sub(r"!(?!=)", " not ", s)
    return s


def eval_cond_text(text: str, version: int, unicode: bool) -> bool:
    """Evaluate a condition string of esent-defines.tsv for one configuration."""
    if not text.strip():
        return True
    py = _c_cond_to_python(text)
    env = {
        "JET_VERSION": version,
        "_defined": lambda name: {"JET_UNICODE": unicode, "JET_VERSION": True, "WINVER": False}[name],
    }
    return bool(eval(py, {"__builtins__": {}}, env))  # noqa: S307 - trusted reference text


def parse_cond(text: str) -> Cond:
    """Reduce a tsv condition to a Cond and prove the reduction over all interesting configs."""
    lo: Optional[int] = None
    hi: Optional[int] = None
    unicode: Optional[bool] = None
    s = text.strip()
    if s:
        # Unicode part.
        if re.search(r"!\(\s*!defined\(JET_UNICODE\)\s*\)", s):
            unicode = True
        elif re.search(r"!\s*\(?\s*defined\(JET_UNICODE\)", s):
            unicode = False
        elif "defined(JET_UNICODE)" in s:
            unicode = True
        # Negated lower bounds: !(( JET_VERSION >= X )) means JET_VERSION < X.
        for m in re.finditer(r"!\(\(\s*JET_VERSION\s*>=\s*(0x[0-9A-Fa-f]+)\s*\)\)", s):
            v = int(m.group(1), 16) - 1
            hi = v if hi is None else min(hi, v)
        s2 = re.sub(r"!\(\(\s*JET_VERSION\s*>=\s*0x[0-9A-Fa-f]+\s*\)\)", "", s)
        for op, val in re.findall(r"JET_VERSION\s*(>=|<=|<|>)\s*(0x[0-9A-Fa-f]+)", s2):
            v = int(val, 16)
            if op == ">=":
                lo = v if lo is None else max(lo, v)
            elif op == ">":
                lo = v + 1 if lo is None else max(lo, v + 1)
            elif op == "<":
                hi = v - 1 if hi is None else min(hi, v - 1)
            elif op == "<=":
                hi = v if hi is None else min(hi, v)
    cond = Cond(lo, hi, unicode)
    for ver in INTERESTING_VERSIONS:
        for uni in (False, True):
            if cond.holds(ver, uni) != eval_cond_text(text, ver, uni):
                raise ValueError("cannot reduce condition %r (mismatch at 0x%04X unicode=%s)"
                                 % (text, ver, uni))
    return cond


# --------------------------------------------------------------------------------------------
# esent-defines.tsv
# --------------------------------------------------------------------------------------------

@dataclass
class Define:
    index: int
    name: str
    value: str
    cond_text: str
    cond: Cond

    @property
    def kind(self) -> str:
        """'version' | 'callconv' | 'funcmap' | 'typemap' | 'string' | 'value'"""
        if self.name == "JET_VERSION":
            return "version"
        if self.name in ("JET_API", "JET_NODSAPI"):
            return "callconv"
        if self.name.startswith("Jet"):
            return "funcmap"
        if re.fullmatch(r"JET_[A-Z0-9_]+_[AW]", self.value):
            return "typemap"
        if self.value.startswith('L"'):
            return "string"
        return "value"


def read_defines(data_dir: str) -> List[Define]:
    out: List[Define] = []
    with open(os.path.join(data_dir, "esent-defines.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            while len(parts) < 3:
                parts.append("")
            name, value, cond_text = parts[0], parts[1], parts[2]
            if name == "JET_VERSION":
                cond = Cond()
            else:
                cond = parse_cond(cond_text)
            out.append(Define(len(out), name, value, cond_text, cond))
    return out


# --------------------------------------------------------------------------------------------
# esent-errors.tsv
# --------------------------------------------------------------------------------------------

@dataclass
class ErrorCode:
    name: str
    value: int
    meaning: str
    public: bool


def read_errors(data_dir: str) -> List[ErrorCode]:
    out: List[ErrorCode] = []
    with open(os.path.join(data_dir, "esent-errors.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, value, meaning = line.split("\t", 2)
            public = "[NOT in SDK esent.h" not in meaning
            out.append(ErrorCode(name, int(value), meaning, public))
    return out


# --------------------------------------------------------------------------------------------
# esent-layouts.txt
# --------------------------------------------------------------------------------------------

@dataclass
class Layout:
    name: str
    size: int
    align: int
    fields: List[Tuple[str, int, int]] = field(default_factory=list)  # (name, offset, size)


def read_layouts(data_dir: str) -> List[Layout]:
    out: List[Layout] = []
    with open(os.path.join(data_dir, "esent-layouts.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"(\w+): size=(\d+) align=(\d+) \| (.*)", line)
            if not m:
                raise ValueError("bad layout line: %r" % line)
            lay = Layout(m.group(1), int(m.group(2)), int(m.group(3)))
            for item in m.group(4).split(","):
                fm = re.fullmatch(r"\s*(\w+)@(\d+):(\d+)\s*", item)
                if not fm:
                    raise ValueError("bad field %r in %s" % (item, lay.name))
                lay.fields.append((fm.group(1), int(fm.group(2)), int(fm.group(3))))
            out.append(lay)
    return out


# --------------------------------------------------------------------------------------------
# esent-api.md: section 1 (basic types) and Appendix A (prototypes)
# --------------------------------------------------------------------------------------------

def _read_api_md(data_dir: str) -> str:
    with open(os.path.join(data_dir, "esent-api.md"), encoding="utf-8") as f:
        return f.read()


def _section(text: str, start_heading: str, end_heading: str) -> str:
    i = text.index(start_heading)
    j = text.index(end_heading, i)
    return text[i:j]


@dataclass
class BasicType:
    name: str
    size: int
    align: Optional[int]


def read_basic_types(data_dir: str) -> List[BasicType]:
    """Rows of the section 1 table; JET_VOID (no size) and rows without a size are skipped."""
    sec = _section(_read_api_md(data_dir), "## 1. Basic types", "### Calling convention")
    out: List[BasicType] = []
    for line in sec.splitlines():
        if not line.startswith("| JET_"):
            continue
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        names = [n.strip() for n in cols[0].split("/")]
        sz = cols[3].replace("*", "")
        m = re.fullmatch(r"(\d+)(?:/(\d+))?", sz)
        if not m:
            continue  # e.g. JET_ENGINEFORMATVERSION "—"
        size = int(m.group(1))
        align = int(m.group(2)) if m.group(2) else None
        for n in names:
            if n == "JET_VOID":
                continue  # sizeof(void) is not a thing
            out.append(BasicType(n, size, align))
    return out


@dataclass
class Param:
    type: str
    name: str


@dataclass
class Proto:
    index: int
    name: str
    min_version: Optional[int]          # None = all versions
    partition: str
    params: List[Param]                 # empty list = (void)
    void_spelling: Optional[str] = None  # "void" or "JET_VOID" for empty lists
    legacy_plain: bool = False           # (A*): ANSI prototype under the plain name below 0x0600
    pre0600_buffer: Optional[Param] = None  # replacement first buffer param below 0x0600
    aw_base: Optional[str] = None            # "JetFoo" for JetFooA / JetFooW


def _split_params(text: str) -> List[str]:
    # Appendix A keeps a stray ")" left over from a SAL annotation in one row
    # (JetRetrieveColumn: "..., columnid, ) JET_PVOID pvData, ..."): drop it.
    text = re.sub(r",\s*\)\s*", ", ", text)
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _parse_param(text: str) -> Param:
    text = text.strip()
    m = re.fullmatch(r"(.*?[\w*])\s*\b(\w+)", text)
    if not m:
        raise ValueError("cannot parse parameter %r" % text)
    ptype = re.sub(r"\s+", " ", m.group(1)).strip()
    ptype = re.sub(r"\s*\*", " *", ptype).replace("* *", "**").strip()
    return Param(ptype, m.group(2))


def read_prototypes(data_dir: str) -> List[Proto]:
    text = _read_api_md(data_dir)
    sec = _section(text, "## Appendix A", "## Appendix B")
    protos: List[Proto] = []
    for line in sec.splitlines():
        if not line.startswith("| Jet"):
            continue
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        name_col, ver, part, params = cols[0], cols[1], cols[2], cols[3]
        legacy = "(A*)" in name_col
        name = name_col.replace("(A*)", "").strip()
        min_version = None if ver == "all" else int(ver, 16)
        p = Proto(len(protos), name, min_version, part, [], legacy_plain=legacy)
        if params in ("void", "JET_VOID"):
            p.void_spelling = params
        else:
            p.params = [_parse_param(x) for x in _split_params(params)]
        protos.append(p)

    # A/W pairing.
    names = {p.name for p in protos}
    for p in protos:
        if p.name.endswith("A") and p.name[:-1] + "W" in names:
            p.aw_base = p.name[:-1]
        elif p.name.endswith("W") and (p.name[:-1] + "A" in names or p.name == "JetGetErrorInfoW"):
            p.aw_base = p.name[:-1]

    # Functions whose first buffer parameter is spelled "JET_PVOID pv" below JET_VERSION 0x0600
    # (noted in the section 3 tables).
    for line in text.splitlines():
        if "the buffer param is declared as `JET_PVOID pv`" not in line:
            continue
        fname = line.strip().strip("|").split("|")[0].strip()
        for p in protos:
            if p.name == fname:
                p.pre0600_buffer = Param("JET_PVOID", "pv")
    return protos


def proto_visible(p: Proto, version: int) -> bool:
    return p.min_version is None or version >= p.min_version


def declared_function_names(protos: List[Proto], version: int) -> List[str]:
    """Names the SDK header declares at a given JET_VERSION (JET_UNICODE does not matter)."""
    out = []
    for p in protos:
        if not proto_visible(p, version):
            continue
        if p.legacy_plain and version < 0x0600:
            out.append(p.name[:-1])
        else:
            out.append(p.name)
    return out


def export_names(protos: List[Proto]) -> List[str]:
    """Every function name libesent must export: all prototypes, the legacy plain ANSI names,
    and the plain names esent.dll also exports for the two A/W pairs without a legacy
    declaration (JetInit3, JetOSSnapshotGetFreezeInfo)."""
    names = set(p.name for p in protos)
    for p in protos:
        if p.legacy_plain:
            names.add(p.name[:-1])
    names.update({"JetInit3", "JetOSSnapshotGetFreezeInfo"})
    return sorted(names)


def locate_data_dir(arg: Optional[str]) -> str:
    d = arg or DEFAULT_DATA_DIR
    for f in DATA_FILES:
        if not os.path.exists(os.path.join(d, f)):
            raise SystemExit("reference file %s not found in %s" % (f, d))
    return d
