"""Keras 3 CNN (KERAS_BACKEND=torch), batch generator with SpecAugment + mixup + balanced sampling, training loop."""
from __future__ import annotations

import logging
import math
import os
import time

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402

log = logging.getLogger("training")


def set_threads(n: int = 2):
    import torch
    torch.set_num_threads(n)
    torch.set_num_interop_threads(1) if not getattr(set_threads, "_done", False) else None
    set_threads._done = True


#: The networks build_model knows. cnn4x2: two cnn4 towers averaged (a seed ensemble, see ensemble_of).
ARCHS = ("cnn4", "cnn4w", "tcnn", "cnn4x2")
WIDTHS = {"cnn4": (16, 32, 64, 128), "cnn4w": (24, 48, 96, 160)}


def build_model(input_shape, n_classes: int, arch: str = "cnn4", seed: int = 0, folded: bool = False):
    """Compact CNN. cnn4: 5x5/2 stem + 2x2 max-pool + 3 conv blocks (BatchNorm, ReLU, 2x2 max-pool), mean+max global
    pooling. cnn4w: the same, wider. tcnn: see build_tcnn. cnn4x2: two cnn4 towers on one input, probabilities
    averaged (untrained here; ensemble_of fills it with trained members). folded (cnn4 family): the inference form,
    each BatchNorm folded into its convolution's kernel and bias (see fold_batchnorm)."""
    import keras
    keras.utils.set_random_seed(seed)
    if arch == "tcnn":
        if folded:
            raise ValueError("tcnn has no folded form")
        return build_tcnn(input_shape, n_classes)
    if arch == "cnn4x2":
        return _cnn4x2(input_shape, n_classes, folded)[0]
    inp = keras.Input(input_shape, name="input")
    out = _cnn4_tower(inp, WIDTHS[arch], n_classes, "probabilities", [], folded)
    return keras.Model(inp, out, name=f"ser4j_{arch}")


def _cnn4_tower(inp, widths, n_classes: int, head_name, made: list, folded: bool = False):
    """One cnn4 network on `inp`; appends its layers that hold weights to `made`, in build order. folded: no
    BatchNorm layers, convolutions with a bias instead (the BatchNorm's affine map, fold_batchnorm)."""
    from keras import layers

    def w(layer):
        made.append(layer)
        return layer

    def conv_bn(x, width, size, strides=1):
        if folded and strides > 1:
            # Keras's "same" padding of a strided convolution (the extra row/column at the end), made static: exported
            # as "same", it becomes ~25 small shape ops that compute the padding at run time
            pads = []
            for n in x.shape[1:3]:
                total = max((-(-n // strides) - 1) * strides + size - n, 0)
                pads.append((total // 2, total - total // 2))
            x = layers.ZeroPadding2D(tuple(pads))(x)
            x = w(layers.Conv2D(width, size, strides=strides, padding="valid", use_bias=True))(x)
            return x
        x = w(layers.Conv2D(width, size, strides=strides, padding="same", use_bias=folded))(x)
        return x if folded else w(layers.BatchNormalization())(x)
    x = conv_bn(inp, widths[0], 5, 2)
    x = layers.ReLU()(x)
    x = layers.MaxPooling2D(2)(x)  # 4x4 reduction before the first 3x3 block: ~17 M MACs per 3 s clip
    for i, width in enumerate(widths[1:]):
        x = conv_bn(x, width, 3)
        x = layers.ReLU()(x)
        if i < len(widths) - 2:
            x = layers.MaxPooling2D(2)(x)
    x = layers.Concatenate()([layers.GlobalAveragePooling2D()(x), layers.GlobalMaxPooling2D()(x)])
    x = layers.Dropout(0.3)(x)
    return w(layers.Dense(n_classes, activation="softmax", name=head_name))(x)


def _cnn4x2(input_shape, n_classes: int, folded: bool = False):
    """Two cnn4 towers in one flat graph (nested keras.Models do not export to ONNX with the torch backend: "Cannot
    insert a Tensor that requires grad as a constant"). Returns the model and each tower's weighted layers."""
    import keras
    from keras import layers
    inp = keras.Input(input_shape, name="input")
    towers = [[], []]
    outs = [_cnn4_tower(inp, WIDTHS["cnn4"], n_classes, None, t, folded) for t in towers]
    return keras.Model(inp, layers.Average(name="probabilities")(outs), name="ser4j_cnn4x2"), towers


def _weighted_layers(model):
    # a cnn4 graph is one chain apart from its weightless pooling branch, so this is build order
    return [layer for layer in model.layers if layer.weights]


def ensemble_of(members, input_shape, n_classes: int, folded: bool = False):
    """A cnn4x2 network holding trained cnn4 members' weights: its output is the mean of their probabilities. The
    towers are built in the same layer order as build_model's cnn4, so weights are copied layer by layer (folded:
    with each BatchNorm folded into its convolution, fold_batchnorm)."""
    if len(members) != 2:
        raise ValueError(f"cnn4x2 averages 2 networks, got {len(members)}")
    model, towers = _cnn4x2(input_shape, n_classes, folded)
    for k, (member, tower) in enumerate(zip(members, towers)):
        _copy_weights(_weighted_layers(member), tower, folded, f"member {k}")
    return model


def fold_batchnorm(model, input_shape, n_classes: int, arch: str):
    """The inference form of a trained cnn4/cnn4w: each convolution followed by a BatchNorm becomes one convolution
    with kernel W * s and bias beta - mean * s, s = gamma / sqrt(var + eps) (computed in float64). Same function up to
    float rounding; the exported graph then has Conv -> Relu -> MaxPool chains that ONNX Runtime fuses and keeps in its
    blocked layout, instead of a Sub/Div/Mul/Add after every convolution that forces a layout reorder around it."""
    twin = build_model(input_shape, n_classes, arch, folded=True)
    _copy_weights(_weighted_layers(model), _weighted_layers(twin), True, arch)
    return twin


def _copy_weights(src, dst, folded: bool, what: str):
    from keras import layers
    values = []
    i = 0
    while i < len(src):
        layer = src[i]
        if folded and isinstance(layer, layers.Conv2D) and i + 1 < len(src) \
                and isinstance(src[i + 1], layers.BatchNormalization):
            bn = src[i + 1]
            if layer.use_bias or not (bn.scale and bn.center):
                raise ValueError(f"{what}: only bias-free convolutions before a scaled, centred BatchNorm fold")
            gamma, beta, mean, var = (np.asarray(v, np.float64) for v in bn.get_weights())
            scale = gamma / np.sqrt(var + bn.epsilon)
            kernel = np.asarray(layer.get_weights()[0], np.float64) * scale  # output channels are the last axis
            values.append([kernel.astype(np.float32), (beta - mean * scale).astype(np.float32)])
            i += 2
        else:
            values.append(layer.get_weights())
            i += 1
    if len(values) != len(dst):
        raise ValueError(f"{what} has {len(values)} layers with weights to copy, the target network {len(dst)}")
    for v, layer in zip(values, dst):
        layer.set_weights(v)


def build_tcnn(input_shape, n_classes: int):
    """The comparison architecture: 1-D convolutions over time with the 64 mel bands as channels (a time-delay
    network, no weight sharing along frequency, unlike cnn4). Width-5 stride-2 stem (128 channels), three width-3
    conv/BatchNorm/ReLU blocks (128, 192, 256) with 2x max-pool after the first two, mean+max pooling over time,
    dropout 0.3, softmax; ~318 k parameters, 1.3 MB ONNX."""
    import keras
    from keras import layers
    inp = keras.Input(input_shape, name="input")
    x = layers.Reshape((input_shape[0], input_shape[1]))(inp)
    x = layers.Permute((2, 1))(x)  # (time, mel)
    x = layers.Conv1D(128, 5, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    for i, w in enumerate((128, 192, 256)):
        x = layers.Conv1D(w, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        if i < 2:
            x = layers.MaxPooling1D(2)(x)
    x = layers.Concatenate()([layers.GlobalAveragePooling1D()(x), layers.GlobalMaxPooling1D()(x)])
    x = layers.Dropout(0.3)(x)
    out = layers.Dense(n_classes, activation="softmax", name="probabilities")(x)
    return keras.Model(inp, out, name="ser4j_tcnn")


def sampling_weights(corpus: np.ndarray, y: np.ndarray, corpus_scale: dict | None = None) -> np.ndarray:
    """Per-clip draw probability: classes balanced within each corpus, corpora weighted by sqrt(size), times
    corpus_scale[corpus] where given."""
    w = np.zeros(len(y))
    for c in np.unique(corpus):
        mc = corpus == c
        share = math.sqrt(mc.sum()) * (corpus_scale or {}).get(str(c), 1.0)
        labels = np.unique(y[mc])
        for k in labels:
            m = mc & (y == k)
            w[m] = share / len(labels) / m.sum()
    return w / w.sum()


class Batches:
    """Draws a class/corpus-balanced epoch, picks a clean or augmented version per clip, applies SpecAugment and
    mixup. `feats` is a list of arrays (versions), each (N, R, C, 1)."""

    def __init__(self, feats, idx, y, corpus, n_classes, batch_size=32, epoch_size=3000, seed=0,
                 freq_masks=2, freq_width=6, time_masks=2, time_width=20, mixup=0.25, alpha=0.2, clean_p=0.4,
                 domains=None, n_domains=0, corpus_scale=None):
        self.feats, self.idx, self.y, self.n_classes = feats, np.asarray(idx), y, n_classes
        # domains: per clip, the index of its corpus among n_domains, for the corpus adversary's targets (batch()
        # then returns them third, mixed as the labels are); None: no third array, and the same random draws
        self.domains, self.n_domains = domains, n_domains
        self.p = sampling_weights(corpus[self.idx], y[self.idx], corpus_scale)
        self.bs, self.steps = batch_size, max(1, epoch_size // batch_size)
        self.rng = np.random.default_rng(seed)
        self.fm, self.fw, self.tm, self.tw = freq_masks, freq_width, time_masks, time_width
        self.mixup, self.alpha, self.clean_p = mixup, alpha, clean_p

    def __len__(self):
        return self.steps

    def batch(self):
        rng = self.rng
        sel = rng.choice(self.idx, size=self.bs, p=self.p)
        nver = len(self.feats)
        ver = np.where(rng.random(self.bs) < self.clean_p, 0, rng.integers(1, max(2, nver), self.bs)) \
            if nver > 1 else np.zeros(self.bs, int)
        x = np.stack([self.feats[v][i] for v, i in zip(ver, sel)]).astype(np.float32)
        t = np.eye(self.n_classes, dtype=np.float32)[self.y[sel]]
        d = None if self.domains is None else np.eye(self.n_domains, dtype=np.float32)[self.domains[sel]]
        R, C = x.shape[1], x.shape[2]
        for b in range(self.bs):  # SpecAugment: masks set to 0 = the utterance mean after z-scoring
            for _ in range(self.fm):
                w = rng.integers(0, self.fw + 1)
                f0 = rng.integers(0, R - w + 1)
                x[b, f0:f0 + w] = 0.0
            for _ in range(self.tm):
                w = rng.integers(0, self.tw + 1)
                t0 = rng.integers(0, C - w + 1)
                x[b, :, t0:t0 + w] = 0.0
        if rng.random() < self.mixup:
            lam = rng.beta(self.alpha, self.alpha, self.bs).astype(np.float32)
            lam = np.maximum(lam, 1 - lam)
            perm = rng.permutation(self.bs)
            x = lam[:, None, None, None] * x + (1 - lam[:, None, None, None]) * x[perm]
            t = lam[:, None] * t + (1 - lam[:, None]) * t[perm]
            if d is not None:
                d = lam[:, None] * d + (1 - lam[:, None]) * d[perm]
        return (x, t) if d is None else (x, t, d)


def _gradient_reversal():
    """A layer that passes its input on unchanged and multiplies the gradient flowing back by -strength (a
    non-trainable weight, set per epoch): the corpus adversary's head learns to tell corpora apart while the network
    below it learns to make them indistinguishable (domain-adversarial training, Ganin & Lempitsky 2015)."""
    import keras
    from keras import ops

    class GradientReversal(keras.layers.Layer):
        def build(self, input_shape):
            self.strength = self.add_weight(shape=(), initializer="zeros", trainable=False, name="strength")

        def call(self, x):
            return ops.stop_gradient(x) * (1.0 + self.strength) - x * self.strength

    return GradientReversal(name="gradient_reversal")


def pooled_embedding(model):
    """The output of a cnn4-family network's pooling (mean and max pooling concatenated), below its classifier."""
    from keras import layers
    pooled = [layer for layer in model.layers if isinstance(layer, layers.Concatenate)]
    if len(pooled) != 1:
        raise ValueError(f"one pooled embedding (cnn4, cnn4w) expected, not in {model.name}")
    return pooled[0].output


def with_corpus_adversary(model, n_domains: int):
    """(training model, reversal layer): `model` (cnn4 family) plus a head that predicts the training clip's corpus
    from the pooled embedding through a gradient reversal. The model itself keeps its one output and shares every
    weight with the training model, so it is what gets scored and exported."""
    import keras
    from keras import layers
    reversal = _gradient_reversal()
    h = reversal(pooled_embedding(model))
    h = layers.Dense(64, activation="relu", name="corpus_hidden")(h)
    out = layers.Dense(n_domains, activation="softmax", name="corpus")(h)
    return keras.Model(model.input, {"probabilities": model.output, "corpus": out},
                       name=model.name + "_adversarial"), reversal


def adversary_strength(progress: float, max_strength: float) -> float:
    """The reversal strength at a point (0..1) of training: 0 at the start, rising to max_strength (DANN schedule,
    2 / (1 + exp(-10 p)) - 1), so that the emotion head learns first."""
    return max_strength * (2.0 / (1.0 + math.exp(-10.0 * progress)) - 1.0)


def predict(model, x, batch_size=256):
    import keras
    out = []
    for s in range(0, len(x), batch_size):
        out.append(keras.ops.convert_to_numpy(model(x[s:s + batch_size], training=False)))
    return np.concatenate(out) if out else np.zeros((0, model.output_shape[-1]), np.float32)


def uar(y, pred, n_classes):
    rec = [np.mean(pred[y == k] == k) for k in range(n_classes) if np.any(y == k)]
    return float(np.mean(rec)) if rec else float("nan")


def train(feats, train_idx, y, corpus, n_classes, arch="cnn4", epochs=12, val_idx=None, patience=4,
          seed=0, lr=2e-3, epoch_size=3000, log_prefix="", ckpt=None, snapshots=None, swa_epochs=0, adversary=0.0,
          corpus_scale=None):
    """Trains one model. With val_idx: keeps the weights of the epoch with the best validation UAR (mean over
    corpora) and stops after `patience` epochs without improvement. Returns (model, history).

    With a dict `snapshots`, also fills in other weights of the same run, for comparison: "last" (the last epoch's,
    what `final` keeps) and, with swa_epochs > 0, "swa" (the mean of the epoch-end weights of the last swa_epochs
    epochs, BatchNorm statistics included, as stochastic weight averaging). Reading the weights draws no random
    numbers, so the training itself is the same with or without them.

    adversary > 0: a corpus adversary (with_corpus_adversary) trains alongside, its gradient reversed with a strength
    rising to `adversary` (adversary_strength); the returned model is the emotion network alone. corpus_scale:
    {corpus: factor} on the corpora's draw shares (sampling_weights)."""
    import keras
    import torch
    model = build_model(feats[0].shape[1:], n_classes, arch, seed)
    net, reversal, domains, n_domains = model, None, None, 0
    if adversary > 0:
        names = np.unique(corpus[train_idx])
        n_domains = len(names)
        domains = np.searchsorted(names, corpus).clip(0, n_domains - 1)  # clips outside train_idx are never drawn
        net, reversal = with_corpus_adversary(model, n_domains)
    gen = Batches(feats, train_idx, y, corpus, n_classes, epoch_size=epoch_size, seed=seed, domains=domains,
                  n_domains=n_domains, corpus_scale=corpus_scale)
    total = epochs * len(gen)
    sched = keras.optimizers.schedules.CosineDecay(lr, decay_steps=total, warmup_target=None, alpha=0.02)
    opt = keras.optimizers.AdamW(learning_rate=sched, weight_decay=1e-4)
    if reversal is None:
        model.compile(optimizer=opt, loss=keras.losses.CategoricalCrossentropy())
    else:
        net.compile(optimizer=opt, loss={"probabilities": keras.losses.CategoricalCrossentropy(),
                                         "corpus": keras.losses.CategoricalCrossentropy()})
    hist, best, best_w, wait = [], -1.0, None, 0
    swa_sum, swa_n = None, 0
    for ep in range(epochs):
        t0 = time.time()
        losses = []
        if reversal is not None:
            reversal.strength.assign(adversary_strength(ep / max(1, epochs - 1), adversary))
        for _ in range(len(gen)):
            if reversal is None:
                xb, tb = gen.batch()
                losses.append(float(model.train_on_batch(xb, tb)))
            else:
                xb, tb, db = gen.batch()
                logs = net.train_on_batch(xb, {"probabilities": tb, "corpus": db}, return_dict=True)
                losses.append((float(logs["probabilities_loss"]), float(logs["corpus_loss"])))
        # "loss" is the emotion loss in every run, so that histories compare; the adversary's apart
        mean = np.mean(np.asarray(losses), axis=0).ravel()
        rec = {"epoch": ep + 1, "loss": float(mean[0]), "seconds": round(time.time() - t0, 1)}
        if reversal is not None:
            rec["corpus_loss"] = float(mean[1])
            rec["adversary_strength"] = float(reversal.strength.numpy())
        if val_idx is not None and len(val_idx):
            pv = predict(model, feats[0][val_idx]).argmax(1)
            per = [uar(y[val_idx][corpus[val_idx] == c], pv[corpus[val_idx] == c], n_classes)
                   for c in np.unique(corpus[val_idx])]
            rec["val_uar"] = float(np.mean(per))
            if rec["val_uar"] > best:
                best, best_w, wait = rec["val_uar"], [w.copy() for w in model.get_weights()], 0
                rec["best"] = True
            else:
                wait += 1
        if swa_epochs > 0 and ep >= epochs - swa_epochs:
            w = model.get_weights()
            swa_sum = [x.astype(np.float64) for x in w] if swa_sum is None else [a + b for a, b in zip(swa_sum, w)]
            swa_n += 1
        hist.append(rec)
        log.info("%sepoch %d/%d loss %.4f%s%s (%.0fs)", log_prefix, ep + 1, epochs, rec["loss"],
                 f" val_uar {rec['val_uar']:.3f}" if "val_uar" in rec else "",
                 f" (corpus {rec['corpus_loss']:.4f}, reversal {rec['adversary_strength']:.2f})"
                 if "corpus_loss" in rec else "", rec["seconds"])
        if ckpt:
            model.save_weights(ckpt)
        if val_idx is not None and wait >= patience:
            log.info("%searly stop at epoch %d (best val_uar %.3f)", log_prefix, ep + 1, best)
            break
    if snapshots is not None:
        w = model.get_weights()
        snapshots["last"] = [x.copy() for x in w]
        if swa_n:
            snapshots["swa"] = [(a / swa_n).astype(x.dtype) for a, x in zip(swa_sum, w)]
    if best_w is not None:
        model.set_weights(best_w)
    del torch
    return model, hist
