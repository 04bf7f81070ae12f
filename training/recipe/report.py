"""`report`: per run, protocol, corpus and fold the metrics, confusion matrices and calibration, from the committed
fold outputs -> results/ and the results table of training/README.md."""
from __future__ import annotations

import glob
import json
import os

import numpy as np

from .. import data
from .common import HERE, OUTPUTS, RESULTS, log


def _agg(vals):
    v = np.array(vals, float)
    return {"mean": float(v.mean()), "std": float(v.std()), "folds": [round(x, 4) for x in v.tolist()]}


def _per_speaker(ds, idx, probs):
    """Per test speaker (each is in one fold): UAR, each class's recall and the class it is most often taken for.
    A class that fails for different reasons on different voices shows here, not in the pooled confusion matrix."""
    from .. import metrics as MT
    out = {}
    for spk in sorted(set(ds.speaker[idx])):
        m = ds.speaker[idx] == spk
        ev = MT.evaluate(probs[m], ds.y[idx][m], data.LABELS)
        recall, confused = {}, {}
        for label, pc in ev["per_class"].items():
            recall[label] = round(pc["recall"], 4)
            k = data.LABELS.index(label)
            wrong = np.array(ev["confusion"][k])
            wrong[k] = 0
            if wrong.any():
                confused[label] = [data.LABELS[int(wrong.argmax())], round(float(wrong.max() / pc["support"]), 4)]
        out[str(spk)] = {"n": ev["n"], "uar": round(ev["uar"], 4), "recall": recall, "confused_with": confused}
    return out


def cmd_report(a):
    from .. import metrics as MT
    ds = data.load_manifest()
    os.makedirs(RESULTS, exist_ok=True)
    summary_path = os.path.join(RESULTS, "summary.json")
    previous = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    summary = {}
    for run in sorted(glob.glob(os.path.join(OUTPUTS, "*"))):
        key = os.path.basename(run)
        for protocol in ("cv", "random"):
            files = sorted(f for f in glob.glob(os.path.join(run, protocol, "*.npz")) if ".part." not in f)
            if not files:
                continue
            kept = previous.get(key, {}).get(protocol)
            if kept and len(kept["folds"]) > len(files):
                log.warning("report %s %s: outputs of %d fold(s) on disk, summary.json has %d: kept that",
                            key, protocol, len(files), len(kept["folds"]))
                continue
            per_fold = {}
            subsets = data.CORPORA + ["ravdess_without_calm", "all"]
            pooled = {c: ([], [], [], []) for c in subsets}
            for fpath in files:
                z = np.load(fpath)
                idx, probs = z["idx"], z["probs"]
                name = os.path.basename(fpath)[:-4]
                per_fold[name] = {"seconds": float(z["seconds"]), "epochs": json.loads(str(z["hist"]))}
                temp = None
                if "val_probs" in z.files and len(z["val_idx"]):  # fitted on validation speakers only
                    temp = MT.fit_temperature(z["val_probs"], ds.y[z["val_idx"]])
                    per_fold[name]["temperature"] = temp
                for c in subsets:
                    if c == "all":
                        m = np.ones(len(idx), bool)
                    elif c == "ravdess_without_calm":  # calm clips are scored as neutral elsewhere
                        m = (ds.corpus[idx] == "ravdess") & (ds.orig_label[idx] != "calm")
                    else:
                        m = ds.corpus[idx] == c
                    if not m.any():
                        continue
                    per_fold[name][c] = MT.evaluate(probs[m], ds.y[idx][m], data.LABELS)
                    pooled[c][0].append(probs[m])
                    pooled[c][1].append(ds.y[idx][m])
                    pooled[c][3].append(idx[m])
                    if temp is not None:
                        scaled = MT.with_temperature(probs[m], temp)
                        per_fold[name][c]["ece_t"] = MT.ece(scaled, ds.y[idx][m])
                        pooled[c][2].append(scaled)
            per_corpus = {}
            for c in subsets:
                folds = [f[c] for f in per_fold.values() if c in f]
                if not folds:
                    continue
                agg = {k: _agg([f[k] for f in folds]) for k in ("uar", "accuracy", "macro_f1", "ece")}
                pm = MT.evaluate(np.concatenate(pooled[c][0]), np.concatenate(pooled[c][1]), data.LABELS)
                agg["pooled"] = {k: pm[k] for k in ("n", "uar", "accuracy", "macro_f1", "ece", "per_class",
                                                     "confusion")}
                if all("ece_t" in f for f in folds):
                    agg["ece_t"] = _agg([f["ece_t"] for f in folds])
                    agg["pooled"]["ece_t"] = MT.ece(np.concatenate(pooled[c][2]), np.concatenate(pooled[c][1]))
                agg["n_folds"] = len(folds)
                if protocol == "cv" and c in data.CORPORA:
                    agg["per_speaker"] = _per_speaker(ds, np.concatenate(pooled[c][3]),
                                                      np.concatenate(pooled[c][0]))
                per_corpus[c] = agg
                title = f"{key} {protocol} {c}: UAR {pm['uar']:.3f} (pooled over {len(folds)} fold(s))"
                MT.plot_confusion(pm["confusion"], data.LABELS, title,
                                  os.path.join(RESULTS, f"confusion_{key}_{protocol}_{c}.png"))
            summary.setdefault(key, {})[protocol] = {"folds": sorted(per_fold), "per_corpus": per_corpus}
            temps = [f["temperature"] for f in per_fold.values() if "temperature" in f]
            if temps and len(temps) == len(per_fold):
                summary[key][protocol]["temperature"] = {"median": float(np.median(temps)),
                                                         "folds": [round(t, 4) for t in temps]}
            with open(os.path.join(RESULTS, f"folds_{key}_{protocol}.json"), "w") as f:
                json.dump(per_fold, f, indent=1)
    # runs whose outputs are not in OUTPUTS (made before outputs were committed) keep their summary entries
    for key, protocols in previous.items():
        for protocol, entry in protocols.items():
            if protocol not in summary.get(key, {}):
                summary.setdefault(key, {})[protocol] = entry
    summary = {k: {p: summary[k][p] for p in ("cv", "random") if p in summary[k]} for k in sorted(summary)}
    with open(summary_path, "w") as f:
        json.dump(summary, f, indent=1)
    lines = ["| run | protocol | folds | corpus | UAR | accuracy | macro-F1 | ECE | ECE (T) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, s in summary.items():
        for protocol, r in s.items():
            for c, m in r["per_corpus"].items():
                lines.append(f"| {key} | {protocol} | {','.join(f[-1] for f in r['folds'])} | {c} | "
                             + " | ".join(f"{m[k]['mean']*100:.1f} ± {m[k]['std']*100:.1f}" if k != "ece" else
                                          f"{m[k]['mean']:.3f}" for k in ("uar", "accuracy", "macro_f1", "ece"))
                             + (f" | {m['ece_t']['mean']:.3f} |" if "ece_t" in m else " | — |"))
    lines += _common_fold_comparison(summary)
    table = "\n".join(lines)
    with open(os.path.join(RESULTS, "table.md"), "w") as f:
        f.write(table + "\n")
    _update_readme(table)
    print(table)


def _common_fold_comparison(summary):
    """Rows comparing the CV runs on the folds they all have (runs with fewer folds would otherwise be compared with
    means over different speakers)."""
    runs = {k: json.load(open(os.path.join(RESULTS, f"folds_{k}_cv.json"))) for k, s in summary.items() if "cv" in s}
    if len(runs) < 2:
        return []
    common = sorted(set.intersection(*[set(v) for v in runs.values()]))
    if not common:
        return []
    out = ["", f"Comparison on the folds every CV run has ({', '.join(f[-1] for f in common)}):", "",
           "| run | corpus | UAR | accuracy | macro-F1 | ECE | ECE (T) |", "|---|---|---|---|---|---|---|"]
    for key, folds in runs.items():
        for c in data.CORPORA + ["all"]:
            vals = [folds[f][c] for f in common if c in folds[f]]
            if len(vals) != len(common):
                continue
            agg = {k: _agg([v[k] for v in vals]) for k in ("uar", "accuracy", "macro_f1", "ece")}
            ece_t = [v["ece_t"] for v in vals if "ece_t" in v]
            out.append(f"| {key} | {c} | " + " | ".join(
                f"{agg[k]['mean'] * 100:.1f} ± {agg[k]['std'] * 100:.1f}" if k != "ece" else f"{agg[k]['mean']:.3f}"
                for k in ("uar", "accuracy", "macro_f1", "ece"))
                + (f" | {np.mean(ece_t):.3f} |" if len(ece_t) == len(vals) else " | — |"))
    return out


def _update_readme(table):
    """Replaces the results block of training/README.md with the table just computed."""
    path = os.path.join(HERE, "README.md")
    text = open(path).read()
    begin, end = text.find("<!-- results:begin"), text.find("<!-- results:end -->")
    if begin < 0 or end < 0:
        log.warning("no results markers in %s: table not inserted", path)
        return
    begin = text.index("\n", begin) + 1
    note = ("UAR / accuracy / macro-F1 in %, mean ± std over the folds that contain the corpus; ECE = expected "
            "calibration error (mean), ECE (T) = the same after temperature scaling fitted on each fold's validation "
            "speakers (runs that kept their validation outputs). `cv` = speaker-independent folds, `random` = the "
            "80/20 split with shared speakers. Run names: `<feature backend>_<feature set>_<architecture>[-<tag>]` "
            "(e50: 50 epochs, 2 augmented copies; e50a4: 50 epochs, 4 copies; e50a8: 50 epochs, 8 copies; "
            "e50a4s1: e50a4 with other training seeds (`--seed 1`); e80a4: 80 epochs, 4 copies; e80a4r: e80a4 run again "
            "on another machine, with outputs kept; no tag: 30 epochs, 2 copies). A run scores the weights of its "
            "best validation epoch; `<run>.last` the same training's last epoch, `<run>.swa` the mean of its last "
            "20 epochs' weights. `cnn4-e80a4r.swa` is the shipped model 1.5.0 (1.4.0: the last epoch of a `cnn4-e80a4` "
            "final training); `cnn4x2-e50a4` is the mean of `cnn4-e50a4` and `cnn4-e50a4s1` (`ensemble`), model "
            "1.3.0.\n\n")
    with open(path, "w") as f:
        f.write(text[:begin] + note + table + "\n" + text[end:])
