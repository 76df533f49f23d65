"""Every coded message family has its sentence in both languages, for the params its real raise sites pass.

The raise sites are found in the source (ast): ``UnitError("code", unit=...)``, ``ExportError("code")``,
``AuthError("code", ...)``, ``Problem(where, field, "code", {params}, ...)`` and the validator's local
``problem(field, "code", **params)``. Each is rendered through its own ``message(lang)`` with those params, so a
missing key, a misspelt placeholder or a param the wording does not take fails here; and every message in the
families' catalogue sections is raised somewhere (no dead wording).
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from indicators import i18n
from indicators.accounts import AuthError
from indicators.authoring.normalise import PlanTextError
from indicators.catalogue import Problem
from indicators.catalogue.load import SCHEMA_CODES, schema_problem
from indicators.outputs.png import ExportError
from indicators.store import UnitChangeError
from indicators.text.units import UnitError

ROOT = Path(__file__).resolve().parent.parent
# constructor name -> (i18n prefix, position of the code argument)
FAMILIES = {"UnitError": ("unit_error", 0), "ExportError": ("export_error", 0), "AuthError": ("account", 0),
            "PlanTextError": ("plan_text", 0), "Problem": ("catalogue", 2), "problem": ("catalogue", 1)}
NOT_PARAMS = {"line", "entry", "where", "target_id"}  # a Problem's location, not its wording's values
# codes a Problem forwards from another family (rules.py: problem("unit", exc.code, **exc.params) for parse_unit)
FORWARDED = {("catalogue", "missing_unit", ("unit",)), ("catalogue", "unknown_unit", ("unit",)),
             ("catalogue", "ambiguous_unit", ("unit",))}
SAMPLE = 1.5  # formats as {x}, {x!r} and {x:g} alike


def _raise_sites() -> set[tuple[str, str, tuple[str, ...]]]:
    """(prefix, code, param names) of every coded construction with a literal code in indicators/."""
    found = set()
    for path in ROOT.glob("indicators/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in FAMILIES:
                continue
            prefix, position = FAMILIES[name]
            if len(node.args) <= position or not isinstance(node.args[position], ast.Constant):
                continue  # a code passed on from elsewhere (FORWARDED, SCHEMA_CODES) or the class itself
            if not node.args[position].value:
                continue  # AuthError(""): the refusal was said already (cli_actor), nothing more to say
            params = {k.arg for k in node.keywords if k.arg and k.arg not in NOT_PARAMS and k.arg != "params"}
            dicts = [*node.args[position + 1:position + 2], *(k.value for k in node.keywords if k.arg == "params")]
            params |= {key.value for d in dicts if isinstance(d, ast.Dict) for key in d.keys if key is not None}
            found.add((prefix, node.args[position].value, tuple(sorted(params))))
    return found


# coded errors whose code is fixed inside their class (their raise sites pass values, not a code)
FIXED = {("unit_change", "not_convertible", ("count", "new", "old", "target_id"))}
SITES = sorted(_raise_sites() | FORWARDED | FIXED)


def _render(prefix: str, code: str, params: tuple[str, ...], lang: str) -> str:
    values = dict.fromkeys(params, SAMPLE)
    if prefix == "catalogue":
        return Problem("x", "f", code, values).message(lang)
    if prefix == "unit_change":
        return UnitChangeError(**values).message(lang)
    error = {"unit_error": UnitError, "export_error": ExportError, "account": AuthError,
             "plan_text": PlanTextError}[prefix](code, **values)
    return error.message(lang)


def test_the_scan_finds_the_families():
    prefixes = {prefix for prefix, _, _ in SITES}
    assert prefixes == {"unit_error", "export_error", "account", "catalogue", "unit_change", "plan_text"}
    assert ("catalogue", "deadline_outside_plan", ("deadline", "end", "start")) in SITES


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize(("prefix", "code", "params"), SITES, ids=lambda v: v if isinstance(v, str) else None)
def test_every_code_raised_has_its_sentence_in_both_languages(prefix, code, params, lang):
    text = _render(prefix, code, params, lang)
    assert text and "{" not in text
    placeholders = {name for _, name, _, _ in string.Formatter().parse(i18n.catalogue(lang)[f"{prefix}.{code}"])
                    if name}
    assert placeholders <= set(params), f"{prefix}.{code} asks for {placeholders - set(params)}, never passed"


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("error_type", [*SCHEMA_CODES, "an_unmapped_type"])
def test_every_pydantic_error_type_has_its_sentence(error_type, lang):
    error = {"type": error_type, "loc": ("targets", 3, "value"), "msg": "pydantic's own words", "input": "x",
             "ctx": {"expected": "'a', 'b' or 'c'"}}
    problem = schema_problem("t1", error, 9, "target")
    assert problem.code == SCHEMA_CODES.get(error_type, "schema_other")
    text = problem.message(lang)
    assert "targets.3.value" in text and "{" not in text


@pytest.mark.parametrize("prefix", ["unit_error", "export_error", "unit_change", "plan_text", "catalogue"])
def test_every_message_of_a_family_is_raised_somewhere(prefix):
    raised = {code for p, code, _ in SITES if p == prefix} | set(SCHEMA_CODES.values()) | {"schema_other"}
    defined = {key.removeprefix(f"{prefix}.") for key in i18n.catalogue("zh") if key.startswith(f"{prefix}.")}
    assert sorted(defined - raised) == []


@pytest.mark.parametrize("entry", ["target", "plan", "sector", "department", "departments", "exclusion", "fragment",
                                   "file"])
def test_every_entry_a_problem_names_has_its_wording(entry):
    from indicators.catalogue.models import ENTRIES

    assert entry in ENTRIES
    problem = Problem("a-1", "f", "bad_id", line=3, entry=entry)
    assert all(problem.text(lang).endswith(f"· f [bad_id]: {problem.message(lang)}") for lang in i18n.LANGS)
