#!/usr/bin/env python3
"""The `functionals` model-card fixture: a card whose only feature is the 139 clip functionals of
training/functionals.py, a tiny ONNX model on that vector, and the truth the Java pipeline is compared to.

    training/.venv/bin/python ser-onnx/src/test/python/make_functionals_fixture.py   (from the repository root)

The truth is training/functionals.py itself (imported from this repository's training/, so it must be importable):
nothing here re-implements the functionals. Writes ser-onnx/src/test/resources/fixtures/functionals_nc/:
  card.json        audio.sample_rate 16000, features.stack [functionals], global normalisation (StandardScaler mean_
                   and scale_ fitted on the fit clips below), input layout NC, four labels
  model.onnx       softmax(x W + b), x float32 [batch, 139], seeded weights (opset 17, IR 8, built with onnx.helper)
  clips/<name>.npy float32 mono 16 kHz clips, generated here (seeded): harmonic syllables with gliding F0 and pauses
                   at 20 dB SNR, and a vowel-like complex with vibrato padded with silence
  expected.json    per clip: the raw functionals (float32, training.functionals.functionals), the model input
                   float32((v - mean) / scale) and the probabilities Python onnxruntime gives for it
Deterministic (fixed seeds); re-running it rewrites the same files.
"""
import hashlib
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
OUT = os.path.join(HERE, "..", "resources", "fixtures", "functionals_nc")
SCHEMA = os.path.join(REPO, "ser-onnx", "src", "main", "resources", "io", "github", "ser4j", "onnx",
                      "model-card.schema.json")
SR = 16000
LABELS = ["neutral", "happy", "sad", "angry"]


def reference():
    sys.path.insert(0, REPO)
    try:
        from training import functionals as tf
    finally:
        sys.path.pop(0)
    return tf


def syllables(rng, seconds, f_lo, f_hi, snr_db):
    n = int(seconds * SR)
    y = np.zeros(n)
    t = 0.05
    while t < seconds - 0.3:
        dur = rng.uniform(0.12, 0.3)
        a, b = int(t * SR), int((t + dur) * SR)
        tt = np.arange(b - a) / SR
        f0 = rng.uniform(f_lo, f_hi) * (1 + rng.uniform(-0.3, 0.3) * tt / dur)
        phase = 2 * np.pi * np.cumsum(f0) / SR
        env = np.sin(np.pi * np.arange(b - a) / (b - a)) ** 2
        y[a:b] = env * sum(0.3 / h * np.sin(h * phase) for h in range(1, 12) if h * f0.max() < SR / 2)
        t += dur + rng.uniform(0.08, 0.25)
    noise = rng.standard_normal(n) * np.sqrt(np.mean(y[y != 0] ** 2) / 10 ** (snr_db / 10))
    return 0.5 * (y + noise) / np.max(np.abs(y + noise))


def vowel(seconds, f0, pad_seconds):
    t = np.arange(int(seconds * SR)) / SR
    f = f0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t))
    phase = 2 * np.pi * np.cumsum(f) / SR
    formants = ((700, 90), (1200, 110), (2600, 160))
    y = np.zeros(len(t))
    for h in range(1, 40):
        fh = h * f0
        if fh >= 7500:
            break
        amp = sum(1.0 / (1 + ((fh - fc) / bw) ** 2) for fc, bw in formants) / np.sqrt(h)
        y += amp * np.sin(h * phase)
    y *= np.hanning(len(y)) ** 0.25
    pad = np.zeros(int(pad_seconds * SR))
    return 0.4 * np.concatenate([pad, y / np.max(np.abs(y)), pad])


def model(w, b):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    x = helper.make_tensor_value_info("functionals", TensorProto.FLOAT, ["batch", 139])
    y = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", len(LABELS)])
    nodes = [helper.make_node("MatMul", ["functionals", "W"], ["xw"]),
             helper.make_node("Add", ["xw", "b"], ["logits"]),
             helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1)]
    graph = helper.make_graph(nodes, "functionals_mlp", [x], [y],
                              [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_functionals_fixture")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def main():
    import onnx
    import onnxruntime as ort
    tf = reference()
    rng = np.random.default_rng(20261218)
    clips = {
        "syllables": syllables(rng, 1.5, 110, 240, 20).astype(np.float32),
        "vowel_padded": vowel(0.7, 180.0, 0.2).astype(np.float32),
    }
    # StandardScaler fit on other generated clips (so the test clips are not the fit set)
    fit = [syllables(rng, rng.uniform(0.8, 2.0), lo, lo * 2.2, snr).astype(np.float32)
           for lo, snr in [(90, 30), (120, 20), (150, 15), (180, 25), (100, 10), (200, 30), (140, 20), (160, 12)]]
    fit += [vowel(0.6, f0, 0.1).astype(np.float32) for f0 in (110.0, 150.0, 220.0, 300.0)]
    feats = np.stack([tf.functionals(y) for y in fit]).astype(np.float64)
    mean = feats.mean(axis=0)
    scale = feats.std(axis=0)
    scale[scale == 0] = 1.0  # as sklearn's StandardScaler
    w = (rng.standard_normal((139, len(LABELS))) * 0.3).astype(np.float32)
    b = (rng.standard_normal(len(LABELS)) * 0.1).astype(np.float32)

    os.makedirs(os.path.join(OUT, "clips"), exist_ok=True)
    m = model(w, b)
    onnx.save(m, os.path.join(OUT, "model.onnx"))
    with open(os.path.join(OUT, "model.onnx"), "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(OUT, "model.onnx"), opts, providers=["CPUExecutionProvider"])

    card = {
        "format": "ser4j-model-card",
        "schema_version": 1,
        "name": "functionals_nc",
        "version": "0.0.1-fixture",
        "description": "Softmax regression on the 139 clip functionals of training/functionals.py, "
                       "StandardScaler-normalised.",
        "model": {"file": "model.onnx", "sha256": sha},
        "provenance": {
            "license": "Apache-2.0",
            "training_data": [{"name": "synthetic", "notes": "seeded random weights; scaler fitted on generated "
                                                               "syllables and vowels"}],
            "metrics": {"note": "test fixture, not a speech emotion model"},
            "recipe": "ser-onnx/src/test/python/make_functionals_fixture.py",
        },
        "audio": {"sample_rate": 16000, "normalize": "none"},
        "features": {
            "stack": [{"name": "functionals"}],
            "normalize": {"type": "global", "mean": mean.tolist(), "scale": scale.tolist()},
        },
        "input": {"name": "functionals", "dtype": "float32", "layout": "NC"},
        "output": {"name": "probabilities", "kind": "probabilities", "labels": LABELS},
    }
    try:
        import jsonschema
        with open(SCHEMA) as f:
            jsonschema.validate(card, json.load(f))
    except ImportError:
        print("jsonschema missing: the card is not checked against the schema", file=sys.stderr)
    with open(os.path.join(OUT, "card.json"), "w") as f:
        f.write(json.dumps(card, indent=2) + "\n")

    expected = {}
    for name, y in clips.items():
        np.save(os.path.join(OUT, "clips", name + ".npy"), y)
        v = tf.functionals(y)  # float32, what a model trained on training/functionals.py sees
        x = ((v.astype(np.float64) - mean) / scale).astype(np.float32)
        p = sess.run(["probabilities"], {"functionals": x[None, :]})[0][0]
        expected[name] = {"samples": int(len(y)), "functionals": [float(t) for t in v],
                          "model_input": [float(t) for t in x], "probabilities": [float(t) for t in p]}
        names = tf.names()
        print(f"{name}: {len(y)} samples, voiced {v[names.index('voiced_fraction')]:.3f}, "
              f"F0 p50 {27.5 * 2 ** (v[names.index('f0_st_p50')] / 12):.1f} Hz, probabilities {np.round(p, 4)}")
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        f.write(json.dumps({"generator": "make_functionals_fixture.py", "numpy": np.__version__,
                            "onnxruntime": ort.__version__, "sample_rate": SR, "labels": LABELS,
                            "clips": expected}, indent=1) + "\n")


if __name__ == "__main__":
    main()
