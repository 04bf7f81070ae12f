"""Times the networks of model.py on one thread: a training step (batch 32) and ONNX Runtime inference of one clip.

    python -m training.arch_timing cnn4 tcnn cnn4w

Prints parameters, seconds per training step (mean of 10 after 3 warm-up steps), the exported ONNX's size and
ONNX Runtime's min / median over 300 runs after 50 warm-up runs (1 intra-op and 1 inter-op thread, like ser4j's
defaults). Random weights and inputs: the cost does not depend on them.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

from . import model as M  # noqa: E402


def time_arch(arch: str, shape=(64, 301, 1), n_classes=7):
    import onnxruntime as ort
    import torch
    torch.set_num_threads(1)
    m = M.build_model(shape, n_classes, arch)
    m.compile(optimizer="adamw", loss="categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32,) + shape).astype(np.float32)
    t = np.eye(n_classes, dtype=np.float32)[rng.integers(0, n_classes, 32)]
    for _ in range(3):
        m.train_on_batch(x, t)
    t0 = time.perf_counter()
    for _ in range(10):
        m.train_on_batch(x, t)
    step = (time.perf_counter() - t0) / 10
    m(x[:1])
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, f"{arch}.onnx")
        m.export(path, format="onnx", verbose=False)
        size = os.path.getsize(path)
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        name = s.get_inputs()[0].name
        one = x[:1]
        for _ in range(50):
            s.run(None, {name: one})
        ts = []
        for _ in range(300):
            t0 = time.perf_counter()
            s.run(None, {name: one})
            ts.append(time.perf_counter() - t0)
    print(f"{arch}: {m.count_params()} parameters, training step {step:.3f} s, ONNX {size / 1e6:.2f} MB, "
          f"ORT min {min(ts) * 1e3:.3f} ms median {np.median(ts) * 1e3:.3f} ms", flush=True)


if __name__ == "__main__":
    for a in sys.argv[1:] or ["cnn4", "tcnn"]:
        time_arch(a)
