"""The project's shared words, at the bottom layer: every package may import them.

One declaration each for what a document is (kinds and classes), where it stands (status)
and where its identity was read (sources). Readers, rules, views, the audit and the
commands use these names instead of spelling the strings again.
"""

from __future__ import annotations

from typing import Final

# ------------------------------------------------------------------ document status
LOADED: Final = "loaded"
QUARANTINED: Final = "quarantined"
SEEN_ONLY: Final = "seen_only"
#: Read, but its identity needs a person (no department or unit named, no kind stated):
#: facts kept, out of every view until released (``county-budgets review``).
HELD: Final = "held"
WITHDRAWN: Final = "withdrawn"
STATUSES: Final = (LOADED, QUARANTINED, SEEN_ONLY, HELD, WITHDRAWN)

# ------------------------------------------------------------------ document kinds (dim_document.doc_kind)
DEPARTMENT_BUDGET: Final = "department_budget"
UNIT_BUDGET: Final = "unit_budget"
FINAL_ACCOUNT: Final = "final_account"
PERFORMANCE_TARGET_FORM: Final = "performance_target_form"
DOC_KIND_VALUES: Final = (DEPARTMENT_BUDGET, UNIT_BUDGET, FINAL_ACCOUNT, PERFORMANCE_TARGET_FORM)

# ------------------------------------------------------------------ document classes (dim_document.doc_class)
#: A department's or unit's own disclosure: these enter the department facts and marts.
DISCLOSURE_CLASSES: Final = (
    DEPARTMENT_BUDGET, UNIT_BUDGET, "department_final_account", "unit_final_account",
    "three_public_budget", "three_public_final_account", PERFORMANCE_TARGET_FORM,
)
#: Look-alikes kept out (status quarantined, the reason naming what they are).
LOOK_ALIKE_CLASSES: Final = (
    "government_fiscal_report", "region_three_public_summary", "audit_report", "statistical_bulletin",
    "procurement", "regulation", "performance_evaluation", "performance_self_evaluation",
    "information_disclosure_report", "rule_of_law_report",
)

# ------------------------------------------------------------------ where identity was read
#: A fiscal year read from the document itself (title, cover, a table's title, the first
#: statement naming the year of a budget or final account, or the printed name of the
#: attachment a page links); a volume that prints none takes it from its context (flows.year_hints).
PRINTED_YEAR_SOURCES: Final = ("title", "cover", "table_title", "statement", "page_link")
#: Where a department's or unit's name was read.
DEPARTMENT_SOURCES: Final = ("label", "title", "cover", "statement", "heading", "signature", "sibling_volume",
                              "review")
#: Administrative levels of the body that publishes (GB/T 2260 level, or the body's own).
ADMIN_LEVELS: Final = ("national", "provincial", "city", "county", "township")
#: What kind of body a conformed department is: a government or Party department, a unit (a
#: 事业单位: school, hospital, centre …), or a unit of a central ministry (a 教育部 university):
#: each is compared only with its own kind (``dim_department_conformed.body_type``).
BODY_TYPES: Final = ("department", "unit", "central_unit")
#: ``--level all``: rank across every level at once (the ranking view's ``rank_all_levels``).
ALL_LEVELS: Final = "all"
