"""Propose catalogue entries from a new plan's text (DESIGN §3, §7 ``extract``); a person reviews them.

The parts, in the order a text goes through them:

- ``normalise``: traditional characters read as simplified (OpenCC), positions kept so quotes stay verbatim.
- ``outline``: headings give each position its chapter, clause, task, lead units; which sections review the past.
- ``geometry``: quotation marks, and the phrase and sentence around a position.
- ``quantities``: every number with its unit, range partner and comparator word (``phrases`` holds every word).
- ``judgement``: is a number a target? each "no" (attribute, baseline, the past …) carries its reason.
- ``naming``: a short indicator name from the words around a number.
- ``reader``: ties them together and reads comparator, kind, deadline and recurrence.
- ``review``: candidates as YAML and as table rows a reviewer edits; ``fragment``: the reviewed plan fragment and
  its merge into ``data/targets.yaml``.
- ``evaluate`` (against the catalogue) and ``gold`` (against hand-made gold lists of real texts); ``cli``: commands.
"""

from __future__ import annotations

from indicators.authoring.cli import PRECISION_THRESHOLD, RECALL_THRESHOLD, add_parser, run_cli
from indicators.authoring.evaluate import EvaluationResult, PlanEvaluation, evaluate, load_catalogue
from indicators.authoring.fragment import FragmentError, load_fragment, merge_text
from indicators.authoring.model import Candidate
from indicators.authoring.outline import parse_lead_units
from indicators.authoring.phrases import PHRASES
from indicators.authoring.reader import extract_candidates, ranked, rejected_numbers
from indicators.authoring.review import ROW_FIELDS, candidate_row, candidates_to_yaml, rows_to_yaml

__all__ = [
    "PHRASES", "PRECISION_THRESHOLD", "RECALL_THRESHOLD", "ROW_FIELDS", "Candidate", "EvaluationResult",
    "FragmentError", "PlanEvaluation", "add_parser", "candidate_row", "candidates_to_yaml", "evaluate",
    "extract_candidates", "load_catalogue", "load_fragment", "merge_text", "parse_lead_units", "ranked",
    "rejected_numbers", "rows_to_yaml", "run_cli",
]
