# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · GANomaly, trained and scored correctly
#
# *ganad — unsupervised anomaly detection with GANs.* AnoGAN (notebook 03) searches the latent space
# for every test image; EGBAD (notebook 04) learns an encoder with a BiGAN. **GANomaly**
# ([Akçay et al. 2018](https://arxiv.org/abs/1805.06725)) changes the architecture itself: an
# autoencoder followed by a *second* encoder, trained with three losses at once, and an anomaly score
# that lives in the latent space. Its official code keeps the epoch with the best *test* AUROC, scores the
# test images in training mode and normalises the scores with the test set's own minimum and maximum
# ([`docs/references.md`](../docs/references.md), section 4). This notebook builds it, trains it, and
# measures what the first two of these do to the numbers.
#
# **Learning objectives.** After this notebook you can
#
# 1. draw GANomaly's four networks and say what each of its three generator losses compares;
# 2. write each loss and the anomaly score in one line of PyTorch, from the paper's equations (as its code computes them);
# 3. train GANomaly with the course's training loop and choose the epoch on validation data only;
# 4. read reconstructions, score histograms and a ROC curve, and pick a threshold without test labels;
# 5. measure why scoring in training mode and picking the epoch by test AUROC give wrong numbers.

# %%
import copy
import time

from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from IPython.display import Markdown, display
from scipy import stats
from sklearn.metrics import roc_auc_score, roc_curve
from tqdm.auto import tqdm

import ganad_lib
from ganad_lib import data, diagrams, exercises, ganomaly, metrics, nets, plotting, protocols, widgets
from ganad_lib.ganomaly import GANomaly

P, DEVICE = ganad_lib.setup_notebook(seed=0)
S = ganomaly.settings(P)  # the profile's sizes plus GANomaly's own settings for this profile
print(S)

# %% [markdown]
# ## 1 · The architecture
#
# GANomaly's generator $G = G_D \circ G_E$ is an autoencoder, followed by a second encoder. The encoder
# $G_E$ compresses an image $x$ to a latent code $z$; the decoder $G_D$ turns $z$ back into an image
# $\hat{x} = G(x)$; the second encoder $E$ compresses the reconstruction to $\hat{z}$ (the official code
# keeps $E$ inside the same module as $G$). A discriminator $D$ sees real images and
# reconstructions; GANomaly uses its intermediate features $f$ rather than its verdict to train $G$.

# %%
diagrams.draw_architecture("ganomaly")
plt.show()

# %% [markdown]
# Why a second encoder? Trained on normal images only, $G$ learns to reconstruct *normal* images, and
# $E$ learns to encode those reconstructions exactly as $G_E$ encodes their inputs. Given an anomaly —
# a bag, when only clothes and shoes were seen — the decoder can only produce something normal-looking,
# and its code $\hat{z}$ no longer matches $z$. The distance between the two codes is the anomaly score.
#
# All four networks are the DCGAN-style networks of `ganad_lib.nets` (strided convolutions, batch
# norm, LeakyReLU). Their sizes at the original's settings (latent size 100, base width 64, 32 × 32
# images, as in the authors' `options.py`):

# %%
# NBVAL_CHECK_OUTPUT
original = ganomaly.GANomalyNets(image_size=32, channels=1, nz=100, width=64)
for name in ("G_E", "G_D", "E", "D"):
    print(f"{name:4s} {nets.count_parameters(getattr(original, name)):>10,d} parameters")

# %% [markdown]
# This run's latent size and base width come from the profile (printed in the first cell, `nz` and
# `width`; the paper's networks have width 64). The data are
# Fashion-MNIST under the "one class anomalous" protocol of the GANomaly paper: **bags (class 8) are
# the anomaly**, the nine other classes are normal; training and validation images are normal only.

# %%
ds = data.load_dataset("fashion_mnist")
BAG = 8
split = protocols.make_split("one_class_anomalous", ds, BAG, seed=0, profile=P)
print(split.summary())
x_train, x_val, x_test = ds.images[split.train], ds.images[split.val], ds.images[split.test]
y_test = split.test_is_anomaly

# %% [markdown]
# ## 2 · The losses, one line each
#
# One forward pass through freshly initialised networks gives every quantity the losses need.

# %%
torch.manual_seed(0)
g = ganomaly.GANomalyNets(S["image_size"], 1, S["nz"], S["width"]).to(DEVICE)
x = data.to_tensor(x_train[:32], S["image_size"]).to(DEVICE)   # 32 normal images in [-1, 1]

z = g.G_E(x)                                  # z     = G_E(x)
x_hat = g.G_D(z)                              # x_hat = G(x) = G_D(G_E(x))
z_hat = g.E(x_hat)                            # z_hat = E(G(x))
d_real, f_real = g.D(x, features=True)        # D's logit and features f(x)
d_fake, f_fake = g.D(x_hat, features=True)    # ... of the reconstruction: f(G(x))
print(f"x {tuple(x.shape)}  z {tuple(z.shape)}  x_hat {tuple(x_hat.shape)}  f(x) {tuple(f_real.shape)}")

# %% [markdown]
# **Contextual loss** — the reconstruction must look like its input, pixel by pixel:
#
# $$\mathcal{L}_{con} = \mathbb{E}_{x \sim p_X} \|x - G(x)\|_1$$

# %%
L_con = (x - x_hat).abs().mean()

# %% [markdown]
# **Encoder loss** — the second encoder must encode the reconstruction as $G_E$ encoded the input. As the
# authors' code computes it, the mean of the squared differences over the $d$ latent dimensions and the
# batch (the paper prints the norm $\lVert\cdot\rVert_2$):
#
# $$\mathcal{L}_{enc} = \mathbb{E}_{x \sim p_X} \tfrac{1}{d} \lVert G_E(x) - E(G(x)) \rVert_2^2$$

# %%
L_enc = ((z - z_hat) ** 2).mean()

# %% [markdown]
# **Adversarial loss** by feature matching — the reconstruction must look real *to $D$'s features*
# $f$ (an inner layer of $D$, with $m$ values per image). As the authors' code computes it, each image's
# features are matched with those of its *own* reconstruction, by the mean of squared differences:
#
# $$\mathcal{L}_{adv} = \mathbb{E}_{x \sim p_X} \tfrac{1}{m} \lVert f(x) - f(G(x)) \rVert_2^2$$
#
# (The paper prints $\mathbb{E}_{x} \lVert f(x) - \mathbb{E}_{x} f(G(x)) \rVert_2$, matching each image with the
# *batch mean* of the reconstructions' features.) **Notation warning:** the losses are means, not sums —
# $\mathcal{L}_{con}$ a mean over 1,024 pixels, $\mathcal{L}_{enc}$ one over 100 latent dimensions — and the
# weights $w_{con} = 50$, $w_{adv} = w_{enc} = 1$ were chosen with the code's means; with sums the same
# weights would balance the terms quite differently. $f(x)$ is a fixed target for $G$, so it is detached.

# %%
L_adv = ((f_real.detach() - f_fake) ** 2).mean()

# %% [markdown]
# **The generator's objective** weighs the three; the official code's weights are $w_{adv} = 1$,
# $w_{con} = 50$, $w_{enc} = 1$ — reconstruction dominates:
#
# $$\mathcal{L} = w_{adv}\mathcal{L}_{adv} + w_{con}\mathcal{L}_{con} + w_{enc}\mathcal{L}_{enc}$$

# %%
L = 1.0 * L_adv + 50.0 * L_con + 1.0 * L_enc

# %% [markdown]
# **The discriminator** is a plain real/fake classifier trained with binary cross-entropy: real images
# labelled 1, reconstructions 0, with $D(x) = \sigma(\text{logit})$. We compute it from the logits, so that
# a confident $D$ gives a large finite loss instead of $\log 0$:
#
# $$\mathcal{L}_D = -\tfrac{1}{2}\left(\mathbb{E}_x \log D(x) + \mathbb{E}_x \log\bigl(1 - D(G(x))\bigr)\right)$$

# %%
L_D = 0.5 * (F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real))
             + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake)))

# %% [markdown]
# **The anomaly score** is the encoder loss of a single image — one number per image, computed from
# that image alone, as the authors' code computes it:
#
# $$A(x) = \tfrac{1}{d} \lVert G_E(x) - E(G(x)) \rVert_2^2$$
#
# The paper prints the L1 norm here, $\lVert G_E(x) - E(G(x)) \rVert_1$; its code takes the mean of squared
# differences, and the course follows the code. The two can rank images differently (Exercise 1 asks
# how), so a reimplementation must say which one it uses.

# %%
A = ((z - z_hat) ** 2).mean(dim=1)

# %% [markdown]
# The library computes exactly these lines (`ganad_lib.ganomaly`, one function per equation):

# %%
# NBVAL_CHECK_OUTPUT
assert torch.allclose(L_con, ganomaly.contextual_loss(x, x_hat))
assert torch.allclose(L_enc, ganomaly.encoder_loss(z, z_hat))
assert torch.allclose(L_adv, ganomaly.adversarial_loss(f_real.detach(), f_fake))
assert torch.allclose(L, ganomaly.generator_loss(L_adv, L_con, L_enc, w_adv=1, w_con=50, w_enc=1))
assert torch.allclose(L_D, ganomaly.discriminator_loss(d_real, d_fake))
assert torch.allclose(A, ganomaly.latent_score(z, z_hat))
print("the lines above and ganad_lib.ganomaly agree")


# %% [markdown]
# ## 3 · One training step
#
# Each step first updates the generator side ($G_E$, $G_D$ and $E$, with one optimiser) on $\mathcal{L}$,
# then the discriminator on $\mathcal{L}_D$ — the order of the authors' `optimize_params`. When $D$ wins
# outright ($\mathcal{L}_D < 10^{-5}$), the original code re-initialises it — the authors' heuristic, given
# without a reason in the paper (with the feature-matching $\mathcal{L}_{adv}$, $G$ learns from $D$'s
# features, not from its verdict, so a winning $D$ does not simply starve $G$); we keep it (an option, on
# by default).

# %%
def train_step(g, opt_G, opt_D, x, w_adv=1.0, w_con=50.0, w_enc=1.0):
    z = g.G_E(x)
    x_hat = g.G_D(z)
    z_hat = g.E(x_hat)
    d_real, f_real = g.D(x, features=True)
    _, f_fake = g.D(x_hat, features=True)
    # 1. the generator descends L = w_adv L_adv + w_con L_con + w_enc L_enc
    L = (w_adv * ((f_real.detach() - f_fake) ** 2).mean()
         + w_con * (x - x_hat).abs().mean()
         + w_enc * ((z - z_hat) ** 2).mean())
    opt_G.zero_grad()
    L.backward()   # also fills D's gradients (L_adv runs through D); opt_D.zero_grad() below clears them
    opt_G.step()
    # 2. the discriminator descends its cross-entropy (reconstructions detached from G)
    d_fake = g.D(x_hat.detach())
    L_D = 0.5 * (F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real))
                 + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake)))
    opt_D.zero_grad()
    L_D.backward()
    opt_D.step()
    # 3. D has won: start it afresh
    if L_D.item() < 1e-5:
        g.D.apply(nets.init_weights)
    return L.item(), L_D.item()


# %% [markdown]
# The library's `GANomalyTrainer.train_step` is the step the training loop calls. Run both on two
# identical copies of the networks: same losses, same weights afterwards.

# %%
# NBVAL_CHECK_OUTPUT
ours, lib = copy.deepcopy(g).train(), copy.deepcopy(g).train()
adam = dict(lr=S["lr"], betas=(0.5, 0.999))
opt_G = torch.optim.Adam([p for m in (ours.G_E, ours.G_D, ours.E) for p in m.parameters()], **adam)
opt_D = torch.optim.Adam(ours.D.parameters(), **adam)
trainer = ganomaly.GANomalyTrainer(lib, **adam)
L_ours, L_D_ours = train_step(ours, opt_G, opt_D, x)
out = trainer.train_step(x)
assert np.isclose(L_ours, out["loss_G"]) and np.isclose(L_D_ours, out["loss_D"])
for (k, a), b in zip(ours.state_dict().items(), lib.state_dict().values()):
    assert torch.allclose(a, b, atol=1e-6), k
print("one step: same losses and same weights")

# %% [markdown]
# ## 4 · Training, with the epoch chosen on validation data
#
# `GANomaly` (a `ganad_lib.detector.Detector`) runs this step in the course's training loop (seeded
# shuffling, progress bar, loss history). After each epoch it computes $\mathcal{L}_{con}$ on the
# **normal validation images** and keeps the weights of the epoch where it is lowest. The authors'
# code instead keeps the epoch with the best *test* AUROC (section 7 measures what that does). Note that
# $\mathcal{L}_{con}$ measures reconstruction, not the latent score that detects: the rule picks the
# model that reconstructs normal images best, which need not be the one that ranks anomalies best — and
# while $\mathcal{L}_{con}$ still falls, it simply keeps the last epoch.
#
# To make that measurement possible we also record the test AUROC after every epoch through the
# detector's `monitor` hook. It is written to the history and nothing else: it chooses nothing.

# %%
det = GANomaly.from_profile(P, seed=0, device=DEVICE)
x_test_prepared = det.prepare(x_test)

def watch_test_auroc(d, epoch):
    # for section 7 only: recorded, never used to choose anything
    return {"test_auroc": roc_auc_score(y_test, d.anomaly_score(x_test_prepared))}

det.monitor = watch_test_auroc
t0 = time.perf_counter()
det.fit(x_train, x_val)
train_seconds = time.perf_counter() - t0
print(f"{S['epochs']} epochs in {train_seconds:.0f} s; kept epoch {det.best_epoch_} "
      f"(lowest validation L_con); D re-initialised {det.d_reinits_} times")

# %%
ep = det.history.series("epoch", per="epoch")
fig, axes = plt.subplots(1, 3, figsize=(13, 3.2))
plotting.plot_losses(det.history, ["L_con", "L_enc", "L_adv"], ax=axes[0], smooth=10)
axes[0].set_yscale("log")
axes[0].set_ylabel("loss (log scale)")
axes[0].legend(["$\\mathcal{L}_{con}$", "$\\mathcal{L}_{enc}$", "$\\mathcal{L}_{adv}$"], frameon=False, fontsize=9,
               loc="upper right", ncol=3)
axes[0].set_title("generator losses (moving average)")
plotting.plot_losses(det.history, ["loss_D"], ax=axes[1], smooth=10)
axes[1].set_title("discriminator loss $\\mathcal{L}_D$")
axes[2].plot(ep, det.history.series("val_L_con", per="epoch"), "o-", label="validation $\\mathcal{L}_{con}$")
axes[2].axvline(det.best_epoch_, color="tab:green", ls="--", label="kept epoch")
axes[2].set_xlabel("epoch")
axes[2].legend(frameon=False)
axes[2].set_title("model selection on normal images")
plt.tight_layout()
plt.show()
val_curve = det.history.series("val_L_con", per="epoch")
display(Markdown(
    f"**What the validation rule did:** it kept epoch {det.best_epoch_} of {len(ep)}"
    + (": validation $\\mathcal{L}_{con}$ was still falling at the end of this budget, so a longer run could "
       "still improve the reconstructions" if det.best_epoch_ == len(ep) else
       f": validation $\\mathcal{{L}}_{{con}}$ was {val_curve[-1] / min(val_curve):.2f} times its lowest value by the "
       "last epoch, so the later weights were not kept")
    + f". $D$ was re-initialised {det.d_reinits_} time{'s' if det.d_reinits_ != 1 else ''} during training."))

# %% [markdown]
# $\mathcal{L}_{con}$ (weighted 50) drives training. $\mathcal{L}_{enc}$ drops fast early on, because $G_E$
# and $E$ are trained together and the code $z$ is not detached: the two encoders can, for example,
# shrink and align their codes together (not measured here). The scale of $A(x)$ is therefore arbitrary, which is one reason the threshold is
# read from validation scores rather than fixed in advance. $\mathcal{L}_{adv}$ follows $D$,
# whose loss is low most of the time — telling a real image from its slightly blurry reconstruction is
# easy — with a few spikes where the generator briefly fools it (most of them coincide with a drop of
# $\mathcal{L}_{adv}$). $D$ never enters the score. The line under the figure says which epoch the
# validation rule kept, and why.
#
# ## 5 · Reconstructions and scores
#
# Rows: normal test images, their reconstructions $G(x)$, bags, their reconstructions; the anomaly
# scores $A(x)$ of the same images are printed above the figure.

# %%
n_show = 8
idx = np.r_[np.flatnonzero(~y_test)[:n_show], np.flatnonzero(y_test)[:n_show]]
out = det.forward(x_test[idx])
show_scores = det.anomaly_score(x_test[idx])
x_show = det.prepare(x_test[idx])
rows = torch.cat([x_show[:n_show], out["x_hat"][:n_show], x_show[n_show:], out["x_hat"][n_show:]])
ax = plotting.show_images(rows, nrow=n_show)
ax.set_title("normal x / G(x) (top two rows) · bag x / G(x) (bottom two rows)")
fig = ax.figure
fig.set_size_inches(9, 5)
print("scores, normal:", " ".join(f"{v:.3g}" for v in show_scores[:n_show]))
print("scores, bags:  ", " ".join(f"{v:.3g}" for v in show_scores[n_show:]))
plt.show()

# %% [markdown]
# The decoder has only learnt clothes and shoes: a bag comes back as something between a bag and a
# top, and the second encoder notices. Now every test image, and the threshold: the 95th percentile of
# the *validation* scores (normal images only), aiming at about 5 % of normal images flagged. The rate
# measured on the test images is printed below, beside the standard error of a percentile estimated from
# this many validation images: compare the gap between the rate and 5 % with that standard error (a gap
# of one or two standard errors is chance, not a flaw).

# %%
s_val = det.anomaly_score(x_val)
s_test = det.anomaly_score(x_test)
res = metrics.evaluate(s_test, y_test, s_val)
print({k: round(v, 3) for k, v in res.items()})

fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
bins = np.geomspace(s_test.min(), s_test.max(), 50)
axes[0].hist(s_test[~y_test], bins, alpha=0.6, label="normal test images")
axes[0].hist(s_test[y_test], bins, alpha=0.6, label="bags (anomalies)", color="tab:red")
axes[0].axvline(res["threshold"], color="k", ls="--", label="threshold (95th pct. of validation)")
axes[0].set_xscale("log")
axes[0].set_xlabel("latent distance $A(x)$ (log scale)")
axes[0].set_ylabel("number of test images")
axes[0].legend(frameon=False, fontsize=8)
fpr, tpr, _ = roc_curve(y_test, s_test)
axes[1].plot(fpr, tpr, label=f"GANomaly (AUROC {res['auroc']:.3f})")
axes[1].plot([0, 1], [0, 1], color="0.6", ls=":", label="chance")
flag = s_test > res["threshold"]
axes[1].plot(flag[~y_test].mean(), flag[y_test].mean(), "ko", label="validation threshold")
axes[1].set_xlabel("false-positive rate")
axes[1].set_ylabel("true-positive rate")
axes[1].legend(frameon=False, fontsize=8, loc="lower right")
axes[0].legend(frameon=False, fontsize=8, loc="upper left")
plt.tight_layout()
plt.show()
fpr_test, se = flag[~y_test].mean(), np.sqrt(0.05 * 0.95 / len(x_val))
missed = int((show_scores[n_show:] <= res["threshold"]).sum())
print(f"normal test images flagged: {fpr_test:.1%} (aim 5 %; standard error of the percentile from "
      f"{len(x_val)} validation images: about {se:.1%})")
print(f"at this threshold {flag[y_test].mean():.0%} of the bags are flagged (recall) and "
      f"{y_test[flag].mean():.0%} of the flagged images are bags (precision); "
      f"{missed} of the {n_show} bags shown above score below it")

# %% [markdown]
# Read the histogram from the dashed line: everything to its right is flagged. The normal images' right
# shoulder reaches past it (the false positives the threshold accepts, printed above), and a large part of the bags
# lies to its left — the missed ones printed above, reconstructed well enough that their codes agree. The
# ROC curve shows every threshold at once; the black dot is the one validation data chose.
#
# ### Latent score or pixel score?
#
# GANomaly's claim is that comparing *codes* ($z$ against $\hat z$) detects better than comparing *pixels*
# ($x$ against $G(x)$, the score of a plain autoencoder). The same trained model can be scored both ways,
# with no retraining (`GANomaly.ablation_scores`). This compares two *scores* of one model; it cannot say
# whether *training* with the second encoder helps against a plain autoencoder trained alone (notebook 06
# sets GANomaly beside such an autoencoder over the whole grid).

# %%
abl = det.ablation_scores(x_test)
abl_auroc = {k: roc_auc_score(y_test, v) for k, v in abl.items()}
assert np.isclose(abl_auroc["latent"], res["auroc"])   # the model's own score, recomputed
print(f"AUROC on the bags, same model: latent distance A(x) {abl_auroc['latent']:.3f}, "
      f"pixel error L_con {abl_auroc['L_con']:.3f}")
better = "latent distance" if abl_auroc["latent"] > abl_auroc["L_con"] else "pixel error"
print(f"on this class and seed the {better} ranks the bags better, by {abs(abl_auroc['latent'] - abl_auroc['L_con']):.3f}")

# %% [markdown]
# One class and one seed decide nothing; notebook 06 runs this ablation on every class and seed of the
# grid, with a paired test.
#
# ### The judge's verdict, and a model trained for longer
#
# Does $G(x)$ keep what $x$ shows? The judge of notebook 01 (a classifier trained with labels, used only
# to *measure*; no detector uses it) classifies each normal test image and its reconstruction and
# counts how often the classes agree. Beside your run: untrained networks (the floor), and a
# GANomaly trained for longer with the same code on the split's whole normal training part, shipped
# with the course (`ganad_lib.pretrained`), scored on the same test images.

# %%
from ganad_lib import judge as J
from ganad_lib import pretrained

judge = J.Judge.load("fashion_mnist")
long_det = pretrained.load("ganomaly", device=DEVICE)
lm = long_det.manifest
x_normal_test = x_test[~y_test][:500 if P.name == "smoke" else 2000]
torch.manual_seed(0)
untrained = ganomaly.GANomalyNets(P.image_size, 1, S["nz"], S["width"]).to(DEVICE).eval()  # random weights
with torch.no_grad():
    rec_untrained = untrained(det.prepare(x_normal_test).to(DEVICE))[1].cpu()
recs = {"untrained": rec_untrained, "your run": det.reconstruct(x_normal_test),
        "long-trained": long_det.reconstruct(x_normal_test)}
kept = {name: J.reconstruction_report(judge, x_normal_test, r)["class_kept"] for name, r in recs.items()}
auroc_long = roc_auc_score(y_test, long_det.anomaly_score(x_test))
print(f"long-trained GANomaly: epoch {lm['epoch_chosen']} of {lm['epochs_trained']} ({lm['steps_to_chosen_epoch']:,} steps on "
      f"{lm['split']['train']:,} images), chosen by {lm['stopping_rule']}")
print(f"your run: {S['epochs']} epochs ({len(det.history.steps):,} steps) on {len(x_train):,} images in {train_seconds:.0f} s")
for name, share in kept.items():
    print(f"G(x) keeps the class of {share:5.1%} of {len(x_normal_test):,} normal test images: {name}")
print(f"bag AUROC on the same test images: your run {res['auroc']:.3f} | long-trained {auroc_long:.3f} "
      "(both epochs chosen on validation L_con)")
pred_inputs, pred_blurs = judge.predict(x_normal_test), judge.predict(rec_untrained)
untrained_classes = Counter(pred_blurs.tolist())
top_class, top_n = untrained_classes.most_common(1)[0]
# agreement by chance: inputs and blurs filed independently, each as often as the judge files them here
chance_kept = sum(np.mean(pred_inputs == c) * np.mean(pred_blurs == c) for c in range(10))
gap = auroc_long - res["auroc"]
more_images = lm["split"]["train"] / len(x_train)
display(Markdown(
    f"**How to read these lines.** An untrained $G(x)$ is a grey blur, and the judge files "
    f"{top_n / len(rec_untrained):.0%} of the blurs as *{judge.classes[top_class]}*"
    + (", a class no normal input has" if top_class == BAG else "")
    + f", so the untrained share is {kept['untrained']:.0%}: chance agreement for these predictions is "
    f"{chance_kept:.1%} (the share of inputs of each class times the share of blurs filed under it, summed "
    "over classes; notebook 02 explains chance agreement), so "
    + ("an untrained network keeps a class hardly more often than chance. " if kept["untrained"] <= chance_kept + 0.05
       else "an untrained network keeps a class more often than chance: its blur still carries the input's outline. ")
    + f"Your run keeps the class of {kept['your run']:.0%} of the normal images and the long-trained model "
    f"{kept['long-trained']:.0%}: GANomaly's reconstruction is trained directly (the weight $w_{{con}} = 50$ on "
    "$\\mathcal{L}_{con}$), which is why it works after a short run where a BiGAN (notebook 02) does not. "
    + f"The long-trained model keeps {'more' if kept['long-trained'] > kept['your run'] else 'no more'}; its bag "
    f"AUROC differs from your run's by {gap:+.3f}. "
    + f"Read that carefully: the two differ in more than length ({more_images:.1f} times the training images, "
    f"{lm['epoch_chosen']} epochs against {S['epochs']}), each is one run, and such a gap has to be weighed "
    "against the swing of the test AUROC from epoch to epoch (Section 7) and from seed to seed (notebook 06). "
    + ("Here better reconstructions of normal images did not make bags stand out more, which is why the score "
       "is judged by AUROC, not by how good the pictures look. "
       if kept["long-trained"] > kept["your run"] and gap <= 0 else "")
    + "The training time printed above depends on the machine and on what else it runs; notebook 06 compares "
    "costs measured in one grid."))

# %% [markdown]
# ### Threshold explorer
#
# AUROC summarises every threshold at once; a deployed detector uses one. Move the slider: the
# confusion matrix, precision, recall and F1 follow, and the dashed line marks the threshold chosen on
# validation data. The explorer's callback is `ganad_lib.widgets.threshold_report`, a pure function
# (tested in `tests/test_widgets.py`); here it is called once directly at the validation threshold:

# %%
report = widgets.threshold_report(res["threshold"], s_test, y_test)
print(f"threshold {report['threshold']:.4g}: confusion [[TN, FP], [FN, TP]] = {report['confusion'].tolist()}")
print(f"precision {report['precision']:.3f}  recall {report['recall']:.3f}  F1 {report['f1']:.3f}  "
      f"false-positive rate {report['fpr']:.3f}")
assert np.isclose(report["f1"], res["f1"]) and np.isclose(report["recall"], res["recall"])

# %%
# NBVAL_IGNORE_OUTPUT
widgets.threshold_explorer(s_test, y_test, val_threshold=res["threshold"])

# %% [markdown]
# ## 6 · Every class as the anomaly
#
# Bags are one of ten possible anomalies. The profile lists the classes to try; each gets its own split
# and its own model. Ten models cost ten trainings, so this section uses the smaller sizes of the
# course's experiment grid (`P.for_grid()`, the sizes notebook 06 compares all methods with); the
# epoch is again chosen by validation $\mathcal{L}_{con}$, and the test AUROC per epoch is recorded
# for section 7 only.

# %%
PG = P.for_grid()  # the experiment grid's sizes (the same as P where the profile defines none)
print("settings that differ from above:",
      {k: v for k, v in ganomaly.settings(PG).items() if ganomaly.settings(P)[k] != v} or "none")
print("the bag split at these sizes:", protocols.make_split("one_class_anomalous", ds, BAG, seed=0, profile=PG).summary())
per_class = {}
for c in tqdm(P.classes, desc="classes"):
    if c == BAG and PG == P:
        d_c, sp_c = det, split  # already trained above, with these sizes
    else:
        sp_c = protocols.make_split("one_class_anomalous", ds, c, seed=0, profile=PG)
        d_c = GANomaly.from_profile(PG, seed=0, device=DEVICE, progress=False)
        xt_c = d_c.prepare(ds.images[sp_c.test])
        d_c.monitor = lambda d, epoch, xt=xt_c, yt=sp_c.test_is_anomaly: {
            "test_auroc": roc_auc_score(yt, d.anomaly_score(xt))}
        d_c.fit(ds.images[sp_c.train], ds.images[sp_c.val])
    curve = d_c.history.series("test_auroc", per="epoch")
    scores_c = d_c.anomaly_score(ds.images[sp_c.test])
    auroc = roc_auc_score(sp_c.test_is_anomaly, scores_c)
    # below chance *beyond noise*? the one-sided Mann-Whitney test of "the anomalies score lower" (its U
    # statistic is AUROC x n_anomalous x n_normal, so it tests exactly AUROC < 0.5)
    y_c = np.asarray(sp_c.test_is_anomaly, dtype=bool)
    p_below = stats.mannwhitneyu(scores_c[y_c], scores_c[~y_c], alternative="less").pvalue
    per_class[c] = {"auroc": auroc, "picked_by_test": curve.max(), "kept_epoch": d_c.best_epoch_,
                    "test_epoch": int(np.argmax(curve)) + 1, "p_below": p_below}
for c, r in per_class.items():
    print(f"{ds.classes[c]:12s} AUROC {r['auroc']:.3f}   (epoch {r['kept_epoch']} by validation)")
if BAG in per_class and PG != P:
    print(f"(bags here {per_class[BAG]['auroc']:.3f} against {res['auroc']:.3f} in Section 5: a smaller split, "
          "another model, another test sample)")
print(f"mean over {len(per_class)} classes: {np.mean([r['auroc'] for r in per_class.values()]):.3f}")

# %%
fig, ax = plt.subplots(figsize=(max(3, 1.0 * len(per_class) + 1), 3.2))
cs = list(per_class)
ax.bar(range(len(cs)), [per_class[c]["auroc"] for c in cs], color="tab:blue")
ax.axhline(0.5, color="0.6", ls=":", label="chance")
ax.set_xticks(range(len(cs)), [ds.classes[c] for c in cs], rotation=30, ha="right")
ax.set_ylim(0, 1)
ax.set_ylabel("AUROC (class = anomaly)")
ax.legend(frameon=False)
plt.show()
ranked = sorted(per_class, key=lambda c: -per_class[c]["auroc"])
print("easiest to detect: " + ", ".join(f"{ds.classes[c]} {per_class[c]['auroc']:.2f}" for c in ranked[:3]))
print("hardest to detect: " + ", ".join(f"{ds.classes[c]} {per_class[c]['auroc']:.2f}" for c in ranked[-3:]))
below = [c for c in ranked if per_class[c]["auroc"] < 0.5]
print("AUROC below 0.5 (the class scores *lower* than normal images): " + (", ".join(
    f"{ds.classes[c]} {per_class[c]['auroc']:.2f} (one-sided Mann-Whitney p {per_class[c]['p_below']:.2g})"
    for c in below) or "none"))
below_sig = [c for c in below if per_class[c]["p_below"] < 0.05 / len(per_class)]
print(f"below chance beyond noise (p < 0.05 / {len(per_class)}, Bonferroni over the classes): "
      f"{', '.join(ds.classes[c] for c in below_sig) or 'none'}")

# %% [markdown]
# The printed ranking reads the chart. A class with close neighbours among the normal ones — a shirt among
# T-shirts, pullovers and coats — is reconstructed about as well as normal images, so its codes agree
# and it scores low; a class with a shape of its own (a bag, a trouser) is likely to come back distorted
# (the pixel error of Section 6's ablation measures this for bags). An AUROC
# under 0.5 is not yet a finding: on a few hundred test images it can land there by chance, so the
# printout tests it (one-sided, Bonferroni over the classes). Where a class is below chance beyond noise,
# the model finds it more normal than the normal images themselves. One seed
# per class at the grid's smaller sizes is a single draw: notebook 06 repeats this over seeds, with
# intervals, and compares it with the other methods and simple baselines.
#
# ## 7 · Two common mistakes, measured
#
# ### Mistake 1: scoring in training mode
#
# The authors' code scores test images without calling `eval()`. Batch norm then normalises each
# layer with the statistics *of the current test batch*, so an image's score depends on the other
# images in its batch. Below, the same 16 normal images are scored twice: in a batch with 48 other
# normal images, and in a batch with 48 bags. (We score on a copy of the networks, because
# training-mode forward passes also overwrite the batch-norm running statistics.)

# %%
def scores_in_train_mode(det, images, batch_size):
    g_copy = copy.deepcopy(det.nets).train()   # the mistake, on a copy
    out = []
    with torch.no_grad():
        for xb in det.prepare(images).split(batch_size):
            z, _, z_hat = g_copy(xb.to(DEVICE))
            out.append(ganomaly.latent_score(z, z_hat).cpu())
    return torch.cat(out).double().numpy()

normal_idx, bag_idx = np.flatnonzero(~y_test), np.flatnonzero(y_test)
same16 = x_test[normal_idx[:16]]
with_normals = torch.cat([same16, x_test[normal_idx[16:64]]])
with_bags = torch.cat([same16, x_test[bag_idx[:48]]])
train_a = scores_in_train_mode(det, with_normals, 64)[:16]
train_b = scores_in_train_mode(det, with_bags, 64)[:16]
eval_a, eval_b = det.anomaly_score(with_normals)[:16], det.anomaly_score(with_bags)[:16]
train_change = np.abs(train_b - train_a) / train_a
eval_change = np.abs(eval_b - eval_a) / eval_a
print(f"train mode: the same 16 images change their score by {100 * train_change.mean():.1f} % on average "
      f"(up to {100 * train_change.max():.1f} %) when their batch mates change")
print(f"eval mode:  largest change {eval_change.max():.1e} (rounding only)")

# the same test set, shuffled into batches of 64 in five different orders
shuffles = []
for k in range(5):
    order = np.random.default_rng(k).permutation(len(x_test))
    shuffles.append(roc_auc_score(y_test[order], scores_in_train_mode(det, x_test[order], 64)))
auroc_train_mode = shuffles[0]
# the same test set in batches that are not a random draw: sorted by label, as a burst of anomalies arrives
by_label = np.argsort(y_test, kind="stable")
auroc_sorted = roc_auc_score(y_test[by_label], scores_in_train_mode(det, x_test[by_label], 64))
print(f"test AUROC, eval mode: {res['auroc']:.3f};  train mode in shuffled batches of 64: {auroc_train_mode:.3f}")
print(f"train mode over {len(shuffles)} shufflings of the same test images: "
      + ", ".join(f"{a:.3f}" for a in shuffles) + f" (spread {max(shuffles) - min(shuffles):.3f})")
print(f"train mode, batches sorted by label (normal images together, bags together): {auroc_sorted:.3f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(train_a, train_b, "o", label="train mode")
ax.plot(eval_a, eval_b, "x", color="k", label="eval mode")
lim = [min(train_a.min(), train_b.min(), eval_a.min()) * 0.9, max(train_a.max(), train_b.max(), eval_a.max()) * 1.1]
ax.plot(lim, lim, color="0.6", ls=":")
ax.set_xlabel("score among normal images")
ax.set_ylabel("score among bags")
ax.set_title("the same 16 normal images, two batches")
ax.legend(frameon=False)
plt.show()
print(f"train mode: {(train_b > train_a).sum()} of 16 normal images score higher among bags than among normal "
      f"images, by {100 * np.mean(train_b / train_a - 1):+.0f} % on average; eval mode: every point on the diagonal")

# %% [markdown]
# What to notice:
#
# * **Scores move with the batch.** In training mode the same normal image gets another score when its
#   batch mates change (the figure: points off the diagonal; the lines above: by how much). A detector's
#   verdict on one image must not depend on which other images arrive with it.
# * **A shuffled benchmark hides it.** Over random shufflings the train-mode AUROC hardly moves, and it
#   may even come out above the eval-mode one: random batches of one test set have similar statistics.
#   That is what the authors' code reports on MNIST, whose test loader shuffles.
# * **Other arrangements move it.** Batches sorted by label — normal images together, bags together, as a
#   burst of anomalies arrives — are normalised with their own statistics; compare their AUROC, printed
#   above, with the eval-mode one (a batch full of bags is normalised by bag statistics, which moves every
#   score in it). Whichever way it moves, the labels now reach the scores through the batch statistics: a
#   number that depends on how the test set is cut into batches measures the arrangement, not the model.
#   This case is not hypothetical: by our reading of the authors' `lib/data.py`, their CIFAR-10 test loader
#   does not shuffle and holds the normal images first, then the anomalies.
#
# In `eval()` mode the running statistics of training are used and the score is a function of the image
# alone (the course's detectors are tested for exactly this: `ganad_lib.detector.check_detector`). The
# authors' min-max normalisation over the whole test set has the same defect; ours uses the validation
# scores' range (`GANomaly(normalise=True)`).
#
# ### Mistake 2: choosing the epoch by test AUROC
#
# The authors' training loop evaluates the test set after each epoch and reports the best AUROC it
# has seen. That is model selection on test labels. We recorded the test AUROC of every epoch, so we
# can compare the honest number (the epoch kept by validation $\mathcal{L}_{con}$) with the number the
# test-picked epoch would report:

# %%
test_curve = det.history.series("test_auroc", per="epoch")
assert np.isclose(test_curve[det.best_epoch_ - 1], res["auroc"])  # the kept weights are that epoch's
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(ep, test_curve, "o-", label="test AUROC after each epoch")
ax.axvline(det.best_epoch_, color="tab:green", ls="--", label="kept by validation $\\mathcal{L}_{con}$")
ax.axvline(int(np.argmax(test_curve)) + 1, color="tab:red", ls=":", label="picked by test AUROC")
ax.set_xlabel("epoch")
ax.set_ylabel("AUROC (bags)")
ax.legend(frameon=False, fontsize=8)
plt.show()
inflation = np.array([r["picked_by_test"] - r["auroc"] for r in per_class.values()])
worst = list(per_class)[int(np.argmax(inflation))]
val_con = det.history.series("val_L_con", per="epoch")
print(f"bags: honest {res['auroc']:.3f}, picked by test {test_curve.max():.3f} "
      f"(adds {test_curve.max() - res['auroc']:+.3f})")
print(f"over {len(per_class)} classes: the test-picked epoch adds {inflation.mean():+.3f} AUROC on average "
      f"(largest {inflation.max():+.3f}, {ds.classes[worst]})")
print(f"bags: test AUROC {test_curve[0]:.3f} after epoch 1 and {test_curve[-1]:.3f} after epoch {len(test_curve)}, "
      f"while the validation L_con fell from {val_con[0]:.3f} to {val_con[-1]:.3f} "
      f"({100 * (1 - val_con[-1] / val_con[0]):.0f} % lower)")


# %% [markdown]
# The test-picked number is never lower than the honest one — it is a maximum over epochs of a noisy
# curve, so it rewards the noise. The gap is how much an implementation that selects on the test set
# overstates its own result; compare the class average printed above with the gaps between methods in
# notebook 06. The last printed line holds a second lesson: compare how far each number moves over
# training. The validation $\mathcal{L}_{con}$ keeps falling by a large fraction, while most of the test
# AUROC is there after the first epoch — reconstructing normal images better is not the same as ranking
# anomalies better, so the validation rule is an honest choice but a weak proxy.
# (The same seed gives slightly different numbers with another number of CPU threads: float sums are
# accumulated in another order.)
#
# ## 8 · Exercises
#
# Each exercise has a stub that raises `NotImplementedError`; replace the body and run the cell. The
# check runs your function on random inputs and names the usual mistakes; a function that only calls the
# library's version is refused. Solutions are in [`docs/solutions.md`](../docs/solutions.md) — try first.
#
# **Exercise 1 — the anomaly score, and which form of it.** Given the codes `z` $= G_E(x)$ and `z_hat`
# $= E(G(x))$ of a batch (shape N × nz), return $A(x)$, one number per image, in any form that ranks images
# as the authors' code does. Before you run the check, decide which of these rank identically and which do
# not: the mean of squared differences, their sum, the L2 norm, and the paper's printed L1 norm. Then
# compute the AUROC of the paper's L1 form on `x_test` (use `det.forward(x_test)` for the codes) and
# compare it with the AUROC of $A(x)$ printed in Section 5.

# %%
def my_latent_score(z, z_hat):
    raise NotImplementedError

exercises.check_latent_score(my_latent_score)


# %% [markdown]
# **Exercise 2 — normalisation without the test set.** The authors' code rescales the scores to [0, 1]
# with the minimum and maximum of *all test scores*. Rescale `scores` instead with the minimum and maximum
# of the normal validation images' scores `val_scores`, so that a single test image can be scored on its
# own. Then think: can either rescaling change the AUROC? Can it change the threshold's verdict on an
# image? What *does* the authors' version change?

# %%
def my_normalise(val_scores, scores):
    raise NotImplementedError

exercises.check_validation_minmax(my_normalise)

# %% [markdown]
# ## Pitfalls
#
# * **Scoring in training mode.** Batch norm then uses the test batch's statistics and scores depend on
#   the batch (section 7). Call `eval()` and score under `torch.no_grad()`; `Detector.anomaly_score`
#   does both.
# * **Choosing the epoch, the threshold or the normalisation on the test set.** Every choice here uses
#   normal validation images: the epoch (lowest validation $\mathcal{L}_{con}$), the threshold (95th
#   percentile of validation scores) and, optionally, the min-max range.
# * **Min-max over the test batch.** Undefined for a single image (0 / 0) and batch-dependent. It does
#   not change AUROC, so it never helps the number either.
# * **Comparing across protocols.** These numbers are "one class anomalous" (GANomaly's protocol); they
#   cannot be compared with "one class normal" results such as Deep SVDD's.
# * **Reading the adversarial loss as a quality measure.** $\mathcal{L}_{adv}$ and $\mathcal{L}_D$ follow
#   the contest with $D$; the validation $\mathcal{L}_{con}$ is the quantity that tracks reconstruction.
#
# ## Summary
#
# * GANomaly = autoencoder ($G_E$, $G_D$) + second encoder $E$ + discriminator $D$.
# * The generator minimises $w_{adv}\mathcal{L}_{adv} + w_{con}\mathcal{L}_{con} + w_{enc}\mathcal{L}_{enc}$
#   (1, 50, 1); $D$ is a real/fake classifier whose features drive $\mathcal{L}_{adv}$.
# * The score $A(x) = \tfrac{1}{d}\lVert G_E(x) - E(G(x))\rVert_2^2$ (the authors' code; the paper prints
#   the L1 norm) needs one forward pass: no latent search as in AnoGAN.
# * Trustworthy numbers need `eval()` scoring and every choice made on validation data; section 7
#   measured what the two common shortcuts add.
#
# Next: **06 · Comparison** puts AnoGAN, EGBAD, GANomaly and the baselines side by side.
#
# ## References
#
# 1. Akçay, Atapour-Abarghouei, Breckon. *GANomaly: Semi-Supervised Anomaly Detection via Adversarial
#    Training.* arXiv:1805.06725, 2018 — the method; settings from the authors' code (`options.py`,
#    `run_mnist.sh`), see [`docs/references.md`](../docs/references.md).
# 2. Di Mattia, Galeone, De Simoni, Ghelfi. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.
# 3. Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection.* arXiv:1802.06222, 2018.
# 4. Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#    Adversarial Networks to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 5. Radford, Metz, Chintala. *Unsupervised Representation Learning with Deep Convolutional Generative
#    Adversarial Networks* (DCGAN). arXiv:1511.06434, 2015 — the networks.
# 6. Xiao, Rasul, Vollgraf. *Fashion-MNIST.* arXiv:1708.07747, 2017.

# %%
# Results: what this notebook must show, per profile.
results = {"profile": P.name, "auroc_bag": res["auroc"], "train_seconds": round(train_seconds, 1),
           "auroc_per_class": {ds.classes[c]: round(r["auroc"], 3) for c, r in per_class.items()},
           "mean_auroc": float(np.mean([r["auroc"] for r in per_class.values()])),
           "train_mode_change": float(train_change.mean()), "test_pick_inflation": float(inflation.mean())}
print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in results.items()})
# 1. bags are found (AUROC on the test split; epoch chosen on validation). Measured, seeds 0-2:
#    cpu 0.934 / 0.937 / 0.926 (benchmarks/ganomaly_bag.py -> results/cpu/ganomaly_bag.json);
#    smoke 0.26 / 0.44 / 0.30 (24 training steps: far too few to learn, this only catches a broken
#    pipeline); full: no GPU here, so not measured: it keeps the cpu bound.
MIN_AUROC_BAG = {"smoke": 0.15, "cpu": 0.88, "full": 0.88}[P.name]
assert results["auroc_bag"] >= MIN_AUROC_BAG, results
# 2. the mean over the profile's classes, at the grid's sizes. Measured in earlier cpu runs of this
#    notebook, seeds 0-2: 0.651 / 0.676 / 0.685, and 0.683 for seed 0 on one thread beside other work
#    (this run's: printed above); smoke: bags only, as above.
#    full: not measured, keeps the cpu bound.
MIN_MEAN_AUROC = {"smoke": 0.15, "cpu": 0.60, "full": 0.60}[P.name]
assert results["mean_auroc"] >= MIN_MEAN_AUROC, results
# 3. eval-mode scores do not depend on the batch; train-mode scores do, by more than rounding
assert eval_change.max() < 1e-5 and train_change.mean() > 0.05, results  # batch mates move scores by > 5 %
# 4. the kept epoch is the one with the lowest validation L_con, and its test AUROC is what we report
assert det.best_epoch_ == int(np.argmin(det.history.series("val_L_con", per="epoch"))) + 1
print("all results checks passed")
