"""Regenerates the librosa reference values the benchmark peers are tested against.

Usage (from benchmarks/, after `mvn -pl benchmarks package`):
    printf 'java.nio.file.Files.write(java.nio.file.Path.of("src/test/resources/golden/speech_16000_0.3s.f32"),
        io.github.ser4j.bench.signal.SignalDump.toFloat32Le(
        io.github.ser4j.bench.signal.SpeechLikeSignal.generate(0.3, 16000)));\n/exit\n' \
        | jshell --class-path target/benchmarks.jar -q
    "$SER4J_VENV"/bin/python src/test/python/make_golden.py

The first step writes the 0.3 s speech-like input (SpeechLikeSignalTest checks the generator still reproduces it bit
for bit); this script writes librosa's MFCC of it, n_mfcc x frames row-major little-endian float32, beside it.
"""
import pathlib

import librosa
import numpy as np

HERE = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden"
y = np.fromfile(HERE / "speech_16000_0.3s.f32", dtype="<f4")
assert librosa.__version__ == "0.11.0", librosa.__version__
m = librosa.feature.mfcc(y=y, sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=40)
print("librosa", librosa.__version__, "mfcc", m.shape, m.dtype)
m.astype("<f4").tofile(HERE / "librosa_mfcc_16000_0.3s_512_160_64_40.f32")
