"""Instructor-side tools of the course kit: release, reference solutions, hidden tests and grading."""
import sys

# nbformat validates with jsonschema, whose format checkers import rfc3987_syntax when it is installed (Jupyter's
# packages install it). That module compiles about 35 Lark grammars at import, 0.9 s of CPU in every grader
# process, for the "iri" format, which no notebook schema uses (python-jsonschema/jsonschema#1428). Marked as
# absent, it is skipped: jsonschema then leaves that one format unchecked, as it does wherever it is missing.
sys.modules.setdefault("rfc3987_syntax", None)
