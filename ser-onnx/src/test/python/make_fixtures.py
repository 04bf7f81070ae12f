#!/usr/bin/env python3
"""Builds the ser-onnx test fixtures: small ONNX models with their model cards, synthetic clips, and the outputs that
librosa + Python onnxruntime give for them. Java tests must reproduce those outputs from the committed files alone.

    "$SER4J_VENV"/bin/python ser-onnx/src/test/python/make_fixtures.py [--out ser-onnx/src/test/resources/fixtures]

Pinned environment: requirements.txt beside this file. Deterministic: fixed seeds, CPU, one thread.

This file holds an independent Python implementation of the model-card pipeline (docs/model-card.md) built on librosa
and numpy; it is the reference the Java ModelInputPipeline is tested against.

Fixtures (each directory: card.json, model.onnx, expected.json, inputs/<clip>.npy = the model input per clip):
  keras_cnn_logmel_nhwc     Keras 3 (torch backend) CNN, log-mel, NHWC, fixed 1 s, utterance z-score, probabilities
  torch_cnn_mfcc_nchw       PyTorch CNN, MFCC + deltas, NCHW, 50 frames pad/crop, peak-normalised audio, probabilities
                            with arousal/valence per label
  keras_mlp_mfcc_mean       Keras 3 MLP, mean+std MFCC vector over time, StandardScaler (global) normalisation, NC,
                            offset + centre crop/pad + RMS pre-normalisation
  torch_conv1d_logits_ntc   PyTorch Conv1d on stacked mel + rms + zcr + spectral features, NTC, dynamic time axis,
                            logits + a regression output (arousal/valence)
  torch_waveform_nct        PyTorch Conv1d on the raw waveform, NCT, native sample rate, any length
Clips (clips/<name>.npy, float32 mono at 16 kHz): tones, noise, a chirp, AM bursts, a vowel-like harmonic sound, a
quiet tone, silence; and three at 22.05/44.1 kHz (expected.json gives each clip's rate) that the fixed-rate models
resample with librosa's default soxr_hq.
"""
import argparse
import hashlib
import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import librosa  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402

SR = 16000
SEED = 20261123

# ----------------------------------------------------------------------------------------------------------------------
# Synthetic audio
# ----------------------------------------------------------------------------------------------------------------------


def synth(kind, rng, seconds, sr=SR, amp=None, max_hz=None):
    n = int(round(seconds * sr))
    t = np.arange(n) / sr
    if kind == "tone":
        f = rng.uniform(200, 1200)
        a = amp or rng.uniform(0.1, 0.5)
        y = a * (np.sin(2 * np.pi * f * t) + 0.3 * np.sin(2 * np.pi * 2 * f * t + 0.5))
    elif kind == "noise":
        a = amp or rng.uniform(0.02, 0.2)
        y = a * rng.standard_normal(n)
    elif kind == "chirp":
        f0, f1 = rng.uniform(100, 400), rng.uniform(2000, 6000)
        a = amp or rng.uniform(0.1, 0.5)
        k = (f1 - f0) / max(seconds, 1e-3)
        y = a * np.sin(2 * np.pi * (f0 * t + 0.5 * k * t * t))
    elif kind == "am":
        fc, fm = rng.uniform(300, 1500), rng.uniform(2, 6)
        a = amp or rng.uniform(0.1, 0.5)
        env = np.clip(np.sin(2 * np.pi * fm * t), 0, None) ** 2
        y = a * env * np.sin(2 * np.pi * fc * t)
    elif kind == "vowel":
        f0 = rng.uniform(100, 220)
        a = amp or rng.uniform(0.1, 0.4)
        y = np.zeros(n)
        for h in range(1, 25):
            fh = h * f0
            if fh > (max_hz or sr / 2 - 200):
                break
            # crude formants at ~700 and ~1200 Hz
            g = np.exp(-((fh - 700) / 250) ** 2) + 0.6 * np.exp(-((fh - 1200) / 300) ** 2) + 0.05
            y += g * np.sin(2 * np.pi * fh * t + h)
        y = a * y / np.max(np.abs(y))
    else:
        raise ValueError(kind)
    return y.astype(np.float32)


def test_clips():
    rng = np.random.default_rng(SEED)
    clips = {
        "tone_440": (0.3 * np.sin(2 * np.pi * 440 * np.arange(SR) / SR)
                     + 0.1 * np.sin(2 * np.pi * 880 * np.arange(SR) / SR)).astype(np.float32),
        "noise": synth("noise", rng, 0.5, amp=0.1),
        "chirp": synth("chirp", rng, 1.2, amp=0.4),
        "am_bursts": synth("am", rng, 1.0, amp=0.5),
        "vowel": synth("vowel", rng, 0.4, amp=0.3),
        "quiet_tone": (0.01 * np.sin(2 * np.pi * 300 * np.arange(int(0.6 * SR)) / SR)).astype(np.float32),
        "silence": np.zeros(int(0.5 * SR), dtype=np.float32),
    }
    return clips


def fade(y, sr, seconds=0.01):
    """Raised-cosine fade in and out. soxr treats an abrupt start differently from a zero-padded linear-phase filter
    (up to 3e-3 in the first ~100 output samples, 4e-7 elsewhere), so resampled clips start and end softly, as
    recordings do; the pipeline, not the filters' edge handling, is under test."""
    n = int(seconds * sr)
    ramp = (0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)).astype(np.float32)
    y = y.copy()
    y[:n] *= ramp
    y[-n:] *= ramp[::-1]
    return y


def resampled_clips():
    """Clips at other rates: (rate, samples). Band-limited content, as speech recordings are."""
    rng = np.random.default_rng(SEED + 7)
    t22 = np.arange(int(0.7 * 22050)) / 22050
    t44 = np.arange(int(0.5 * 44100)) / 44100
    return {
        # harmonics below 6.8 kHz: content in the resamplers' transition band (7.5-8 kHz for 16 kHz) would measure
        # the difference between two valid filters, not the pipeline
        "vowel_22050": (22050, fade(synth("vowel", rng, 0.7, sr=22050, amp=0.3, max_hz=6800), 22050)),
        "tone_44100": (44100, fade((0.25 * np.sin(2 * np.pi * 523.25 * t44)
                                    + 0.05 * np.sin(2 * np.pi * 3000 * t44)).astype(np.float32), 44100)),
        # envelope floor 0.05: exact-zero stretches turn into ~1e-7 resampling residue whose random zero crossings
        # (zero_crossing_rate) differ between any two resamplers
        "am_22050": (22050, fade((0.4 * (0.05 + np.clip(np.sin(2 * np.pi * 3 * t22), 0, None) ** 2)
                                  * np.sin(2 * np.pi * 700 * t22)).astype(np.float32), 22050)),
    }


def training_set(classes, count_per_class, rng, min_s=0.3, max_s=1.5):
    xs, ys = [], []
    for label, kind in enumerate(classes):
        for _ in range(count_per_class):
            xs.append(synth(kind, rng, rng.uniform(min_s, max_s)))
            ys.append(label)
    return xs, np.array(ys)


# ----------------------------------------------------------------------------------------------------------------------
# Reference implementation of the card pipeline (docs/model-card.md), librosa + numpy
# ----------------------------------------------------------------------------------------------------------------------

STFT_KEYS = ("n_fft", "hop_length", "win_length", "window", "center", "pad_mode")


def _stft_kwargs(p):
    return {k: p[k] for k in STFT_KEYS if k in p}


def _mel_kwargs(p):
    kw = _stft_kwargs(p)
    for k in ("n_mels", "fmin", "fmax", "htk", "power"):
        if k in p:
            kw[k] = p[k]
    return kw


def feature(spec, y, sr):
    name, p = spec["name"], spec.get("params", {})
    if name == "waveform":
        m = y[np.newaxis, :].copy()
    elif name == "stft":
        m = np.abs(librosa.stft(y, **_stft_kwargs(p))) ** p.get("power", 1.0)
    elif name in ("melspectrogram", "log_melspectrogram"):
        kw = _mel_kwargs(p)
        m = librosa.feature.melspectrogram(y=y, sr=sr, norm=p.get("norm", "slaney"), **kw)
        if name == "log_melspectrogram":
            ref = np.max if p.get("ref", 1.0) == "max" else p.get("ref", 1.0)
            m = librosa.power_to_db(m, ref=ref, amin=p.get("amin", 1e-10), top_db=p.get("top_db", 80.0))
    elif name == "mfcc":
        kw = _mel_kwargs(p)
        S = librosa.feature.melspectrogram(y=y, sr=sr, norm=p.get("mel_norm", "slaney"), **kw)
        S = librosa.power_to_db(S, top_db=p.get("top_db", 80.0))
        m = librosa.feature.mfcc(S=S, sr=sr, n_mfcc=p.get("n_mfcc", 20), dct_type=p.get("dct_type", 2),
                                 norm=p.get("norm", "ortho"), lifter=p.get("lifter", 0))
    elif name == "chroma_stft":
        kw = _stft_kwargs(p)
        norm = p.get("norm", np.inf)
        m = librosa.feature.chroma_stft(y=y, sr=sr, n_chroma=p.get("n_chroma", 12), tuning=p.get("tuning"),
                                        norm=np.inf if norm == "inf" else norm, **kw)
    elif name == "rms":
        m = librosa.feature.rms(y=y, **p)
    elif name == "zero_crossing_rate":
        m = librosa.feature.zero_crossing_rate(y, **p)
    elif name == "spectral_centroid":
        m = librosa.feature.spectral_centroid(y=y, sr=sr, **p)
    elif name == "spectral_bandwidth":
        m = librosa.feature.spectral_bandwidth(y=y, sr=sr, **p)
    elif name == "spectral_rolloff":
        m = librosa.feature.spectral_rolloff(y=y, sr=sr, **p)
    else:
        raise ValueError(name)
    m = np.asarray(m, dtype=np.float32)
    d = spec.get("deltas")
    if d:
        parts = [m] + [librosa.feature.delta(m, width=d.get("width", 9), order=o, mode="interp").astype(np.float32)
                       for o in d["orders"]]
        m = np.vstack(parts)
    return m


def _fit(y, n, pad, crop, axis_len, take, pad_fn):
    length = axis_len(y)
    if length > n and crop != "none":
        start = {"start": 0, "end": length - n, "center": (length - n) // 2}[crop]
        y = take(y, start, n)
    elif length < n and pad != "none":
        k = n - length
        before = {"start": k, "end": 0, "center": k // 2}[pad]
        y = pad_fn(y, before, k - before)
    return y


def speech_gate(card, y, sr):
    g = card.get("speech_gate", {})
    if not g.get("enabled", True):
        return True
    floor = g.get("min_rms_dbfs", -50.0)
    f = max(1, int(round(g.get("frame_seconds", 0.025) * sr)))
    y64 = y.astype(np.float64)
    for s in range(0, max(len(y64), 1), f):
        fr = y64[s:s + f]
        rms = np.sqrt(np.mean(fr * fr)) if len(fr) else 0.0
        if rms > 0 and 20 * np.log10(rms) >= floor:
            return True
    return False


def prepare_audio(card, y, sr):
    """Steps 1-7. Returns (samples, rate, speech)."""
    a = card["audio"]
    target = a["sample_rate"] or sr
    if target != sr:
        y = librosa.resample(y, orig_sr=sr, target_sr=target, res_type="soxr_hq").astype(np.float32)
    off = int(round(a.get("offset_seconds", 0.0) * target))
    y = y[off:]
    dur = a.get("duration_seconds")
    n = int(round(dur * target)) if dur else None
    if n is not None:
        y = _fit(y, n, "none", a.get("crop", "start"), len, lambda v, s, k: v[s:s + k], None)
    speech = speech_gate(card, y, target)
    norm = a.get("normalize", "none")
    if norm == "peak":
        peak = np.max(np.abs(y)) if len(y) else 0.0
        if peak > 0:
            y = (y / peak).astype(np.float32)
    elif norm == "rms":
        rms = np.sqrt(np.mean(y.astype(np.float64) ** 2)) if len(y) else 0.0
        if rms > 0:
            gain = np.float32(10 ** (a.get("target_rms_dbfs", -20.0) / 20) / rms)
            y = (y * gain).astype(np.float32)
    if n is not None:
        y = _fit(y, n, a.get("pad", "end"), "none", len, None,
                 lambda v, b, e: np.pad(v, (b, e)).astype(np.float32))
    return y, target, speech


def model_input(card, y, sr):
    """The model input for one clip, without the batch axis: (array, speech)."""
    y, rate, speech = prepare_audio(card, y, sr)
    f = card["features"]
    m = np.vstack([feature(s, y, rate) for s in f["stack"]]).astype(np.float32)
    fr = f.get("frames")
    if fr:
        pv = fr.get("pad_value", 0.0)
        value = float(m.min()) if pv == "min" else float(pv)
        m = _fit(m, fr["count"], fr.get("pad", "end"), fr.get("crop", "start"), lambda v: v.shape[1],
                 lambda v, s, k: v[:, s:s + k],
                 lambda v, b, e: np.pad(v, ((0, 0), (b, e)), constant_values=value).astype(np.float32))
    agg = f.get("aggregate")
    if agg:
        x = m.astype(np.float64)
        ax = 1 if agg["axis"] == "time" else 0
        parts = {"mean": [x.mean(axis=ax)], "std": [x.std(axis=ax)],
                 "mean_std": [x.mean(axis=ax), x.std(axis=ax)]}[agg["stats"]]
        v = np.concatenate(parts)
        m = (v[:, np.newaxis] if ax == 1 else np.vstack(parts)).astype(np.float32)
    nz = f.get("normalize", {"type": "none"})
    if nz["type"] == "utterance":
        x = m.astype(np.float64)
        eps = nz.get("epsilon", 1e-8)
        if nz.get("axis", "all") == "all":
            m = ((x - x.mean()) / (x.std() + eps)).astype(np.float32)
        else:
            m = ((x - x.mean(axis=1, keepdims=True)) / (x.std(axis=1, keepdims=True) + eps)).astype(np.float32)
    elif nz["type"] == "global":
        mean, scale = np.array(nz["mean"]), np.array(nz["scale"])
        x = m.astype(np.float64)
        if mean.size == 1:
            m = (x - mean[0]) / scale[0]
        elif mean.size == m.shape[0]:
            m = (x - mean[:, None]) / scale[:, None]
        else:
            m = (x - mean.reshape(m.shape)) / scale.reshape(m.shape)
        m = m.astype(np.float32)
    inp = card["input"]
    if inp.get("height", "feature") == "time" and inp["layout"] in ("NCHW", "NHWC"):
        m = m.T
    layout = inp["layout"]
    if layout == "NCHW" or layout == "NCT":
        t = m[np.newaxis] if layout == "NCHW" else m
    elif layout == "NHWC":
        t = m[:, :, np.newaxis]
    elif layout == "NTC":
        t = m.T
    elif layout == "NC":
        t = m.reshape(-1)
    else:
        raise ValueError(layout)
    return np.ascontiguousarray(t, dtype=np.float32), speech


def softmax(z):
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


# ----------------------------------------------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------------------------------------------

def features_for(card, clips):
    return np.stack([model_input(card, y, SR)[0] for y in clips])


def torch_train(model, x, y, epochs, lr=0.01, loss="ce"):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    for _ in range(epochs):
        opt.zero_grad()
        out = model(xt)
        if isinstance(out, tuple):
            out = out[0]
        if loss == "nll":  # the model ends in softmax
            lo = torch.nn.functional.nll_loss(torch.log(out + 1e-9), yt)
        else:
            lo = torch.nn.functional.cross_entropy(out, yt)
        lo.backward()
        opt.step()
    model.eval()
    return model


def torch_export(model, example, path, input_name, output_names, dynamic_axes):
    torch.onnx.export(model, (torch.from_numpy(example),), str(path), input_names=[input_name],
                      output_names=output_names, dynamic_axes=dynamic_axes, opset_version=17, dynamo=False)


def keras_export(model, example, path, output_name):
    model(example)  # build (Keras needs one call before export)
    model.export(str(path), format="onnx")
    m = onnx.load(str(path))
    # keras names the graph output after an internal tensor id ("32"); give it a stable name.
    old = m.graph.output[0].name
    for node in m.graph.node:
        node.output[:] = [output_name if o == old else o for o in node.output]
    m.graph.output[0].name = output_name
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def make_keras_cnn(card, rng):
    import keras
    keras.utils.set_random_seed(SEED)
    xs, ys = training_set(["tone", "noise", "chirp", "am"], 24, rng)
    x = features_for(card, xs)
    inp = keras.Input(x.shape[1:], name=card["input"]["name"])
    h = keras.layers.Conv2D(6, 3, activation="relu")(inp)
    h = keras.layers.MaxPooling2D(2)(h)
    h = keras.layers.Conv2D(8, 3, activation="relu")(h)
    h = keras.layers.GlobalAveragePooling2D()(h)
    out = keras.layers.Dense(len(card["output"]["labels"]), activation="softmax")(h)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(x, ys, epochs=15, batch_size=16, verbose=0)
    return model, x[:1]


def make_keras_mlp(card, rng):
    import keras
    from sklearn.preprocessing import StandardScaler
    keras.utils.set_random_seed(SEED + 1)
    xs, ys = training_set(["tone", "noise", "chirp", "am"], 24, rng)
    plain = json.loads(json.dumps(card))
    plain["features"]["normalize"] = {"type": "none"}
    raw = features_for(plain, xs)
    scaler = StandardScaler().fit(raw)
    card["features"]["normalize"] = {"type": "global", "mean": [float(v) for v in scaler.mean_],
                                     "scale": [float(v) for v in scaler.scale_]}
    x = features_for(card, xs)
    inp = keras.Input(x.shape[1:], name=card["input"]["name"])
    h = keras.layers.Dense(24, activation="relu")(inp)
    out = keras.layers.Dense(len(card["output"]["labels"]), activation="softmax")(h)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(x, ys, epochs=40, batch_size=16, verbose=0)
    return model, x[:1]


class TorchCnn(torch.nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 6, 3)
        self.c2 = torch.nn.Conv2d(6, 8, 3)
        self.fc = torch.nn.Linear(8, classes)

    def forward(self, x):
        h = torch.max_pool2d(torch.relu(self.c1(x)), 2)
        h = torch.relu(self.c2(h)).mean(dim=(2, 3))
        return torch.softmax(self.fc(h), dim=-1)


class TorchConv1dLogits(torch.nn.Module):
    """Input NTC; returns (logits, arousal/valence)."""

    def __init__(self, features, classes):
        super().__init__()
        self.c1 = torch.nn.Conv1d(features, 12, 5, padding=2)
        self.fc = torch.nn.Linear(12, classes)
        self.av = torch.nn.Linear(12, 2)

    def forward(self, x):
        h = torch.relu(self.c1(x.transpose(1, 2))).mean(dim=2)
        return self.fc(h), torch.tanh(self.av(h))


class TorchWaveform(torch.nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.c1 = torch.nn.Conv1d(1, 8, 64, stride=16)
        self.c2 = torch.nn.Conv1d(8, 8, 8, stride=4)
        self.fc = torch.nn.Linear(8, classes)

    def forward(self, x):
        h = torch.relu(self.c1(x))
        h = torch.relu(self.c2(h)).amax(dim=2)
        return torch.softmax(self.fc(h), dim=-1)


# ----------------------------------------------------------------------------------------------------------------------
# Cards
# ----------------------------------------------------------------------------------------------------------------------

def base_card(name, description):
    return {"format": "ser4j-model-card", "schema_version": 1, "name": name, "version": "0.0.1-fixture",
            "description": description,
            "model": {"file": "model.onnx"},
            "streaming": {"window_seconds": 1.0, "hop_seconds": 0.5},
            "provenance": {"license": "Apache-2.0",
                           "training_data": [{"name": "synthetic", "notes": "tones, noise, chirps, AM bursts generated by "
                                                                           "make_fixtures.py"}],
                           "metrics": {"note": "test fixture, not a speech emotion model"},
                           "recipe": "ser-onnx/src/test/python/make_fixtures.py"}}


CARDS = {}

CARDS["keras_cnn_logmel_nhwc"] = lambda: {
    **base_card("keras_cnn_logmel_nhwc", "Keras 3 CNN on a 32-band log-mel spectrogram (NHWC)."),
    "audio": {"sample_rate": 16000, "offset_seconds": 0.0, "duration_seconds": 1.0, "crop": "start", "pad": "end",
              "normalize": "none"},
    "features": {"stack": [{"name": "log_melspectrogram",
                            "params": {"n_fft": 512, "hop_length": 256, "win_length": 512, "window": "hann",
                                       "center": True, "pad_mode": "constant", "power": 2.0, "n_mels": 32,
                                       "fmin": 0.0, "fmax": 8000.0, "htk": False, "norm": "slaney",
                                       "ref": 1.0, "amin": 1e-10, "top_db": 80.0}}],
                 "normalize": {"type": "utterance", "axis": "all", "epsilon": 1e-8}},
    "input": {"name": "logmel", "dtype": "float32", "layout": "NHWC", "height": "feature", "batch_dimension": True},
    "output": {"name": "probabilities", "kind": "probabilities", "labels": ["neutral", "happy", "sad", "angry"]},
}

CARDS["torch_cnn_mfcc_nchw"] = lambda: {
    **base_card("torch_cnn_mfcc_nchw", "PyTorch CNN on 20 MFCCs with deltas, 50 frames (NCHW)."),
    "audio": {"sample_rate": 16000, "duration_seconds": None, "normalize": "peak"},
    "features": {"stack": [{"name": "mfcc",
                            "params": {"n_mfcc": 20, "n_fft": 400, "hop_length": 160, "win_length": 400,
                                       "window": "hamming", "center": True, "pad_mode": "reflect", "n_mels": 40,
                                       "fmin": 50.0, "fmax": 7600.0, "htk": True, "mel_norm": "slaney",
                                       "norm": "ortho", "lifter": 22, "top_db": 80.0},
                            "deltas": {"orders": [1, 2], "width": 9}}],
                 "frames": {"count": 50, "pad": "end", "crop": "start", "pad_value": 0.0}},
    "input": {"name": "mfcc", "dtype": "float32", "layout": "NCHW", "batch_dimension": True},
    "output": {"name": "probabilities", "kind": "probabilities",
               "labels": ["neutral", "happy", "sad", "angry", "fearful"],
               "arousal_valence": {"neutral": [0.0, 0.0], "happy": [0.5, 0.8], "sad": [-0.5, -0.7],
                                   "angry": [0.8, -0.6], "fearful": [0.7, -0.7]}},
}

CARDS["keras_mlp_mfcc_mean"] = lambda: {
    **base_card("keras_mlp_mfcc_mean", "Keras 3 MLP on the mean and std of 30 MFCCs, StandardScaler-normalised."),
    "audio": {"sample_rate": 16000, "offset_seconds": 0.1, "duration_seconds": 0.8, "crop": "center",
              "pad": "center", "normalize": "rms", "target_rms_dbfs": -20.0},
    "speech_gate": {"enabled": True, "min_rms_dbfs": -45.0, "frame_seconds": 0.02},
    "features": {"stack": [{"name": "mfcc", "params": {"n_mfcc": 30}}],
                 "aggregate": {"axis": "time", "stats": "mean_std"},
                 "normalize": {"type": "none"}},  # replaced by the fitted scaler
    "input": {"name": "mfcc_stats", "dtype": "float32", "layout": "NC"},
    "output": {"name": "probabilities", "kind": "probabilities", "labels": ["neutral", "happy", "sad", "angry"]},
}

CARDS["torch_conv1d_logits_ntc"] = lambda: {
    **base_card("torch_conv1d_logits_ntc", "PyTorch Conv1d on stacked mel/RMS/ZCR/spectral features, logits."),
    "audio": {"sample_rate": 16000, "duration_seconds": None, "normalize": "none"},
    "features": {"stack": [
        {"name": "melspectrogram", "params": {"n_fft": 512, "hop_length": 128, "n_mels": 16, "htk": True,
                                              "norm": None, "power": 2.0, "fmax": 6000.0}},
        {"name": "rms", "params": {"frame_length": 512, "hop_length": 128}},
        {"name": "zero_crossing_rate", "params": {"frame_length": 512, "hop_length": 128}},
        {"name": "spectral_centroid", "params": {"n_fft": 512, "hop_length": 128}},
        {"name": "spectral_bandwidth", "params": {"n_fft": 512, "hop_length": 128}},
        {"name": "spectral_rolloff", "params": {"n_fft": 512, "hop_length": 128, "roll_percent": 0.9}}],
        "normalize": {"type": "utterance", "axis": "time", "epsilon": 1e-6}},
    "input": {"name": "frames", "dtype": "float32", "layout": "NTC"},
    "output": {"name": "logits", "kind": "logits", "labels": ["calm", "happy", "angry"],
               "regression": {"name": "arousal_valence", "arousal_index": 0, "valence_index": 1}},
}

CARDS["torch_waveform_nct"] = lambda: {
    **base_card("torch_waveform_nct", "PyTorch Conv1d on the raw waveform at the clip's own rate, any length."),
    "audio": {"sample_rate": None, "duration_seconds": None, "normalize": "none"},
    "features": {"stack": [{"name": "waveform"}]},
    "input": {"name": "waveform", "dtype": "float32", "layout": "NCT"},
    "output": {"name": "probabilities", "kind": "probabilities", "labels": ["tone", "noise", "sweep"]},
}


def pipeline_card(name, audio, features, layout, height="feature"):
    return {**base_card(name, "pipeline-only golden (no model)"), "audio": audio, "features": features,
            "input": {"name": "x", "layout": layout, "height": height},
            "output": {"name": "y", "kind": "logits", "labels": ["a", "b"]}}


# Card options the five models do not exercise: compared element-wise against the Java pipeline (no model involved).
PIPELINE_CARDS = {
    "stft_feature_axis_mean_std": lambda: pipeline_card(
        "stft_feature_axis_mean_std", {"sample_rate": 16000, "duration_seconds": None},
        {"stack": [{"name": "stft", "params": {"n_fft": 256, "win_length": 200, "window": "hamming",
                                               "power": 1.0}}],
         "frames": {"count": 120, "pad": "start", "crop": "end", "pad_value": "min"},
         "aggregate": {"axis": "feature", "stats": "mean_std"}}, "NTC"),
    "logmel_refmax_height_time": lambda: pipeline_card(
        "logmel_refmax_height_time", {"sample_rate": 16000, "duration_seconds": 0.75, "crop": "end", "pad": "start"},
        {"stack": [{"name": "log_melspectrogram", "params": {"n_fft": 1024, "hop_length": 320, "n_mels": 24,
                                                             "ref": "max", "top_db": 60.0, "fmin": 80.0,
                                                             "pad_mode": "reflect"}}],
         "frames": {"count": 30, "pad": "center", "crop": "center", "pad_value": -60.0},
         "normalize": {"type": "global", "mean": [-30.0], "scale": [20.0]}}, "NCHW", height="time"),
    "chroma_centroid_bandwidth_nct": lambda: pipeline_card(
        "chroma_centroid_bandwidth_nct", {"sample_rate": 16000, "duration_seconds": None, "normalize": "peak"},
        {"stack": [{"name": "chroma_stft", "params": {"n_fft": 1024, "hop_length": 256}},
                   {"name": "spectral_centroid", "params": {"n_fft": 1024, "hop_length": 256}},
                   {"name": "spectral_bandwidth", "params": {"n_fft": 1024, "hop_length": 256, "p": 1.5}}],
         "aggregate": {"axis": "time", "stats": "std"}}, "NCT"),
    "mfcc_elementwise_global_nc": lambda: pipeline_card(
        "mfcc_elementwise_global_nc", {"sample_rate": 16000, "offset_seconds": 0.05, "duration_seconds": 0.5,
                                       "crop": "start", "pad": "end", "normalize": "rms", "target_rms_dbfs": -26.0},
        {"stack": [{"name": "mfcc", "params": {"n_mfcc": 13, "n_fft": 512, "hop_length": 256, "n_mels": 26,
                                               "top_db": None, "norm": None, "mel_norm": None}},
                   {"name": "rms", "params": {"frame_length": 512, "hop_length": 256, "pad_mode": "reflect"}}],
         "normalize": {"type": "global", "mean": [0.01 * i for i in range(14 * 32)],
                       "scale": [1.0 + 0.02 * i for i in range(14 * 32)]}}, "NC"),
    "waveform_offset_crop": lambda: pipeline_card(
        "waveform_offset_crop", {"sample_rate": 16000, "offset_seconds": 0.1, "duration_seconds": 0.3,
                                 "crop": "center", "pad": "start", "normalize": "peak"},
        {"stack": [{"name": "waveform"}], "frames": {"count": 4000, "crop": "center", "pad": "end"}}, "NCT"),
}


def build_model(name, card, rng, path):
    labels = len(card["output"]["labels"])
    if name == "keras_cnn_logmel_nhwc":
        model, ex = make_keras_cnn(card, rng)
        keras_export(model, ex, path, card["output"]["name"])
    elif name == "keras_mlp_mfcc_mean":
        model, ex = make_keras_mlp(card, rng)
        keras_export(model, ex, path, card["output"]["name"])
    elif name == "torch_cnn_mfcc_nchw":
        torch.manual_seed(SEED)
        xs, ys = training_set(["tone", "noise", "chirp", "am", "vowel"], 16, rng)
        x = features_for(card, xs)
        model = torch_train(TorchCnn(labels), x, ys, 60, loss="nll")
        torch_export(model, x[:1], path, card["input"]["name"], [card["output"]["name"]],
                     {card["input"]["name"]: {0: "batch"}, card["output"]["name"]: {0: "batch"}})
    elif name == "torch_conv1d_logits_ntc":
        torch.manual_seed(SEED + 2)
        xs, ys = training_set(["tone", "noise", "chirp"], 16, rng)
        x = [model_input(card, v, SR)[0] for v in xs]
        model = TorchConv1dLogits(x[0].shape[1], labels)
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        for _ in range(20):
            for xi, yi in zip(x, ys):  # variable lengths: one clip per step
                opt.zero_grad()
                lo = torch.nn.functional.cross_entropy(model(torch.from_numpy(xi[None]))[0],
                                                       torch.tensor([int(yi)]))
                lo.backward()
                opt.step()
        model.eval()
        torch_export(model, x[0][None], path, card["input"]["name"],
                     [card["output"]["name"], card["output"]["regression"]["name"]],
                     {card["input"]["name"]: {0: "batch", 1: "time"}, card["output"]["name"]: {0: "batch"},
                      card["output"]["regression"]["name"]: {0: "batch"}})
    elif name == "torch_waveform_nct":
        torch.manual_seed(SEED + 3)
        xs, ys = training_set(["tone", "noise", "chirp"], 16, rng)
        n = int(0.5 * SR)  # train on 0.5 s crops; the exported model takes any length
        x = np.stack([model_input(card, np.pad(v, (0, max(0, n - len(v))))[:n], SR)[0] for v in xs])
        model = torch_train(TorchWaveform(labels), x, ys, 40, loss="nll")
        torch_export(model, x[:1], path, card["input"]["name"], [card["output"]["name"]],
                     {card["input"]["name"]: {0: "batch", 2: "time"}, card["output"]["name"]: {0: "batch"}})
    else:
        raise ValueError(name)


def run_python(card, path, clips, rates=None):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    out = card["output"]
    reg = out.get("regression")
    expected = {}
    inputs = {}
    for clip_name, y in clips.items():
        sr = (rates or {}).get(clip_name, SR)
        x, speech = model_input(card, y, sr)
        inputs[clip_name] = x
        entry = {"sample_rate": sr, "speech": bool(speech), "input_shape": list(x.shape)}
        if speech:
            names = [out["name"]] + ([reg["name"]] if reg else [])
            res = sess.run(names, {card["input"]["name"]: x[None]})
            scores = res[0][0].astype(np.float64)
            probs = softmax(scores) if out["kind"] == "logits" else scores
            entry["raw"] = [float(v) for v in res[0][0]]
            entry["probabilities"] = [float(v) for v in np.float32(probs)]
            if reg:
                entry["arousal"] = float(res[1][0][reg["arousal_index"]])
                entry["valence"] = float(res[1][0][reg["valence_index"]])
            elif "arousal_valence" in out:
                av = np.array([out["arousal_valence"][lab] for lab in out["labels"]], dtype=np.float64)
                p = np.float32(probs).astype(np.float64)
                entry["arousal"] = float(p @ av[:, 0])
                entry["valence"] = float(p @ av[:, 1])
        expected[clip_name] = entry
    # a batch of all speech clips with equal shapes, in one run, must equal the single runs
    return expected, inputs


SCHEMA = Path(__file__).resolve().parents[2] / "main" / "resources" / "io" / "github" / "ser4j" / "onnx" / \
    "model-card.schema.json"


def check_schema(card):
    """Every card written here must validate against the published JSON Schema."""
    import jsonschema
    jsonschema.validate(card, json.loads(SCHEMA.read_text()))


def make_pipeline_goldens(out, clips):
    for name, make_card in PIPELINE_CARDS.items():
        card = make_card()
        d = out / "pipeline" / name
        if d.exists():
            shutil.rmtree(d)
        (d / "inputs").mkdir(parents=True)
        check_schema(card)
        (d / "card.json").write_text(json.dumps(card, indent=2) + "\n")
        expected = {}
        for clip_name in ("chirp", "vowel", "am_bursts"):
            x, speech = model_input(card, clips[clip_name], SR)
            np.save(d / "inputs" / f"{clip_name}.npy", x)
            expected[clip_name] = {"sample_rate": SR, "speech": bool(speech), "input_shape": list(x.shape)}
        (d / "expected.json").write_text(json.dumps({"clips": expected}, indent=1) + "\n")
        print(f"pipeline/{name}: " + ", ".join(f"{k}{v['input_shape']}" for k, v in expected.items()))


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(here.parent / "resources" / "fixtures"))
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = Path(args.out)
    clips = test_clips()
    (out / "clips").mkdir(parents=True, exist_ok=True)
    for name, y in clips.items():
        np.save(out / "clips" / f"{name}.npy", y)
    make_pipeline_goldens(out, clips)
    other = resampled_clips()
    for name, (rate, y) in other.items():
        np.save(out / "clips" / f"{name}.npy", y)
    for name, make_card in CARDS.items():
        if args.only and name not in args.only:
            continue
        rng = np.random.default_rng(SEED + sum(map(ord, name)))
        card = make_card()
        d = out / name
        if d.exists():
            shutil.rmtree(d)
        (d / "inputs").mkdir(parents=True)
        build_model(name, card, rng, d / "model.onnx")
        card["model"]["sha256"] = hashlib.sha256((d / "model.onnx").read_bytes()).hexdigest()
        check_schema(card)
        (d / "card.json").write_text(json.dumps(card, indent=2) + "\n")
        all_clips = dict(clips)
        rates = {}
        if card["audio"]["sample_rate"] is not None:  # a native-rate model sees the clip as it is
            for clip_name, (rate, y) in other.items():
                all_clips[clip_name] = y
                rates[clip_name] = rate
        expected, inputs = run_python(card, d / "model.onnx", all_clips, rates)
        for clip_name, x in inputs.items():
            np.save(d / "inputs" / f"{clip_name}.npy", x)
        meta = {"sample_rate": SR, "generator": "make_fixtures.py", "librosa": librosa.__version__,
                "onnxruntime": ort.__version__, "clips": expected}
        (d / "expected.json").write_text(json.dumps(meta, indent=1) + "\n")
        size = (d / "model.onnx").stat().st_size
        print(f"{name}: model {size} bytes; " + ", ".join(
            f"{k}={v.get('probabilities') and [round(p, 3) for p in v['probabilities']]}" for k, v in expected.items()))


if __name__ == "__main__":
    main()
