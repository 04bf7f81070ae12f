"""The ONNX export of a trained network with its model card (`final` calls it)."""
from __future__ import annotations

import hashlib
import json
import os
import time

import numpy as np

from .. import features as F
from .common import ENSEMBLES, MODEL_DIR, RESULTS, WORK, log, run_key


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
