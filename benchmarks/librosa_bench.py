#!/usr/bin/env python3
"""librosa peer of the ser4j JMH suite: times librosa 0.11 on the very samples the JVM benchmarks use.

Usage: librosa_bench.py SIGNAL_DIR OUT.json [short|long]

SIGNAL_DIR holds speech_<rate>_<seconds>s.f32 (raw little-endian float32) written by
`java -cp target/benchmarks.jar io.github.ser4j.bench.signal.SignalDump SIGNAL_DIR`. Each operation is called once to
warm up, then timed with timeit: `number` calls per repeat (chosen by Timer.autorange, at least 0.2 s per repeat in
the short profile, 1 s in the long one), and the minimum and median per-call times over the repeats are written.
Run single-threaded (OMP_NUM_THREADS=1 etc., as run.sh sets) to compare with the single-threaded JVM numbers.
"""
import json
import os
import pathlib
import platform
import statistics
import sys
import timeit

import librosa
import numpy as np
import scipy
import soxr

SR = 16000
N_FFT, HOP, N_MELS, N_MFCC = 512, 160, 64, 40
SECONDS = (1, 3, 30)


def load(directory, rate, seconds):
    path = pathlib.Path(directory) / f"speech_{rate}_{seconds}s.f32"
    y = np.fromfile(path, dtype="<f4")
    if y.size != rate * seconds:
        raise SystemExit(f"{path}: {y.size} samples, expected {rate * seconds}")
    return y


def mfcc(y):
    return librosa.feature.mfcc(y=y, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS, n_mfcc=N_MFCC)


def mfcc_deltas(y):
    m = mfcc(y)
    return m, librosa.feature.delta(m, width=9, order=1), librosa.feature.delta(m, width=9, order=2)


def melspectrogram(y):
    return librosa.feature.melspectrogram(y=y, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)


def stft_power(y):
    return np.abs(librosa.stft(y, n_fft=N_FFT, hop_length=HOP)) ** 2


def timed(fn, min_seconds, repeats):
    fn()  # warm-up: imports, caches, first-call allocations
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    while number * (timer.timeit(1) or 1e-9) < min_seconds and number < 1_000_000:
        number *= 2
    runs = [t / number for t in timer.repeat(repeat=repeats, number=number)]
    return {"min_ms": min(runs) * 1e3, "median_ms": statistics.median(runs) * 1e3, "number": number,
            "repeats": repeats}


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    directory, out = sys.argv[1], sys.argv[2]
    profile = sys.argv[3] if len(sys.argv) == 4 else "short"
    min_seconds, repeats = (0.2, 5) if profile == "short" else (1.0, 15)
    results = []

    def record(op, seconds, fn, **extra):
        r = timed(fn, min_seconds, repeats)
        r.update(op=op, seconds=seconds, **extra)
        results.append(r)
        print(f"{op:>16} {seconds:>3d} s {extra or ''}: min {r['min_ms']:.3f} ms, median {r['median_ms']:.3f} ms "
              f"({r['repeats']} x {r['number']})", flush=True)

    for seconds in SECONDS:
        y = load(directory, SR, seconds)
        record("mfcc", seconds, lambda: mfcc(y))
        record("mfcc_deltas", seconds, lambda: mfcc_deltas(y))
        record("melspectrogram", seconds, lambda: melspectrogram(y))
        record("stft_power", seconds, lambda: stft_power(y))
        for rate in (48000, 44100, 22050):
            x = load(directory, rate, seconds)
            record("resample", seconds, lambda: librosa.resample(x, orig_sr=rate, target_sr=SR), from_hz=rate,
                   res_type="soxr_hq")

    doc = {
        "librosa": librosa.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
        "soxr": soxr.__version__, "python": platform.python_version(),
        "threads": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                                    "NUMBA_NUM_THREADS")},
        "profile": profile, "results": results,
    }
    pathlib.Path(out).write_text(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
