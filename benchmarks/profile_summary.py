#!/usr/bin/env python3
"""Where a profiled gongshi build spends its time: ``profile_summary.py PROF [--top 25]``.

Make the profile with
``python -m cProfile -o prof.out build.py --root DIR --out OUT site``; this prints the
stages (load, validate, model, warnings, plan, MkDocs render, Pagefind, publish) with
their cumulative seconds and share, then the top entries by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import io
import pstats
import sys
from pathlib import Path

# stage -> (file suffix, function name); cumulative time of that function
STAGES = [
    ("check (all of load + validate + cross-checks + model + warnings)", "generator/check.py", "check"),
    ("  load: YAML events → values", "generator/load.py", "load_file"),
    ("  validate: pydantic", "generator/validate.py", "validate"),
    ("  privacy scan", "generator/check.py", "_privacy"),
    ("  cross-file checks", "generator/references.py", "check_unit"),
    ("  model", "generator/model.py", "build"),
    ("  warnings (figures per unit)", "generator/check.py", "_warnings"),
    ("  per unit through the check cache (hash, read, write)", "generator/checkcache.py", "load"),
    ("site: plan (page groups, keys, ledger pages)", "generator/web/__init__.py", "plan_site"),
    ("  unit pages (contexts, QR)", "generator/web/units.py", "unit_pages"),
    ("  member pages (contexts)", "generator/web/units.py", "member_pages"),
    ("  QR codes (segno)", "generator/qr.py", "qr_svg"),
    ("  ledgers", "generator/web/overview.py", "_ledger_pages"),
    ("  data exports", "generator/exports.py", "data_files"),
    ("  board links", "generator/cli.py", "for_page"),
    ("site: render and publish (as gongshi calls it)", "generator/sitebuild/__init__.py", "build_site"),
    ("  page bodies in gongshi's own Jinja environment", "generator/web/render.py", "render"),
    ("  MkDocs build", "mkdocs/commands/build.py", "build"),
    ("  Jinja templates (page render)", "mkdocs/commands/build.py", "_build_page"),
    ("  page HTML write", "mkdocs/utils/__init__.py", "write_file"),
    ("  mkdocs copy static / generated files", "mkdocs/structure/files.py", "copy_file"),
    ("site: Pagefind index (subprocess)", "generator/sitebuild/search.py", "pagefind"),
    ("site: publish (swap into place)", "generator/sitebuild/publish.py", "swap"),
]


def stage_table(stats: pstats.Stats) -> str:
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _, ct, _) in raw.values())
    lines = [f"total {total:.1f} s", "", "| stage | cumulative s | share |", "|---|---:|---:|"]
    for label, suffix, name in STAGES:
        found = [ct for (file, _, func), (_, _, _, ct, _) in raw.items() if file.endswith(suffix) and func == name]
        if found:
            lines.append(f"| {label} | {max(found):.1f} | {max(found) / total * 100:.0f}% |")
    return "\n".join(lines)


def top(stats: pstats.Stats, key: str, n: int) -> str:
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats(key).print_stats(n)
    text = out.getvalue()
    return text[text.find("   ncalls"):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    stats = pstats.Stats(str(args.profile))
    stats.strip_dirs = lambda: stats  # type: ignore[method-assign]  # keep paths: stages match on them
    print(stage_table(stats))
    print(f"\n## top {args.top} by cumulative time\n")
    print(top(stats, "cumulative", args.top))
    print(f"\n## top {args.top} by own time (tottime)\n")
    print(top(stats, "tottime", args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
