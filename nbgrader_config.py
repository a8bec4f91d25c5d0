"""nbgrader's configuration for this course; nbgrader reads it when run from the repository root.

The folders are nbgrader's defaults: instructor notebooks in source/, student versions in release/,
submissions in submitted/, and the gradebook in gradebook.db (SQLite, kept out of git).
"""
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput, DeduplicateIds,
                                    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

import os

from autograder.environment import scripts_on_path
from autograder.grading.inert import DisarmActiveContent
from autograder.grading.preprocessors import DropMalformedGradingMetadata, GradeInKernel
from autograder.generators.release import bring_shared_modules

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# nbgrader makes a new gradebook by running its `alembic` script, found on PATH: `.venv/bin/nbgrader db student
# import ...`, run as the README shows it without the environment activated, would fail half-way and leave a
# gradebook without its version table. This environment's scripts come first on PATH for every nbgrader command.
os.environ["PATH"] = scripts_on_path()["PATH"]

c.CourseDirectory.course_id = "deep-nn-step-by-step"

# What each assignment's notebook imports (dnn_utils.py, testCases/, ...) lives at the repository's top level;
# before nbgrader copies source/<assignment>/ into the release, this hook puts copies there, so that
# `nbgrader generate_assignment <assignment> --force` gives exactly the committed release.
c.GenerateAssignment.pre_convert_hook = bring_shared_modules

# `nbgrader export` writes nbgrader-export.csv, a name no table of the kit's grade command has (nbgrader's
# default, grades.csv, is the name of the kit's per-function table, with other columns).
c.ExportPlugin.to = "nbgrader-export.csv"

# A graded cell that runs longer than this is stopped and scores zero; the course's cells take
# well under a second, so a minute only ever stops an infinite loop.
c.Execute.timeout = 60

# Once the last cell has run, nothing is left to wait for: stop the kernel at once.
c.Execute.shutdown_kernel = "immediate"

# A student who deletes a graded test cell gets it back from the gradebook instead of silently
# skipping those points.
c.OverwriteCells.add_missing_cells = True

# nbgrader's default kernel arguments, plus a quieter kernel log (errors only). While the kit grades,
# the kernel's own output goes nowhere anyway (GradeInKernel.setup_kernel).
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]

# nbgrader's sanitising steps before a submission runs, plus DropMalformedGradingMetadata, before and
# after DeduplicateIds: nbgrader metadata a student garbled, or that DeduplicateIds emptied on a
# duplicated graded cell, would otherwise stop the whole submission (see autograder/grading/preprocessors.py).
# nbgrader's own ClearHiddenTests runs the test cells as students see them: the grader runs the hidden
# tests from outside the student's kernel.
c.Autograde.sanitize_preprocessors = [DropMalformedGradingMetadata, ClearOutput, DeduplicateIds,
                                      DropMalformedGradingMetadata, OverwriteKernelspec, OverwriteCells,
                                      ClearHiddenTests, CheckCellMetadata]

# nbgrader's grading steps, with an Execute that grades each function from outside the kernel, and
# keeps the grades of the functions graded when a student's code kills the kernel. DisarmActiveContent,
# after the last output is in and before the notebook is saved, makes what the student's code displayed
# and the student's markdown inert: the formgrader and nbgrader's feedback show them in a browser.
c.Autograde.autograde_preprocessors = [GradeInKernel, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       DisarmActiveContent, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
