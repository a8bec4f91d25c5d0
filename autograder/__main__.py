"""The instructor's command line: `python -m autograder COMMAND`.

  release [ASSIGNMENT ...]                  generate the student versions in release/ with nbgrader
  sync                                      copy the shared modules next to every instructor notebook
  grade SUBMITTED --assignment ID [...]     grade a class: gradebook, grades.csv, feedback, report
  feedback --assignment ID [--out DIR]      rewrite the feedback pages from the stored results, and the
                                            copies nbgrader's release_feedback hands to the students
  report --assignment ID [--out DIR]        redraw the report from the stored results
  export --assignment ID [--canvas CSV]     scores.csv for any LMS, and Canvas's gradebook CSV filled in
  similarity --assignment ID [--reference DIR ...]
                                            similarity.csv: pairs of students whose work looks copied
"""
import argparse
import gc
import sys
from pathlib import Path

from .environment import prepare_process
from .grading.pool import DEFAULT_WORKERS, start_forkserver
from .paths import ROOT


def _default_out(args):
    return Path(args.out) if args.out else Path("grades") / args.assignment


def _short(result):
    """The first thing that needs attention, and how many more there are (totals.csv has them all)."""
    items = ([result.problem] if result.problem else []) + result.notices
    if not items:
        return ""
    first = items[0].split(".ipynb: ", 1)[-1]  # the student's row already says whose file it is
    first = first if len(first) <= 90 else first[:89] + "\u2026"
    return first + (f" (+{len(items) - 1} more)" if len(items) > 1 else "")


def _print_summary(class_results, out):
    width = max([len("student")] + [len(result.student_id) for result in class_results])
    print(f"\n{'student':<{width}}  {'score':>9}  passed  needs attention")
    for result in class_results:
        passed = sum(row.status == "passed" for row in result.rows)
        print(f"{result.student_id:<{width}}  {result.score:>4g} / {result.max_score:<3g}  "
              f"{passed:>2}/{len(result.rows):<3}  {_short(result)}")
    late = [result for result in class_results if result.late]
    if late:
        print(f"\n{len(late)} late submission(s):")
        for result in late:
            print(f"  {result.student_id:<{width}}  {result.late}")
    print(f"\nwrote {out / 'grades.csv'}, {out / 'totals.csv'}, {out / 'report.html'} (and report.png), "
          f"{len(class_results)} feedback pages in {out / 'feedback'}/, and {out / 'similarity.csv'} "
          f"(pairs whose work looks copied, for you only)")


def _grade(args, course):
    from .course import NbgraderFailed
    from .grading.grade import CannotGrade, Options, grade
    from .grading.pool import PoolBroken
    from .grading.submissions import SubmissionsNotFound, refused

    out = _default_out(args)
    options = Options(Path(args.submitted), args.assignment, out, workers=args.workers, force=args.force,
                      cell_timeout=args.cell_timeout, time_limit=args.time_limit, course=course,
                      sandbox=not args.no_sandbox, cold_kernels=args.cold_kernels, memory=int(args.memory * 1024 ** 3),
                      scheduler=args.scheduler)
    try:
        class_results = grade(options)
    except (SubmissionsNotFound, NbgraderFailed, CannotGrade, PoolBroken) as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    _print_summary(class_results, out)
    attention = [result for result in class_results if result.attention]
    if attention:
        print(f"\n{len(attention)} student(s) need attention: "
              f"{', '.join(result.student_id for result in attention)}", file=sys.stderr)
    not_graded = refused(options.submitted)
    for line in not_graded:
        print(f"not graded: {line}", file=sys.stderr)
    return 1 if attention or not_graded else 0


def _stored_results(args):
    from .grading import results

    out = _default_out(args)
    class_results = results.load_all(out)
    if not class_results:
        print(f"error: {out / 'results'} holds no results: run `python -m autograder grade` first", file=sys.stderr)
    return out, class_results


def _feedback(args, course, out, class_results):
    from .reporting import feedback

    delivered, changed = [], []
    for result in class_results:
        try:
            folder = feedback.publish(out, course, result)
            if folder:
                delivered.append(folder)
        except feedback.NotDelivered as error:
            print(f"error: {result.student_id}: feedback not delivered: {error}", file=sys.stderr)
            changed.append(result.student_id)
    print(f"wrote {len(class_results)} feedback pages in {out / 'feedback'}/")
    if delivered:
        print(f"wrote {len(delivered)} of them as the notebook's feedback in {delivered[0].parent.parent}/<student>/"
              f"{args.assignment}/: "
              f"`nbgrader release_feedback {args.assignment}` hands each student their own")
    return 1 if changed else 0


def _export(args, course):
    from .reporting import export

    out = _default_out(args)
    try:
        written, canvas = export.export(args.assignment, out, course, args.canvas, args.match, args.column)
    except export.ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if canvas:
        for line in canvas.warnings + [f"unknown: {line}" for line in canvas.unknown] + \
                [f"missing: {line}" for line in canvas.missing]:
            print(line)
        print(f"filled {canvas.filled} student(s) of {args.canvas}'s {args.assignment} column")
    print(f"wrote {', '.join(map(str, written))}")
    return 0


def _similarity(args, course):
    from .similarity import detect

    out = _default_out(args)
    if not (out / "results").is_dir() and not args.submitted:
        print(f"error: {out / 'results'}: no such folder: grade first, or name the submissions with --submitted",
              file=sys.stderr)
        return 2
    path, pairs, problems = detect.run(course, args.assignment, out, args.submitted, args.reference or ())
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    print(f"wrote {path}: {len(pairs)} flagged pair(s) (only for the instructor)")
    return 0


def _grades_with_local_workers(argv):
    return argv[:1] == ["grade"] and not any(argument.startswith("--scheduler") for argument in argv)


def main(argv=None):
    # Before any other module of the kit is imported: prepare_process keeps jsonschema's import quick.
    prepare_process()
    argv = sys.argv[1:] if argv is None else list(argv)
    if _grades_with_local_workers(argv):
        start_forkserver()  # it imports what the workers need while this process imports what it needs
    from .course import Course, NoCourse
    from .reporting import export

    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    release_parser = commands.add_parser("release", help="generate the student versions in release/")
    release_parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    commands.add_parser("sync", help="copy the shared modules next to every instructor notebook")
    grade_parser = commands.add_parser("grade", help="grade every submission of an assignment")
    grade_parser.add_argument("submitted", help="folder laid out as <student_id>/<assignment>/<notebook>.ipynb")
    export_parser = commands.add_parser("export", help="scores for the LMS: scores.csv, and a filled Canvas CSV")
    similarity_parser = commands.add_parser("similarity", help="flag pairs of students whose work looks copied")
    similarity_parser.add_argument("--reference", action="append", metavar="DIR",
                                   help="notebooks or .py files of published solutions or past years (repeatable)")
    similarity_parser.add_argument("--submitted", help="the submissions, <student_id>/<assignment>/<notebook> "
                                                       "(default: the folders the results were graded from)")
    for name in ("grade", "feedback", "report", "export", "similarity"):
        sub = {"grade": grade_parser, "export": export_parser, "similarity": similarity_parser}.get(name) or \
            commands.add_parser(name, help=f"rewrite the {name} from results")
        sub.add_argument("--assignment", required=True, help="assignment id, e.g. step_by_step")
        sub.add_argument("--out", help="output folder (default: grades/<assignment>)")
        if name != "report":
            sub.add_argument("--course", default=str(ROOT), help="nbgrader course folder with source/ and the "
                                                                 "gradebook (default: this repository)")
    export_parser.add_argument("--canvas", help="the gradebook CSV downloaded from Canvas (Grades > Export)")
    export_parser.add_argument("--match", choices=sorted(export.MATCHES), default="sis-login-id",
                               help="how Canvas's rows are matched to the course's students: nbgrader's student id "
                                    "against SIS Login ID (default) or SIS User ID, or the roster's lms_user_id "
                                    "against Canvas's ID")
    export_parser.add_argument("--column", help="the Canvas column to fill (default: the one named "
                                                "'<assignment> (<Canvas id>)')")
    grade_parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                              help=f"parallel grading processes (default: the number of cores + 1 = {DEFAULT_WORKERS})")
    grade_parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    grade_parser.add_argument("--cell-timeout", type=int, help="seconds a cell may run (default: nbgrader_config.py)")
    grade_parser.add_argument("--time-limit", type=float, default=600, help="seconds a submission may run")
    grade_parser.add_argument("--memory", type=float, default=2,
                              help="gigabytes of memory each process of a submission may use (default: 2)")
    grade_parser.add_argument("--scheduler", metavar="tcp://HOST:8786",
                              help="grade on the Dask cluster of this scheduler (each worker needs the kit at this "
                                   "version, and bubblewrap); without it, local worker processes grade")
    grade_parser.add_argument("--no-sandbox", action="store_true",
                              help="run the submissions without bubblewrap's sandbox (the report says so)")
    grade_parser.add_argument("--cold-kernels", action="store_true",
                              help="start a fresh kernel for every submission instead of forking a warm one from a "
                                   "template that imported NumPy and Matplotlib once (slower; the same grades)")
    args = parser.parse_args(argv)

    try:
        course = Course.at(getattr(args, "course", ROOT))
    except NoCourse as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command in ("release", "sync"):
        from .generators import release
        if args.command == "release":
            release.main(course, args.assignments)
        else:
            release.sync(course)
        return 0
    if args.command == "grade":
        return _grade(args, course)
    if args.command == "export":
        return _export(args, course)
    if args.command == "similarity":
        return _similarity(args, course)
    out, class_results = _stored_results(args)
    if not class_results:
        return 2
    if args.command == "feedback":
        return _feedback(args, course, out, class_results)
    from .reporting import report
    print(f"wrote {report.write(out, args.assignment, class_results)}")
    return 0


if __name__ == "__main__":
    status = main()
    # What is left is Python's tear-down, whose collections of the objects of the ~2,000 modules grading imports
    # took 0.3 s; frozen, they are left to the operating system. Files and connections are closed already.
    gc.freeze()
    sys.exit(status)
