"""Default model 2.x: an ensemble card (docs/model-card.md) over CNN members and an adapted functionals member, its
evaluation from the committed fold outputs, and the Python expectations the Java parity tests check. The defaults
build 2.2.0 (two CNNs: cnn4 and the wider cnn4w).

    python -m training.loco final --out training/work/v2-cnn80 --epochs 80            # the cnn4 member (~20 min)
    python -m training.loco final --out training/work/v2-cnn80w --arch cnn4w --epochs 80    # cnn4w (~30 min)
    python -m training.functionals_model export --adapt --out training/work/v2-fa --version 2.2.0
    python -m training.default_model evaluate                # LOCO, SI and calibration of the fusion -> results/
    python -m training.default_model robustness              # SI folds on perturbed RAVDESS/TESS/EmoDB (~30 min)
    python -m training.default_model denoise                 # the same CNNs with and without audio.denoise (~15 min)
    python -m training.default_model assemble --out DIR      # DIR/card.json + the members' cards and models
    python -m training.default_model check-e2e --out DIR     # `ser analyze` (Java) vs Python on short corpus clips
    python -m training.default_model model-card --out DIR    # DIR/MODEL_CARD.md from the result files
    python -m training.default_model expected --out DIR      # the samples' probabilities for DefaultModelParityTest

2.1.0: `--cnn training/work/v2-cnn80 --cnn-loco e80.last --cnn-si si-e80.last --results default-2.1 --version 2.1.0
--out training/work/v21-default` (model-card then needs no --onnx-ms). 2.0.0: `--cnn training/work/v2-cnn --cnn-loco
q-base.last --cnn-si si-base.last --results default-2 --no-output-adapt --version 2.0.0` (its CNN: `loco final --out
training/work/v2-cnn --epochs 20`). CNN members: comma-separated `--cnn`, `--cnn-loco` and `--cnn-si` (one entry each,
same order); the CNNs weigh the same, and together half in adapted calls.

Members (late fusion, the weighted mean of probabilities, weights chosen before measuring):
- `cnn`, `cnn2`: the 1.5.0 network recipe (log-mel 64, 4 augmented copies) as cnn4 and as cnn4w (wider), 80 epochs,
  last-epoch weights, trained on every labelled clip of the six corpora; used for every call (one log-mel input,
  computed once); arousal/valence looked up from their probabilities; in adapted calls each one's output is adapted
  to the speaker (`output.adapt`, training/output_adapt.py).
- `functionals-adapted`: logistic regression on 139 clip functionals (training.functionals) z-scored per speaker,
  with `features.adapt` (running statistics) and a learnt arousal/valence head; used for calls with a speaker
  context (streams, sessions, long recordings, recognize(..., SpeakerContext)).
A single-clip functionals member (`functionals_model export` without --adapt) was measured with 2.0.0's CNN and
left out: +1.2 LOCO points on clean clips, but white noise at 20 dB SNR costs it 28 points (`robustness`).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil

import numpy as np

from . import data, default_model_card, output_adapt
from .default_model_card import HELD_OUT, TRAINING_DATA

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUTPUTS = os.path.join(HERE, "results", "outputs")
#: the CNN member's fold outputs (--cnn-loco, --cnn-si; 2.0.0: q-base.last, si-base.last) and the adapted functionals'
CNN_LOCO, CNN_SI, ADAPTED_RUN = "e80.last,e80w.last", "si-e80.last,si-e80w.last", "f-logreg-online"


def fusion(cnn_runs, adapt_output=True):
    """{mode: [(fold-output run, weight, output adapted)]} of the shipped ensemble, with the CNN members' runs (one
    per CNN member; they share the CNN weight equally). With adapt_output each CNN member's output is adapted to the
    speaker in adapted calls (card field `output.adapt`, training/output_adapt.py; model 2.1 on), and the adapted
    fusion without it is reported beside."""
    n = len(cnn_runs)
    modes = {"single clip": [(r, 1.0 / n, False) for r in cnn_runs],
             "adapted": [(r, 0.5 / n, adapt_output) for r in cnn_runs] + [(ADAPTED_RUN, 0.5, False)]}
    if adapt_output:
        modes["adapted, CNN output not adapted"] = [(r, 0.5 / n, False) for r in cnn_runs] + [(ADAPTED_RUN, 0.5, False)]
    return modes


def cnn_stem(i):
    """The file stem of the i-th CNN member in an assembled folder: cnn, cnn2, cnn3, ..."""
    return "cnn" if i == 0 else f"cnn{i + 1}"


def _run_variant(cnn_run):
    """(run, weights variant) of fold outputs named like "si-base.last" (run si-base, last); a bare name is SWA."""
    return tuple(cnn_run.rsplit(".", 1)) if "." in cnn_run else (cnn_run, "swa")


def si_weights(cnn_si, k):
    """The saved weights of SI fold k of a CNN run named like its fold outputs ("si-base.last": run si-base, last)."""
    from .loco import weights_path
    run, variant = _run_variant(cnn_si)
    return weights_path(run, "si", f"fold{k}", variant)


def cnn_arch(cnn_si):
    """The network (model.ARCHS) of a CNN run's SI folds, from their saved settings."""
    run, variant = _run_variant(cnn_si)
    d = os.path.join(OUTPUTS, run if variant == "swa" else cnn_si, "si")
    z = np.load(os.path.join(d, sorted(f for f in os.listdir(d) if f.endswith(".npz"))[0]))
    return json.loads(str(z["settings"])).get("arch", "cnn4")


#: arousal, valence per label, the CNN's lookup (as the 1.x cards)
LABEL_AV = {"neutral": [0.0, 0.0], "happy": [0.5, 0.8], "sad": [-0.5, -0.7], "angry": [0.8, -0.6],
            "fearful": [0.7, -0.7], "disgust": [0.3, -0.7], "surprised": [0.8, 0.3]}
LICENSE = ("CC-BY-NC-SA-4.0 (weights; inherited from the training corpora: non-commercial, research use; see "
           "MODEL_CARD.md)")


def _si_nets(cnn_sis, input_shape):
    """[fold][member] the CNN members' networks of each SI fold, with their saved weights."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    from . import model as M
    nets = []
    for k in range(5):
        fold = []
        for run in cnn_sis:
            net = M.build_model(input_shape, len(data.LABELS), cnn_arch(run))
            net.load_weights(si_weights(run, k))
            fold.append(net)
        nets.append(fold)
    return nets


def _sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def cmd_assemble(a):
    os.makedirs(a.out, exist_ok=True)
    n = len(a.cnns)
    # (file stem, source folder, use, weight): the CNN members share half the adapted calls' weight
    sources = [(cnn_stem(i), src, "always", 0.5 / n) for i, src in enumerate(a.cnns)]
    sources.append(("functionals-adapted", a.adapted, "adapted", 0.5))
    members = []
    for stem, src, use, weight in sources:
        card = json.load(open(os.path.join(src, "card.json")))
        shutil.copyfile(os.path.join(src, card["model"]["file"]), os.path.join(a.out, f"{stem}.onnx"))
        card["model"] = {"file": f"{stem}.onnx", "sha256": _sha(os.path.join(a.out, f"{stem}.onnx"))}
        card["name"] = f"ser4j-default-{stem}"
        card["version"] = a.version
        card.setdefault("provenance", {})
        card["provenance"]["license"] = LICENSE
        card["provenance"]["ensemble"] = f"a member of ser4j-default {a.version} (card.json beside this file)"
        card["provenance"].pop("history", None)
        if stem.startswith("cnn"):
            card["output"]["arousal_valence"] = LABEL_AV
            if a.output_adapt:
                card["output"]["adapt"] = dict(output_adapt.DEFAULTS)
        path = os.path.join(a.out, f"{stem}.card.json")
        _write_json(path, card)
        members.append({"card": f"{stem}.card.json", "sha256": _sha(path), "weight": weight, "use": use,
                        "arousal_valence": True})
    ens = {
        "format": "ser4j-model-card", "schema_version": 1, "name": "ser4j-default", "version": a.version,
        "ensemble": {"members": members},
        "streaming": {"window_seconds": 3.0, "hop_seconds": 1.0},
        "description": ("Speech emotion recognition, 7 classes, for speakers and recording set-ups it never trained "
                        f"on: {'a compact CNN' if n == 1 else f'{n} compact CNNs'} on 3 s of 64-band log-mel "
                        "spectrogram, fused, when a speaker context is in "
                        "play (a stream, session or long recording), with a logistic regression on 139 prosodic and "
                        "spectral functionals z-scored by the speaker's running statistics, which also gives learnt "
                        "arousal and valence. Trained on six acted corpora (English, German, Amharic, Turkish, "
                        "Arabic). Research/demo use (see MODEL_CARD.md)."),
        "provenance": {"license": LICENSE, "training_data": TRAINING_DATA, "authors": "ser4j",
                       "recipe": "training/default_model.py", "model_card": "MODEL_CARD.md"},
    }
    if os.path.exists(os.path.join(HERE, "results", f"{a.results}.json")):
        ev = json.load(open(os.path.join(HERE, "results", f"{a.results}.json")))
        ens["provenance"]["metrics"] = {
            "protocol": "UAR; LOCO = trained without the corpus; SI = speaker-independent 5-fold (MODEL_CARD.md)",
            **{f"{proto} {mode}": {c: round(v["uar"], 4) for c, v in rows.items()}
               for proto, modes in ev.items() if proto in ("loco", "si") for mode, rows in modes.items()}}
    _write_json(os.path.join(a.out, "card.json"), ens)
    print("wrote", a.out, sorted(os.listdir(a.out)))


def _speaker_orders(ds, protocol, split, idx):
    """Each speaker's clips among `idx` (positions) in the order the adapted functionals' fold outputs saw them:
    loco_functionals.online_zscore's seeded permutations over the clips it adapted (LOCO: the held-out corpus's
    labelled clips; SI: every clip of the fold, unlabelled ones included), restricted to `idx`."""
    spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))
    if protocol == "si":
        seen = np.where(data.speaker_folds(ds) == int(split[len("fold"):]))[0]
    else:
        seen = idx
    at = {int(c): j for j, c in enumerate(idx)}
    return [np.array([at[int(c)] for c in seen[o] if int(c) in at], dtype=int)
            for o in output_adapt.speaker_orders(spk[seen])]


def _fused(runs, protocol, split, ds):
    """The weighted mean of the runs' fold outputs of one split; a run marked adapted has its probabilities adapted
    by output_adapt over each speaker's clips, in the order the adapted functionals saw them (_speaker_orders)."""
    p, idx = 0, None
    for run, w, adapt in runs:
        z = np.load(os.path.join(OUTPUTS, run, protocol, f"{split}.npz"))
        if idx is not None:
            assert np.array_equal(idx, z["idx"]), f"{run} {split}: other clips"
        idx = z["idx"]
        q = z["probs"].astype(np.float64)
        if adapt:
            q = output_adapt.online(q, orders=_speaker_orders(ds, protocol, split, idx))
        p = p + w * q
    return idx, p / sum(w for _, w, _ in runs)


def _rows(ds, idx, p):
    from . import metrics
    rows = {}
    for c in HELD_OUT:
        m = ds.corpus[idx] == c
        if m.any():
            e = metrics.evaluate(p[m], ds.y[idx][m], data.LABELS)
            rows[c] = {"uar": e["uar"], "accuracy": e["accuracy"], "ece": e["ece"], "n": e["n"],
                       "recall": {k: v["recall"] for k, v in e["per_class"].items()}, "confusion": e["confusion"]}
    return rows


def cmd_evaluate(a):
    ds = data.load_corpora()
    FUSION, SI_FUSION = fusion(a.cnn_locos, a.output_adapt), fusion(a.cnn_sis, a.output_adapt)
    out = {"loco": {}, "si": {}, "fusion": {"loco": FUSION, "si": SI_FUSION}}
    for mode, runs in FUSION.items():
        rows = {}
        for held in HELD_OUT:
            missing = [r for r, _, _ in runs if not os.path.exists(os.path.join(OUTPUTS, r, "loco", f"{held}.npz"))]
            if missing:
                print(f"LOCO {mode} {held}: fold outputs missing for {missing}, left out")
                continue
            idx, p = _fused(runs, "loco", held, ds)
            rows.update(_rows(ds, idx, p))
        out["loco"][mode] = rows
    for mode, runs in SI_FUSION.items():
        if not all(os.path.isdir(os.path.join(OUTPUTS, r, "si")) for r, _, _ in runs):
            print("SI: fold outputs missing for", runs)
            continue
        parts = [_fused(runs, "si", f"fold{k}", ds) for k in range(5)]
        idx = np.concatenate([i for i, _ in parts])
        p = np.concatenate([q for _, q in parts])
        out["si"][mode] = _rows(ds, idx, p)
        from .model import uar
        for c, row in out["si"][mode].items():
            # the 1.x cards' figure: the mean over the folds that test the corpus of each fold's UAR
            per = [uar(ds.y[i][ds.corpus[i] == c], q[ds.corpus[i] == c].argmax(1), len(data.LABELS))
                   for i, q in parts if (ds.corpus[i] == c).any()]
            row["uar_fold_mean"], row["uar_fold_std"] = float(np.mean(per)), float(np.std(per))
    _write_json(os.path.join(HERE, "results", f"{a.results}.json"), out)
    for proto in ("loco", "si"):
        for mode, rows in out[proto].items():
            u = [100 * rows[c]["uar"] for c in HELD_OUT if c in rows]
            if not u:
                continue
            print(f"{proto} {mode:12s} " + " ".join(f"{c}={100 * rows[c]['uar']:.1f}" + (
                f"/{100 * rows[c]['uar_fold_mean']:.1f}" if "uar_fold_mean" in rows[c] else "") for c in rows)
                  + f" mean={np.mean(u):.1f} ece=" + " ".join(f"{rows[c]['ece']:.3f}" for c in rows))


@functools.lru_cache(maxsize=None)
def _member(folder, card_name):
    """A member card and its onnxruntime session, loaded once per process."""
    import onnxruntime as ort
    card = json.load(open(os.path.join(folder, card_name)))
    return card, ort.InferenceSession(os.path.join(folder, card["model"]["file"]), providers=["CPUExecutionProvider"])


def _python_predict(folder, wave, speaker=None):
    """The ensemble's prediction in Python: librosa log-mel + onnxruntime for the CNN member, numpy functionals (z-scored
    by the card's `features.adapt` running statistics, then its `normalize`) + onnxruntime for the functionals member,
    weighted; arousal/valence from each member's regression head or label table. Single clip when `speaker` is None
    (members whose use is not `adapted`), else adapted: `speaker` is a dict of running sums per member card (and of
    its `output.adapt` state), updated as the SDK's SpeakerContext does."""
    from . import features as F
    from .functionals import functionals
    ens = json.load(open(os.path.join(folder, "card.json")))
    probs, av, wsum, avsum = 0, np.zeros(2), 0.0, 0.0
    for m in ens["ensemble"]["members"]:
        if m["use"] == ("single_clip" if speaker is not None else "adapted"):
            continue
        card, sess = _member(folder, m["card"])
        if card["features"]["stack"][0]["name"] == "functionals":
            x = np.nan_to_num(functionals(wave).astype(np.float64))
            ad = card["features"].get("adapt")
            if ad is not None and speaker is not None:
                mu0, var0, n0 = np.array(ad["prior_mean"]), np.array(ad["prior_var"]), ad["prior_count"]
                st = speaker.setdefault(m["card"], {"s1": n0 * mu0, "s2": n0 * (var0 + mu0 ** 2), "n": n0})
                st["s1"], st["s2"], st["n"] = st["s1"] + x, st["s2"] + x ** 2, st["n"] + 1
                mu = st["s1"] / st["n"]
                x = (x - mu) / (np.sqrt(np.maximum(st["s2"] / st["n"] - mu ** 2, 0)) + ad["epsilon"])
            nz = card["features"]["normalize"]
            x = ((x - np.array(nz["mean"])) / np.array(nz["scale"])).astype(np.float32)[None]
            p, reg = sess.run(["probabilities", "arousal_valence"], {card["input"]["name"]: x})
        else:
            x = F.librosa_features(wave, "logmel64")[None]
            p = sess.run(["probabilities"], {card["input"]["name"]: x})[0]
            oa = card["output"].get("adapt")
            if oa is not None and speaker is not None:
                st = speaker.setdefault(("output", m["card"]), output_adapt.Running(
                    p.shape[1], oa["prior_count"], oa["strength"], oa["floor"]))
                p = st.adapt(p[0]).astype(np.float32)[None]
            lut = card["output"].get("arousal_valence")
            reg = None if lut is None else (p[0].astype(np.float64) @ np.array([lut[l] for l in data.LABELS]))[None]
        probs = probs + m["weight"] * p[0].astype(np.float64)
        wsum += m["weight"]
        if reg is not None and m.get("arousal_valence", True):
            av += m["weight"] * reg[0]
            avsum += m["weight"]
    return probs / wsum, (av / avsum if avsum else None)


def cmd_expected(a):
    from . import features as F
    samples = os.path.join(ROOT, "ser-examples", "samples")
    expected = os.path.join(ROOT, "ser-examples", "src", "test", "resources", "default-model", "expected.json")
    clips, avs, adapted, adapted_av = {}, {}, {}, {}
    speaker = {}
    for name in sorted(os.listdir(samples)):
        if name.endswith(".wav"):
            wave = F.load_audio(os.path.join(samples, name))
            p, av = _python_predict(a.out, wave)
            clips[name] = [float(v) for v in p]
            avs[name] = [float(v) for v in av]
            p, av = _python_predict(a.out, wave, speaker)  # one speaker context over the clips in this order
            adapted[name] = [float(v) for v in p]
            adapted_av[name] = [float(v) for v in av]
    _write_json(expected, {
        "card_sha256": _sha(os.path.join(a.out, "card.json")), "labels": data.LABELS,
        "computed_by": "librosa 0.11 log-mel + numpy functionals (training/functionals.py) + Python onnxruntime, "
                       "members weighted (python -m training.default_model expected)",
        "clips": clips, "arousal_valence": avs,
        "adapted_note": "one SpeakerContext, the clips in this order, each recognised whole",
        "adapted": adapted, "adapted_arousal_valence": adapted_av})
    print("wrote", os.path.relpath(expected, ROOT), len(clips), "clips")


def cmd_check_e2e(a):
    """`ser analyze --model DIR/card.json` on clips no longer than the window (one clip each, single-clip members)
    against _python_predict."""
    import subprocess
    import soundfile as sf
    from . import features as F
    ds = data.load_corpora()
    rng = np.random.default_rng(11)
    files = []
    for c in HELD_OUT:
        cand = [i for i in rng.permutation(np.where(ds.corpus == c)[0])[:200] if sf.info(ds.abspath(i)).duration < 2.9]
        files += [ds.abspath(i) for i in cand[:4]]
    cmd = ["java", "-jar", F.ser_jar(), "analyze", "--model", os.path.join(a.out, "card.json"), "--format", "json",
           "--no-progress", *files]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"ser analyze failed ({r.returncode}): {r.stderr[-3000:]}")
    java = {os.path.normpath(o["file"]): o for o in map(json.loads, r.stdout.splitlines())}
    worst_p = worst_av = 0.0
    for f in files:
        p, av = _python_predict(a.out, F.load_audio(f))
        o = java[os.path.normpath(f)]
        worst_p = max(worst_p, float(np.abs(p - np.array([o["probabilities"][k] for k in data.LABELS])).max()))
        worst_av = max(worst_av, abs(av[0] - o["arousal"]), abs(av[1] - o["valence"]))
    print(f"ser analyze vs Python on {len(files)} clips: max |prob diff| {worst_p:.2e}, arousal/valence {worst_av:.2e}")
    _write_json(os.path.join(HERE, "results", f"{a.results}-e2e.json"),
                {"clips": len(files), "max_abs_prob_diff": worst_p, "max_abs_arousal_valence_diff": worst_av,
                 "command": "python -m training.default_model check-e2e"})
    if worst_p > 1e-4:
        raise SystemExit("Java and Python differ")


def _waves(ds, rows, name):
    """Paths of the clips `rows` heard through condition `name`: the corpus files for clean, else float32 .npy waves
    (the same seeds as recipe/robustness.py's perturbations of these clips) in a work folder the caller removes."""
    import zlib
    from . import features as F, perturb as P
    from .loco import LOCO_WORK
    if name == "clean":
        return [ds.abspath(i) for i in rows]
    waves = os.path.join(LOCO_WORK, "robustness", "waves", name)
    os.makedirs(waves, exist_ok=True)
    inputs = []
    for i in rows:
        w = os.path.join(waves, f"{i}.npy")
        if not os.path.exists(w):
            np.save(w, P.apply(name, F.load_audio(ds.abspath(i)), seed=zlib.crc32(name.encode()) + int(i)))
        inputs.append(w)
    return inputs


def _drop_waves(name):
    from .loco import LOCO_WORK
    shutil.rmtree(os.path.join(LOCO_WORK, "robustness", "waves", name), ignore_errors=True)


def _perturbed(ds, rows, name):
    """(Java log-mel features, numpy functionals) of the clips `rows` heard through condition `name`, cached."""
    from concurrent.futures import ProcessPoolExecutor
    from . import features as F
    from .functionals import _one, feature_path
    from .loco import LOCO_WORK
    d = os.path.join(LOCO_WORK, "robustness")
    fx, cx = os.path.join(d, f"{name}.functionals.npy"), os.path.join(d, f"{name}.logmel64.npy")
    if os.path.exists(fx) and os.path.exists(cx):
        return np.load(cx), np.load(fx)
    os.makedirs(d, exist_ok=True)
    inputs = _waves(ds, rows, name)
    if name == "clean":
        f = np.load(feature_path(0))[rows]
    else:
        with ProcessPoolExecutor(2) as ex:
            f = np.stack(list(ex.map(_one, inputs, chunksize=32)))
    x = F.java_extract(inputs, "logmel64", cx, os.path.join(d, "java"))
    np.save(fx, f)
    _drop_waves(name)
    return x, f


def cmd_denoise(a):
    """The SI folds' CNNs (the single-clip mode: the CNN members' mean) on their RAVDESS, TESS and EmoDB test
    speakers under noise, with the Java features computed without and with the card step audio.denoise (ser-dsp's
    spectral gate, noisereduce's defaults): mean over the folds of each fold's UAR ->
    results/<--results>-denoise.json."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    from . import features as F, model as M
    from .loco import LOCO_WORK
    ds = data.load_corpora()
    folds = data.speaker_folds(ds)
    rows = np.where(np.isin(ds.corpus, ["ravdess", "tess", "emodb"]) & (ds.y >= 0))[0]
    fk = folds[rows]
    nets = _si_nets(a.cnn_sis, (64, 301, 1))
    out = {}
    for name in ("clean", "white_10db", "white_0db", "pink_10db"):
        plain, _ = _perturbed(ds, rows, name)
        path = os.path.join(LOCO_WORK, "robustness", f"{name}.logmel64-denoise.npy")
        if not os.path.exists(path):
            F.java_extract(_waves(ds, rows, name), "logmel64", path, os.path.join(LOCO_WORK, "robustness", "java"),
                           audio={"denoise": {}})
            _drop_waves(name)
        res = {}
        for variant, x in (("plain", plain), ("denoised", np.load(path))):
            p = np.zeros((len(rows), len(data.LABELS)))
            for k in range(5):
                t = fk == k
                p[t] = np.mean([M.predict(net, x[t]) for net in nets[k]], axis=0)
            res[variant] = _fold_mean_uars(ds, rows, fk, p)
        out[name] = res
        print(f"{name:12s} " + "  ".join(f"{v}: " + " ".join(f"{100 * u:.1f}" for u in r.values())
                                         for v, r in res.items()), flush=True)
        _write_json(os.path.join(HERE, "results", f"{a.results}-denoise.json"), out)


def _fold_mean_uars(ds, rows, fk, p):
    """{corpus: UAR} of RAVDESS, TESS, EmoDB and all of `rows`: as recipe/robustness.py, per corpus the mean over the
    SI folds (fk: each row's fold) that test it of each fold's UAR of the probabilities p."""
    from .model import uar
    out = {}
    for c in ("ravdess", "tess", "emodb", "all"):
        m = np.ones(len(rows), bool) if c == "all" else ds.corpus[rows] == c
        out[c] = float(np.mean([uar(ds.y[rows][m & (fk == k)], p[m & (fk == k)].argmax(1), len(data.LABELS))
                                for k in range(5) if (m & (fk == k)).any()]))
    return out


def _functionals_probs(ds, rows, folds, raw, xf, name):
    """{"f": single clip, "fa": adapted} probabilities of the functionals logistic regressions refitted per SI fold
    (on `raw`, the training features) for `rows` heard through condition `name` (their functionals xf). They do not
    depend on the CNN, so they are kept per condition with a digest of everything they do depend on, and recomputed
    when it differs."""
    import sklearn
    from .loco import LOCO_WORK
    from .loco_functionals import C_LOGREG, fit_predict, online_zscore, prepare, weights
    prior_n, seed = 3.0, 0
    digest = hashlib.sha256(b"".join(np.ascontiguousarray(v).tobytes() for v in (rows, folds, ds.y, raw, xf))
                            + f"logreg C={C_LOGREG} prior {prior_n} seed {seed} sklearn {sklearn.__version__}"
                            .encode()).hexdigest()
    cache = os.path.join(LOCO_WORK, "robustness", f"{name}.functionals-probs.npz")
    cached = np.load(cache) if os.path.exists(cache) else None
    if cached is not None and str(cached.get("digest", "")) == digest:
        return {k: cached[k] for k in ("f", "fa")}
    spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))
    zspk = prepare(raw, ds, "speaker")
    probs = {k: np.zeros((len(rows), len(data.LABELS))) for k in ("f", "fa")}
    for k in range(5):
        test = np.where(folds[rows] == k)[0]
        trn = np.where((folds != k) & (ds.y >= 0))[0]
        w = weights(ds, trn)
        probs["f"][test] = fit_predict("logreg", raw[trn], ds.y[trn], w, xf[test], seed, C_LOGREG)
        # adapted: each test speaker's clips in random order, z-scored by its running statistics
        xa = online_zscore(xf[test], spk[rows][test], raw[trn].mean(0), raw[trn].var(0), prior_n, seed)
        probs["fa"][test] = fit_predict("logreg", zspk[trn], ds.y[trn], w, xa, seed, C_LOGREG)
    np.savez(cache, digest=digest, **probs)
    return probs


def cmd_robustness(a):
    """The SI folds (the --cnn-si CNNs + functionals logistic regressions refitted per fold) on their RAVDESS, TESS and
    EmoDB test speakers heard through perturb.CONDITIONS: UAR per mode (single clip = the CNN; adapted = the CNN and
    the adapted functionals), of each functionals model and of the single-clip fusion that was left out, mean over
    the folds -> results/<--results>-robustness.json."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    from . import model as M, perturb as P
    from .functionals import feature_path
    ds = data.load_corpora()
    folds = data.speaker_folds(ds)
    rows = np.where(np.isin(ds.corpus, ["ravdess", "tess", "emodb"]) & (ds.y >= 0))[0]
    raw = np.nan_to_num(np.load(feature_path(0)).astype(np.float64))
    spk = np.char.add(ds.corpus.astype(str), ds.speaker.astype(str))
    nets = _si_nets(a.cnn_sis, (64, 301, 1))
    out = {}
    for name, (description, _) in P.CONDITIONS.items():
        xc, xf = _perturbed(ds, rows, name)
        xf = np.nan_to_num(xf.astype(np.float64))
        members = np.zeros((len(nets[0]), len(rows), len(data.LABELS)))  # each CNN member's probabilities
        for k in range(5):
            test = np.where(folds[rows] == k)[0]
            for j, net in enumerate(nets[k]):
                members[j, test] = M.predict(net, xc[test])
        probs = _functionals_probs(ds, rows, folds, raw, xf, name)
        # single clip is the CNN members alone; "cnn + functionals" is the single-clip fusion that was left out
        # adapted: each CNN member's output adapted over the same speaker order as the functionals' z-scores
        # (output.adapt), then the members' mean
        probs["cnn"] = members.mean(0)
        cnn_adapted = np.zeros_like(probs["cnn"])
        for k in range(5):
            test = np.where(folds[rows] == k)[0]
            cnn_adapted[test] = np.mean([output_adapt.online(m[test], spk[rows][test]) if a.output_adapt
                                         else m[test] for m in members], axis=0)
        variants = {"single clip": probs["cnn"], "adapted": (cnn_adapted + probs["fa"]) / 2,
                    "cnn + functionals": (probs["cnn"] + probs["f"]) / 2, "functionals": probs["f"],
                    "functionals adapted": probs["fa"]}
        res = {"description": description}
        for v, p in variants.items():
            res[v] = _fold_mean_uars(ds, rows, folds[rows], p)
        out[name] = res
        print(f"{name:12s} " + "  ".join(f"{v}: " + " ".join(f"{100 * u:.1f}" for u in r.values())
                                         for v, r in res.items() if v != "description"), flush=True)
        _write_json(os.path.join(HERE, "results", f"{a.results}-robustness.json"), out)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m training.default_model", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["assemble", "evaluate", "expected", "check-e2e", "robustness", "denoise", "model-card"])
    p.add_argument("--out", default=os.path.join("training", "work", "v22-default"))
    p.add_argument("--cnn", default=",".join(os.path.join("training", "work", d) for d in ("v2-cnn80", "v2-cnn80w")),
                   help="the CNN member's folder (loco final --out); comma-separated for several CNN members, which "
                        "share the CNN weight equally (then --cnn-loco and --cnn-si list theirs in the same order)")
    p.add_argument("--adapted", default=os.path.join("training", "work", "v2-fa"))
    p.add_argument("--version", default="2.2.0")
    p.add_argument("--results", default="default-2.2",
                   help="evaluate, robustness, denoise and check-e2e write, assemble and model-card read "
                        "results/<name>*.json (e.g. a candidate's figures apart)")
    p.add_argument("--cnn-loco", dest="cnn_loco", default=CNN_LOCO,
                   help="the CNN member's LOCO fold outputs (results/outputs/<run>/loco), e.g. e80.last")
    p.add_argument("--no-output-adapt", dest="output_adapt", action="store_false",
                   help="adapted calls fuse the CNN's output as it is (model 2.0.0); default: output.adapt")
    p.add_argument("--cnn-si", dest="cnn_si", default=CNN_SI,
                   help="the CNN member's SI fold outputs and saved fold weights, e.g. si-e80.last")
    p.add_argument("--onnx-ms", dest="onnx_ms", type=float, default=None,
                   help="model-card: the CNN members' ONNX Runtime Java time per 3 s window on one core, in ms, "
                        "summed over the CNN members (OnnxBench.inference, batch 1; measure it for a new architecture)")
    p.add_argument("--onnx-source", dest="onnx_source", default=None,
                   help="model-card: where the --onnx-ms figure comes from (both options are needed unless the CNN "
                        "is 2.1.0's)")
    a = p.parse_args(argv)
    a.cnns, a.cnn_locos, a.cnn_sis = (v.split(",") for v in (a.cnn, a.cnn_loco, a.cnn_si))
    if not len(a.cnns) == len(a.cnn_locos) == len(a.cnn_sis):
        p.error("--cnn, --cnn-loco and --cnn-si need one entry per CNN member each")
    {"assemble": cmd_assemble, "evaluate": cmd_evaluate, "expected": cmd_expected,
     "check-e2e": cmd_check_e2e, "robustness": cmd_robustness, "denoise": cmd_denoise,
     "model-card": default_model_card.cmd_model_card}[a.command](a)


if __name__ == "__main__":
    main()
