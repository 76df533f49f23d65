"""The one place YAML is parsed with ``yaml.load``: the safe constructor, on libyaml's parser when PyYAML has it.

A province's catalogue (38,000 targets, 10 MB) takes ~15 s to parse in pure Python and a second in C; the values are
the same (same safe constructor and resolver). ``tests/test_auth.py::test_security_hygiene`` allows ``yaml.load``
only here and checks that this loader refuses Python tags.
"""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """yaml.safe_load with libyaml's parser when available."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader, checked by a test)
