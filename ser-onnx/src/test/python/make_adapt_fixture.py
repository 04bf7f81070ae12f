#!/usr/bin/env python3
"""The `features.adapt` (speaker adaptation, issue 18) fixtures: the running z-score of
training/loco_functionals.py's online_zscore, and a card that applies it to the functionals.

    training/.venv/bin/python ser-onnx/src/test/python/make_adapt_fixture.py   (from the repository root)

The truth is training/loco_functionals.online_zscore when it can be imported (it needs the training venv's packages);
otherwise a self-contained copy below, which is checked against it whenever both are available. online_zscore
walks each speaker's clips in a seeded random order; `in_order` feeds it so that the order is the one written here.
Writes ser-onnx/src/test/resources/fixtures/:
  adapt/golden.json          prior (prior_n 3, means, variances) and two speakers' sequences of 6-value feature
                             vectors (float64, seeded, deliberately off the prior's scale) with the adapted vectors
  functionals_adapt/         the functionals_nc card (same model.onnx) plus features.adapt (prior: the functionals_nc
                             scaler's mean and variance) and another global normalisation (seeded mean and scale);
    expected.json            per speaker, a sequence of functionals_nc clips: the raw functionals (functionals_nc's
                             expected.json, i.e. training/functionals.py), the adapted vectors, the model input
                             float32((adapted - mean) / scale) and Python onnxruntime's probabilities
Deterministic (fixed seeds); re-running it rewrites the same files.
"""
import hashlib
import json
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
FIX = os.path.join(HERE, "..", "resources", "fixtures")
PRIOR_N = 3
EPSILON = 1e-6  # online_zscore's


def online_zscore_copy(x, groups, prior_mu, prior_var, prior_n, seed=0):
    """Self-contained copy of training/loco_functionals.online_zscore."""
    out = np.empty_like(x)
    rng = np.random.default_rng(seed)
    for g in np.unique(groups):
        idx = np.where(groups == g)[0]
        idx = idx[rng.permutation(len(idx))]
        s1 = prior_n * prior_mu
        s2 = prior_n * (prior_var + prior_mu ** 2)
        for k, i in enumerate(idx):
            s1 = s1 + x[i]
            s2 = s2 + x[i] ** 2
            n = prior_n + k + 1
            mu = s1 / n
            sd = np.sqrt(np.maximum(s2 / n - mu ** 2, 0))
            out[i] = (x[i] - mu) / (sd + EPSILON)
    return out


def reference():
    sys.path.insert(0, REPO)
    try:
        from training import loco_functionals
        return loco_functionals.online_zscore, "training/loco_functionals.py online_zscore"
    except Exception as e:  # noqa: BLE001 - the training packages may be missing
        print("training.loco_functionals not importable (%s); using the copy" % e)
        return online_zscore_copy, "make_adapt_fixture.py online_zscore_copy"
    finally:
        sys.path.pop(0)


def in_order(fn, seq, prior_mu, prior_var):
    """online_zscore of one speaker's vectors processed in the order of seq (rows)."""
    seq = np.asarray(seq, dtype=np.float64)
    n = len(seq)
    perm = np.random.default_rng(0).permutation(n)  # the order online_zscore walks the single group in
    x = np.empty_like(seq)
    x[perm] = seq  # step k processes x[perm[k]] = seq[k]
    out = fn(x, np.zeros(n, dtype=int), prior_mu, prior_var, PRIOR_N)
    return out[perm]


def golden(fn):
    rng = np.random.default_rng(18)
    d = 6
    prior_mu = rng.normal(0, 2, d)
    prior_var = rng.uniform(0.2, 3, d)
    prior_var[3] = 0.0  # a constant feature in training
    speakers = {}
    for name, k, shift in (("a", 7, 1.5), ("b", 5, -4.0)):
        x = prior_mu + shift + rng.normal(0, 1.5, (k, d)) * np.sqrt(prior_var + 0.5)
        x[:, 5] = 1234.5  # a feature constant within the speaker
        speakers[name] = {"x": x.tolist(), "y": in_order(fn, x, prior_mu, prior_var).tolist()}
    return {"prior_count": PRIOR_N, "prior_mean": prior_mu.tolist(), "prior_var": prior_var.tolist(),
            "epsilon": EPSILON, "speakers": speakers}


def main():
    import onnxruntime as ort
    fn, truth = reference()
    if fn is not online_zscore_copy:
        x = np.random.default_rng(1).normal(size=(9, 4))
        g = np.array([0, 1, 0, 0, 1, 1, 0, 2, 2])
        args = (x, g, np.zeros(4) + 0.3, np.ones(4) * 2.0, PRIOR_N)
        assert np.array_equal(fn(*args), online_zscore_copy(*args)), "the copy differs from the reference"

    os.makedirs(os.path.join(FIX, "adapt"), exist_ok=True)
    g = golden(fn)
    g = {"generator": "make_adapt_fixture.py", "truth": truth, "numpy": np.__version__, **g}
    with open(os.path.join(FIX, "adapt", "golden.json"), "w") as f:
        f.write(json.dumps(g, indent=1) + "\n")

    src = os.path.join(FIX, "functionals_nc")
    out = os.path.join(FIX, "functionals_adapt")
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(os.path.join(src, "model.onnx"), os.path.join(out, "model.onnx"))
    with open(os.path.join(src, "card.json")) as f:
        card = json.load(f)
    with open(os.path.join(src, "expected.json")) as f:
        nc = json.load(f)
    with open(os.path.join(out, "model.onnx"), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == card["model"]["sha256"]
    prior_mu = np.array(card["features"]["normalize"]["mean"], dtype=np.float64)
    prior_var = np.array(card["features"]["normalize"]["scale"], dtype=np.float64) ** 2
    rng = np.random.default_rng(180)
    mean = rng.normal(0, 0.3, len(prior_mu))
    scale = rng.uniform(0.5, 2.0, len(prior_mu))
    card["name"] = "functionals_adapt"
    card["description"] = ("Softmax regression on the 139 clip functionals, adapted to the speaker by a running "
                           "z-score (features.adapt), then globally normalised.")
    card["provenance"]["recipe"] = "ser-onnx/src/test/python/make_adapt_fixture.py"
    card["features"]["adapt"] = {"type": "running", "prior_count": PRIOR_N, "prior_mean": prior_mu.tolist(),
                                 "prior_var": prior_var.tolist(), "epsilon": EPSILON}
    card["features"]["normalize"] = {"type": "global", "mean": mean.tolist(), "scale": scale.tolist()}
    with open(os.path.join(out, "card.json"), "w") as f:
        f.write(json.dumps(card, indent=2) + "\n")

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(out, "model.onnx"), opts, providers=["CPUExecutionProvider"])
    in_name = sess.get_inputs()[0].name
    out_name = card["output"]["name"]
    sequences = {"A": ["syllables", "vowel_padded", "syllables", "vowel_padded", "vowel_padded"],
                 "B": ["syllables", "syllables", "syllables"]}
    speakers = {}
    for who, clips in sequences.items():
        raw = np.array([nc["clips"][c]["functionals"] for c in clips], dtype=np.float32)
        adapted = in_order(fn, raw.astype(np.float64), prior_mu, prior_var)
        model_input = ((adapted - mean) / scale).astype(np.float32)
        probs = sess.run([out_name], {in_name: model_input})[0]
        speakers[who] = {"clips": clips, "functionals": raw.tolist(), "adapted": adapted.tolist(),
                         "model_input": model_input.tolist(), "probabilities": probs.tolist()}
    with open(os.path.join(out, "expected.json"), "w") as f:
        f.write(json.dumps({"generator": "make_adapt_fixture.py", "truth": truth, "numpy": np.__version__,
                            "onnxruntime": ort.__version__, "clips_from": "functionals_nc/clips",
                            "labels": nc["labels"], "speakers": speakers}, indent=1) + "\n")
    print("wrote", os.path.join(FIX, "adapt"), "and", out)


if __name__ == "__main__":
    main()
