"""Test-time augmentation probe: each held-out clip is also scored at other speeds (soxr resampling: tempo and pitch,
as the training copies' speed perturbation), featurised by the Java extractor and scored by a LOCO run's saved fold
weights (last epoch); the probabilities of all speeds are averaged.

    python -m training.probe_tta --run e80 --arch cnn4 --speeds 0.9,1.1     # work files in training/work/loco/tta/

UARs per held-out corpus and speed ("mean": the average of the probabilities) go to results/probe-tta-<run>.json.
"""
from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

from . import data, features as F, metrics  # noqa: E402
from .loco import HELD_OUT, LOCO_WORK, weights_path  # noqa: E402

TTA_WORK = os.path.join(LOCO_WORK, "tta")


def speed_features(ds, clips, speed):
    """logmel64 features (Java) of `clips` played at `speed`, cached in TTA_WORK."""
    import soxr
    out = os.path.join(TTA_WORK, f"logmel64-s{speed}.npy")
    if not os.path.exists(out):
        d = os.path.join(TTA_WORK, f"s{speed}")
        os.makedirs(d, exist_ok=True)
        paths = []
        for i in clips:
            p = os.path.join(d, ds.paths[i].replace("/", "__")[:-5] + ".npy")
            if not os.path.exists(p):
                y = F.load_audio(ds.abspath(i))
                np.save(p, soxr.resample(y, F.SR, F.SR / speed, quality="HQ").astype(np.float32))
            paths.append(p)
        F.java_extract(paths, "logmel64", out, os.path.join(LOCO_WORK, "java"))
    return np.load(out, mmap_mode="r")


def main(argv=None):
    from . import model as M
    p = argparse.ArgumentParser(prog="python -m training.probe_tta", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="a LOCO run whose fold weights are saved (e.g. e80)")
    p.add_argument("--arch", default="cnn4", choices=("cnn4", "cnn4w", "tcnn"))
    p.add_argument("--speeds", default="0.9,1.1")
    a = p.parse_args(argv)
    ds = data.load_corpora()
    clips = np.where(np.isin(ds.corpus, HELD_OUT) & (ds.y >= 0))[0]
    at = {int(i): k for k, i in enumerate(clips)}
    speeds = [float(s) for s in a.speeds.split(",")]
    feats = {s: speed_features(ds, clips, s) for s in speeds}
    clean = np.load(os.path.join(LOCO_WORK, "features", "logmel64", "v0.npy"), mmap_mode="r")
    M.set_threads(1)
    rows = {}
    for c in HELD_OUT:
        test = np.where((ds.corpus == c) & (ds.y >= 0))[0]
        net = M.build_model(clean.shape[1:], len(data.LABELS), a.arch)
        net.load_weights(weights_path(a.run, "loco", c, "last"))
        probs = {1.0: M.predict(net, np.asarray(clean[test]))}
        for s in speeds:
            probs[s] = M.predict(net, np.asarray(feats[s][[at[int(i)] for i in test]]))
        probs["mean"] = np.mean(list(probs.values()), axis=0)
        rows[c] = {k: metrics.evaluate(q, ds.y[test], data.LABELS)["uar"] for k, q in probs.items()}
        print(c, " ".join(f"{k}: {100 * v:.1f}" for k, v in rows[c].items()), flush=True)
    rows["mean"] = {k: float(np.mean([r[k] for r in rows.values()])) for k in rows[HELD_OUT[0]]}
    print("mean", " ".join(f"{k}: {100 * v:.1f}" for k, v in rows["mean"].items()))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", f"probe-tta-{a.run}.json")
    with open(path, "w") as f:
        json.dump({"run": a.run, "arch": a.arch, "uar": {c: {str(k): v for k, v in r.items()} for c, r in rows.items()}},
                  f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
