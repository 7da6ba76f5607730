#!/usr/bin/env python3
"""Check include/esent.h against the reference facts under every JET_VERSION / JET_UNICODE mix.

    tools/abi/check_header.py [--data DIR] [--header FILE] [--cc gcc]

For each configuration the header is run through the C preprocessor and compiled with
-aux-info; the script then compares
  * the macros it defines with the rows of esent-defines.tsv whose condition holds
    (same names, same values; L"..." strings are expected as u"..."), and
  * the functions it declares, with their parameter types, with Appendix A of esent-api.md.
Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import esent_ref as ref  # noqa: E402

# Macros of the header that are not rows of esent-defines.tsv.
OWN_MACROS = {"_JET_INCLUDED", "_JET_BASE_TYPES_DEFINED", "_JET_EXTENSION", "JET_errInvalidgrbit"}
SKIP_ROWS = {"JET_VERSION", "JET_API", "JET_NODSAPI"}


def norm(v: str) -> str:
    return re.sub(r"\s+", "", v)


def header_macros(cc: str, header: str, defs: List[str]) -> Dict[str, str]:
    inc = os.path.dirname(os.path.abspath(header))
    src = '#include "%s"\n' % os.path.basename(header)
    out = subprocess.run([cc, "-E", "-dM", "-x", "c", "-std=c11", "-I", inc] + defs + ["-"],
                         input=src, capture_output=True, text=True, check=True).stdout
    # Macros of the implementation and of <stdint.h> are not the header's.
    base = subprocess.run([cc, "-E", "-dM", "-x", "c", "-std=c11"] + defs + ["-"],
                          input="#include <stdint.h>\n", capture_output=True, text=True, check=True).stdout
    builtin = set(re.findall(r"^#define (\w+)", base, re.M))
    macros = {}
    for line in out.splitlines():
        m = re.match(r"#define (\w+)(?:\s+(.*))?$", line)
        if m and m.group(1) not in builtin:
            macros[m.group(1)] = m.group(2) or ""
    return macros


def header_functions(cc: str, header: str, defs: List[str]) -> Dict[str, List[str]]:
    """name -> parameter types, as declared by the header (via gcc -aux-info)."""
    inc = os.path.dirname(os.path.abspath(header))
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "t.c")
        aux = os.path.join(tmp, "t.aux")
        with open(src, "w") as f:
            f.write('#include "%s"\n' % os.path.basename(header))
        subprocess.run([cc, "-std=c11", "-fsyntax-only", "-aux-info", aux, "-I", inc] + defs + [src],
                       check=True)
        with open(aux) as f:
            text = f.read()
    funcs = {}
    for line in text.splitlines():
        if os.path.basename(header) not in line:
            continue
        m = re.search(r"\*/\s*extern\s+\w+\s+(\w+)\s*\((.*)\);", line)
        if not m:
            continue
        params = [] if m.group(2).strip() == "void" else [p.strip() for p in m.group(2).split(",")]
        funcs[m.group(1)] = [norm(strip_name(p)) for p in params]
    return funcs


def strip_name(param: str) -> str:
    m = re.fullmatch(r"(.*?[\w*])\s*\b(\w+)", param.strip())
    if m and m.group(1).strip() not in ("const", "unsigned", "signed", "struct"):
        return m.group(1)
    return param


def expected_functions(protos: Sequence[ref.Proto], version: int) -> Dict[str, List[str]]:
    out = {}
    for p in protos:
        if not ref.proto_visible(p, version):
            continue
        name = p.name[:-1] if (p.legacy_plain and version < 0x0600) else p.name
        params = list(p.params)
        if p.pre0600_buffer and version < 0x0600:
            k = [q.type for q in params].index("JET_PSTR")
            params[k] = p.pre0600_buffer
        # -aux-info keeps "const T" but drops the const of "T * const".
        out[name] = [norm(re.sub(r"\s*\bconst$", "", q.type)) for q in params]
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--header", default=os.path.join(ref.REPO_ROOT, "include", "esent.h"))
    ap.add_argument("--cc", default="gcc", help="a GCC driver (-aux-info is GCC-only)")
    args = ap.parse_args(argv)
    data = ref.locate_data_dir(args.data)
    defines = ref.read_defines(data)
    protos = ref.read_prototypes(data)
    problems: List[str] = []
    for version in ref.INTERESTING_VERSIONS:
        for unicode in (False, True):
            tag = "JET_VERSION=0x%04X%s" % (version, " JET_UNICODE" if unicode else "")
            defs = ["-DJET_VERSION=0x%04X" % version] + (["-DJET_UNICODE"] if unicode else [])
            got = header_macros(args.cc, args.header, defs)
            want: Dict[str, str] = {}
            for d in defines:
                if d.name in SKIP_ROWS or d.cond.never() or not d.cond.holds(version, unicode):
                    continue
                if d.name in want:
                    problems.append("%s: %s defined twice by the reference" % (tag, d.name))
                want[d.name] = "u" + d.value[1:] if d.kind == "string" else d.value
            got_names = set(got) - OWN_MACROS - {"JET_VERSION", "JET_API", "JET_NODSAPI", "JET_UNICODE"}
            for n in sorted(set(want) - got_names):
                problems.append("%s: missing macro %s" % (tag, n))
            for n in sorted(got_names - set(want)):
                problems.append("%s: unexpected macro %s" % (tag, n))
            for n in sorted(set(want) & got_names):
                if norm(got[n]) != norm(want[n]):
                    problems.append("%s: %s is %r, expected %r" % (tag, n, got[n], want[n]))
            if got.get("JET_API", None) != "" or got.get("JET_NODSAPI", None) != "":
                problems.append("%s: JET_API / JET_NODSAPI must be empty" % tag)

            fgot = header_functions(args.cc, args.header, defs)
            fwant = expected_functions(protos, version)
            for n in sorted(set(fwant) - set(fgot)):
                problems.append("%s: function %s not declared" % (tag, n))
            for n in sorted(set(fgot) - set(fwant)):
                problems.append("%s: unexpected function %s" % (tag, n))
            for n in sorted(set(fwant) & set(fgot)):
                if fgot[n] != fwant[n]:
                    problems.append("%s: %s(%s) differs from Appendix A (%s)"
                                    % (tag, n, ", ".join(fgot[n]), ", ".join(fwant[n])))
        # Without prototypes no function may be declared.
        if header_functions(args.cc, args.header, ["-DJET_VERSION=0x%04X" % version,
                                                   "-D_JET_NOPROTOTYPES"]):
            problems.append("JET_VERSION=0x%04X: _JET_NOPROTOTYPES still declares functions" % version)
    for p in problems:
        print(p)
    print("%d configurations checked, %d problem(s)" % (2 * len(ref.INTERESTING_VERSIONS), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
