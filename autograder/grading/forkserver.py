"""Where the grading workers' forkserver sets itself up: it imports this module, and forks every worker after.

A worker started afresh (multiprocessing's spawn) spent 0.9 s of CPU importing nbgrader and the kit before it
could grade, and every worker paid it again. Forked from a server that has imported them once, a worker is ready
in a tenth of that. multiprocessing lets a forkserver set itself up in one way only, by importing its preload
modules; so this module does at import what a process's start does elsewhere (environment.prepare_process first).
"""
import gc

from ..environment import prepare_process

prepare_process()

from ..kernel.sandbox import matplotlib_font_list  # noqa: E402 (the kit's modules come after prepare_process)
from . import worker  # noqa: E402,F401 (imported for the workers forked from here)

matplotlib_font_list()  # Matplotlib's font list, which every sandbox mounts: found once, for every worker

# What was imported lives as long as the processes do: the garbage collector leaves it alone from now on, in the
# workers forked from here (whose collections no longer walk it, nor copy its memory by touching it) and in this
# server's end (whose collections took 0.25 s, holding the grading command's output streams open meanwhile).
gc.freeze()
