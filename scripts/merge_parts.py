"""One-off: merge the per-plan part files written while cataloguing into data/targets.yaml and data/not_targets.yaml."""

import re
import sys
from pathlib import Path

parts = Path("data/parts")
order = ["001a", "001b", "000", "002", "003", "004"]


def body(path: Path, key: str) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"^{key}:\s*(\[\])?\s*\n", "", text, count=1, flags=re.M)
    if re.search(r"^- ", text, flags=re.M):  # a part written with its list at column 0: indent it like the rest
        text = "\n".join(("  " + line) if line else line for line in text.splitlines())
    return text.rstrip() + "\n" if text.strip() else ""


targets = parts.joinpath("plans.yaml").read_text(encoding="utf-8").rstrip() + "\n\ntargets:\n"
exclusions = ("# Numbers in the source texts judged NOT to be targets, each with its quote and reason.\n"
              "# Together with data/targets.yaml these account for every Arabic-digit number in data/sources/\n"
              "# other than clause numbers, years, dates and document numbers (tests/test_catalogue_data.py).\n"
              "exclusions:\n")
for name in order:
    t, e = parts / f"{name}.yaml", parts / f"{name}.exclusions.yaml"
    if not t.exists():
        sys.exit(f"missing {t}")
    targets += body(t, "targets")
    exclusions += body(e, "exclusions")
Path("data/targets.yaml").write_text(targets, encoding="utf-8")
Path("data/not_targets.yaml").write_text(exclusions, encoding="utf-8")
print("merged")
