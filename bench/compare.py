"""Two benchmark reports side by side, so a change shows its effect: every number in either report, its value in
A and in B, and B/A. A number one report lacks (an older report, a new section) shows as "–".

    python -m bench.compare A.json B.json [--only feed,tips]

The reports are what `python -m bench.run` writes (bench/report.json). The comparison walks both JSON trees
whatever their shape, so new sections need nothing here; `machine` and `config` are shown once, as a header.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

HEADER = ("machine", "config")
MISSING = "–"


def number(value: object) -> float | None:
    """The value if it is a number (booleans are not), else None."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def branches(value: object) -> dict | None:
    """A dict or list as a dict (lists by index); None for a leaf."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return None


def numbers(a: object, b: object, path: str = "") -> Iterator[tuple[str, float | None, float | None]]:
    """(path, A's number or None, B's number or None) for every numeric leaf of either tree, A's order first."""
    tree_a, tree_b = branches(a), branches(b)
    if tree_a is not None or tree_b is not None:
        tree_a, tree_b = tree_a or {}, tree_b or {}
        for key in [*tree_a, *(k for k in tree_b if k not in tree_a)]:
            yield from numbers(tree_a.get(key), tree_b.get(key), f"{path}.{key}" if path else str(key))
    elif number(a) is not None or number(b) is not None:
        yield path, number(a), number(b)


def show(value: object) -> str:
    if value is None:
        return MISSING
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 1e6 else f"{value:.6g}"
    return str(value)


def ratio(a: float | None, b: float | None) -> str:
    return MISSING if a is None or b is None or a == 0 else f"{b / a:.3f}"


def table(rows: list[tuple[str, ...]], numeric: bool = True) -> list[str]:
    """Columns as wide as their widest cell: the first left-aligned, the others right-aligned if `numeric`."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    align = str.rjust if numeric else str.ljust
    return ["  ".join([row[0].ljust(widths[0]), *(align(c, w) for c, w in zip(row[1:], widths[1:]))]).rstrip()
            for row in rows]


def compare(a: dict, b: dict, only: set[str] | None = None) -> list[str]:
    header = [("", "A", "B")]
    for section in HEADER:
        part_a, part_b = a.get(section) or {}, b.get(section) or {}
        header += [(f"{section}.{key}", str(part_a.get(key, MISSING)), str(part_b.get(key, MISSING)))
                   for key in [*part_a, *(k for k in part_b if k not in part_a)]]
    body = [("", "A", "B", "B/A")]
    for key in [*a, *(k for k in b if k not in a)]:
        if key in HEADER or (only is not None and key not in only):
            continue
        body += [(path, show(x), show(y), ratio(x, y)) for path, x, y in numbers(a.get(key), b.get(key), key)]
    return [*table(header, numeric=False), "", *table(body)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="the report before (A)")
    parser.add_argument("b", help="the report after (B)")
    parser.add_argument("--only", help="top-level sections to compare, comma-separated (e.g. feed,tips)")
    args = parser.parse_args(argv)
    reports = []
    for name in (args.a, args.b):
        with open(name, encoding="utf-8") as f:
            reports.append(json.load(f))
    only = {s.strip() for s in args.only.split(",") if s.strip()} if args.only else None
    print(f"A: {args.a}\nB: {args.b}")
    print("\n".join(compare(*reports, only=only)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
