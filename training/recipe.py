"""ser4j training recipe: one entry point, resumable, logs progress.

    python -m training.recipe all                 # everything below, in order (skips finished steps)
    python -m training.recipe features            # augmented waveforms + feature cache (Java extractor)
    python -m training.recipe check-java          # Java features vs librosa on a sample (asserts)
    python -m training.recipe cv --set logmel64   # speaker-independent 5-fold
    python -m training.recipe random --set logmel64   # 80/20 stratified random split (speakers shared)
    python -m training.recipe final --set logmel64    # train on all speakers, export ONNX + card
    python -m training.recipe check-e2e           # `ser analyze` (Java) vs librosa+onnxruntime on sample clips
    python -m training.recipe report              # metrics JSON, confusion PNGs, README table
    python -m training.recipe model-card          # MODEL_CARD.md next to the default model, from the results

Run from the repository root. Work files go to training/work/ (git-ignored), small results to training/results/.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import logging
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

from . import data, features as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get("SER4J_TRAINING_WORK", os.path.join(HERE, "work"))
RESULTS = os.path.join(HERE, "results")
#: Test and validation outputs of every CV / random-split fold (small .npz files, committed): `report`, `ensemble` and
#: the model card are computed from them, so they survive a fresh clone; only features and weights live in WORK.
OUTPUTS = os.path.join(RESULTS, "outputs")
MODEL_DIR = os.path.join(HERE, "..", "ser-model-default", "src", "main", "resources", "io", "github", "ser4j", "defaultmodel")
log = logging.getLogger("training")
N_AUG = 4          # augmented copies per clip (plus the clean one); 4 beat 2 on folds 0-1 (README)
EPOCHS = 50        # the validation UAR still rose at epoch 30 of the first runs (training/README.md)
PATIENCE = 50      # keep the best validation epoch, but do not stop early: the curves are noisy (4 val speakers)
ARCH = "cnn4"
TAG = "e50a4"
#: Seed ensembles: arch -> tag -> its members as (arch, tag, seed offset); `ensemble` scores them on the CV folds,
#: `final` trains (or loads) each member's final model (with --epochs) and exports the averaged network.
#: cnn4x2-e50a4 is model 1.3.0; cnn4x2-e80a4 needs both members' fold outputs, lost with an earlier machine's work
#: folder (rerun `cv --epochs 80 --tag e80a4` and `--seed 1 --tag e80a4s1`; outputs are committed now).
ENSEMBLES = {"cnn4x2": {"e50a4": (("cnn4", "e50a4", 0), ("cnn4", "e50a4s1", 1)),
                        "e80a4": (("cnn4", "e80a4", 0), ("cnn4", "e80a4s1", 1))}}
#: The run the default model is trained with (`final`, `check-e2e`, `model-card` in `all`): model 1.5.0, the SWA
#: weights of the 80-epoch schedule (1.4.0 was the last epoch of `e80a4`).
SHIPPED = {"arch": "cnn4", "epochs": 80, "tag": "e80a4r", "variant": "swa"}
#: tag -> the tag whose random split the model card quotes for it (e80a4r did not run the split; e80a4, the same
#: schedule, did)
RANDOM_SPLIT_OF = {"e80a4r": "e80a4"}
# the earlier schedule, kept as the baseline of the comparison table
BASELINE = {"epochs": 30, "patience": 8, "tag": "", "n_aug": 2}
# the schedule of default model 1.1.0: 50 epochs, 2 augmented copies
E50 = {"tag": "e50", "n_aug": 2}


def setup_logging():
    os.makedirs(WORK, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S")
    root = logging.getLogger("training")
    if not root.handlers:
        for h in (logging.StreamHandler(sys.stdout), logging.FileHandler(os.path.join(WORK, "recipe.log"))):
            h.setFormatter(fmt)
            root.addHandler(h)
    root.setLevel(logging.INFO)


def threads(n):
    import torch
    torch.set_num_threads(n)


# --------------------------------------------------------------------------------------------------- features

def wave_path(v, i):
    return os.path.join(WORK, "waves", f"v{v}", f"{i:05d}.npy")


def make_waves(ds, n_aug):
    """Augmented waveforms (float32 .npy, 16 kHz, 3 s) for versions 1..n_aug; deterministic per (version, clip)."""
    for v in range(1, n_aug + 1):
        os.makedirs(os.path.join(WORK, "waves", f"v{v}"), exist_ok=True)
        todo = [i for i in range(len(ds)) if not os.path.exists(wave_path(v, i))]
        if not todo:
            continue
        log.info("augmenting version %d: %d clips", v, len(todo))
        t0 = time.time()
        for n, i in enumerate(todo):
            rng = np.random.default_rng(1_000_003 * v + i)
            y = F.load_audio(ds.abspath(i))
            other = rng.integers(len(ds))
            while ds.speaker[other] == ds.speaker[i]:
                other = rng.integers(len(ds))
            babble = F.load_audio(ds.abspath(other))
            a = F.augment(y, rng, babble)
            np.save(wave_path(v, i) + ".tmp.npy", a)
            os.replace(wave_path(v, i) + ".tmp.npy", wave_path(v, i))
            if n % 1000 == 999:
                log.info("  %d/%d (%.0fs)", n + 1, len(todo), time.time() - t0)


def feature_path(backend, fs, v):
    return os.path.join(WORK, "features", backend, fs, f"v{v}.npy")


def inputs_for(ds, v):
    return [ds.abspath(i) if v == 0 else wave_path(v, i) for i in range(len(ds))]


def make_features(ds, fs, backend, n_aug):
    for v in range(0, n_aug + 1):
        out = feature_path(backend, fs, v)
        if os.path.exists(out):
            continue
        os.makedirs(os.path.dirname(out), exist_ok=True)
        t0 = time.time()
        inputs = inputs_for(ds, v)
        if backend == "java":
            F.java_extract(inputs, fs, out, os.path.join(WORK, "java"))
        else:
            x = np.zeros((len(ds),) + F.input_shape(fs), np.float32)
            for i, p in enumerate(inputs):
                y = F.load_audio(p) if p.endswith(".flac") else np.load(p)
                x[i] = F.librosa_features(y, fs)
            np.save(out + ".part.npy", x)
            os.replace(out + ".part.npy", out)
        log.info("features %s/%s v%d done (%.0fs)", backend, fs, v, time.time() - t0)


def load_features(fs, backend, n_aug):
    return [np.load(feature_path(backend, fs, v)) for v in range(n_aug + 1)]


def cmd_features(a):
    ds = data.load_manifest()
    make_waves(ds, a.n_aug)
    for fs in a.sets.split(","):
        make_features(ds, fs, a.backend, a.n_aug)


def cmd_check_java(a):
    """Java extractor vs librosa on a stratified sample of clean clips and augmented waveforms."""
    ds = data.load_manifest()
    rng = np.random.default_rng(7)
    picks = []
    for c in data.CORPORA:
        idx = np.where(ds.corpus == c)[0]
        picks += rng.choice(idx, size=a.n // 3, replace=False).tolist()
    report = {}
    ok = True
    for fs in a.sets.split(","):
        inputs, refs = [], []
        for j, i in enumerate(picks):
            v = 0 if j % 2 == 0 or not os.path.exists(wave_path(1, i)) else 1
            p = ds.abspath(i) if v == 0 else wave_path(v, i)
            inputs.append(p)
            y = F.load_audio(p) if v == 0 else np.load(p)
            refs.append(F.librosa_features(y, fs))
        out = os.path.join(WORK, "java", f"check_{fs}.npy")
        xj = F.java_extract(inputs, fs, out, os.path.join(WORK, "java"))
        xr = np.stack(refs)
        diff = np.abs(xj - xr)
        per = diff.reshape(len(inputs), -1).max(1)
        report[fs] = {"clips": len(inputs), "max_abs_diff": float(diff.max()), "mean_abs_diff": float(diff.mean()),
                      "worst_input": os.path.relpath(inputs[int(per.argmax())], F.repo_root()),
                      "tolerance": a.tol}
        log.info("java vs librosa %s: max |diff| %.2e, mean %.2e over %d clips", fs, diff.max(), diff.mean(),
                 len(inputs))
        ok &= bool(diff.max() <= a.tol)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "java_vs_librosa.json"), "w") as f:
        json.dump(report, f, indent=2)
    if not ok:
        raise SystemExit(f"Java features differ from librosa by more than {a.tol}: {report}")


def cmd_robustness(a):
    """UAR of the CV fold networks on their own test speakers under other recording conditions (perturb.CONDITIONS):
    every clip is perturbed, featurised by the Java extractor as in training, and scored by the network of the fold
    that tests it (weights kept by `cv`; --variant chooses which) -> results/robustness_<run>.json. The `clean` row
    is the CV result itself, a check that the fold networks and features are the ones `report` scored."""
    import shutil
    import zlib
    from . import model as M, perturb as P
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


def cmd_check_e2e(a):
    """The exported model through the Java CLI (`ser analyze`: decode, card pipeline, ONNX Runtime) vs Python
    (librosa reference features + onnxruntime) on a sample of clips: the probabilities must agree."""
    import subprocess
    import onnxruntime as ort
    out_dir = os.path.normpath(a.out or MODEL_DIR)
    card = os.path.join(out_dir, "card.json")
    ds = data.load_manifest()
    rng = np.random.default_rng(11)
    picks = [int(i) for c in data.CORPORA for i in rng.choice(np.where(ds.corpus == c)[0], 4, replace=False)]
    files = [ds.abspath(i) for i in picks]
    cmd = ["java", "-jar", F.ser_jar(), "analyze", "--model", card, "--format", "json", "--no-progress", "--no-vad",
           *files]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"ser analyze failed ({r.returncode}): {r.stderr[-3000:]}")
    java = {}
    for line in r.stdout.splitlines():
        o = json.loads(line)
        java[os.path.normpath(o["file"])] = [o["probabilities"][k] for k in data.LABELS]
    sess = ort.InferenceSession(os.path.join(out_dir, "model.onnx"), providers=["CPUExecutionProvider"])
    worst = 0.0
    for p in files:
        x = F.librosa_features(F.load_audio(p), a.set)[None]
        py = sess.run(["probabilities"], {"input": x})[0][0]
        worst = max(worst, float(np.abs(py - np.array(java[os.path.normpath(p)])).max()))
    log.info("ser analyze vs python (librosa + onnxruntime): max |prob diff| %.2e over %d clips", worst, len(files))
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "java_vs_python_e2e.json"), "w") as f:
        shown = [os.path.relpath(c, F.repo_root()) if os.path.isabs(c) else c for c in cmd[:9]]
        json.dump({"clips": len(files), "max_abs_prob_diff": worst, "command": " ".join(shown) + " FILES..."},
                  f, indent=2)
    if worst > 1e-3:
        raise SystemExit(f"Java and Python probabilities differ by {worst}")
    write_sample_expectations(out_dir, a.set)


SAMPLES = os.path.join(HERE, "..", "ser-examples", "samples")
EXPECTED = os.path.join(HERE, "..", "ser-examples", "src", "test", "resources", "default-model", "expected.json")


def write_sample_expectations(model_dir, feature_set):
    """Python's probabilities (librosa features + onnxruntime) of the default model on the project's synthetic sample
    clips, for the Java test that checks the embedded model end to end (DefaultModelParityTest)."""
    import onnxruntime as ort
    sess = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), providers=["CPUExecutionProvider"])
    sha = hashlib.sha256(open(os.path.join(model_dir, "model.onnx"), "rb").read()).hexdigest()
    clips = {}
    for name in sorted(os.listdir(SAMPLES)):
        if not name.endswith(".wav"):
            continue
        x = F.librosa_features(F.load_audio(os.path.join(SAMPLES, name)), feature_set)[None]
        clips[name] = [float(v) for v in sess.run(["probabilities"], {"input": x})[0][0]]
    os.makedirs(os.path.dirname(EXPECTED), exist_ok=True)
    with open(EXPECTED, "w") as f:
        json.dump({"model_sha256": sha, "labels": data.LABELS, "feature_set": feature_set,
                   "computed_by": "librosa 0.11 features + Python onnxruntime (training/recipe.py check-e2e)",
                   "clips": clips}, f, indent=2)
        f.write("\n")
    log.info("wrote %s (%d clips)", os.path.relpath(EXPECTED, F.repo_root()), len(clips))


def cmd_expected(a):
    write_sample_expectations(os.path.normpath(a.out or MODEL_DIR), a.set)


# ------------------------------------------------------------------------------------------------- training

def base_key(a):
    """Training-run name: `<feature backend>_<feature set>_<architecture>[-<tag>]` (the tag names a schedule)."""
    return f"{a.backend}_{a.set}_{a.arch}" + (f"-{a.tag}" if a.tag else "")


def _dotted(variant):
    """The suffix that names other weights of one training (`.last`, `.swa`); none for the run's own."""
    return f".{variant}" if variant else ""


def run_key(a):
    """Result name: the training run's, plus `.<variant>` for its other weights (`--variant`: last, swa)."""
    return base_key(a) + _dotted(getattr(a, "variant", ""))


def run_dir(a, protocol, variant=""):
    """Where a run's fold outputs (cv, random: OUTPUTS) or final weights (WORK) go; `variant` names other weights of
    the same training run (`<run>.last`, `<run>.swa`: see `model.train`'s snapshots)."""
    key = base_key(a) + _dotted(variant)
    return os.path.join(os.path.join(WORK, "runs") if protocol == "final" else OUTPUTS, key, protocol)


def cmd_cv(a):
    from . import model as M
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


def _save_outputs(path, **arrays):
    """One fold's outputs, written atomically (a run cut mid-write leaves no fold that looks done)."""
    arrays = {k: v.astype(np.float32) if k.endswith("probs") else v for k, v in arrays.items()}
    tmp = path[:-4] + ".part.npz"
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)


def cmd_random(a):
    from . import model as M
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
    from . import model as M
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


def _members(a):
    """The arguments of each member run of an ensemble arch (ENSEMBLES); none for a single network."""
    if a.arch in ENSEMBLES and a.tag not in ENSEMBLES[a.arch]:
        raise SystemExit(f"--arch {a.arch} has no members for --tag {a.tag!r} (known: "
                         f"{', '.join(ENSEMBLES[a.arch])})")
    return [argparse.Namespace(**{**vars(a), "arch": arch, "tag": tag, "seed": seed})
            for arch, tag, seed in ENSEMBLES.get(a.arch, {}).get(a.tag, ())]


def _final_model(a):
    """The final network of one run: trained on all speakers with seed 1234 + 1000 * --seed, or loaded when its
    weights are on disk already. One training gives both variants: the last epoch's weights (`--variant last` or
    none) and, with --swa-epochs, their average over the last epochs (`--variant swa`)."""
    from . import model as M
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


def _cv_temperature(a):
    """Median over the CV folds of the temperature fitted on each fold's validation speakers, or None when the run's
    CV results lack validation outputs (runs made before they were kept)."""
    path = os.path.join(RESULTS, "summary.json")
    if not os.path.exists(path):
        return None
    t = json.load(open(path)).get(run_key(a), {}).get("cv", {}).get("temperature")
    return None if t is None else float(t["median"])


def _rename_io(path, new_in, new_out):
    import onnx
    m = onnx.load(path)
    g = m.graph
    old_in, old_out = g.input[0].name, g.output[0].name
    for n in g.node:
        n.input[:] = [new_in if s == old_in else new_out if s == old_out else s for s in n.input]
        n.output[:] = [new_out if s == old_out else s for s in n.output]
    g.input[0].name, g.output[0].name = new_in, new_out
    m.graph.doc_string = "ser4j default speech emotion model (training/README.md)"
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export(model, a, reference=None):
    """Exports `model` to ONNX with its card; the ONNX output must match `reference` (default: the model itself),
    the trained network that `model` is an inference form of."""
    import onnxruntime as ort
    reference = model if reference is None else reference
    out_dir = os.path.normpath(a.out or MODEL_DIR)
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "model.onnx")
    shape = F.input_shape(a.set)
    temperature = _cv_temperature(a) if a.calibrate else None
    if temperature is not None:
        # temperature scaling folded into the last layer: softmax((W x + b) / T) = softmax((W/T) x + b/T)
        if a.arch in ENSEMBLES:
            raise SystemExit(f"--calibrate: {a.arch} averages probabilities, it has no single logit layer to scale")
        for m in {id(model): model, id(reference): reference}.values():
            head = m.get_layer("probabilities")
            kernel, bias = head.get_weights()
            head.set_weights([kernel / temperature, bias / temperature])
        log.info("calibration: logits divided by T = %.3f (median of the CV folds' validation fits)", temperature)
    probe = np.random.default_rng(0).standard_normal((2,) + shape).astype(np.float32)
    import keras
    ref = keras.ops.convert_to_numpy(reference(probe, training=False))
    model(probe, training=False)  # Keras needs one call before export
    tmp = os.path.join(WORK, "export.onnx")
    model.export(tmp, format="onnx")
    _rename_io(tmp, "input", "probabilities")
    os.replace(tmp, onnx_path)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    got = sess.run(["probabilities"], {"input": probe})[0]
    diff = float(np.abs(got - ref).max())
    if diff > 1e-4:
        raise SystemExit(f"ONNX output differs from Keras by {diff}")
    one = probe[:1]
    for _ in range(20):
        sess.run(None, {"input": one})
    times = []
    for _ in range(300):  # the median of single calls: a mean is dragged up by whatever else the host runs
        t = time.perf_counter()
        sess.run(None, {"input": one})
        times.append(time.perf_counter() - t)
    ms = float(np.median(times)) * 1000
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    card = F.card_for(a.set)
    card.update({
        "name": "ser4j-default", "version": a.version,
        "description": ("Speech emotion recognition for short clips of acted English (and German) speech: 7 classes "
                        "from a 64-band log-mel spectrogram of 3 s at 16 kHz with "
                        + ("two compact CNNs (different seeds) averaged" if a.arch in ENSEMBLES else "a compact CNN")
                        + ". Research/demo use; "
                        "trained on non-commercial corpora (see MODEL_CARD.md)."),
    })
    card["model"] = {"file": "model.onnx", "sha256": sha}
    card["output"]["arousal_valence"] = {
        "neutral": [0.0, 0.0], "happy": [0.5, 0.8], "sad": [-0.5, -0.7], "angry": [0.8, -0.6],
        "fearful": [0.7, -0.7], "disgust": [0.3, -0.7], "surprised": [0.8, 0.3]}
    summary_path = os.path.join(RESULTS, "summary.json")
    metrics = {"protocol": "see MODEL_CARD.md"}
    if os.path.exists(summary_path):
        s = json.load(open(summary_path))
        key = run_key(a)
        if key in s and "cv" in s[key]:
            metrics = {"protocol": "speaker-independent 5-fold (speakers grouped, see training/README.md)"}
            for c, m in s[key]["cv"]["per_corpus"].items():
                metrics[c] = {k: round(m[k]["mean"], 4) for k in ("uar", "accuracy", "macro_f1", "ece")}
                if temperature is not None and "ece_t" in m:  # the shipped model is the temperature-scaled one
                    metrics[c]["ece"] = round(m["ece_t"]["mean"], 4)
    card["provenance"] = {
        "license": "CC-BY-NC-SA-4.0 (weights; inherited from the training corpora, non-commercial)",
        "training_data": [
            {"name": "RAVDESS (speech)", "license": "CC BY-NC-SA 4.0", "url": "https://zenodo.org/record/1188976",
             "notes": "24 actors; calm mapped to neutral"},
            {"name": "TESS", "license": "CC BY-NC-ND 4.0", "url": "https://doi.org/10.5683/SP2/E8H2MF",
             "notes": "2 speakers; 'pleasant surprise' as surprised"},
            {"name": "EmoDB", "license": "free for research use", "url": "http://emodb.bilderbar.info/",
             "notes": "10 speakers, German; boredom dropped"}],
        "metrics": metrics,
        "authors": "ser4j",
        "created": time.strftime("%Y-%m-%d"),
        "recipe": "training/README.md (python -m training.recipe all)",
        "model_card": "MODEL_CARD.md",
        "features_backend": a.backend,
        "onnx_ms_per_clip_1_thread": round(ms, 3),
    }
    if temperature is not None:
        card["provenance"]["temperature"] = round(temperature, 4)
    schema_path = os.path.join(F.repo_root(), "ser-onnx", "src", "main", "resources", "io", "github", "ser4j", "onnx",
                               "model-card.schema.json")
    try:
        import jsonschema
        jsonschema.validate(card, json.load(open(schema_path)))
        log.info("card validates against %s", os.path.relpath(schema_path, F.repo_root()))
    except ImportError:
        log.warning("jsonschema not installed: card not validated against the schema")
    with open(os.path.join(out_dir, "card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    info = {"onnx_bytes": os.path.getsize(onnx_path), "sha256": sha, "params": int(reference.count_params()),
            "onnx_vs_keras_max_abs_diff": diff, "ort_ms_per_clip_1_thread": ms}
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "export.json"), "w") as f:
        json.dump(info, f, indent=2)
    log.info("exported %s (%d bytes, %d params, %.2f ms/clip on 1 thread, |onnx-keras| %.1e)", onnx_path,
             info["onnx_bytes"], info["params"], ms, diff)


# --------------------------------------------------------------------------------------------------- report

def _agg(vals):
    v = np.array(vals, float)
    return {"mean": float(v.mean()), "std": float(v.std()), "folds": [round(x, 4) for x in v.tolist()]}


def _per_speaker(ds, idx, probs):
    """Per test speaker (each is in one fold): UAR, each class's recall and the class it is most often taken for.
    A class that fails for different reasons on different voices shows here, not in the pooled confusion matrix."""
    from . import metrics as MT
    out = {}
    for spk in sorted(set(ds.speaker[idx])):
        m = ds.speaker[idx] == spk
        ev = MT.evaluate(probs[m], ds.y[idx][m], data.LABELS)
        recall, confused = {}, {}
        for label, pc in ev["per_class"].items():
            recall[label] = round(pc["recall"], 4)
            k = data.LABELS.index(label)
            wrong = np.array(ev["confusion"][k])
            wrong[k] = 0
            if wrong.any():
                confused[label] = [data.LABELS[int(wrong.argmax())], round(float(wrong.max() / pc["support"]), 4)]
        out[str(spk)] = {"n": ev["n"], "uar": round(ev["uar"], 4), "recall": recall, "confused_with": confused}
    return out


def cmd_report(a):
    from . import metrics as MT
    ds = data.load_manifest()
    os.makedirs(RESULTS, exist_ok=True)
    summary_path = os.path.join(RESULTS, "summary.json")
    previous = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    summary = {}
    for run in sorted(glob.glob(os.path.join(OUTPUTS, "*"))):
        key = os.path.basename(run)
        for protocol in ("cv", "random"):
            files = sorted(f for f in glob.glob(os.path.join(run, protocol, "*.npz")) if ".part." not in f)
            if not files:
                continue
            kept = previous.get(key, {}).get(protocol)
            if kept and len(kept["folds"]) > len(files):
                log.warning("report %s %s: outputs of %d fold(s) on disk, summary.json has %d: kept that",
                            key, protocol, len(files), len(kept["folds"]))
                continue
            per_fold = {}
            subsets = data.CORPORA + ["ravdess_without_calm", "all"]
            pooled = {c: ([], [], [], []) for c in subsets}
            for fpath in files:
                z = np.load(fpath)
                idx, probs = z["idx"], z["probs"]
                name = os.path.basename(fpath)[:-4]
                per_fold[name] = {"seconds": float(z["seconds"]), "epochs": json.loads(str(z["hist"]))}
                temp = None
                if "val_probs" in z.files and len(z["val_idx"]):  # fitted on validation speakers only
                    temp = MT.fit_temperature(z["val_probs"], ds.y[z["val_idx"]])
                    per_fold[name]["temperature"] = temp
                for c in subsets:
                    if c == "all":
                        m = np.ones(len(idx), bool)
                    elif c == "ravdess_without_calm":  # calm clips are scored as neutral elsewhere
                        m = (ds.corpus[idx] == "ravdess") & (ds.orig_label[idx] != "calm")
                    else:
                        m = ds.corpus[idx] == c
                    if not m.any():
                        continue
                    per_fold[name][c] = MT.evaluate(probs[m], ds.y[idx][m], data.LABELS)
                    pooled[c][0].append(probs[m])
                    pooled[c][1].append(ds.y[idx][m])
                    pooled[c][3].append(idx[m])
                    if temp is not None:
                        scaled = MT.with_temperature(probs[m], temp)
                        per_fold[name][c]["ece_t"] = MT.ece(scaled, ds.y[idx][m])
                        pooled[c][2].append(scaled)
            per_corpus = {}
            for c in subsets:
                folds = [f[c] for f in per_fold.values() if c in f]
                if not folds:
                    continue
                agg = {k: _agg([f[k] for f in folds]) for k in ("uar", "accuracy", "macro_f1", "ece")}
                pm = MT.evaluate(np.concatenate(pooled[c][0]), np.concatenate(pooled[c][1]), data.LABELS)
                agg["pooled"] = {k: pm[k] for k in ("n", "uar", "accuracy", "macro_f1", "ece", "per_class",
                                                     "confusion")}
                if all("ece_t" in f for f in folds):
                    agg["ece_t"] = _agg([f["ece_t"] for f in folds])
                    agg["pooled"]["ece_t"] = MT.ece(np.concatenate(pooled[c][2]), np.concatenate(pooled[c][1]))
                agg["n_folds"] = len(folds)
                if protocol == "cv" and c in data.CORPORA:
                    agg["per_speaker"] = _per_speaker(ds, np.concatenate(pooled[c][3]),
                                                      np.concatenate(pooled[c][0]))
                per_corpus[c] = agg
                title = f"{key} {protocol} {c}: UAR {pm['uar']:.3f} (pooled over {len(folds)} fold(s))"
                MT.plot_confusion(pm["confusion"], data.LABELS, title,
                                  os.path.join(RESULTS, f"confusion_{key}_{protocol}_{c}.png"))
            summary.setdefault(key, {})[protocol] = {"folds": sorted(per_fold), "per_corpus": per_corpus}
            temps = [f["temperature"] for f in per_fold.values() if "temperature" in f]
            if temps and len(temps) == len(per_fold):
                summary[key][protocol]["temperature"] = {"median": float(np.median(temps)),
                                                         "folds": [round(t, 4) for t in temps]}
            with open(os.path.join(RESULTS, f"folds_{key}_{protocol}.json"), "w") as f:
                json.dump(per_fold, f, indent=1)
    # runs whose outputs are not in OUTPUTS (made before outputs were committed) keep their summary entries
    for key, protocols in previous.items():
        for protocol, entry in protocols.items():
            if protocol not in summary.get(key, {}):
                summary.setdefault(key, {})[protocol] = entry
    summary = {k: {p: summary[k][p] for p in ("cv", "random") if p in summary[k]} for k in sorted(summary)}
    with open(summary_path, "w") as f:
        json.dump(summary, f, indent=1)
    lines = ["| run | protocol | folds | corpus | UAR | accuracy | macro-F1 | ECE | ECE (T) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, s in summary.items():
        for protocol, r in s.items():
            for c, m in r["per_corpus"].items():
                lines.append(f"| {key} | {protocol} | {','.join(f[-1] for f in r['folds'])} | {c} | "
                             + " | ".join(f"{m[k]['mean']*100:.1f} ± {m[k]['std']*100:.1f}" if k != "ece" else
                                          f"{m[k]['mean']:.3f}" for k in ("uar", "accuracy", "macro_f1", "ece"))
                             + (f" | {m['ece_t']['mean']:.3f} |" if "ece_t" in m else " | — |"))
    lines += _common_fold_comparison(summary)
    table = "\n".join(lines)
    with open(os.path.join(RESULTS, "table.md"), "w") as f:
        f.write(table + "\n")
    _update_readme(table)
    print(table)


def cmd_ensemble(a):
    """A seed ensemble on the CV folds: the mean of its members' probabilities (ENSEMBLES[--arch][--tag], or the CV runs
    of --runs), on the folds they all have, saved as the CV run of the ensemble (`runs/<run name>/cv`) so that
    `report` and the model card treat it like any other run. Prints each member alone and the ensemble."""
    from . import model as M
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


def _common_fold_comparison(summary):
    """Rows comparing the CV runs on the folds they all have (runs with fewer folds would otherwise be compared with
    means over different speakers)."""
    runs = {k: json.load(open(os.path.join(RESULTS, f"folds_{k}_cv.json"))) for k, s in summary.items() if "cv" in s}
    if len(runs) < 2:
        return []
    common = sorted(set.intersection(*[set(v) for v in runs.values()]))
    if not common:
        return []
    out = ["", f"Comparison on the folds every CV run has ({', '.join(f[-1] for f in common)}):", "",
           "| run | corpus | UAR | accuracy | macro-F1 | ECE | ECE (T) |", "|---|---|---|---|---|---|---|"]
    for key, folds in runs.items():
        for c in data.CORPORA + ["all"]:
            vals = [folds[f][c] for f in common if c in folds[f]]
            if len(vals) != len(common):
                continue
            agg = {k: _agg([v[k] for v in vals]) for k in ("uar", "accuracy", "macro_f1", "ece")}
            ece_t = [v["ece_t"] for v in vals if "ece_t" in v]
            out.append(f"| {key} | {c} | " + " | ".join(
                f"{agg[k]['mean'] * 100:.1f} ± {agg[k]['std'] * 100:.1f}" if k != "ece" else f"{agg[k]['mean']:.3f}"
                for k in ("uar", "accuracy", "macro_f1", "ece"))
                + (f" | {np.mean(ece_t):.3f} |" if len(ece_t) == len(vals) else " | — |"))
    return out


def _update_readme(table):
    """Replaces the results block of training/README.md with the table just computed."""
    path = os.path.join(HERE, "README.md")
    text = open(path).read()
    begin, end = text.find("<!-- results:begin"), text.find("<!-- results:end -->")
    if begin < 0 or end < 0:
        log.warning("no results markers in %s: table not inserted", path)
        return
    begin = text.index("\n", begin) + 1
    note = ("UAR / accuracy / macro-F1 in %, mean ± std over the folds that contain the corpus; ECE = expected "
            "calibration error (mean), ECE (T) = the same after temperature scaling fitted on each fold's validation "
            "speakers (runs that kept their validation outputs). `cv` = speaker-independent folds, `random` = the "
            "80/20 split with shared speakers. Run names: `<feature backend>_<feature set>_<architecture>[-<tag>]` "
            "(e50: 50 epochs, 2 augmented copies; e50a4: 50 epochs, 4 copies; e50a8: 50 epochs, 8 copies; "
            "e50a4s1: e50a4 with other training seeds (`--seed 1`); e80a4: 80 epochs, 4 copies; e80a4r: e80a4 run again "
            "on another machine, with outputs kept; no tag: 30 epochs, 2 copies). A run scores the weights of its "
            "best validation epoch; `<run>.last` the same training's last epoch, `<run>.swa` the mean of its last "
            "20 epochs' weights. `cnn4-e80a4r.swa` is the shipped model 1.5.0 (1.4.0: the last epoch of a `cnn4-e80a4` "
            "final training); `cnn4x2-e50a4` is the mean of `cnn4-e50a4` and `cnn4-e50a4s1` (`ensemble`), model "
            "1.3.0.\n\n")
    with open(path, "w") as f:
        f.write(text[:begin] + note + table + "\n" + text[end:])


def cmd_model_card(a):
    from . import modelcard
    key = run_key(a)
    members = [run_key(m) for m in _members(a)]
    random_of = (base_key(argparse.Namespace(**{**vars(a), "tag": RANDOM_SPLIT_OF[a.tag]}))
                 if a.tag in RANDOM_SPLIT_OF else None)
    path = modelcard.write(RESULTS, os.path.normpath(a.out or MODEL_DIR), key, members, random_of)
    log.info("wrote %s (results of %s)", os.path.relpath(path, F.repo_root()), key)


def cmd_all(a):
    """The full recipe. Each step skips what is already on disk."""
    base = dict(vars(a))
    steps = [
        ("features", cmd_features, {"sets": "logmel64,mfcc40d,logmel64t"}),
        ("check-java", cmd_check_java, {"sets": "logmel64,mfcc40d,logmel64t"}),
        ("cv logmel64", cmd_cv, {"set": "logmel64", "folds": "0,1,2,3,4"}),
        ("random logmel64", cmd_random, {"set": "logmel64"}),
        # comparison rows: model 1.1.0's schedule (2 augmented copies), per-band normalisation on two folds with it,
        # the 30-epoch baseline, and MFCC+deltas on two folds with the baseline schedule
        ("cv logmel64 e50", cmd_cv, {"set": "logmel64", "folds": "0,1,2,3,4", **E50}),
        ("random logmel64 e50", cmd_random, {"set": "logmel64", **E50}),
        ("cv logmel64t e50", cmd_cv, {"set": "logmel64t", "folds": "0,1", **E50}),
        # the second architecture (1-D convolutions over time) on two folds with the default schedule
        ("cv logmel64 tcnn", cmd_cv, {"set": "logmel64", "folds": "0,1", "arch": "tcnn"}),
        # 8 augmented copies (versions 5-8 are generated by this step's features call)
        ("features a8", cmd_features, {"sets": "logmel64", "n_aug": 8}),
        ("cv logmel64 e50a8", cmd_cv, {"set": "logmel64", "folds": "0,1", "n_aug": 8, "tag": "e50a8"}),
        # the default run again with other training seeds: the seed-to-seed spread the comparisons must exceed
        ("cv logmel64 seed 1", cmd_cv, {"set": "logmel64", "folds": "0,1,2,3,4", "seed": 1, "tag": "e50a4s1"}),
        # a longer schedule: 80 epochs (the validation UAR still rose over the last 10 of 50)
        # (run first as `e80a4`, before fold outputs were kept; `e80a4r` is that schedule again, with its outputs, the
        # last-epoch and SWA variants and the fold networks that `robustness` needs)
        ("cv logmel64 e80a4r", cmd_cv, {"set": "logmel64", "folds": "0,1,2,3,4", "epochs": 80, "tag": "e80a4r"}),
        ("robustness e80a4r", cmd_robustness, {"set": "logmel64", "epochs": 80, "tag": "e80a4r"}),
        ("cv logmel64 baseline", cmd_cv, {"set": "logmel64", "folds": "0,1,2,3,4", **BASELINE}),
        ("random logmel64 baseline", cmd_random, {"set": "logmel64", **BASELINE}),
        ("cv mfcc40d baseline", cmd_cv, {"set": "mfcc40d", "folds": "0,1", **BASELINE}),
        # model 1.3.0: the two 50-epoch seeds' mean, scored on the folds from their CV outputs (a comparison row now)
        ("ensemble cnn4x2", cmd_ensemble, {"set": "logmel64", "arch": "cnn4x2"}),
        # the shipped network (1.4.0): one cnn4 with the 80-epoch schedule, also on the random split for its card
        ("random logmel64 shipped", cmd_random, {"set": "logmel64", **SHIPPED, "variant": ""}),
        ("report", cmd_report, {}),
        ("final logmel64 shipped", cmd_final, {"set": "logmel64", **SHIPPED}),
        ("check-e2e", cmd_check_e2e, {"set": "logmel64", **SHIPPED}),
        ("model-card", cmd_model_card, {"set": "logmel64", **SHIPPED}),
    ]
    for name, fn, over in steps:
        if a.backend != "java" and name in ("check-java", "check-e2e"):
            continue
        log.info("=== %s", name)
        fn(argparse.Namespace(**{**base, **over}))


def main(argv=None):
    from . import model as M  # numpy only at import; keras loads when a command builds a network
    p = argparse.ArgumentParser(prog="python -m training.recipe", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["features", "check-java", "cv", "random", "final", "check-e2e", "report",
                                       "ensemble", "model-card", "expected", "robustness", "all"])
    p.add_argument("--backend", default="java", choices=["java", "librosa"],
                   help="feature extractor: the project's Java code (default) or the librosa reference")
    p.add_argument("--set", default="logmel64", choices=sorted(F.FEATURE_SETS))
    p.add_argument("--sets", default="logmel64,mfcc40d")
    p.add_argument("--arch", default=ARCH, choices=M.ARCHS,
                   help="network (model.py): cnn4 (default), cnn4w (wider, not evaluated), tcnn (1-D over time), "
                        "cnn4x2 (two cnn4 seeds averaged: `ensemble`, `final`, `check-e2e` and `model-card` only)")
    p.add_argument("--tag", default=TAG,
                   help="run-name suffix for a schedule variant (e50a4: 50 epochs, 4 augmented copies)")
    p.add_argument("--folds", default="0,1,2,3,4")
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--patience", type=int, default=PATIENCE)
    p.add_argument("--variant", default="", choices=["", "last", "swa"],
                   help="final, model-card: which weights of the training run (none: the best validation epoch "
                        "in CV, the last epoch in final; last: the last epoch in both; swa: the mean of the last "
                        "--swa-epochs epochs' weights)")
    p.add_argument("--swa-epochs", dest="swa_epochs", type=int, default=20,
                   help="cv: also score the mean of the last N epochs' weights (run `<run>.swa`); 0: off")
    p.add_argument("--epoch-size", dest="epoch_size", type=int, default=3000)
    p.add_argument("--n-aug", dest="n_aug", type=int, default=N_AUG,
                   help="augmented copies used (not part of the run name: give a --tag of its own when changing it)")
    p.add_argument("--runs", default=None,
                   help="ensemble: comma-separated CV run names (default: the members of --arch in ENSEMBLES)")
    p.add_argument("--seed", type=int, default=0,
                   help="cv, final: training seed offset (weights, batch order, masks; not the folds or validation "
                        "speakers), to measure seed-to-seed spread or train ensemble members; give a --tag of "
                        "its own")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 is ~4x faster than 2 on this shared 2-core machine (measured)")
    p.add_argument("--n", type=int, default=48, help="check-java: clips in the sample")
    p.add_argument("--tol", type=float, default=2e-3, help="check-java: max abs difference allowed")
    p.add_argument("--out", default=None, help="final: export folder (default: ser-onnx's default model)")
    p.add_argument("--version", default="1.5.0")
    p.add_argument("--calibrate", action="store_true",
                   help="final: divide the logits by the median of the CV folds' validation-fitted temperatures "
                        "(off by default: with 4 validation speakers the fits did not lower the test ECE, README)")
    a = p.parse_args(argv)
    setup_logging()
    log.info("recipe %s %s", a.command, " ".join(argv or sys.argv[1:]))
    {"features": cmd_features, "check-java": cmd_check_java, "cv": cmd_cv, "random": cmd_random,
     "final": cmd_final, "check-e2e": cmd_check_e2e, "report": cmd_report, "ensemble": cmd_ensemble,
     "robustness": cmd_robustness,
     "model-card": cmd_model_card,
     "expected": cmd_expected, "all": cmd_all}[a.command](a)


if __name__ == "__main__":
    main()
