"""Types of the compiled isolation forest walk (forest.pyx, ADR 0033)."""

import numpy as np
from numpy.typing import NDArray

def path_lengths(roots: NDArray[np.intp], feature: NDArray[np.intp],
                 split: NDArray[np.float64], children: NDArray[np.intp],
                 path: NDArray[np.float64], values: NDArray[np.float64],
                 depth: int) -> NDArray[np.float64]:
    """The path length each row of ``values`` reaches in each tree (trees x rows)."""
