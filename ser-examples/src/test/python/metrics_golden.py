#!/usr/bin/env python3
"""Reference classification metrics from scikit-learn for a small fixed example.

Writes src/test/resources/golden/metrics_sklearn.json, which MetricsTest compares with the Java metrics.
Run from ser-examples/:  "$SER4J_VENV"/bin/python src/test/python/metrics_golden.py

The example exercises the edge cases: a class that is predicted but never true ("calm"), a class that is true but
never predicted ("sad"), and a "no_speech" prediction (counted as wrong, not a class of its own).
"""
import json
import pathlib

import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score,
                             precision_recall_fscore_support)

LABELS = ["angry", "happy", "neutral", "sad", "calm"]
Y_TRUE = ["angry", "angry", "angry", "angry", "happy", "happy", "happy", "neutral", "neutral", "neutral",
          "neutral", "neutral", "sad", "sad", "angry", "happy"]
Y_PRED = ["angry", "angry", "happy", "no_speech", "happy", "happy", "angry", "neutral", "neutral", "calm",
          "angry", "neutral", "neutral", "happy", "angry", "happy"]

present = sorted((set(Y_TRUE) | set(Y_PRED)) - {"no_speech"})
p, r, f, s = precision_recall_fscore_support(Y_TRUE, Y_PRED, labels=LABELS, zero_division=0)
golden = {
    "sklearn_version": sklearn.__version__,
    "labels": LABELS,
    "y_true": Y_TRUE,
    "y_pred": Y_PRED,
    "accuracy": accuracy_score(Y_TRUE, Y_PRED),
    "uar": balanced_accuracy_score(Y_TRUE, Y_PRED),
    "macro_f1": f1_score(Y_TRUE, Y_PRED, labels=present, average="macro", zero_division=0),
    "per_class": {l: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                  for i, l in enumerate(LABELS)},
    "confusion": confusion_matrix(Y_TRUE, Y_PRED, labels=LABELS).tolist(),
}
out = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden" / "metrics_sklearn.json"
out.write_text(json.dumps(golden, indent=2) + "\n")
print(out, json.dumps({k: golden[k] for k in ("accuracy", "uar", "macro_f1")}))
