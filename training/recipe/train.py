"""`cv` (speaker-independent 5-fold), `random` (the 80/20 split, speakers shared) and `final` (all speakers, then
the ONNX export): the commands that train networks."""
from __future__ import annotations

import json
import os
import time

import numpy as np

from .. import data, features as F
from .common import ENSEMBLES, WORK, _dotted, _members, _save_outputs, base_key, log, run_dir, run_key, threads
from .export import export
from .prepare import load_features


def cmd_cv(a):
    from .. import model as M
    if a.arch in ENSEMBLES:
        raise SystemExit(f"{a.arch} is an ensemble of trained runs: score it with `ensemble --arch {a.arch}`")
    if a.variant:
        raise SystemExit("cv scores every variant of its runs; --variant chooses one for final and model-card")
    threads(a.threads)
    ds = data.load_manifest()
    fold = data.speaker_folds(ds, 5)
    feats = None
    d = run_dir(a, "cv")
    os.makedirs(d, exist_ok=True)
    for k in [int(s) for s in a.folds.split(",")]:
        out = os.path.join(d, f"fold{k}.npz")
        if os.path.exists(out):
            log.info("cv %s fold %d: done already", a.set, k)
            continue
        if feats is None:
            feats = load_features(a.set, a.backend, a.n_aug)
        test = np.where(fold == k)[0]
        train_all = np.where(fold != k)[0]
        vs = data.validation_speakers(ds, train_all, seed=k)
        is_val = np.isin(ds.speaker[train_all], list(vs))
        trn, val = train_all[~is_val], train_all[is_val]
        assert not set(ds.speaker[test]) & set(ds.speaker[train_all])
        log.info("cv %s fold %d: train %d, val %d (%s), test %d (%s)", a.set, k, len(trn), len(val),
                 ",".join(sorted(vs)), len(test), ",".join(sorted(set(ds.speaker[test]))))
        t0 = time.time()
        snapshots = {}
        model, hist = M.train(feats, trn, ds.y, ds.corpus, len(data.LABELS), a.arch, a.epochs, val, a.patience,
                              seed=k + 1000 * a.seed, epoch_size=a.epoch_size, log_prefix=f"[{a.set} fold {k}] ",
                              snapshots=snapshots, swa_epochs=a.swa_epochs)
        seconds = time.time() - t0
        # the fold's networks are kept for evaluations on its test speakers that need them (`robustness`)
        weights_dir = os.path.join(WORK, "runs", base_key(a), "cv")
        os.makedirs(weights_dir, exist_ok=True)
        # the selected (best validation) epoch is the run; its other weights are scored beside it as variants
        # the run's own file last: it marks the fold done, so a cut run redoes the fold rather than lose a variant
        for variant, weights in sorted(snapshots.items()) + [("", model.get_weights())]:
            model.set_weights(weights)
            model.save_weights(os.path.join(weights_dir, f"fold{k}{_dotted(variant)}.weights.h5"))
            path = os.path.join(run_dir(a, "cv", variant), f"fold{k}.npz")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            probs = M.predict(model, feats[0][test])
            # validation-speaker probabilities too: temperature scaling is fitted on them, never on the test fold
            _save_outputs(path, idx=test, probs=probs, val_idx=val, val_probs=M.predict(model, feats[0][val]),
                          hist=json.dumps(hist), seconds=seconds)
            log.info("cv %s fold %d%s: test acc %.3f (%.0fs)", a.set, k, f" ({variant})" if variant else "",
                     np.mean(probs.argmax(1) == ds.y[test]), seconds)



def cmd_random(a):
    from .. import model as M
    threads(a.threads)
    ds = data.load_manifest()
    if a.variant:
        raise SystemExit("random scores every variant of its run; --variant chooses one for final and model-card")
    d = run_dir(a, "random")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, "split0.npz")
    if os.path.exists(out):
        log.info("random split: done already")
        return
    feats = load_features(a.set, a.backend, a.n_aug)
    tr, te = data.random_split(ds, seed=0)
    rng = np.random.default_rng(0)
    is_val = rng.random(len(tr)) < 0.1
    t0 = time.time()
    snapshots = {}
    model, hist = M.train(feats, tr[~is_val], ds.y, ds.corpus, len(data.LABELS), a.arch, a.epochs, tr[is_val],
                          a.patience, seed=100, epoch_size=a.epoch_size, log_prefix=f"[{a.set} random] ",
                          snapshots=snapshots, swa_epochs=a.swa_epochs)
    seconds = time.time() - t0
    # as in cv: the variants of one training, the run's own file (which marks it done) last
    for variant, weights in sorted(snapshots.items()) + [("", model.get_weights())]:
        model.set_weights(weights)
        path = os.path.join(run_dir(a, "random", variant), "split0.npz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _save_outputs(path, idx=te, probs=M.predict(model, feats[0][te]), hist=json.dumps(hist), seconds=seconds)


def cmd_final(a):
    """Trains on every speaker (no validation split; the fixed schedule of the CV runs) and exports. For an
    ensemble arch (ENSEMBLES), each member is trained (or loaded) the same way and the averaged network is exported."""
    from .. import model as M
    threads(a.threads)
    shape, n = F.input_shape(a.set), len(data.LABELS)
    if a.arch in ENSEMBLES:
        members = [_final_model(m) for m in _members(a)]
        model = M.ensemble_of(members, shape, n)
        inference = M.ensemble_of(members, shape, n, folded=True)
    else:
        model = _final_model(a)
        inference = model if a.arch == "tcnn" else M.fold_batchnorm(model, shape, n, a.arch)
    # the ONNX file holds the BatchNorm-folded form; export checks it against the trained network
    export(inference, a, reference=model)


def _final_model(a):
    """The final network of one run: trained on all speakers with seed 1234 + 1000 * --seed, or loaded when its
    weights are on disk already. One training gives both variants: the last epoch's weights (`--variant last` or
    none) and, with --swa-epochs, their average over the last epochs (`--variant swa`)."""
    from .. import model as M
    ds = data.load_manifest()
    d = run_dir(a, "final")
    os.makedirs(d, exist_ok=True)
    files = {"last": os.path.join(d, "final.weights.h5"), "swa": os.path.join(d, "final.swa.weights.h5")}
    weights = files[a.variant or "last"]
    done = files["last"] + ".done"
    if not os.path.exists(done) or not os.path.exists(weights):
        feats = load_features(a.set, a.backend, a.n_aug)
        snapshots = {}
        model, hist = M.train(feats, np.arange(len(ds)), ds.y, ds.corpus, len(data.LABELS), a.arch, a.epochs,
                              None, seed=1234 + 1000 * a.seed, epoch_size=a.epoch_size,
                              log_prefix=f"[{a.set} final {base_key(a)}] ", snapshots=snapshots,
                              swa_epochs=a.swa_epochs)
        model.save_weights(files["last"])
        if "swa" in snapshots:
            model.set_weights(snapshots["swa"])
            model.save_weights(files["swa"])
        with open(done, "w") as f:
            json.dump({"epochs": hist, "swa_epochs": a.swa_epochs if "swa" in snapshots else 0}, f)
        if not os.path.exists(weights):
            raise SystemExit(f"--variant {a.variant}: not made by this training (--swa-epochs {a.swa_epochs})")
    model = M.build_model(F.input_shape(a.set), len(data.LABELS), a.arch)
    model.load_weights(weights)
    log.info("final %s: loaded %s", run_key(a), os.path.relpath(weights, F.repo_root()))
    return model
