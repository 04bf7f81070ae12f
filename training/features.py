"""Feature configurations (as ser4j model cards), the librosa reference implementation of the card semantics used
here, the call to the project's Java extractor (`ser extract`), waveform augmentation and the on-disk cache."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile

import numpy as np

from .data import LABELS

log = logging.getLogger("training")
SR = 16000
DURATION = 3.0
N_SAMPLES = int(round(SR * DURATION))

STFT = {"n_fft": 512, "hop_length": 160, "win_length": 400, "window": "hann", "center": True,
        "pad_mode": "constant"}
MEL = {**STFT, "power": 2.0, "n_mels": 64, "fmin": 0.0, "fmax": 8000.0, "htk": False}

LOGMEL64 = [{"name": "log_melspectrogram",
             "params": {**MEL, "norm": "slaney", "ref": 1.0, "amin": 1e-10, "top_db": 80.0}}]

#: Feature sets compared in the README. Each is the "audio"+"features" part of a model card.
FEATURE_SETS = {
    "logmel64": {
        "stack": LOGMEL64,
        "normalize": {"type": "utterance", "axis": "all", "epsilon": 1e-8},
    },
    # the same map, but each mel band z-scored over time (per-utterance CMVN): removes a speaker's or microphone's
    # spectral tilt, which the whole-map z-score keeps
    "logmel64t": {
        "stack": LOGMEL64,
        "normalize": {"type": "utterance", "axis": "time", "epsilon": 1e-8},
    },
    "mfcc40d": {
        "stack": [{"name": "mfcc",
                   "params": {**MEL, "mel_norm": "slaney", "n_mfcc": 40, "norm": "ortho", "dct_type": 2,
                              "lifter": 0, "top_db": 80.0},
                   "deltas": {"orders": [1, 2], "width": 9}}],
        "normalize": {"type": "utterance", "axis": "time", "epsilon": 1e-8},
    },
}

AUDIO = {"sample_rate": SR, "offset_seconds": 0.0, "duration_seconds": DURATION, "crop": "center", "pad": "center",
         "normalize": "peak"}


def card_for(feature_set: str, input_name: str = "input", output_name: str = "probabilities",
             extra: dict | None = None) -> dict:
    """A complete ser4j model card (docs/model-card.md) for a feature set; model/provenance filled in by export."""
    card = {
        "format": "ser4j-model-card",
        "schema_version": 1,
        "name": f"ser4j-{feature_set}-cnn",
        "version": "0.0.0",
        "model": {"file": "model.onnx"},
        "audio": dict(AUDIO),
        "speech_gate": {"enabled": True, "min_rms_dbfs": -50.0, "frame_seconds": 0.025},
        "features": json.loads(json.dumps(FEATURE_SETS[feature_set])),
        "input": {"name": input_name, "dtype": "float32", "layout": "NHWC", "height": "feature",
                  "batch_dimension": True},
        "output": {"name": output_name, "kind": "probabilities", "labels": list(LABELS)},
        "streaming": {"window_seconds": DURATION, "hop_seconds": 1.0},
    }
    if extra:
        card.update(extra)
    return card


def input_shape(feature_set: str) -> tuple:
    rows = sum(_rows(f) for f in FEATURE_SETS[feature_set]["stack"])
    return rows, 1 + N_SAMPLES // STFT["hop_length"], 1


def _rows(f):
    p = f["params"]
    base = p["n_mels"] if f["name"] != "mfcc" else p["n_mfcc"]
    return base * (1 + len(f.get("deltas", {}).get("orders", [])))


# ---------------------------------------------------------------------------------------------------------------------
# librosa reference of the card steps used here (crop/pad/peak/feature/utterance-normalise/NHWC)

def crop_pad(y: np.ndarray, n: int = N_SAMPLES, crop: str = "center", pad: str = "center") -> np.ndarray:
    if len(y) > n:
        start = {"start": 0, "end": len(y) - n, "center": (len(y) - n) // 2}[crop]
        return y[start:start + n]
    if len(y) < n:
        k = n - len(y)
        before = {"start": k, "end": 0, "center": k // 2}[pad]
        return np.pad(y, (before, k - before))
    return y


def librosa_features(y: np.ndarray, feature_set: str) -> np.ndarray:
    """Model input for one waveform at SR (without batch axis), following the card semantics with librosa."""
    import librosa
    y = np.asarray(y, dtype=np.float32)
    n = N_SAMPLES
    if len(y) > n:
        y = crop_pad(y, n, AUDIO["crop"], AUDIO["pad"])
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak > 0:
        y = (y / peak).astype(np.float32)  # librosa.util.normalize (norm=inf)
    y = crop_pad(y, n, AUDIO["crop"], AUDIO["pad"])
    rows = []
    fs = FEATURE_SETS[feature_set]
    for f in fs["stack"]:
        p = dict(f["params"])
        if f["name"] == "log_melspectrogram":
            ref, amin, top_db = p.pop("ref"), p.pop("amin"), p.pop("top_db")
            m = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, **p), ref=ref, amin=amin,
                                    top_db=top_db)
        elif f["name"] == "mfcc":
            mel_norm, top_db = p.pop("mel_norm"), p.pop("top_db")
            dct = {k: p.pop(k) for k in ("n_mfcc", "dct_type", "norm", "lifter")}
            S = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, norm=mel_norm, **p), top_db=top_db)
            m = librosa.feature.mfcc(S=S, sr=SR, **dct)
        else:
            raise ValueError(f["name"])
        parts = [m]
        for order in f.get("deltas", {}).get("orders", []):
            parts.append(librosa.feature.delta(m, width=f["deltas"]["width"], order=order, mode="interp"))
        rows.append(np.vstack(parts))
    x = np.vstack(rows).astype(np.float32)
    norm = fs.get("normalize", {"type": "none"})
    if norm["type"] == "utterance":
        eps = norm.get("epsilon", 1e-8)
        if norm.get("axis", "all") == "all":
            x = (x - x.mean()) / (x.std() + eps)
        else:
            x = (x - x.mean(axis=1, keepdims=True)) / (x.std(axis=1, keepdims=True) + eps)
    return x[:, :, None].astype(np.float32)  # NHWC without batch, height = feature


def load_audio(path: str) -> np.ndarray:
    import soundfile as sf
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    y = y.mean(axis=1)
    if sr != SR:
        import soxr
        y = soxr.resample(y, sr, SR, quality="HQ").astype(np.float32)
    return y


# ---------------------------------------------------------------------------------------------------------------------
# Java extractor: `ser extract --card CARD --list LIST --out OUT.npy`

def repo_root() -> str:
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def ser_jar() -> str:
    return os.environ.get("SER4J_JAR", os.path.join(repo_root(), "ser-examples", "target", "ser.jar"))


def java_extract(inputs: list, feature_set: str, out_path: str, workdir: str, audio: dict | None = None) -> np.ndarray:
    """Runs the project's Java feature extractor on a list of audio files / float32 .npy waveforms; `audio` adds
    fields to the card's audio section (e.g. {"denoise": {}})."""
    jar = ser_jar()
    if not os.path.exists(jar):
        raise SystemExit(f"{jar} not found: build it with `mvn -B -pl ser-examples -am package -DskipTests` "
                         f"(or pass --backend librosa)")
    os.makedirs(workdir, exist_ok=True)
    card_path = os.path.join(workdir, f"{feature_set}{'-' + '-'.join(audio) if audio else ''}.card.json")
    card = card_for(feature_set)
    card["audio"].update(audio or {})
    with open(card_path, "w") as f:
        json.dump(card, f, indent=2)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=workdir, delete=False) as f:
        f.write("\n".join(inputs) + "\n")
        list_path = f.name
    tmp = out_path + ".part.npy"
    cmd = ["java", "-Xmx3g", "-jar", jar, "extract", "--card", card_path, "--list", list_path, "--out", tmp]
    log.info("java extract: %d inputs -> %s", len(inputs), out_path)
    r = subprocess.run(cmd, capture_output=True, text=True)
    os.unlink(list_path)
    if r.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")
    x = np.load(tmp)
    expect = (len(inputs),) + input_shape(feature_set)
    if x.shape != expect or x.dtype != np.float32:
        raise RuntimeError(f"java extract gave {x.shape} {x.dtype}, expected {expect} float32")
    os.replace(tmp, out_path)
    return x


# ---------------------------------------------------------------------------------------------------------------------
# Waveform augmentation (Python, on waveforms; the result is featurised by the same extractor)

def _speech_power(y: np.ndarray) -> float:
    frames = y[: len(y) // 400 * 400].reshape(-1, 400)
    if len(frames) == 0:
        return float(np.mean(y ** 2) + 1e-12)
    p = np.mean(frames ** 2, axis=1)
    active = p[p >= p.max() * 10 ** (-30 / 10)]  # frames within 30 dB of the loudest
    return float(active.mean() + 1e-12)


def _colored_noise(rng, n: int, exponent: float) -> np.ndarray:
    spec = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
    f = np.arange(n // 2 + 1, dtype=np.float64)
    f[0] = 1.0
    x = np.fft.irfft(spec / f ** (exponent / 2), n)
    return (x / (x.std() + 1e-12)).astype(np.float32)


def shoebox_impulse(rng: np.random.Generator, rt60: float, max_order: int = 6) -> np.ndarray:
    """A room impulse response by the image-source method (Allen & Berkley 1979) in a random shoebox room (3-10 x
    3-8 x 2.4-4 m, source and microphone at random places >= 0.5 m from the walls), with one absorption for all walls
    set by Sabine's formula from rt60, up to max_order reflections per axis, plus a diffuse exponential tail beyond
    them. Deliberately not perturb.room_impulse (the robustness evaluation's rooms), so that the robustness table
    does not test the augmentation's own generator."""
    dims = np.array([rng.uniform(3, 10), rng.uniform(3, 8), rng.uniform(2.4, 4)])
    src = np.array([rng.uniform(0.5, d - 0.5) for d in dims])
    mic = np.array([rng.uniform(0.5, d - 0.5) for d in dims])
    volume, surface = dims.prod(), 2 * (dims[0] * dims[1] + dims[0] * dims[2] + dims[1] * dims[2])
    alpha = min(0.99, 0.161 * volume / (surface * rt60))
    beta = np.sqrt(1 - alpha)  # pressure reflection coefficient
    c = 343.0
    n = int(rt60 * SR)
    h = np.zeros(n + 1)
    r = np.arange(-max_order, max_order + 1)
    for q in (0, 1):
        for j in (0, 1):
            for k in (0, 1):
                px = (1 - 2 * q) * src[0] + 2 * r[:, None, None] * dims[0]
                py = (1 - 2 * j) * src[1] + 2 * r[None, :, None] * dims[1]
                pz = (1 - 2 * k) * src[2] + 2 * r[None, None, :] * dims[2]
                dist = np.sqrt((px - mic[0]) ** 2 + (py - mic[1]) ** 2 + (pz - mic[2]) ** 2)
                order = (np.abs(2 * r[:, None, None] - q) + np.abs(2 * r[None, :, None] - j)
                         + np.abs(2 * r[None, None, :] - k))
                amp = beta ** order / np.maximum(dist, 0.1)
                delay = np.round(dist / c * SR).astype(int)
                ok = delay <= n
                np.add.at(h, delay[ok], amp[ok])
    first = int(np.argmax(h > 0))
    h = h[first:]
    # diffuse tail where the image orders run out
    t = np.arange(len(h)) / SR
    tail = rng.standard_normal(len(h)) * np.exp(-6.9078 * t / rt60) * np.abs(h[1:]).max() * 0.3
    h = h + tail * (t > 2 * max_order * dims.min() / c)
    return (h / np.abs(h).max()).astype(np.float32)


def speech_piece(y: np.ndarray, rng: np.random.Generator, min_s: float = 0.4, max_s: float = 2.0,
                 floor_db: float = 30.0) -> np.ndarray:
    """A random min_s..max_s piece of a clean clip's speech, as a single word is (`augment(short=...)`). Speech is
    the span of 25 ms frames within floor_db of the loudest; a piece longer than that span is the span itself; a clip
    shorter than one frame is returned whole."""
    y = np.asarray(y, dtype=np.float32)
    frame = SR // 40
    n = len(y) // frame
    if n == 0:
        return y
    rms = np.sqrt(np.mean(y[: n * frame].reshape(n, frame).astype(np.float64) ** 2, axis=1) + 1e-20)
    db = 20 * np.log10(rms)
    loud = np.where(db >= db.max() - floor_db)[0]
    first, last = loud[0] * frame, (loud[-1] + 1) * frame
    length = int(rng.uniform(min_s, max_s) * SR)
    if last - first > length:
        first = int(rng.integers(first, last - length + 1))
        last = first + length
    return y[first:last]


def augment(y: np.ndarray, rng: np.random.Generator, babble: np.ndarray | None = None,
            rooms: bool = False, short: float = 0.0) -> np.ndarray:
    """One random perturbation of a clip, returned as exactly N_SAMPLES samples (random crop/shift).

    speed (0.9-1.1, Kaldi-style: tempo and pitch), random crop/position, band-limiting (telephone / low-pass),
    additive noise (white / pink / brown / babble) at 0-30 dB SNR, random gain with clipping. rooms (LOCO `--aug
    rooms`): also speed 0.85-1.15 and, with probability 0.4, an image-source room of RT60 0.15-0.9 s before the
    noise. short (LOCO `--aug short`): with this probability, the clip is cut to a piece of its speech
    (speech_piece) before the rest, and the perturbed piece is centred in N_SAMPLES of silence, as the card pads a
    single word."""
    import scipy.signal as ss
    import soxr
    y = np.asarray(y, dtype=np.float32)
    if rng.random() < 0.7:
        speed = rng.choice([0.85, 0.9, 0.95, 1.05, 1.1, 1.15] if rooms else [0.9, 0.95, 1.05, 1.1])
        y = soxr.resample(y, SR, SR / speed, quality="HQ").astype(np.float32)
    if rooms and rng.random() < 0.4:
        wet = ss.fftconvolve(y, shoebox_impulse(rng, rng.uniform(0.15, 0.9)))[: len(y)]
        y = (wet * (np.abs(y).max() / (np.abs(wet).max() + 1e-9))).astype(np.float32)
    piece = short > 0 and rng.random() < short
    if piece:
        y = speech_piece(y, rng)
        n = len(y)
    else:  # random crop / position inside the 3 s window
        n = N_SAMPLES
        if len(y) > n:
            s = rng.integers(0, len(y) - n + 1)
            y = y[s:s + n]
        else:
            k = n - len(y)
            before = int(rng.integers(0, k + 1))
            y = np.pad(y, (before, k - before))
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            sos = ss.butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
        else:
            sos = ss.butter(4, rng.uniform(2500, 6000), btype="lowpass", fs=SR, output="sos")
        y = ss.sosfilt(sos, y).astype(np.float32)
    if rng.random() < 0.2:  # microphone-like tilt: first-order high-pass at 100-400 Hz
        sos = ss.butter(1, rng.uniform(100, 400), btype="highpass", fs=SR, output="sos")
        y = ss.sosfilt(sos, y).astype(np.float32)
    if rng.random() < 0.75:
        snr = rng.uniform(0, 30)
        kind = rng.choice(["white", "pink", "brown", "babble"], p=[0.3, 0.3, 0.15, 0.25])
        if kind == "babble" and babble is not None:
            noise = babble[:n] if len(babble) >= n else np.resize(babble, n)
            noise = noise / (noise.std() + 1e-9)
            snr = max(snr, 5.0)
        else:
            noise = _colored_noise(rng, n, {"white": 0.0, "pink": 1.0, "brown": 2.0, "babble": 1.0}[kind])
        p = _speech_power(y)
        y = y + noise.astype(np.float32) * np.sqrt(p / 10 ** (snr / 10))
    gain = 10 ** (rng.uniform(-20, 12) / 20)
    peak = np.max(np.abs(y)) + 1e-9
    y = np.clip(y / peak * 0.5 * gain, -1.0, 1.0)  # +6..+12 dB overdrive clips, as cheap microphones do
    if piece:
        k = N_SAMPLES - len(y)
        y = np.pad(y, (k // 2, k - k // 2))
    return y.astype(np.float32)
