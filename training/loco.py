"""Leave-one-corpus-out (LOCO) evaluation over six corpora: how the recipe does on voices, languages, microphones and
scripts it never trained on.

    python -m training.loco features                       # augmented waveforms + Java features of all six corpora
    python -m training.loco run --name q-base --quick      # the quick LOCO (2 held-out corpora, 20 epochs)
    python -m training.loco run --name base                # the full LOCO (5 held-out corpora)
    python -m training.loco report                         # results/loco.json + the LOCO table in training/README.md

For each held-out corpus C (RAVDESS, TESS, EmoDB, ASED, TurEV-DB), a network is trained on every other corpus (BAVED,
which has arousal levels only, may always train) and tested on all of C; the UAR counts the classes C has (TurEV-DB's
calm is neutral, as RAVDESS's). Training follows the shipped schedule (fixed epochs, no validation-based selection);
the last epoch's and the SWA weights are both scored. The extra corpora's audio is built by the shared datasets'
build_extra.sh into SER4J_EXTRA_DIR (data.extra_dir). Work files go to training/work/loco/, fold outputs (committed)
to training/results/outputs/<run>/loco/<corpus>.npz.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import time
import zlib

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

from . import caches, data, features as F  # noqa: E402
from .recipe import OUTPUTS, RESULTS, WORK, _save_outputs, setup_logging, threads  # noqa: E402

log = logging.getLogger("training")
LOCO_WORK = os.path.join(WORK, "loco")
#: The corpora LOCO holds out in turn (BAVED has no categories to test, so it only ever trains).
HELD_OUT = ["ravdess", "tess", "emodb", "ased", "turev"]
#: The quick LOCO: two held-out corpora of different languages and recording set-ups, fewer epochs.
QUICK = {"held_out": ["ravdess", "ased"], "epochs": 20}
FULL_EPOCHS = 60


#: augmentation recipes (`--aug`): "" = features.augment as the 1.x models had it; "rooms" adds image-source rooms
#: and a wider speed range (features.augment(rooms=True)); "short" turns half of the "" copies into single-word-like
#: pieces (features.augment(short=SHORT_SHARE): 0.4-2 s of the clean speech, perturbed, centred in silence)
AUGS = ("", "rooms", "short")
#: the share of a "short" recipe's copies that are cut short
SHORT_SHARE = 0.5


def _aug_suffix(aug):
    return f"-{aug}" if aug else ""


def wave_path(v, path, aug=""):
    return os.path.join(LOCO_WORK, "waves" + _aug_suffix(aug), f"v{v}", path.replace("/", "__")[:-5] + ".npy")


def feature_path(fs, v, aug=""):
    """Features of version v (0 = the clean clips, shared by every augmentation recipe)."""
    return os.path.join(LOCO_WORK, "features" + (_aug_suffix(aug) if v else ""), fs, f"v{v}.npy")


def weights_path(run, protocol, split, variant):
    """The saved weights of one split (held-out corpus or SI fold) of a run: variant "last" or "swa"."""
    return os.path.join(LOCO_WORK, "models", run, protocol, f"{split}.{variant}.weights.h5")


def make_waves(ds, n_aug, aug=""):
    """Augmented copies (features.augment) of every clip, seeded by (version, path) so that adding a corpus changes
    no other clip's copy; the babble noise comes from another speaker of the same corpus, so that no held-out
    corpus's audio reaches a training side, even as noise."""
    by_corpus = {c: np.where(ds.corpus == c)[0] for c in np.unique(ds.corpus)}
    caches.augment_versions(ds, n_aug, lambda v, i: wave_path(v, ds.paths[i], aug),
                            lambda v, i: np.random.default_rng([v, zlib.crc32(ds.paths[i].encode())]),
                            lambda i: by_corpus[ds.corpus[i]], label="loco ", every=2000, rooms=aug == "rooms",
                            short=SHORT_SHARE if aug == "short" else 0.0)


def make_features(ds, fs, n_aug, aug=""):
    caches.extract_versions(len(ds), n_aug, lambda v: feature_path(fs, v, aug),
                            lambda v: [ds.abspath(i) if v == 0 else wave_path(v, ds.paths[i], aug)
                                       for i in range(len(ds))],
                            fs, os.path.join(LOCO_WORK, "java"), what=f"loco features {fs}")


def load_features(fs, n_aug, writable=False, aug=""):
    """The cached features, memory-mapped read-only (runs in parallel share the page cache) unless writable."""
    return [np.load(feature_path(fs, v, aug)) if writable else np.load(feature_path(fs, v, aug), mmap_mode="r")
            for v in range(n_aug + 1)]


def speaker_normalise(feats, ds):
    """Speaker adaptation: every feature row (mel band) z-scored by the statistics of all frames of the same
    speaker's clips in the same version (clean, or augmented copy k), in place. Needs the speaker's other clips, so
    its figures are 'adapted', not single-clip."""
    for x in feats:
        for s in np.unique(ds.speaker):
            m = ds.speaker == s
            block = x[m]
            mu = block.mean(axis=(0, 2), keepdims=True)
            sd = block.std(axis=(0, 2), keepdims=True)
            x[m] = (block - mu) / (sd + 1e-5)
    return feats


def cmd_features(a):
    ds = data.load_corpora()
    make_waves(ds, a.n_aug, a.aug)
    for fs in a.sets.split(","):
        make_features(ds, fs, a.n_aug, a.aug)


def _train_side(ds, held, a):
    keep = (ds.corpus != held) & (ds.y >= 0)
    if a.baved_neutral:
        # BAVED's level 1 ("the way the speaker speaks daily") as neutral speech
        keep |= (ds.corpus == "baved") & (ds.arousal == data.AROUSAL.index("neutral"))
    return np.where(keep)[0]


def _splits(ds, a):
    """(name, train, test) per model to train: held-out corpora (LOCO) or speaker folds (--protocol si)."""
    if a.protocol == "si":
        folds = data.speaker_folds(ds)
        for f in range(5):
            yield f"fold{f}", np.where((folds != f) & (ds.y >= 0))[0], np.where((folds == f) & (ds.y >= 0))[0]
        return
    held_out = a.held_out.split(",") if a.held_out else (QUICK["held_out"] if a.quick else HELD_OUT)
    for held in held_out:
        trn = _train_side(ds, held, a)
        assert not set(ds.corpus[trn]) & {held}
        yield held, trn, np.where((ds.corpus == held) & (ds.y >= 0))[0]


def _load_labelled(ds, a):
    if a.baved_neutral:
        ds.y = np.where((ds.corpus == "baved") & (ds.arousal == data.AROUSAL.index("neutral")),
                        data.LABELS.index("neutral"), ds.y)
    return ds


def _corpus_scale(a):
    return {"baved": a.baved_scale} if a.baved_scale != 1.0 else None


def _features(ds, a):
    feats = load_features(a.set, a.n_aug, writable=a.norm != "none", aug=a.aug)
    if a.norm == "speaker":
        speaker_normalise(feats, ds)
    return feats


def cmd_run(a):
    from . import model as M
    if not a.name or a.swa_epochs < 1:
        raise SystemExit("run needs --name and --swa-epochs >= 1 (the SWA weights are the run's own)")
    threads(a.threads)
    ds = _load_labelled(data.load_corpora(), a)
    epochs = a.epochs or (QUICK["epochs"] if a.quick else FULL_EPOCHS)
    feats = None
    for k, (split, trn, test) in enumerate(_splits(ds, a)):
        out_dir = os.path.join(OUTPUTS, a.name, a.protocol)
        out = os.path.join(out_dir, f"{split}.npz")
        if os.path.exists(out):
            log.info("%s %s %s: done already", a.protocol, a.name, split)
            continue
        if feats is None:
            feats = _features(ds, a)
        log.info("%s %s %s: train %d clips of %s, test %d", a.protocol, a.name, split, len(trn),
                 ",".join(sorted(set(ds.corpus[trn]))), len(test))
        t0 = time.time()
        snapshots = {}
        seed = 7 + (HELD_OUT.index(split) if split in HELD_OUT else 100 + k) + 1000 * a.seed
        model, hist = M.train(feats, trn, ds.y, ds.corpus, len(data.LABELS), a.arch, epochs, None,
                              seed=seed, epoch_size=a.epoch_size,
                              log_prefix=f"[{a.protocol} {a.name} {split}] ", snapshots=snapshots,
                              swa_epochs=a.swa_epochs, adversary=a.adversary, corpus_scale=_corpus_scale(a))
        seconds = time.time() - t0
        for variant in sorted(snapshots):
            model.set_weights(snapshots[variant])
            # the weights too (work files, not committed), for scoring the folds on perturbed audio later
            path = weights_path(a.name, a.protocol, split, variant)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            model.save_weights(path)
            d = out_dir if variant == "swa" else os.path.join(OUTPUTS, f"{a.name}.{variant}", a.protocol)
            os.makedirs(d, exist_ok=True)
            probs = M.predict(model, feats[0][test])
            _save_outputs(os.path.join(d, f"{split}.npz") + ("" if variant != "swa" else ".swa-tmp.npz"),
                          idx=test, paths=np.array([ds.paths[i] for i in test]), probs=probs,
                          hist=json.dumps(hist), seconds=seconds, settings=json.dumps(_settings(a, epochs)))
            log.info("%s %s%s %s: UAR %.3f (%.0fs)", a.protocol, a.name, f".{variant}" if variant != "swa" else "",
                     split, M.uar(ds.y[test], probs.argmax(1), len(data.LABELS)), seconds)
        # the run's own outputs (SWA weights) last: their file marks the split done
        os.replace(out + ".swa-tmp.npz", out)


def cmd_final(a):
    """Trains on every labelled clip of the six corpora with the run's settings and exports the chosen weights
    (--weights last|swa) as model.onnx + card.json (Java features, arousal/valence looked up) into --out, with the
    Keras weights beside (model.weights.h5: a second run loads them and only exports). cnn4/cnn4w export their
    inference form, each BatchNorm folded into its convolution (model.fold_batchnorm), checked against Keras."""
    import hashlib
    from . import model as M
    from .recipe.export import _rename_io
    if not a.out:
        raise SystemExit("final needs --out DIR")
    threads(a.threads)
    ds = _load_labelled(data.load_corpora(), a)
    epochs = a.epochs or QUICK["epochs"]
    feats = _features(ds, a)
    trn = np.where(ds.y >= 0)[0]
    log.info("final: train %d clips of %s, %d epochs", len(trn), ",".join(sorted(set(ds.corpus[trn]))), epochs)
    os.makedirs(a.out, exist_ok=True)
    weights = os.path.join(a.out, "model.weights.h5")
    shape = feats[0].shape[1:]
    if os.path.exists(weights):
        model = M.build_model(shape, len(data.LABELS), a.arch)
        model.load_weights(weights)
        old = os.path.join(a.out, "card.json")
        hist = json.load(open(old))["provenance"].get("history", {}) if os.path.exists(old) else {}
        log.info("final: loaded %s, exporting only", weights)
    else:
        snapshots = {}
        model, hist = M.train(feats, trn, ds.y, ds.corpus, len(data.LABELS), a.arch, epochs, None,
                              seed=7 + 1000 * a.seed, epoch_size=a.epoch_size, log_prefix="[final] ",
                              snapshots=snapshots, swa_epochs=a.swa_epochs, adversary=a.adversary,
                              corpus_scale=_corpus_scale(a))
        model.set_weights(snapshots[a.weights])
        model.save_weights(weights)
    probe = np.random.default_rng(0).standard_normal((2,) + shape).astype(np.float32)
    ref = M.predict(model, probe)
    inference = M.fold_batchnorm(model, shape, len(data.LABELS), a.arch) if a.arch in M.WIDTHS else model
    M.predict(inference, probe)  # a Keras model exports once it has been called
    onnx_path = os.path.join(a.out, "model.onnx")
    tmp = onnx_path + ".tmp"
    inference.export(tmp, format="onnx")
    _rename_io(tmp, "input", "probabilities")
    os.replace(tmp, onnx_path)
    import onnxruntime as ort
    got = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"]).run(["probabilities"], {"input": probe})[0]
    diff = float(np.abs(got - ref).max())
    if diff > 1e-4:
        raise SystemExit(f"ONNX output differs from Keras by {diff}")
    card = F.card_for(a.set)
    card["name"] = f"ser4j-{a.set}-{a.arch}"
    card["model"] = {"file": "model.onnx", "sha256": hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()}
    card["provenance"] = {"recipe": "python -m training.loco final", "settings": _settings(a, epochs),
                          "weights": a.weights, "training_clips": int(len(trn)), "history": hist}
    with open(os.path.join(a.out, "card.json"), "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    log.info("final: exported %s (ONNX vs Keras %.1e)", a.out, diff)


def _settings(a, epochs):
    return {"set": a.set, "arch": a.arch, "epochs": epochs, "n_aug": a.n_aug, "aug": a.aug, "norm": a.norm,
            "baved_neutral": a.baved_neutral, "swa_epochs": a.swa_epochs, "epoch_size": a.epoch_size, "seed": a.seed,
            "adversary": a.adversary, "baved_scale": a.baved_scale}


def cmd_report(a):
    """results/loco.json (per run and held-out corpus: UAR, accuracy, per-class recall, confusion) and the LOCO
    table of training/README.md, from the committed fold outputs."""
    from . import metrics
    ds = data.load_corpora()
    y_of = dict(zip(ds.paths, ds.y))
    report = {}
    for run in sorted(os.listdir(OUTPUTS)):
        d = os.path.join(OUTPUTS, run, "loco")
        if not os.path.isdir(d):
            continue
        rows = {}
        for f in sorted(os.listdir(d)):
            if not f.endswith(".npz") or f.count(".") > 1:
                continue
            z = np.load(os.path.join(d, f))
            y = np.array([y_of[str(p)] for p in z["paths"]])
            m = metrics.evaluate(z["probs"], y, data.LABELS)
            rows[f[:-4]] = {"uar": m["uar"], "accuracy": m["accuracy"], "n": m["n"],
                            "recall": {k: v["recall"] for k, v in m["per_class"].items()},
                            "confusion": m["confusion"], "settings": json.loads(str(z["settings"]))}
        if rows:
            report[run] = rows
    with open(os.path.join(RESULTS, "loco.json"), "w") as f:
        json.dump(report, f, indent=1)
    lines = ["| run | " + " | ".join(HELD_OUT) + " | mean | settings |", "|---|" + "---|" * (len(HELD_OUT) + 2)]
    for run, rows in report.items():
        cells = [f"{100 * rows[c]['uar']:.1f}" if c in rows else "" for c in HELD_OUT]
        mean = np.mean([rows[c]["uar"] for c in rows]) * 100
        s = next(iter(rows.values()))["settings"]
        desc = f"{s['set']}, {s['arch']}" + (f", {s['epochs']} ep" if s['epochs'] else "") + f", norm {s['norm']}" + (", BAVED neutral" if
                                                                               s["baved_neutral"] else "") \
            + (f", aug {s['aug']}" if s.get("aug") else "") \
            + (f", corpus adversary {s['adversary']}" if s.get("adversary") else "") \
            + (f", BAVED share x{s['baved_scale']}" if s.get("baved_scale", 1.0) != 1.0 else "")
        lines.append(f"| {run} | " + " | ".join(cells) + f" | {mean:.1f} ({len(rows)}) | {desc} |")
    table = "\n".join(lines)
    print(table)
    _update_readme(table)


def _update_readme(table):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    text = open(path).read()
    begin, end = "<!-- loco:begin (written by `python -m training.loco report`) -->", "<!-- loco:end -->"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        open(path, "w").write(head + begin + "\n" + table + "\n" + end + rest.split(end, 1)[1])


def main(argv=None):
    from . import model as M
    p = argparse.ArgumentParser(prog="python -m training.loco", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["features", "run", "report", "final"])
    p.add_argument("--name", help="run: the run's name (its outputs go to results/outputs/<name>/loco)")
    p.add_argument("--quick", action="store_true", help=f"run: the quick LOCO ({QUICK})")
    p.add_argument("--held-out", dest="held_out", default=None, help="run: comma-separated corpora to hold out")
    p.add_argument("--set", default="logmel64", choices=sorted(F.FEATURE_SETS))
    p.add_argument("--sets", default="logmel64,logmel64t", help="features: feature sets to compute")
    p.add_argument("--arch", default="cnn4", choices=M.ARCHS)
    p.add_argument("--norm", default="none", choices=["none", "speaker"],
                   help="run: speaker = per-speaker z-score of every feature row (adapted figures)")
    p.add_argument("--baved-neutral", dest="baved_neutral", action="store_true",
                   help="run: BAVED's neutral arousal level trains the neutral class")
    p.add_argument("--epochs", type=int, default=0, help=f"run: default {QUICK['epochs']} quick, {FULL_EPOCHS} full")
    p.add_argument("--swa-epochs", dest="swa_epochs", type=int, default=8)
    p.add_argument("--epoch-size", dest="epoch_size", type=int, default=3000)
    p.add_argument("--n-aug", dest="n_aug", type=int, default=4)
    p.add_argument("--aug", default="", choices=AUGS, help="augmentation recipe of the copies (features, run)")
    p.add_argument("--adversary", type=float, default=0.0,
                   help="run, final: train a corpus adversary through gradient reversal of this final strength "
                        "(model.with_corpus_adversary; 0 = none)")
    p.add_argument("--baved-scale", dest="baved_scale", type=float, default=1.0,
                   help="run, final: BAVED's share of the draws times this (with --baved-neutral: how much its "
                        "single neutral words weigh)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--protocol", default="loco", choices=["loco", "si"],
                   help="run: loco = held-out corpora; si = speaker-independent 5-fold over the six corpora "
                        "(outputs in results/outputs/<name>/si/fold<k>.npz)")
    p.add_argument("--weights", default="last", choices=["last", "swa"], help="final: which weights to export")
    p.add_argument("--out", help="final: output folder of model.onnx and card.json")
    a = p.parse_args(argv)
    setup_logging()
    {"features": cmd_features, "run": cmd_run, "report": cmd_report, "final": cmd_final}[a.command](a)


if __name__ == "__main__":
    main()
