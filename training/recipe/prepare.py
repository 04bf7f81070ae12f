"""`features` (augmented waveforms and the feature cache, computed by the Java extractor) and `check-java` (Java
features vs librosa on a sample)."""
from __future__ import annotations

import json
import os

import numpy as np

from .. import caches, data, features as F
from .common import RESULTS, WORK, log


def wave_path(v, i):
    return os.path.join(WORK, "waves", f"v{v}", f"{i:05d}.npy")


def make_waves(ds, n_aug):
    """Augmented waveforms (float32 .npy, 16 kHz, 3 s) for versions 1..n_aug; deterministic per (version, clip)."""
    everyone = np.arange(len(ds))
    caches.augment_versions(ds, n_aug, wave_path, lambda v, i: np.random.default_rng(1_000_003 * v + i),
                            lambda i: everyone)


def feature_path(backend, fs, v):
    return os.path.join(WORK, "features", backend, fs, f"v{v}.npy")


def inputs_for(ds, v):
    return [ds.abspath(i) if v == 0 else wave_path(v, i) for i in range(len(ds))]


def make_features(ds, fs, backend, n_aug):
    caches.extract_versions(len(ds), n_aug, lambda v: feature_path(backend, fs, v), lambda v: inputs_for(ds, v), fs,
                            os.path.join(WORK, "java"), backend)


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
