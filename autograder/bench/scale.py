"""Benchmark: grading on a Dask cluster against the local pool, the gradebook recorder's throughput, and what a
class of 10,000 would take. `make bench-scale` runs `python -m autograder.bench.scale`.

1. The sample class, repeated to --students submissions, graded by `python -m autograder grade` with the local
   pool of --workers processes and with `--scheduler` on a local Dask cluster of as many single-threaded worker
   processes (a `dask scheduler` and `dask worker` processes on 127.0.0.1), alternating ABAB; each reports its
   best run, since other load on a shared machine only adds time.
2. The recorder (gradebook.record_graded, what runs for each graded student) storing already graded notebooks,
   --records students, as the grade command records them: into a fresh SQLite gradebook by one process (the
   grading process), and into a fresh database of a PostgreSQL 15 server with its default durability (fsync on),
   started on 127.0.0.1 for the benchmark, by --workers processes at once (the workers; one alone is printed too).
3. From these: the time of a class of 10,000 on 50 and 200 worker cores.
"""
import argparse
import concurrent.futures
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from ..generators import sample_class
from ..course import Course
from ..environment import prepare_process
from ..grading.gradebook import ensure_registered, gradebook, record_graded
from ..grading.gradecells import graded_cells
from ..grading.pool import DEFAULT_WORKERS
from ..paths import NOTEBOOKS, ROOT
from .dask_cluster import DaskCluster
from .grading import _kit_run, _released_course
from .postgres_server import PostgresServer, free_port

ASSIGNMENT = sample_class.ASSIGNMENT
CLASS = 10_000
CORES = (50, 200)


def _record_share(db_url, course, first, count):
    """In a recording process: record `count` students from number `first` on; return (start, end) in the
    system's monotonic clock, which all processes share, after the imports and the first opening."""
    prepare_process()
    recorder = Course.at(course).with_gradebook(db_url)
    graded = [(nbformat.read(folder / NOTEBOOKS[ASSIGNMENT], as_version=4), course / "submitted" / folder.parent.name
               / ASSIGNMENT) for folder in sorted((course / "autograded").glob(f"*/{ASSIGNMENT}"))]
    with gradebook(db_url):
        pass
    start = time.perf_counter()
    for index in range(first, first + count):
        notebook, submission = graded[index % len(graded)]
        record_graded(recorder, ASSIGNMENT, f"student_{index:05d}", notebook, submission)
    return start, time.perf_counter()


def _record(db_url, course, records, processes):
    """Students per second that `processes` processes at once store into `db_url` with record_graded, each its
    share of `records` students, from the course's autograded notebooks."""
    recorder = Course.at(course).with_gradebook(db_url)
    ensure_registered(recorder, ASSIGNMENT, graded_cells(recorder.source_notebook(ASSIGNMENT)))
    share = records // processes
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(processes, mp_context=context) as pool:
        spans = list(pool.map(_record_share, [db_url] * processes, [course] * processes,
                              [index * share for index in range(processes)], [share] * processes))
    return share * processes / (max(end for _, end in spans) - min(start for start, _ in spans))


def _projection(label, seconds_per_student, record_rate, startup):
    """T = startup + N * max(c / C, 1 / R) for N students, C worker cores, c core-seconds per student (grading, and
    recording where the workers record) and R the students per second the gradebook takes: the cores and the
    recording work at the same time, the slower bounds."""
    times = []
    for cores in CORES:
        total = startup + CLASS * max(seconds_per_student / cores, 1 / record_rate)
        bound = "recorder-bound" if 1 / record_rate > seconds_per_student / cores else "cores-bound"
        times.append(f"{cores} cores: {total / 60:6.1f} min ({bound})")
    return f"  {label:<30} " + ";  ".join(times)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="local processes, and Dask workers")
    parser.add_argument("--runs", type=int, default=2, help="runs per engine, alternating (default: 2)")
    parser.add_argument("--records", type=int, default=300, help="students recorded into each gradebook")
    parser.add_argument("--out", default=str(ROOT / "build" / "bench-scale"))
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()

    submitted = sample_class.build(out / "class", size=args.students)
    print(f"class: {args.students} submissions of {ASSIGNMENT} (the sample class, repeated), sandboxed, "
          f"{args.workers} workers, on {os.cpu_count()} cores")
    times = {"local pool": [], "Dask cluster": []}
    cluster = DaskCluster(out / "dask", args.workers)
    try:
        cluster.start()
        for run in range(args.runs):
            for engine in times:
                course = _released_course(out / f"course-{run + 1}-{engine.split()[0].lower()}", submitted)
                extra = ["--scheduler", cluster.address] if engine == "Dask cluster" else []
                times[engine].append(_kit_run(course, args.workers, "sandboxed", extra))
    finally:
        cluster.stop()
    local, dask = min(times["local pool"]), min(times["Dask cluster"])
    for engine, seconds in times.items():
        runs = ", ".join(f"{value:.1f}" for value in seconds)
        print(f"  {engine:<14} {min(seconds):7.1f} s  {args.students / min(seconds):5.2f} students/s"
              f"  (best of runs: {runs} s)")
    print(f"  Dask's cost: {(dask / local - 1) * 100:+.1f}% (best against best; target: at most +10%)")

    print(f"recorder: {args.records} already graded students into a fresh gradebook, one transaction each, as "
          f"the grade command records: SQLite by the grading process alone, PostgreSQL by the workers at once")
    rates = {"SQLite": _record(f"sqlite:///{out / 'record.db'}", course, args.records, 1)}
    (out / "record.db").unlink()
    folder = tempfile.mkdtemp(prefix="kit-postgres-")
    server = PostgresServer(folder, free_port(), durable=True)
    try:
        server.start()
        one = _record(server.new_database(), course, args.records, 1)
        rates["PostgreSQL 15"] = _record(server.new_database(), course, args.records, args.workers)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"  {'SQLite':<14} {rates['SQLite']:7.1f} students/s  (1 process)")
    print(f"  {'PostgreSQL 15':<14} {rates['PostgreSQL 15']:7.1f} students/s  ({args.workers} worker processes at "
          f"once; {one:.1f} students/s from one alone)")
    print(f"  target: at least 100 students/s into PostgreSQL; the cluster above grades "
          f"{args.students / dask:.2f} students/s")

    seconds_per_student = dask * args.workers / args.students  # core-seconds, start-up included (pessimistic)
    print(f"projection: {CLASS:,} students, T = startup + N * max(c / C, 1 / R), with c = {seconds_per_student:.2f} "
          f"core-seconds per student (Dask run above: wall x workers / students), plus 1 / {one:.1f} s where the "
          f"workers record, C worker cores, R the gradebook's students/s (SQLite: its one recorder's; PostgreSQL: "
          f"what {args.workers} processes reached, a lower bound of the server's), startup = 30 s (connecting, the "
          f"plugin, the first kernels)")
    print(_projection("recording into SQLite:", seconds_per_student, rates["SQLite"], 30))
    print(_projection("recording into PostgreSQL 15:", seconds_per_student + 1 / one, rates["PostgreSQL 15"], 30))


if __name__ == "__main__":
    main()
