"""LOCO of small classifiers on the clip-level functionals (training.functionals): a fast probe of which
normalisation and model generalise across corpora, before anything is built into the shipped network.

    python -m training.loco_functionals [--model logreg|mlp] [--norm none|corpus|speaker] [--aug 0..4]
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np

from . import data
from .functionals import feature_path
from .loco import HELD_OUT
from .model import uar


def zscore_groups(x, groups):
    """Each feature z-scored by the statistics of its group (speaker or corpus) in place."""
    x = x.copy()
    for g in np.unique(groups):
        m = groups == g
        mu, sd = x[m].mean(0), x[m].std(0)
        x[m] = (x[m] - mu) / (sd + 1e-6)
    return x


def prepare(x, ds, norm):
    x = np.nan_to_num(x.astype(np.float64))
    if norm == "speaker":
        return zscore_groups(x, np.char.add(ds.corpus.astype(str), ds.speaker.astype(str)))
    if norm == "corpus":
        return zscore_groups(x, ds.corpus)
    return x


def fit_predict(model, xtr, ytr, wtr, xte, seed):
    from sklearn.preprocessing import StandardScaler
    sc = StandardScaler().fit(xtr)
    xtr, xte = sc.transform(xtr), sc.transform(xte)
    if model == "logreg":
        from sklearn.linear_model import LogisticRegression
        clf = LogisticRegression(C=0.05, max_iter=3000)
        clf.fit(xtr, ytr, sample_weight=wtr)
        p = clf.predict_proba(xte)
        full = np.zeros((len(xte), len(data.LABELS)))
        full[:, clf.classes_] = p
        return full
    if model == "mlp":
        from sklearn.neural_network import MLPClassifier
        ps = []
        for s in range(5):
            # MLPClassifier has no sample weights: resample to the weights instead
            rng = np.random.default_rng(seed + s)
            idx = rng.choice(len(xtr), size=len(xtr), p=wtr / wtr.sum())
            clf = MLPClassifier((128,), alpha=1e-2, max_iter=200, early_stopping=False, random_state=seed + s)
            clf.fit(xtr[idx], ytr[idx])
            full = np.zeros((len(xte), len(data.LABELS)))
            full[:, clf.classes_] = clf.predict_proba(xte)
            ps.append(full)
        return np.mean(ps, axis=0)
    raise ValueError(model)


def weights(ds, idx):
    """Every (corpus, class) cell weighs the same in total: corpora and classes balanced."""
    w = np.zeros(len(idx))
    cells = {}
    for k, i in enumerate(idx):
        cells.setdefault((ds.corpus[i], ds.y[i]), []).append(k)
    for ks in cells.values():
        w[ks] = 1.0 / len(ks)
    return w * len(idx) / w.sum()


def run(a):
    ds = data.load_corpora()
    versions = [np.load(feature_path(v)) for v in range(a.aug + 1)]
    xs = [prepare(x, ds, a.norm) for x in versions]
    res = {}
    for held in HELD_OUT:
        trn = np.where((ds.corpus != held) & (ds.y >= 0))[0]
        test = np.where((ds.corpus == held) & (ds.y >= 0))[0]
        xtr = np.concatenate([x[trn] for x in xs])
        ytr = np.concatenate([ds.y[trn]] * len(xs))
        wtr = np.concatenate([weights(ds, trn)] * len(xs))
        p = fit_predict(a.model, xtr, ytr, wtr, xs[0][test], a.seed)
        res[held] = uar(ds.y[test], p.argmax(1), len(data.LABELS))
        if a.save:
            d = os.path.join(os.path.dirname(__file__), "results", "outputs", a.save, "loco")
            os.makedirs(d, exist_ok=True)
            np.savez_compressed(os.path.join(d, f"{held}.npz"), idx=test, paths=np.array([ds.paths[i] for i in test]),
                                probs=p.astype(np.float32), hist="{}", seconds=0.0,
                                settings=json.dumps({"set": "functionals", "arch": a.model, "epochs": 0,
                                                     "n_aug": a.aug, "norm": a.norm, "baved_neutral": False}))
    mean = np.mean(list(res.values()))
    print(f"{a.model:7s} norm={a.norm:8s} aug={a.aug} " + " ".join(f"{k}={100 * v:.1f}" for k, v in res.items())
          + f"  mean={100 * mean:.1f}", flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m training.loco_functionals", description=__doc__)
    p.add_argument("--model", default="logreg", choices=["logreg", "mlp"])
    p.add_argument("--norm", default="none", choices=["none", "corpus", "speaker"])
    p.add_argument("--aug", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save", default="")
    run(p.parse_args(argv))


if __name__ == "__main__":
    main()
