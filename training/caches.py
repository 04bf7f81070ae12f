"""The on-disk caches the recipe and LOCO both build, resumable: augmented copies of every clip (waveforms) and the
features of each version (0 = the clean clips, 1..n = the copies). Each caller chooses where files go, how a copy
is seeded and where its babble noise comes from."""
from __future__ import annotations

import logging
import os
import time

import numpy as np

from . import features as F

log = logging.getLogger("training")


def augment_versions(ds, n_aug, wave_path, rng_of, pool_of, label="", every=1000, **augment):
    """Augmented waveforms (float32 .npy, 16 kHz, 3 s, `features.augment(..., **augment)`) of versions 1..n_aug,
    skipping those on disk. `wave_path(v, i)` is the file of clip i's version v, `rng_of(v, i)` its generator and
    `pool_of(i)` the clips its babble noise is drawn from (another speaker's)."""
    for v in range(1, n_aug + 1):
        todo = [i for i in range(len(ds)) if not os.path.exists(wave_path(v, i))]
        if not todo:
            continue
        os.makedirs(os.path.dirname(wave_path(v, todo[0])), exist_ok=True)
        log.info("%saugmenting version %d: %d clips", label, v, len(todo))
        t0 = time.time()
        for n, i in enumerate(todo):
            rng = rng_of(v, i)
            pool = pool_of(i)
            other = pool[rng.integers(len(pool))]
            while ds.speaker[other] == ds.speaker[i]:
                other = pool[rng.integers(len(pool))]
            a = F.augment(F.load_audio(ds.abspath(i)), rng, F.load_audio(ds.abspath(other)), **augment)
            out = wave_path(v, i)
            np.save(out + ".tmp.npy", a)
            os.replace(out + ".tmp.npy", out)
            if n % every == every - 1:
                log.info("  %d/%d (%.0fs)", n + 1, len(todo), time.time() - t0)


def extract_versions(n, n_aug, feature_path, inputs_of, fs, java_dir, backend="java", what=None):
    """Features `fs` of versions 0..n_aug of n clips, skipping those on disk: `feature_path(v)` is the .npy of version
    v, `inputs_of(v)` its n audio files (.flac or waveform .npy); computed by the project's Java extractor (working
    files in `java_dir`) or, with backend="librosa", by the librosa reference. `what` names them in the log (default: "features <backend>/<fs>")."""
    for v in range(n_aug + 1):
        out = feature_path(v)
        if os.path.exists(out):
            continue
        os.makedirs(os.path.dirname(out), exist_ok=True)
        t0 = time.time()
        inputs = inputs_of(v)
        if backend == "java":
            F.java_extract(inputs, fs, out, java_dir)
        else:
            x = np.zeros((n,) + F.input_shape(fs), np.float32)
            for i, p in enumerate(inputs):
                y = F.load_audio(p) if p.endswith(".flac") else np.load(p)
                x[i] = F.librosa_features(y, fs)
            np.save(out + ".part.npy", x)
            os.replace(out + ".part.npy", out)
        log.info("%s v%d done (%.0fs)", what or f"features {backend}/{fs}", v, time.time() - t0)
