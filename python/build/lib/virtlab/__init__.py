"""VirtLab traces in Python: events, results and sweeps as pandas DataFrames.

    import virtlab
    exits = virtlab.read_events("run.vlt", kind="vm_exit")    # DataFrame
    results = virtlab.read_results("run.vlt")                  # metric → value, unit
    sweep = virtlab.read_sweep("sweep-folder")                 # one row per run

See docs/analysis.md for a walk-through.
"""

from .frames import read_events, read_results, read_sweep, virtlab_binary
from .vlt import Trace, VltError

__all__ = ["Trace", "VltError", "read_events", "read_results", "read_sweep", "virtlab_binary"]
__version__ = "0.1.0"
