"""The course on a JupyterHub: one machine where students and instructors log in with their Unix accounts.

`python -m autograder.hub setup` (run by `make hub`, as root) lays the course out under one folder, PREFIX:

    PREFIX/venv/      the environment every user runs: JupyterLab, nbgrader and its lab extensions, NumPy,
                      Matplotlib, h5py and JupyterHub, pinned; its Python kernel uses one BLAS thread
    PREFIX/proxy/     configurable-http-proxy, pinned (hub/package-lock.json)
    PREFIX/exchange/  nbgrader's exchange, where students fetch and submit
    PREFIX/course/    the instructors' course: a clone of this repository, private to the instructors' group
    PREFIX/state/     the hub's own database and secrets, private to root

and creates the accounts of a roster: instructors in one group, students in another, each with a private home.
hub/jupyterhub_config.py is the hub's configuration; environment.py, accounts.py and course.py make each part.
"""
