"""LOCO of small classifiers on the clip-level functionals (training.functionals): a fast probe of which
normalisation and model generalise across corpora, before anything is built into the shipped network.

    python -m training.loco_functionals [--model logreg|mlp] [--norm none|corpus|speaker] [--aug 0..4]
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np

from . import data, output_adapt
from .functionals import feature_path
from .loco import HELD_OUT
from .model import uar

#: the logistic regression's inverse regularisation strength (the shipped functionals models' too)
C_LOGREG = 0.05


def zscore_groups(x, groups):
    """Each feature z-scored by the statistics of its group (speaker or corpus) in place."""
    x = x.copy()
    for g in np.unique(groups):
        m = groups == g
        mu, sd = x[m].mean(0), x[m].std(0)
        x[m] = (x[m] - mu) / (sd + 1e-6)
    return x


def online_zscore(x, groups, prior_mu, prior_var, prior_n, seed=0):
    """What a stream sees: each clip z-scored by the running statistics of its speaker's clips so far (itself
    included, in a seeded random order), shrunk towards the training population's by prior_n pseudo-clips."""
    out = np.empty_like(x)
    for idx in output_adapt.speaker_orders(groups, seed):
        s1 = prior_n * prior_mu
        s2 = prior_n * (prior_var + prior_mu ** 2)
        for k, i in enumerate(idx):
            s1 = s1 + x[i]
            s2 = s2 + x[i] ** 2
            n = prior_n + k + 1
            mu = s1 / n
            sd = np.sqrt(np.maximum(s2 / n - mu ** 2, 0))
            out[i] = (x[i] - mu) / (sd + 1e-6)
    return out


def prepare(x, ds, norm):
    x = np.nan_to_num(x.astype(np.float64))
    if norm in ("speaker", "online"):
        return zscore_groups(x, np.char.add(ds.corpus.astype(str), ds.speaker.astype(str)))
    if norm == "corpus":
        return zscore_groups(x, ds.corpus)
    return x


def fit_predict(model, xtr, ytr, wtr, xte, seed, C=C_LOGREG):
    """C: the logistic regression's inverse regularisation strength."""
    from sklearn.preprocessing import StandardScaler
    sc = StandardScaler().fit(xtr)
    xtr, xte = sc.transform(xtr), sc.transform(xte)
    if model == "logreg":
        from sklearn.linear_model import LogisticRegression
        clf = LogisticRegression(C=C, max_iter=3000)
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


def run_si(a, ds, xs):
    """Speaker-independent 5-fold over all six corpora (data.speaker_folds), predictions pooled per corpus."""
    folds = data.speaker_folds(ds)
    probs = np.zeros((len(ds), len(data.LABELS)))
    for f in range(5):
        trn = np.where((folds != f) & (ds.y >= 0))[0]
        test = np.where(folds == f)[0]
        xtr = np.concatenate([x[trn] for x in xs])
        ytr = np.concatenate([ds.y[trn]] * len(xs))
        wtr = np.concatenate([weights(ds, trn)] * len(xs))
        xte = xs[0][test]
        if a.norm == "online":
            raw = np.nan_to_num(np.load(feature_path(0)).astype(np.float64))
            spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))
            xte = online_zscore(raw[test], spk[test], raw[trn].mean(0), raw[trn].var(0), a.prior_n, a.seed)
        probs[test] = fit_predict(a.model, xtr, ytr, wtr, xte, a.seed, a.C)
        if a.save:
            keep = test[ds.y[test] >= 0]
            d = os.path.join(os.path.dirname(__file__), "results", "outputs", a.save, "si")
            os.makedirs(d, exist_ok=True)
            np.savez_compressed(os.path.join(d, f"fold{f}.npz"), idx=keep, paths=np.array([ds.paths[i] for i in keep]),
                                probs=probs[keep].astype(np.float32), hist="{}", seconds=0.0,
                                settings=json.dumps({"set": "functionals", "arch": a.model, "epochs": 0,
                                                     "n_aug": a.aug, "norm": a.norm, "baved_neutral": False}))
    res = {}
    for c in HELD_OUT:
        m = (ds.corpus == c) & (ds.y >= 0)
        res[c] = uar(ds.y[m], probs[m].argmax(1), len(data.LABELS))
    mean = np.mean(list(res.values()))
    print(f"SI5 {a.model:7s} norm={a.norm:8s} aug={a.aug} " + " ".join(f"{k}={100 * v:.1f}" for k, v in res.items())
          + f"  mean={100 * mean:.1f}", flush=True)


def run(a):
    ds = data.load_corpora()
    versions = [np.load(feature_path(v)) for v in range(a.aug + 1)]
    xs = [prepare(x, ds, a.norm) for x in versions]
    if a.protocol == "si":
        return run_si(a, ds, xs)
    res = {}
    for held in HELD_OUT:
        trn = np.where((ds.corpus != held) & (ds.y >= 0))[0]
        test = np.where((ds.corpus == held) & (ds.y >= 0))[0]
        xtr = np.concatenate([x[trn] for x in xs])
        ytr = np.concatenate([ds.y[trn]] * len(xs))
        wtr = np.concatenate([weights(ds, trn)] * len(xs))
        xte = xs[0][test]
        if a.norm == "online":
            raw = np.nan_to_num(versions[0].astype(np.float64))
            spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))
            xte = online_zscore(raw[test], spk[test], raw[trn].mean(0), raw[trn].var(0), a.prior_n, a.seed)
        p = fit_predict(a.model, xtr, ytr, wtr, xte, a.seed, a.C)
        if a.fuse:
            # late fusion: the mean of this model's and a CNN run's probabilities for the same clips
            z = np.load(os.path.join(os.path.dirname(__file__), "results", "outputs", a.fuse, "loco", f"{held}.npz"))
            assert np.array_equal(z["idx"], test), "the CNN run's test clips differ"
            p = (1 - a.fuse_weight) * p + a.fuse_weight * z["probs"]
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
    p.add_argument("--norm", default="none", choices=["none", "corpus", "speaker", "online"],
                   help="online: trained on speaker z-scores, tested on each speaker's running statistics")
    p.add_argument("--prior-n", dest="prior_n", type=float, default=3.0)
    p.add_argument("--aug", type=int, default=0)
    p.add_argument("--protocol", default="loco", choices=["loco", "si"],
                   help="si: speaker-independent 5-fold over all corpora instead of LOCO")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--C", type=float, default=C_LOGREG, help="logreg: inverse regularisation strength")
    p.add_argument("--save", default="", help="save the fold outputs as results/outputs/<name>/loco")
    p.add_argument("--fuse", default="", help="average with the probabilities of this CNN run's fold outputs")
    p.add_argument("--fuse-weight", dest="fuse_weight", type=float, default=0.5)
    run(p.parse_args(argv))


if __name__ == "__main__":
    main()
