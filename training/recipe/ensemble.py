"""`ensemble`: a seed ensemble scored on the CV folds from its members' outputs, saved as a run of its own."""
from __future__ import annotations

import glob
import json
import os

import numpy as np

from .. import data, features as F
from .common import ENSEMBLES, OUTPUTS, _members, _save_outputs, log, run_dir, run_key


def cmd_ensemble(a):
    """A seed ensemble on the CV folds: the mean of its members' probabilities (ENSEMBLES[--arch][--tag], or the CV runs
    of --runs), on the folds they all have, saved as the CV run of the ensemble (`runs/<run name>/cv`) so that
    `report` and the model card treat it like any other run. Prints each member alone and the ensemble."""
    from .. import model as M
    if a.arch not in ENSEMBLES:
        raise SystemExit(f"--arch {a.arch} is not an ensemble (known: {', '.join(ENSEMBLES)})")
    ds = data.load_manifest()
    runs = a.runs.split(",") if a.runs else [run_key(m) for m in _members(a)]
    dirs = [os.path.join(OUTPUTS, r, "cv") for r in runs]
    folds = sorted(set.intersection(*[{os.path.basename(f) for f in glob.glob(os.path.join(d, "fold*.npz"))}
                                      for d in dirs]))
    if not folds:
        raise SystemExit(f"no fold that all of {runs} have")
    out_dir = run_dir(a, "cv", a.variant)
    os.makedirs(out_dir, exist_ok=True)
    rows = {r: {c: [] for c in data.CORPORA} for r in runs + [run_key(a)]}
    for f in folds:
        zs = [np.load(os.path.join(d, f)) for d in dirs]
        idx = zs[0]["idx"]
        if any(not np.array_equal(z["idx"], idx) or not np.array_equal(z["val_idx"], zs[0]["val_idx"]) for z in zs):
            raise SystemExit(f"{f}: the runs tested different clips")
        mean = np.mean([z["probs"] for z in zs], 0)
        _save_outputs(os.path.join(out_dir, f), idx=idx, probs=mean, val_idx=zs[0]["val_idx"],
                 val_probs=np.mean([z["val_probs"] for z in zs], 0), hist=json.dumps([]),
                 seconds=float(sum(float(z["seconds"]) for z in zs)), members=np.array(runs))
        for name, probs in [(r, z["probs"]) for r, z in zip(runs, zs)] + [(run_key(a), mean)]:
            for c in data.CORPORA:
                m = ds.corpus[idx] == c
                if m.any():
                    rows[name][c].append(M.uar(ds.y[idx][m], probs[m].argmax(1), len(data.LABELS)))
    log.info("ensemble %s of %s: wrote %d folds to %s", run_key(a), ",".join(runs), len(folds),
             os.path.relpath(out_dir, F.repo_root()))
    print(f"UAR % over {', '.join(f[:-4] for f in folds)} (mean of the folds that contain the corpus)")
    for name, per in rows.items():
        print(f"{name:40s} " + "  ".join(f"{c} {100 * np.mean(v):.1f}" if v else f"{c} -" for c, v in per.items()))
