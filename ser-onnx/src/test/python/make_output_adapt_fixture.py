#!/usr/bin/env python3
"""The `output.adapt` (speaker adaptation of the model's output, type "demote_excess") fixtures, from the reference
training/output_adapt.py (`Running`, one instance per speaker).

    PYTHONPATH=. training/.venv/bin/python ser-onnx/src/test/python/make_output_adapt_fixture.py   (from the repo root)

Writes ser-onnx/src/test/resources/fixtures/output_adapt/:
  golden.json   cases of (prior_count, strength, floor), each with two speakers' sequences of 7-label probability
                vectors (seeded Dirichlet, rounded to float32 so that Java's float input is the same number; one
                vector holds a 0 to exercise the floor) and the adapted vectors Running.adapt returns (float64)
  cnn.json      for the keras_cnn_logmel_nhwc fixture with output.adapt and output.arousal_valence added (both given
                here): per speaker, a sequence of fixture clips (one without speech, which must not update; speaker
                C's clips are all 1 s, the card's duration, to be streamed in 1 s windows too) with the
                adapted probabilities of Python onnxruntime's probabilities of those clips (keras_cnn_logmel_nhwc's
                expected.json, written by make_fixtures.py), cast to float32, and the arousal/valence of the label
                table weighted by those float32 probabilities
Deterministic (fixed seeds); re-running it rewrites the same files.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
FIX = os.path.join(HERE, "..", "resources", "fixtures")
sys.path.insert(0, REPO)
from training import output_adapt  # noqa: E402  - the reference; needs only numpy

CNN = "keras_cnn_logmel_nhwc"


def f32(x):
    """float32-representable float64 values: what Java reads into its float[] is then the same number."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def golden():
    rng = np.random.default_rng(1813)
    labels = 7
    cases = []
    for params in ({"prior_count": 2.5, "strength": 0.7, "floor": 1e-4},
                   {"prior_count": 0.0, "strength": 2.0, "floor": 1e-7},
                   {"prior_count": 3.0, "strength": 1.0, "floor": 1e-7}):
        speakers = {}
        for name, k, alpha in (("a", 9, 0.6), ("b", 6, 2.0)):
            concentration = np.full(labels, alpha)
            concentration[2] *= 4  # a speaker-specific bias for the adaptation to remove
            p = rng.dirichlet(concentration, size=k)
            if name == "a":
                p[3, 5] = 0.0  # below every floor
                p[4, 1] = 3e-6  # between the floors of the cases
            p = f32(p)
            state = output_adapt.Running(labels, **params)
            speakers[name] = {"p": p.tolist(), "adapted": [state.adapt(v).tolist() for v in p]}
        cases.append({**params, "speakers": speakers})
    return {"labels": labels, "cases": cases}


def check_schema(card):
    try:
        import jsonschema
    except ImportError:
        print("jsonschema missing: the card is not checked against the schema")
        return
    with open(os.path.join(HERE, "..", "..", "main", "resources", "io", "github", "ser4j", "onnx",
                           "model-card.schema.json")) as f:
        jsonschema.validate(card, json.load(f))


def cnn():
    with open(os.path.join(FIX, CNN, "expected.json")) as f:
        expected = json.load(f)
    with open(os.path.join(FIX, CNN, "card.json")) as f:
        card = json.load(f)
    labels = card["output"]["labels"]
    adapt = {"type": "demote_excess", "prior_count": 1.5, "strength": 0.8, "floor": 1e-5}
    table = {"neutral": [0.0, 0.1], "happy": [0.6, 0.8], "sad": [-0.5, -0.6], "angry": [0.9, -0.7]}
    card["output"]["adapt"] = adapt  # the card the Java test builds must be valid for other tools too
    card["output"]["arousal_valence"] = table
    check_schema(card)
    av = np.array([table[l] for l in labels], dtype=np.float64)
    sequences = {"A": ["tone_440", "noise", "silence", "chirp", "am_bursts", "vowel", "tone_440", "quiet_tone"],
                 "B": ["vowel", "chirp", "vowel", "noise"],
                 "C": ["tone_440", "am_bursts", "tone_440"]}  # 1 s each: also a stream of 1 s windows
    speakers = {}
    for who, clips in sequences.items():
        state = output_adapt.Running(len(labels), **{k: v for k, v in adapt.items() if k != "type"})
        out = []
        for c in clips:
            e = expected["clips"][c]
            if not e["speech"]:
                out.append({"clip": c, "speech": False})
                continue
            raw = np.array(e["probabilities"], dtype=np.float64)
            p = state.adapt(raw).astype(np.float32)
            a, v = (p.astype(np.float64)[:, None] * av).sum(axis=0)
            out.append({"clip": c, "speech": True, "model": raw.tolist(),
                        "adapted": p.astype(np.float64).tolist(), "arousal": float(a), "valence": float(v)})
        speakers[who] = out
    return {"model": CNN, "probabilities_from": CNN + "/expected.json (Python onnxruntime "
            + expected["onnxruntime"] + ")", "adapt": adapt, "arousal_valence": table, "labels": labels,
            "speakers": speakers}


def main():
    out = os.path.join(FIX, "output_adapt")
    os.makedirs(out, exist_ok=True)
    head = {"generator": "make_output_adapt_fixture.py", "truth": "training/output_adapt.py Running",
            "numpy": np.__version__}
    with open(os.path.join(out, "golden.json"), "w") as f:
        f.write(json.dumps({**head, **golden()}, indent=1) + "\n")
    with open(os.path.join(out, "cnn.json"), "w") as f:
        f.write(json.dumps({**head, **cnn()}, indent=1) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
