"""Ensemble probe: would an average of several LOCO runs' networks beat its members? (The issue's distillation
candidate only pays if it does.) Averages the committed single-clip fold outputs of the runs for each held-out corpus
they all have, and prints each member's UAR and the average's.

    python -m training.probe_ensemble --runs e80.last,e80w.last,q-base.last,q-cnn4w.last,q-tcnn.last,q-rooms.last
"""
from __future__ import annotations

import argparse
import os

import numpy as np

from . import data, metrics
from .loco import HELD_OUT
from .recipe import OUTPUTS


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m training.probe_ensemble", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", required=True, help="comma-separated fold-output runs (results/outputs/<run>/loco)")
    a = p.parse_args(argv)
    runs = a.runs.split(",")
    ds = data.load_corpora()
    y_of = dict(zip(ds.paths, ds.y))
    for held in HELD_OUT:
        files = [os.path.join(OUTPUTS, r, "loco", f"{held}.npz") for r in runs]
        if not all(os.path.exists(f) for f in files):
            continue
        zs = [np.load(f) for f in files]
        for z in zs[1:]:
            assert np.array_equal(z["paths"], zs[0]["paths"]), f"{held}: the runs tested other clips"
        y = np.array([y_of[str(q)] for q in zs[0]["paths"]])
        uars = [metrics.evaluate(z["probs"], y, data.LABELS)["uar"] for z in zs]
        mean = metrics.evaluate(np.mean([z["probs"] for z in zs], axis=0), y, data.LABELS)["uar"]
        print(f"{held}: " + " ".join(f"{r} {100 * u:.1f}" for r, u in zip(runs, uars))
              + f" | best {100 * max(uars):.1f} | average {100 * mean:.1f}")


if __name__ == "__main__":
    main()
