"""A model on the clip-level functionals (training.functionals), exported as an ONNX graph and a ser4j model card:
a multinomial logistic regression for the 7 categories and a ridge regression for arousal and valence, both on the
139 functionals z-scored with the training clips' mean and scale (the card's `features.normalize: global`).

    python -m training.functionals_model export --out DIR [--aug K]   # DIR/model.onnx, DIR/card.json
    python -m training.functionals_model loco-av                      # LOCO of the arousal/valence head

Arousal/valence targets: a categorical clip takes its label's coordinates (the default card's table); a BAVED clip
takes its arousal level (low -0.5, neutral 0, high 0.7) and no valence (weight 0)."""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np

from . import data
from .functionals import feature_path, names
from .loco import HELD_OUT
from .loco_functionals import C_LOGREG, weights

#: arousal, valence per label (as the 1.x cards' output.arousal_valence)
AV = {"neutral": (0.0, 0.0), "happy": (0.5, 0.8), "sad": (-0.5, -0.7), "angry": (0.8, -0.6), "fearful": (0.7, -0.7),
      "disgust": (0.3, -0.7), "surprised": (0.8, 0.3)}
BAVED_AROUSAL = {"low": -0.5, "neutral": 0.0, "high": 0.7}
RIDGE_ALPHA = 10.0
#: pseudo-clips of the training population's statistics that start a speaker's running statistics (`--adapt`)
PRIOR_COUNT = 3


def av_targets(ds):
    """(targets [N,2], weights [N,2]) for the arousal/valence head."""
    t = np.zeros((len(ds), 2))
    w = np.zeros((len(ds), 2))
    for i in range(len(ds)):
        if ds.y[i] >= 0:
            t[i] = AV[data.LABELS[ds.y[i]]]
            w[i] = 1
        elif ds.arousal is not None and ds.arousal[i] >= 0:
            t[i, 0] = BAVED_AROUSAL[data.AROUSAL[ds.arousal[i]]]
            w[i, 0] = 1
    return t, w


def fit(xs, ds, idx):
    """Scaler, logistic regression (categorical clips of idx) and one ridge per arousal/valence (all of idx)."""
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.preprocessing import StandardScaler
    x = np.concatenate([x[idx] for x in xs])
    sc = StandardScaler().fit(x)
    z = sc.transform(x)
    y = np.concatenate([ds.y[idx]] * len(xs))
    cat = y >= 0
    cw = np.concatenate([weights_all(ds, idx)] * len(xs))
    clf = LogisticRegression(C=C_LOGREG, max_iter=3000).fit(z[cat], y[cat], sample_weight=cw[cat])
    t, w = av_targets(ds)
    t = np.concatenate([t[idx]] * len(xs))
    w = np.concatenate([w[idx]] * len(xs))
    ridges = [Ridge(alpha=RIDGE_ALPHA).fit(z[w[:, k] > 0], t[w[:, k] > 0, k]) for k in range(2)]
    return sc, clf, ridges


def weights_all(ds, idx):
    """weights() for the categorical clips of idx, 0 for the others."""
    w = np.zeros(len(idx))
    cat = ds.y[idx] >= 0
    w[cat] = weights(ds, idx[cat])
    return w


def onnx_graph(sc, clf, ridges, input_name="functionals"):
    """Gemm + Softmax for the probabilities, Gemm for arousal/valence; the scaler stays in the card."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    n = len(sc.mean_)
    w = np.zeros((n, len(data.LABELS)), np.float32)
    b = np.full(len(data.LABELS), -30.0, np.float32)  # a class the training side lacks gets ~0 probability
    w[:, clf.classes_] = clf.coef_.T
    b[clf.classes_] = clf.intercept_
    wav = np.stack([r.coef_ for r in ridges], axis=1).astype(np.float32)
    bav = np.array([r.intercept_ for r in ridges], np.float32)
    nodes = [helper.make_node("Gemm", [input_name, "W", "B"], ["logits"]),
             helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
             helper.make_node("Gemm", [input_name, "WAV", "BAV"], ["arousal_valence"])]
    graph = helper.make_graph(
        nodes, "ser4j_functionals",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["N", n])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(data.LABELS)]),
         helper.make_tensor_value_info("arousal_valence", TensorProto.FLOAT, ["N", 2])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B"),
         numpy_helper.from_array(wav, "WAV"), numpy_helper.from_array(bav, "BAV")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ser4j-training")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def card(sc, sha256, version="0.1.0", adapt=None):
    c = {
        "format": "ser4j-model-card", "schema_version": 1, "name": "ser4j-functionals", "version": version,
        "model": {"file": "model.onnx", "sha256": sha256},
        "audio": {"sample_rate": 16000, "offset_seconds": 0.0, "duration_seconds": None, "crop": "none",
                  "pad": "none", "normalize": "peak"},
        "speech_gate": {"enabled": True, "min_rms_dbfs": -50.0, "frame_seconds": 0.025},
        "features": {"stack": [{"name": "functionals"}],
                     "normalize": {"type": "global", "mean": sc.mean_.tolist(), "scale": sc.scale_.tolist()}},
        "input": {"name": "functionals", "dtype": "float32", "layout": "NC", "batch_dimension": True},
        "output": {"name": "probabilities", "kind": "probabilities", "labels": list(data.LABELS),
                   "regression": {"name": "arousal_valence", "arousal_index": 0, "valence_index": 1}},
        "streaming": {"window_seconds": 3.0, "hop_seconds": 1.0},
        "description": "Speech emotion recognition from 139 prosodic and spectral functionals of a clip (YIN F0, "
                       "energy, spectral shape, MFCC 1-13): multinomial logistic regression, plus learnt arousal "
                       "and valence. Trained on RAVDESS, TESS, EmoDB, ASED, TurEV-DB and BAVED.",
        "provenance": {"license": "CC-BY-NC-SA-4.0 (weights; inherited from the training corpora, non-commercial)",
                       "recipe": "python -m training.functionals_model export", "feature_names": names()},
    }
    if adapt is not None:
        # trained on per-speaker z-scores: each clip is z-scored by its speaker's running statistics (SDK
        # SpeakerContext, or a stream's own windows), starting from the training population's
        c["name"] = "ser4j-functionals-adaptive"
        c["features"]["adapt"] = {"type": "running", "prior_count": PRIOR_COUNT, "prior_mean": adapt[0].tolist(),
                                  "prior_var": adapt[1].tolist(), "epsilon": 1e-6}
    return c


def cmd_export(a):
    from .loco_functionals import online_zscore, prepare
    ds = data.load_corpora()
    raw = [np.nan_to_num(np.load(feature_path(v)).astype(np.float64)) for v in range(a.aug + 1)]
    xs = [prepare(x, ds, "speaker") for x in raw] if a.adapt else raw
    idx = np.arange(len(ds))
    sc, clf, ridges = fit(xs, ds, idx)
    os.makedirs(a.out, exist_ok=True)
    model = onnx_graph(sc, clf, ridges)
    path = os.path.join(a.out, "model.onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    with open(os.path.join(a.out, "card.json"), "w") as f:
        json.dump(card(sc, sha, a.version, (raw[0].mean(0), raw[0].var(0)) if a.adapt else None), f, indent=1)
    # the graph against scikit-learn on the clean clips
    import onnxruntime as ort
    z = sc.transform(xs[0]).astype(np.float32)
    if a.adapt:
        # what the SDK computes: each speaker's clips in order, z-scored by the running statistics
        spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))
        z = sc.transform(online_zscore(raw[0], spk, raw[0].mean(0), raw[0].var(0), PRIOR_COUNT)).astype(np.float32)
    p, av = ort.InferenceSession(path).run(None, {"functionals": z})
    ref = np.zeros_like(p)
    ref[:, clf.classes_] = clf.predict_proba(z.astype(np.float64))
    print("max |onnx - sklearn| probabilities:", float(np.abs(p - ref).max()),
          "arousal/valence:", float(np.abs(av - np.stack([r.predict(z) for r in ridges], 1)).max()))


def cmd_loco_av(a):
    """Per held-out corpus (BAVED included, arousal only): Pearson r and CCC of the learnt arousal and valence."""
    ds = data.load_corpora()
    xs = [np.nan_to_num(np.load(feature_path(v)).astype(np.float64)) for v in range(a.aug + 1)]
    t, w = av_targets(ds)
    for held in HELD_OUT + ["baved"]:
        trn = np.where(ds.corpus != held)[0]
        test = np.where(ds.corpus == held)[0]
        sc, clf, ridges = fit(xs, ds, trn)
        z = sc.transform(xs[0][test])
        out = []
        for k, name in enumerate(["arousal", "valence"]):
            m = w[test, k] > 0
            if m.sum() < 10:
                continue
            pred, true = ridges[k].predict(z[m]), t[test, k][m]
            r = np.corrcoef(pred, true)[0, 1]
            ccc = 2 * np.cov(pred, true)[0, 1] / (pred.var() + true.var() + (pred.mean() - true.mean()) ** 2)
            out.append(f"{name} r={r:.2f} ccc={ccc:.2f}")
        print(held, " ".join(out), flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m training.functionals_model", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["export", "loco-av"])
    p.add_argument("--out", default=os.path.join("training", "work", "functionals-model"))
    p.add_argument("--aug", type=int, default=0, help="augmented copies (functionals v1..vK) added to training")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--adapt", action="store_true",
                   help="export: train on per-speaker z-scores and give the card features.adapt (running statistics)")
    a = p.parse_args(argv)
    {"export": cmd_export, "loco-av": cmd_loco_av}[a.command](a)


if __name__ == "__main__":
    main()
