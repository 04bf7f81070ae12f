"""Speaker-normalised CNN embeddings probe: each LOCO fold's network (saved weights, last epoch) gives the pooled
embedding of every labelled clip; a logistic regression (loco_functionals.fit_predict) is fitted on the training
side's embeddings z-scored per speaker and tested on the held-out corpus z-scored three ways: "none" (no z-score on
either side), "speaker" (all of the speaker's clips) and "online" (running statistics, as a stream sees them:
loco_functionals.online_zscore with 3 prior pseudo-clips).

    python -m training.probe_embedding --run e80 --arch cnn4      # embeddings cached in training/work/loco/emb/

Beside them, "cnn output adapted": the run's own LOCO fold outputs (last epoch) adapted to each speaker as model 2.1
adapts its CNN (output_adapt.online, in the adapted functionals' clip order). UARs go to
results/probe-embedding-<run>.json.
"""
from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

from . import data, loco_functionals as LF  # noqa: E402
from .loco import HELD_OUT, LOCO_WORK  # noqa: E402


def embeddings(run, arch, held, clips):
    """The pooled embeddings (mean and max pooling concatenated) of `clips` by the run's fold network for `held`."""
    import keras
    from . import model as M
    from .loco import weights_path
    path = os.path.join(LOCO_WORK, "emb", f"{run}-{held}.npy")
    if not os.path.exists(path):
        x = np.load(os.path.join(LOCO_WORK, "features", "logmel64", "v0.npy"), mmap_mode="r")
        net = M.build_model(x.shape[1:], len(data.LABELS), arch)
        net.load_weights(weights_path(run, "loco", held, "last"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        np.save(path, M.predict(keras.Model(net.input, M.pooled_embedding(net)), np.asarray(x[clips])))
    return np.load(path).astype(np.float64)


def main(argv=None):
    from . import model as M
    p = argparse.ArgumentParser(prog="python -m training.probe_embedding", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="a LOCO run whose fold weights are saved (e.g. e80)")
    p.add_argument("--arch", default="cnn4", choices=("cnn4", "cnn4w"))
    a = p.parse_args(argv)
    M.set_threads(1)
    ds = data.load_corpora()
    clips = np.where(ds.y >= 0)[0]
    spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))[clips]
    y = ds.y[clips]
    means, rows = {}, {}
    for held in HELD_OUT:
        e = embeddings(a.run, a.arch, held, clips)
        trn, test = np.where(ds.corpus[clips] != held)[0], np.where(ds.corpus[clips] == held)[0]
        z = LF.zscore_groups(e, spk)
        tests = {"none": (e[trn], e[test]), "speaker": (z[trn], z[test]),
                 "online": (z[trn], LF.online_zscore(e[test], spk[test], e[trn].mean(0), e[trn].var(0), 3.0))}
        row = {"cnn output adapted": _output_adapted(ds, a.run, held)}
        means.setdefault("cnn output adapted", []).append(row["cnn output adapted"])
        for norm, (xtr, xte) in tests.items():
            prob = LF.fit_predict("logreg", xtr, y[trn], LF.weights(ds, clips[trn]), xte, 0)
            row[norm] = M.uar(y[test], prob.argmax(1), len(data.LABELS))
            means.setdefault(norm, []).append(row[norm])
        rows[held] = row
        print(held, " ".join(f"{k}: {100 * v:.1f}" for k, v in row.items()), flush=True)
    rows["mean"] = {k: float(np.mean(v)) for k, v in means.items()}
    print("mean", " ".join(f"{k}: {100 * v:.1f}" for k, v in rows["mean"].items()))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", f"probe-embedding-{a.run}.json")
    with open(path, "w") as f:
        json.dump({"run": a.run, "arch": a.arch, "uar": rows}, f, indent=1)
        f.write("\n")


def _output_adapted(ds, run, held):
    """UAR of the run's LOCO fold outputs for `held` after output adaptation (training.default_model's way)."""
    from . import default_model as D, output_adapt
    from .model import uar
    z = np.load(os.path.join(D.OUTPUTS, f"{run}.last", "loco", f"{held}.npz"))
    p = output_adapt.online(z["probs"].astype(np.float64), orders=D._speaker_orders(ds, "loco", held, z["idx"]))
    return uar(ds.y[z["idx"]], p.argmax(1), len(data.LABELS))


if __name__ == "__main__":
    main()
