"""`robustness`: each CV fold's network on its own test speakers under other recording conditions."""
from __future__ import annotations

import json
import os
import time

import numpy as np

from .. import data, features as F
from .common import RESULTS, WORK, _dotted, base_key, log, run_key


def cmd_robustness(a):
    """UAR of the CV fold networks on their own test speakers under other recording conditions (perturb.CONDITIONS):
    every clip is perturbed, featurised by the Java extractor as in training, and scored by the network of the fold
    that tests it (weights kept by `cv`; --variant chooses which) -> results/robustness_<run>.json. The `clean` row
    is the CV result itself, a check that the fold networks and features are the ones `report` scored."""
    import shutil
    import zlib
    from .. import model as M, perturb as P
    ds = data.load_manifest()
    fold = data.speaker_folds(ds, 5)
    wdir = os.path.join(WORK, "runs", base_key(a), "cv")
    weights = f"fold{{}}{_dotted(a.variant)}.weights.h5"
    folds = [k for k in range(5) if os.path.exists(os.path.join(wdir, weights.format(k)))]
    if not folds:
        raise SystemExit(f"no {weights.format('N')} in {wdir}: run `cv` for {base_key(a)} first (it keeps them)")
    models = {}
    for k in folds:
        models[k] = M.build_model(F.input_shape(a.set), len(data.LABELS), a.arch)
        models[k].load_weights(os.path.join(wdir, weights.format(k)))
    what = {"": "the best validation epoch", "last": "the last epoch", "swa": "the SWA-averaged weights"}[a.variant]
    out = {"run": run_key(a), "weights": f"{what} of each CV fold", "folds": folds, "conditions": {}}
    for name, (description, _) in P.CONDITIONS.items():
        path = os.path.join(WORK, "robustness", a.set, f"{name}.npy")
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if name == "clean":
                inputs = [ds.abspath(i) for i in range(len(ds))]
            else:
                waves = os.path.join(WORK, "robustness", "waves", name)
                os.makedirs(waves, exist_ok=True)
                inputs, t0 = [], time.time()
                for i in range(len(ds)):
                    wave = os.path.join(waves, f"{i}.npy")
                    if not os.path.exists(wave):
                        y = P.apply(name, F.load_audio(ds.abspath(i)), seed=zlib.crc32(name.encode()) + i)
                        np.save(wave, y)
                    inputs.append(wave)
                log.info("robustness %s: %d clips perturbed (%.0fs)", name, len(inputs), time.time() - t0)
            F.java_extract(inputs, a.set, path, os.path.join(WORK, "java"))
            if name != "clean":
                shutil.rmtree(os.path.join(WORK, "robustness", "waves", name))
        x = np.load(path)
        per = {c: {} for c in data.CORPORA + ["all"]}
        for k in folds:
            test = np.where(fold == k)[0]
            pred = M.predict(models[k], x[test]).argmax(1)
            for c in per:
                m = np.ones(len(test), bool) if c == "all" else ds.corpus[test] == c
                if m.any():
                    per[c][k] = M.uar(ds.y[test][m], pred[m], len(data.LABELS))
        out["conditions"][name] = {"description": description,
                                   **{c: {"uar": float(np.mean(list(v.values()))),
                                          "folds": {str(k): round(u, 4) for k, u in v.items()}}
                                      for c, v in per.items() if v}}
        log.info("robustness %-12s " + "  ".join(f"{c} {100 * r['uar']:.1f}" for c, r in
                 out["conditions"][name].items() if c != "description"), name)
    with open(os.path.join(RESULTS, f"robustness_{run_key(a)}.json"), "w") as f:
        json.dump(out, f, indent=1)
