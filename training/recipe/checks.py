"""`check-e2e` (the exported model through `ser analyze` vs librosa + onnxruntime) and `expected` (the sample-clip
probabilities DefaultModelParityTest checks)."""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np

from .. import data, features as F
from .common import HERE, MODEL_DIR, RESULTS, log


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
