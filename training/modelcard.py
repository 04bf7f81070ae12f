"""Writes MODEL_CARD.md next to the default model from the recipe's result files, so every figure in it comes from a
run (training/results/*.json) and none is typed by hand."""
from __future__ import annotations

import json
import os

from . import data

TARGETS = {"ravdess": 0.70, "emodb": 0.85, "tess": 0.95}
NAMES = {"ravdess": "RAVDESS (7 classes, calm scored as neutral)", "ravdess_without_calm":
         "RAVDESS without calm clips", "tess": "TESS", "emodb": "EmoDB (6 classes, boredom dropped)",
         "all": "all three, pooled"}


def _load(results, name, default=None):
    p = os.path.join(results, name)
    return json.load(open(p)) if os.path.exists(p) else default


def _pct(m):
    return f"{m['mean'] * 100:.1f} ± {m['std'] * 100:.1f}"


def _corpus_table(per_corpus):
    calibrated = all("ece_t" in m for m in per_corpus.values())
    rows = ["| test set | clips | UAR % | accuracy % | macro-F1 % | ECE |" + (" ECE (T) |" if calibrated else ""),
            "|---|---|---|---|---|---|" + ("---|" if calibrated else "")]
    for c in ("ravdess", "ravdess_without_calm", "tess", "emodb", "all"):
        if c not in per_corpus:
            continue
        m = per_corpus[c]
        rows.append(f"| {NAMES[c]} | {m['pooled']['n']} | {_pct(m['uar'])} | {_pct(m['accuracy'])} | "
                    f"{_pct(m['macro_f1'])} | {m['ece']['mean']:.3f} |"
                    + (f" {m['ece_t']['mean']:.3f} |" if calibrated else ""))
    return "\n".join(rows)


def _normalisation(card):
    norm = card["features"].get("normalize", {})
    if norm.get("type") != "utterance":
        return "not normalised"
    return ("z-scored per utterance (one mean and deviation over the whole map)" if norm.get("axis", "all") == "all"
            else "z-scored per utterance and mel band (each band's mean and deviation over time)")


def _per_class(pooled):
    rows = ["| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for k, v in pooled["per_class"].items():
        rows.append(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |")
    return "\n".join(rows)


def _confusions(cv):
    """Bullets naming, per corpus, the weakest class and the most frequent confusions (from the pooled CV matrix)."""
    if not cv:
        return []
    out = []
    for c in ("ravdess", "tess", "emodb"):
        if c not in cv["per_corpus"]:
            continue
        pooled = cv["per_corpus"][c]["pooled"]
        cm, labels = pooled["confusion"], data.LABELS
        pairs = []
        for i, row in enumerate(cm):
            n = sum(row)
            for j, v in enumerate(row):
                if i != j and n and v:
                    pairs.append((v / n, labels[i], labels[j]))
        pairs.sort(reverse=True)
        weakest = min(pooled["per_class"].items(), key=lambda kv: kv[1]["recall"])
        out.append(f"- {NAMES[c]}: weakest class `{weakest[0]}` (recall {weakest[1]['recall']:.2f}); most frequent "
                   "confusions " + ", ".join(f"`{a}` → `{b}` ({f * 100:.0f} % of `{a}`)" for f, a, b in pairs[:3])
                   + " (speaker-independent CV, pooled)." + _by_speaker(cv["per_corpus"][c], weakest[0]))
    return out


def _by_speaker(corpus, label):
    """How the weakest class fares per held-out voice: each voice's confusion for a corpus of few voices, else the
    range of its recall over the voices."""
    speakers = {s: v for s, v in corpus.get("per_speaker", {}).items() if label in v["recall"]}
    if not speakers:
        return ""
    if len(speakers) <= 3:
        parts = []
        for s, v in speakers.items():
            wrong = v["confused_with"].get(label)
            parts.append(f"`{s}` recall {v['recall'][label]:.2f}"
                         + (f", taken for `{wrong[0]}` in {wrong[1] * 100:.0f} %" if wrong else ""))
        return (f" Per held-out voice, `{label}`: " + "; ".join(parts) + " (the error depends on the voice: it is "
                "not one pair of classes that the model cannot tell apart).")
    lo = min(speakers.items(), key=lambda kv: kv[1]["recall"][label])
    hi = max(speakers.items(), key=lambda kv: kv[1]["recall"][label])
    return (f" Its recall per held-out speaker ranges from {lo[1]['recall'][label]:.2f} (`{lo[0]}`) to "
            f"{hi[1]['recall'][label]:.2f} (`{hi[0]}`).")


def _seed_spread(cv, other):
    """A sentence on how much the figures move with the training seed, from the same run with `--seed 1`."""
    if not other:
        return []
    parts = []
    for c in ("ravdess", "emodb"):
        if c not in cv["per_corpus"] or c not in other["per_corpus"]:
            continue
        mine = dict(zip(cv["folds"], cv["per_corpus"][c]["uar"]["folds"]))
        theirs = dict(zip(other["folds"], other["per_corpus"][c]["uar"]["folds"]))
        common = sorted(set(mine) & set(theirs))
        if common:
            a = 100 * sum(mine[f] for f in common) / len(common)
            b = 100 * sum(theirs[f] for f in common) / len(common)
            parts.append(f"{NAMES[c]} {a:.1f} % with the seeds of the figures above, {b:.1f} % with others")
    if not parts:
        return []
    folds = ", ".join(f[4:] if f.startswith("fold") else f for f in sorted(other["folds"]))
    return [f"**Seed spread.** The same recipe with other training seeds (same folds and data, folds {folds}): "
            + "; ".join(parts) + ". Differences of a few points between runs or releases are within this spread.",
            ""]


def _network(key, export, members):
    arch = key.split("_")[-1].split("-")[0]
    size = f"{export.get('params', 'n/a')} parameters, ONNX file {export.get('onnx_bytes', 0) / 1e6:.2f} MB"
    if arch.startswith("cnn4"):
        size += " (the inference form: each BatchNorm folded into the convolution before it, `model.fold_batchnorm`)"
    if not members:
        return f"compact CNN (`training/model.py`, `{arch}`): {size}"
    return (f"a seed ensemble (`training/model.py`, `{arch}`): {len(members)} compact CNNs of the same architecture "
            f"and data, trained with different seeds (runs {', '.join(f'`{m}`' for m in members)}), side by side in "
            f"one ONNX graph that averages their probabilities; {size}")


def _members_line(summary, members):
    """A sentence giving each ensemble member's own CV figures, so the ensemble's gain is visible."""
    parts = []
    for m in members:
        cv = summary.get(m, {}).get("cv")
        if not cv:
            continue
        pc = cv["per_corpus"]
        parts.append(f"`{m}` " + ", ".join(f"{c} {pc[c]['uar']['mean'] * 100:.1f} %" for c in ("ravdess", "tess",
                                                                                             "emodb") if c in pc))
    if not parts:
        return []
    return ["**Members alone** (UAR, the same folds): " + "; ".join(parts) + ". The seed-to-seed difference "
            "between them is the spread to expect from one retraining; averaging two seeds removes part of it.", ""]


def _robustness(rob):
    """The recording-conditions table (`python -m training.recipe robustness`), UAR of the CV fold networks."""
    if not rob:
        return []
    conds = rob["conditions"]
    corpora = [c for c in ("ravdess", "tess", "emodb", "all") if c in conds.get("clean", {})]
    clean = {c: conds["clean"][c]["uar"] for c in corpora}
    out = ["## Recording conditions", "",
           f"UAR (%) on held-out speakers when their clips are heard through other conditions, each scored by the "
           f"network of the CV fold that tests them (`{rob['run']}`, {rob['weights']}; folds "
           f"{', '.join(str(k) for k in rob['folds'])}); in brackets the change from `clean`. Noise at 0-30 dB SNR "
           "is inside the training augmentation; reverberation and G.711 companding are not "
           "(`python -m training.recipe robustness`, conditions in `training/perturb.py`).", "",
           "| condition | " + " | ".join({"ravdess": "RAVDESS", "tess": "TESS", "emodb": "EmoDB",
                                           "all": "all clips"}[c] for c in corpora) + " |",
           "|---|" + "---|" * len(corpora)]
    for name, r in conds.items():
        cells = [f"{100 * r[c]['uar']:.1f}" + ("" if name == "clean" else f" ({100 * (r[c]['uar'] - clean[c]):+.1f})")
                 for c in corpora]
        out.append(f"| {r['description']} | " + " | ".join(cells) + " |")
    return out + [""]


def _worst_conditions(rob):
    """One sentence naming the two conditions that cost the most UAR on all clips."""
    conds = rob["conditions"]
    clean = conds["clean"]["all"]["uar"]
    drops = sorted(((clean - r["all"]["uar"], r["description"]) for n, r in conds.items() if n != "clean"),
                   reverse=True)[:2]
    return ("The largest losses measured (Recording conditions, above): " + " and ".join(
        f"{d} ({100 * x:.0f} points of UAR on all clips)" for x, d in drops) + "; expect as much or more from "
        "far-field microphones and real rooms.")


def render(results: str, model_dir: str, key: str, members=(), random_of=None) -> str:
    summary = _load(results, "summary.json", {})
    export = _load(results, "export.json", {})
    parity = _load(results, "java_vs_librosa.json", {})
    e2e = _load(results, "java_vs_python_e2e.json", {})
    card = json.load(open(os.path.join(model_dir, "card.json")))
    run = summary.get(key, {})
    cv, rnd = run.get("cv"), run.get("random")
    rnd_of = None
    if rnd is None and members and summary.get(members[0], {}).get("random"):
        rnd, rnd_of = summary[members[0]]["random"], members[0]  # the ensemble itself has no random-split run
    if rnd is None and random_of and summary.get(random_of, {}).get("random"):
        rnd, rnd_of = summary[random_of]["random"], random_of  # the same schedule's split, run before the variants
    rel = "../../../../../../../../../../training/results"  # from the model folder to training/results
    out = [f"# Model card: {card['name']} {card['version']}", "",
           "Generated by `python -m training.recipe model-card` from the result files of the recipe "
           "(`training/results/`); do not edit by hand.", "",
           "## Intended use", "",
           "Recognising which of seven emotions a short clip of **acted** speech expresses, as a default for trying "
           "ser4j, for demos and for research. It is a small model (under 1 MB) trained on three acted corpora "
           "recorded in studios: it is **not** a validated instrument for judging people, and it must not be used for "
           "decisions about individuals (hiring, credit, health, policing, surveillance). The weights inherit the "
           "corpora's **non-commercial** licences (below): for commercial use, train your own model and describe it "
           "with a model card.", "",
           "## Labels", "",
           "Output order: " + ", ".join(f"`{l}`" for l in card["output"]["labels"]) + ".", "",
           "- RAVDESS `calm` is trained and scored as `neutral`: calm is acted as a low-arousal neutral, the two are "
           "the most confused pair in RAVDESS, and the other corpora have no calm class, so a separate class would "
           "be learnt from 24 voices only.",
           "- EmoDB `boredom` is dropped (81 clips): no other corpus has it, and folding it into neutral or sad would "
           "teach a German-only, speaker-specific boundary. EmoDB is scored on its 6 remaining classes (it has no "
           "`surprised`).",
           "- TESS \"pleasant surprise\" is `surprised`.", "",
           "## Model", "",
           f"- Input: {card['audio']['duration_seconds']:g} s at {card['audio']['sample_rate']} Hz (longer clips "
           f"centre-cropped, shorter centre-padded; peak-normalised), a 64-band log-mel spectrogram (librosa "
           f"parameters in `card.json`), {_normalisation(card)}; NHWC tensor (1, 64, 301, 1).",
           f"- Network: {_network(key, export, members)}, softmax probabilities"
           + (f", temperature-scaled: the logits are divided by T = {card['provenance']['temperature']:.3f}, the "
              "median of the temperatures fitted (minimum negative log-likelihood) on each CV fold's validation "
              "speakers." if card.get("provenance", {}).get("temperature") else "."),
           f"- ONNX Runtime (Python, 1 intra-op thread, median of 300 calls) on this machine: "
           f"{export.get('ort_ms_per_clip_1_thread', float('nan')):.2f} ms per 3 s clip.",
           "- Features for training were computed by the project's own Java extractor (`ser extract`), the code "
           "that serves the model. On a sample of clips it matches librosa to "
           + ", ".join(f"{v['max_abs_diff']:.1e} ({k}, max abs over {v['clips']} clips)" for k, v in parity.items())
           + "." if parity else "- Java/librosa feature parity: not measured in this run.",
           (f"- End to end, `ser analyze` (Java: decode, card pipeline, ONNX Runtime) and Python (librosa features + "
            f"onnxruntime) agree to {e2e['max_abs_prob_diff']:.1e} in probability on {e2e['clips']} corpus clips."
            if e2e else ""),
           f"- SHA-256 of `model.onnx`: `{card['model'].get('sha256', 'n/a')}`.", "",
           "## Training data and licences", "",
           "| corpus | speakers | clips used | licence |", "|---|---|---|---|",
           "| RAVDESS speech (Livingstone & Russo 2018) | 24 actors, N. American English | 1440 | CC BY-NC-SA 4.0 |",
           "| TESS (Toronto Emotional Speech Set) | 2 women, Canadian English | 2800 | CC BY-NC-ND 4.0 |",
           "| EmoDB (Burkhardt et al. 2005) | 10 actors, German | 454 (boredom dropped) | free for research use |",
           "", "All three are **non-commercial / research-only**; so are these weights. The shipped model is trained "
           "on all speakers, with waveform augmentation (speed 0.9-1.1, random crop, telephone band and low-pass "
           "filters, white/pink/brown/babble noise at 0-30 dB SNR, gain and clipping), SpecAugment masks, mixup and "
           "class- and corpus-balanced sampling (`training/README.md`).", ""]
    out += ["## How well it works on speakers it never heard", ""]
    if cv:
        pc = cv["per_corpus"]
        out += [f"Speaker-independent {len(cv['folds'])}-fold cross-validation: every speaker is in exactly one "
                "test fold and never in that fold's training or early-stopping data (`training/data.py`, "
                "`speaker_folds`). Mean ± standard deviation over the folds that contain the corpus (TESS has two "
                "speakers, so only two folds test it, each trained on the other TESS voice only); ECE = expected "
                "calibration error of the top-1 probability (15 bins); ECE (T), where shown, is the same after "
                "temperature scaling fitted on the fold's validation speakers ("
                + ("the shipped model is scaled so" if card.get("provenance", {}).get("temperature") else
                   "the shipped model is not: with four validation speakers the fitted temperatures did not lower "
                   "the test folds' ECE") + "). The "
                "shipped model is trained on all speakers with the same recipe, so these are estimates of it, not "
                "measurements of it.", "",
                _corpus_table(pc), "", "Targets of the project (UAR, mean over folds):", "",
                "| corpus | target | reached | met? |", "|---|---|---|---|"]
        for c, t in TARGETS.items():
            if c in pc:
                u = pc[c]["uar"]["mean"]
                out.append(f"| {c} | ≥ {t * 100:.0f} % | {u * 100:.1f} % | {'yes' if u >= t else '**no**'} |")
        size_mb = export.get("onnx_bytes", 0) / 1e6
        out += [f"| model size | ≤ 5 MB | {size_mb:.2f} MB | {'yes' if size_mb <= 5 else '**no**'} |", ""]
        out += _members_line(summary, members) if members else _seed_spread(cv, summary.get(key + "s1", {}).get("cv"))
        for c in ("ravdess", "tess", "emodb"):
            if c in pc:
                out += [f"### {NAMES[c]}: per class (pooled over folds)", "", _per_class(pc[c]["pooled"]), "",
                        f"![confusion matrix]({rel}/confusion_{key}_cv_{c}.png)", ""]
    else:
        out += ["Not measured yet: run `python -m training.recipe cv` and `report`.", ""]
    if rnd:
        out += ["## For comparison: the random-split protocol", "",
                "80/20 split stratified by corpus and label, **the same speakers in training and test** (the protocol "
                "behind the 83-97 % figures often quoted for such models). It measures how well the model knows "
                "voices it was trained on, not how it does on a new voice"
                + (f" (figures of `{rnd_of}`, " + ("one member; the ensemble was not run on this split)" if members else
                    "the same schedule's best validation epoch, run before the weight variants were scored)")
                   if rnd_of else "")
                + ":", "", _corpus_table(rnd["per_corpus"]),
                ""]
    rob = _load(results, f"robustness_{key}.json") or _load(results, f"robustness_{key.split('.')[0]}.json")
    out += _robustness(rob)
    out += ["## Known limitations and failure modes", "",
            "- Acted, studio-quality, read sentences only. Spontaneous speech expresses emotion more subtly; expect "
            "markedly lower accuracy and more `neutral`/`sad` answers on real calls and meetings.",
            "- Voices: 36 speakers in all. TESS is two Canadian women (one older, one younger) saying \"Say the word "
            "...\": with one of them held out, the other is the only TESS voice in training, which is why TESS, easy "
            "with shared speakers, is hard here. Accents, children, elderly and non-English or non-German speech are "
            "not represented.",
            "- Microphones and rooms: trained with noise, band-limit and gain augmentation, but not with "
            "reverberation, codecs (GSM/Opus/MP3) or automatic gain control." + (" " + _worst_conditions(rob)
                                                                                 if rob else ""),
            "- 3 s context: the network sees 3 s. `recognize(float[])` centre-crops a longer clip; `recognize(Path)`, "
            "`analyze` and `ser analyze` take a longer file whole, as the speech-weighted mean of voice-gated 3 s "
            "windows; `stream`/`--timeline` give the windows themselves. Clips with "
            "no speech above -50 dBFS are reported as \"no speech\" by the speech gate rather than classified.",
            *_confusions(cv),
            "- Probabilities are not calibrated for populations other than the test folds (see ECE).", "",
            "## Reproduce", "",
            "```sh",
            "python3 -m venv training/.venv && training/.venv/bin/pip install -r training/requirements.txt",
            "PYTHON=training/.venv/bin/python training/run.sh      # features, CV, random split, report, final, "
            "checks, this card",
            "```", "",
            "The steps one by one, and the architecture/feature-set comparison: `training/README.md`.", ""]
    return "\n".join(x for x in out if x is not None)


def write(results: str, model_dir: str, key: str, members=(), random_of=None) -> str:
    path = os.path.join(model_dir, "MODEL_CARD.md")
    with open(path, "w") as f:
        f.write(render(results, model_dir, key, members, random_of))
    return path

