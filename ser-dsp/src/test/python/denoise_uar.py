"""UAR of the default model with and without `--denoise` on speech under noise.

`--per-class` clips per corpus and label of a manifest (in manifest order, so the selection is reproducible; calm is
scored as neutral, labels the model lacks are skipped). Each clip is perturbed with training/perturb.py's conditions
(the robustness table's noise generator and seeds per condition and clip), written as float WAV, and analysed by
`ser analyze` with and without `--denoise`. UAR = mean recall over the labels the corpus has (`no_speech` counts as
a miss). The shipped model was trained on RAVDESS, TESS and EmoDB by all their speakers, so on those corpora the
absolute figures are optimistic and only the difference with and without denoising means something; ASED and
TurEV-DB (manifest-extra.csv) were never heard, but the model is near chance on them.

    python3 ser-dsp/src/test/python/denoise_uar.py --manifest "$SER4J_SHARED_DIR/datasets/manifest.csv" \
        --audio "$SER4J_SHARED_DIR/datasets" --corpora ravdess,tess,emodb
    python3 ser-dsp/src/test/python/denoise_uar.py --manifest "$SER4J_SHARED_DIR/datasets/manifest-extra.csv" \
        --audio "$SER4J_EXTRA_DIR" --corpora ased,turev

Needs numpy, sox on the PATH and ser-examples/target/ser.jar (`mvn -B package -DskipTests`).
"""
from __future__ import annotations

import argparse
import csv
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
sys.path.insert(0, REPO)
from training import perturb  # noqa: E402  (numpy only)

CONDITIONS = ["clean", "white_10db", "white_0db", "pink_10db"]
LABEL_MAP = {"calm": "neutral"}
MODEL_LABELS = {"neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"}


def load(path: str) -> np.ndarray:
    raw = subprocess.run(["sox", path, "-t", "f32", "-e", "floating-point", "-r", "16000", "-c", "1", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<f4").astype(np.float64)


def write_float_wav(path: str, y: np.ndarray, rate: int = 16000) -> None:
    data = np.asarray(y, "<f4").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 3, 1, rate, rate * 4, 4, 32) + b"data" + struct.pack("<I", len(data))
    with open(path, "wb") as f:
        f.write(header + data)


def analyze(jar: str, folder: str, denoise: bool) -> dict[str, str]:
    cmd = ["java", "-jar", jar, "analyze", "--format", "csv", "--threads", "2", "--no-progress"]
    out = subprocess.run(cmd + (["--denoise"] if denoise else []) + [folder], check=False, capture_output=True,
                         text=True).stdout
    return {os.path.basename(r["file"]): r["label"] for r in csv.DictReader(out.splitlines()) if r["ok"] == "true"}


def uar(truth: list[str], pred: list[str]) -> float:
    labels = sorted(set(truth))
    recalls = [np.mean([p == t for t, p in zip(truth, pred) if t == lab]) for lab in labels]
    return float(np.mean(recalls))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True, help="manifest.csv or manifest-extra.csv")
    ap.add_argument("--audio", required=True, help="folder the manifest's paths are relative to")
    ap.add_argument("--corpora", required=True, help="comma-separated corpus names of the manifest")
    ap.add_argument("--per-class", type=int, default=40)
    ap.add_argument("--jar", default=os.path.join(REPO, "ser-examples", "target", "ser.jar"))
    a = ap.parse_args()
    corpora = a.corpora.split(",")
    rows, taken = [], {}
    with open(a.manifest) as f:
        for r in csv.DictReader(f):
            if r["corpus"] not in corpora or LABEL_MAP.get(r["label"], r["label"]) not in MODEL_LABELS:
                continue
            key = (r["corpus"], r["label"])
            if taken.get(key, 0) < a.per_class:
                taken[key] = taken.get(key, 0) + 1
                rows.append(r)
    print(f"{len(rows)} clips: {dict(sorted(taken.items()))}", file=sys.stderr)
    clean = [load(os.path.join(a.audio, r["path"])) for r in rows]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for cond in CONDITIONS:
            folder = os.path.join(tmp, cond)
            os.makedirs(folder)
            for i, y in enumerate(clean):
                write_float_wav(os.path.join(folder, f"{i:05d}.wav"),
                                perturb.apply(cond, y, seed=zlib.crc32(cond.encode()) + i))
            for denoise in (False, True):
                got = analyze(a.jar, folder, denoise)
                row = {}
                for corpus in corpora + ["all"]:
                    idx = [i for i, r in enumerate(rows) if corpus in ("all", r["corpus"])]
                    truth = [LABEL_MAP.get(rows[i]["label"], rows[i]["label"]) for i in idx]
                    pred = [got.get(f"{i:05d}.wav", "error") for i in idx]
                    row[corpus] = uar(truth, pred)
                results[(cond, denoise)] = row
                print(cond, "denoise" if denoise else "plain", {k: round(100 * v, 1) for k, v in row.items()},
                      file=sys.stderr)
    print("| condition | " + " | ".join(f"{c} plain | {c} denoise" for c in corpora + ["all"]) + " |")
    print("|---" * (1 + 2 * (len(corpora) + 1)) + "|")
    for cond in CONDITIONS:
        p, d = results[(cond, False)], results[(cond, True)]
        print(f"| {cond} | " + " | ".join(f"{100 * p[c]:.1f} | {100 * d[c]:.1f}" for c in corpora + ["all"])
              + " |")


if __name__ == "__main__":
    main()
