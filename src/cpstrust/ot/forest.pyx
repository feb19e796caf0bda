# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The learned model's isolation forest walked in C (ADR 0033): each window down each
tree to the leaf it reaches. Numpy walked every window a level a step, gathering each
level's nodes, features and splits into fresh arrays; here a window's path is a few
loads in a loop. ``window_model`` keeps the rest of the scoring (the mean over the
trees, the score) in numpy; ``forest.pyi`` types this for mypy."""

import numpy as np

cdef enum:
    _LANES = 8  # windows walked down a tree side by side: their loads overlap


def path_lengths(const Py_ssize_t[::1] roots, const Py_ssize_t[::1] feature,
                 const double[::1] split, const Py_ssize_t[::1] children,
                 const double[::1] path, const double[:, ::1] values, Py_ssize_t depth):
    """The path length (``path`` of its leaf) each row of ``values`` reaches in each
    tree, trees x rows. A node's children are ``children[2 * node]`` (right) and
    ``[2 * node + 1]`` (left): left where the row's feature value is at most the node's
    split, right otherwise (NaN too), as scikit-learn's trees go. A leaf is its own
    child, so ``depth`` steps (the deepest leaf's) take every row to its leaf; taken
    without a branch on the way, eight rows at once."""
    cdef Py_ssize_t trees = roots.shape[0], count = values.shape[0]
    lengths = np.empty((trees, count), dtype=float)
    cdef double[:, :] out = lengths
    cdef Py_ssize_t node[_LANES]
    cdef const double* row[_LANES]
    cdef Py_ssize_t tree, start, at, lane, lanes, level
    for tree in range(trees):  # a tree's nodes stay in the cache while all rows go down
        for start in range(0, count, _LANES):
            lanes = min(_LANES, count - start)
            for lane in range(lanes):
                node[lane] = roots[tree]
                row[lane] = &values[start + lane, 0]
            for level in range(depth):
                for lane in range(lanes):
                    at = node[lane]
                    node[lane] = children[2 * at + (row[lane][feature[at]] <= split[at])]
            for lane in range(lanes):
                out[tree, start + lane] = path[node[lane]]
    return lengths
