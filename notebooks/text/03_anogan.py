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
# # 03 · AnoGAN: finding the latent code of an image
#
# *ganad — unsupervised anomaly detection with GANs.* Notebook 01 trained a GAN whose generator $G$
# turns a code $\mathbf{z}$ into an image. AnoGAN ([Schlegl et al. 2017](https://arxiv.org/abs/1703.05921))
# turns that generator into an anomaly detector: for a query image it *searches* the code whose image
# is closest to it. A normal image can be explained by some $G(\mathbf{z})$; an anomaly cannot, and
# what is left over is both its score and a map of where it is abnormal.
#
# **Learning objectives.** After this notebook you can
#
# 1. write AnoGAN's residual loss, discrimination loss and anomaly score from the equations of Section 1,
#    and compute them in PyTorch;
# 2. run the latent search by gradient descent on $\mathbf{z}$ only, with $G$ and $D$ frozen, for a whole
#    batch at once, and explain why no image influences another;
# 3. watch the search progress (slider) and read residual maps of normal and anomalous images;
# 4. measure how $\lambda$ and the number of steps $\Gamma$ change the AUROC, and what a search costs per
#    image;
# 5. avoid the traps of Section 10: scoring with the networks in training mode, tuning on test labels, and
#    a search that updates the generator.

# %%
import copy
import json
import time
from pathlib import Path

import numpy as np
import torch
import matplotlib.pyplot as plt
from IPython.display import Markdown, display
from scipy import stats
from sklearn.metrics import roc_auc_score, roc_curve

import ganad_lib
from ganad_lib import anogan, data, exercises, metrics, plotting, protocols, widgets
from ganad_lib.anogan import AnoGAN
from ganad_lib.baselines import KNNDetector
from ganad_lib.gan import GAN

P, DEVICE = ganad_lib.setup_notebook(seed=0)
SET = anogan.settings(P)   # AnoGAN's settings for this profile (sizes from the profile)
GAMMA = P.search_steps     # Γ, the number of search steps
print(f"Γ = {GAMMA} search steps | your GAN: latent size {P.nz}, width {P.width}, {P.epochs} epochs | "
      f"search step size {SET['search_lr']}")

# %% [markdown]
# ## 1 · From a generator to a detector
#
# A GAN gives a map $G: \mathbf{z} \mapsto \mathbf{x}$ from codes to images, trained with the value
# function of notebook 01,
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{\mathbf{x} \sim P_{\text{data}}(\mathbf{x})} [\log D(\mathbf{x})] + \mathbb{E}_{\mathbf{z} \sim P_z(\mathbf{z})} [\log(1 - D(G(\mathbf{z})))].$$
#
# It has no inverse $\mu: \mathbf{x} \mapsto \mathbf{z}$. AnoGAN computes one by optimisation:
# start from a random $\mathbf{z}_0$, and for $\gamma = 0, \dots, \Gamma - 1$ (the paper numbers the codes
# $\mathbf{z}_1, \dots, \mathbf{z}_\Gamma$) take one step downhill from
# $\mathbf{z}_\gamma$ to $\mathbf{z}_{\gamma+1}$ on a loss that says how far $G(\mathbf{z}_\gamma)$ is from
# $\mathbf{x}$; the score is the loss at $\mathbf{z}_\Gamma$. The loss has two parts:
#
# * the **residual loss**, a distance in pixel space,
#   $$\mathcal{L}_R(\mathbf{z}_\gamma) = \sum |\mathbf{x} - G(\mathbf{z}_\gamma)|;$$
# * the **discrimination loss**, the same distance between the discriminator's intermediate features $\mathbf{f}$,
#   $$\mathcal{L}_D(\mathbf{z}_\gamma) = \sum |\mathbf{f}(\mathbf{x}) - \mathbf{f}(G(\mathbf{z}_\gamma))|;$$
#   it compares the two images in the representation $D$ learned for telling real from generated, so a
#   code whose image has the right *kind* of content scores well even where single pixels differ
#   (feature matching, as in Salimans et al. 2016; the paper first took this loss from $D$'s output and
#   then replaced it by features);
# * combined with a weight $\lambda$ (0.1 in the paper),
#   $$\mathcal{L}(\mathbf{z}_\gamma) = (1 - \lambda) \cdot \mathcal{L}_R(\mathbf{z}_\gamma) + \lambda \cdot \mathcal{L}_D(\mathbf{z}_\gamma).$$
#
# After the last step the loss *is* the anomaly score: $A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)$.
# Only $\mathbf{z}$ moves. The weights of $G$ and $D$ stay exactly as training left them: a search that
# updates the generator would learn to draw the anomaly and then call it normal.

# %% [markdown]
# **What this notebook does differently from the paper** (Schlegl et al. 2017; details in
# [`docs/references.md`](../docs/references.md), section 2):
#
# * data: 32 × 32 Fashion-MNIST with bags as the anomaly, not patches of retinal OCT scans;
# * the search: Adam on $\mathbf{z}$ with a step size chosen on normal validation images (Section 5) and
#   $\Gamma$ = the profile's number of steps; the paper's own optimiser settings and $\Gamma$ are in
#   `docs/references.md` where we could read them, otherwise marked there as not checked;
# * $\mathbf{z}_0 \sim \mathcal{N}(0, I)$, one draw per image seeded by the image itself, and nothing keeps
#   $\mathbf{z}$ near the prior during the search;
# * $f$ = the output of $D$'s last convolutional block, the course's DCGAN discriminator;
# * $\lambda = 0.1$ as in the paper — but $\lambda$ weighs two sums whose sizes depend on the image size and
#   on $D$'s features, so the same number does not mean the same balance here (Section 8 prints both parts).
#
# ## 2 · Data and a GAN of normal images
#
# The protocol is *one class anomalous* on Fashion-MNIST (notebook 00): bags are held out as the
# anomaly, the nine other classes are normal. The GAN is trained as in notebook 01, on normal
# training images only. The search is the expensive part of AnoGAN, so it scores at most
# `P.max_search_images` test images, drawn at random (the share of anomalies stays about the same).

# %%
ANOMALY = 8   # 'Bag', the held-out class (as in notebook 00)
fmnist = data.load_dataset("fashion_mnist")
split = protocols.make_split("one_class_anomalous", fmnist, ANOMALY, seed=0, profile=P)
print(split.summary())

def to_x(idx):
    return data.to_tensor(fmnist.images[idx], P.image_size)

rng = np.random.default_rng(0)
pick = np.sort(rng.choice(len(split.test), min(P.max_search_images, len(split.test)), replace=False))
test_idx, y_test = split.test[pick], split.test_is_anomaly[pick]
val_idx = split.val[:max(P.max_search_images // 4, 16)]       # normal images only
x_train, x_test, x_val = to_x(split.train), to_x(test_idx), to_x(val_idx)
print(f"searched: {len(x_test)} test images ({int(y_test.sum())} anomalies), {len(x_val)} validation images")

# %%
gan = GAN.dcgan(P.image_size, channels=1, nz=P.nz, width=P.width, seed=0, device=DEVICE)
t0 = time.perf_counter()
history = gan.fit(x_train, epochs=P.epochs, batch_size=P.batch_size)
train_seconds = time.perf_counter() - t0

fig, axes = plt.subplots(1, 2, figsize=(10, 2.8), gridspec_kw={"width_ratios": [1.3, 1]})
plotting.plot_losses(history, ["loss_D", "loss_G"], ax=axes[0], smooth=10)
axes[0].set_title("GAN training (normal images only)")
plotting.show_images(gan.sample(24, torch.Generator().manual_seed(0)), nrow=8, ax=axes[1], title="G(z), z ~ p_z")
plt.show()
print(f"trained in {train_seconds:.0f} s")

# %% [markdown]
# AnoGAN can only be as good as its generator: an image the generator cannot draw is "anomalous" whether
# or not it is normal. So before searching, ask the judge of notebook 01 (a classifier trained with
# labels, used only to *measure*; no detector uses it) whether this generator works, and compare it with
# the GAN trained for longer with the same code and networks, shipped with the course
# (`ganad_lib.pretrained`).

# %%
from ganad_lib import judge as J
from ganad_lib import pretrained

judge = J.Judge.load("fashion_mnist")
gan_long = pretrained.load("gan", device=DEVICE)
NORMAL = [c for c in range(10) if c != ANOMALY]
n_j = 500 if P.name == "smoke" else 2000
whole = protocols.make_split("one_class_anomalous", fmnist, ANOMALY, seed=0)  # no profile cap
# real normal images, no test image: the whole split's validation part (the long-trained GAN never trained
# on it; many of these are among your smaller run's training images, which is why they are only a reference)
held = np.random.default_rng(0).permutation(whole.val)
real_a, real_b = to_x(held[:n_j]), to_x(held[n_j:2 * n_j])
verdicts = {name: J.generator_report(judge, g.sample(n_j, torch.Generator().manual_seed(7)), real_a, real_b, NORMAL)
            for name, g in (("your run", gan), ("long-trained", gan_long))}
lm = gan_long.manifest
print(f"long-trained GAN: epoch {lm['epoch_chosen']} of {lm['epochs_trained']} ({lm['steps_to_chosen_epoch']:,} steps "
      f"on {lm['split']['train']:,} images); your run: {P.epochs} epochs on {len(x_train):,} images in {train_seconds:.0f} s")
for name, r in verdicts.items():
    print(f"{name:13s} confident {r['confident']:.0%} (real {r['confident_real']:.0%}), {r['classes_covered']} of 9 classes, "
          f"Fréchet {r['frechet']:.1f} (real vs real {r['frechet_real']:.1f})")
gan_live, gan = gan, gan_long   # the search below runs on the generator the judge says works
ax = plotting.show_images(gan_long.sample(24, torch.Generator().manual_seed(0)), nrow=8,
                          title="the long-trained GAN: G(z), z ~ p_z")
ax.figure.set_size_inches(5, 2.4)
plt.show()

# %% [markdown]
# How to read the two lines (the three measures are defined in notebook 01, Section 7), with the samples
# of your run and of the long-trained GAN in the two figures above: your short run draws blurred tops,
# covers only some of the normal classes and lies far from real images; the long-trained GAN covers more
# of the nine (the printed count) and is much closer, though still several times the real-against-real
# floor. A search can only find
# what the generator can draw, so the search below runs on the long-trained model. From here on `gan` is
# the long-trained GAN; your run stays available as `gan_live` (Exercise 3 searches with it).

# %% [markdown]
# ## 3 · The search in the open
#
# Here are the key lines for a few test images (four normal, four anomalous), written out. Three
# details make the batched search correct and efficient:
#
# * `G.eval()` and `D.eval()`: batch normalisation uses the statistics stored during training, not those
#   of the images being scored;
# * `requires_grad_(False)` on every weight and an optimiser that holds **only** `z`;
# * every image has its own row of `z`, and the per-image losses are **summed** before `backward()`.
#   The derivative of $\sum_j \mathcal{L}_j$ with respect to $\mathbf{z}_i$ is $\partial \mathcal{L}_i / \partial \mathbf{z}_i$,
#   and Adam updates each element on its own, so each row follows exactly the path it would follow alone.
#   (A *mean* instead of the sum scales every gradient by 1/N; Adam is almost blind to that scale, so
#   the search barely changes — the sum is the statement that each image is its own problem.)
#
# `anogan.initial_z` draws each image's $\mathbf{z}_0$ from $p_z = \mathcal{N}(0, I)$ with a generator seeded by
# a hash of that image: the same image always starts from the same code, in any batch.

# %%
G, D = gan.G.eval(), gan.D.eval()                     # batch norm: running statistics
for p in [*G.parameters(), *D.parameters()]:
    p.requires_grad_(False)                           # frozen: gradients reach z only

x = torch.cat([x_test[~y_test][:4], x_test[y_test][:4]]).to(DEVICE)
lam = 0.1
z = anogan.initial_z(x, gan.nz, seed=0).requires_grad_(True)   # one code per image
opt = torch.optim.Adam([z], lr=SET["search_lr"])              # the optimiser holds z only
with torch.no_grad():
    f_x = D(x, features=True)[1]                      # f(x), D's intermediate features
for _ in range(GAMMA):
    x_gen = G(z)
    L_R = (x - x_gen).abs().flatten(1).sum(1)                          # Σ |x - G(z)|
    L_D = (f_x - D(x_gen, features=True)[1]).abs().flatten(1).sum(1)  # Σ |f(x) - f(G(z))|
    L = (1 - lam) * L_R + lam * L_D
    opt.zero_grad()
    L.sum().backward()                                # summed: image i's gradient reaches z_i only
    opt.step()
with torch.no_grad():                                 # A(x) = L(z_Γ)
    x_gen = G(z)
    A_open = (1 - lam) * (x - x_gen).abs().flatten(1).sum(1) + lam * (
        f_x - D(x_gen, features=True)[1]).abs().flatten(1).sum(1)
for p in [*G.parameters(), *D.parameters()]:
    p.requires_grad_(True)

det = AnoGAN.from_gan(gan, steps=GAMMA, lambda_=lam, search_lr=SET["search_lr"])
A_lib = torch.as_tensor(det.anomaly_score(x))
assert torch.allclose(A_open.double().cpu(), A_lib, rtol=1e-4, atol=1e-3)
print("A(x), written out :", A_open.cpu().numpy().round(1))
print("det.anomaly_score :", A_lib.numpy().round(1))

# %% [markdown]
# The library's `AnoGAN` (in `ganad_lib/anogan.py`: `residual_loss`, `discrimination_loss`,
# `total_loss`, `latent_search`) computes the same numbers. From here on we use it.
#
# ## 4 · The search made visible
#
# One normal image and one anomaly, searched together. The strip shows $G(\mathbf{z}_t)$ at a few
# steps $t$; the loss curve shows $\mathcal{L}(\mathbf{z}_t)$ falling. Below it, a slider steps through
# every iteration.

# %%
pair = torch.stack([x_test[~y_test][0], x_test[y_test][0]])
found_pair = det.search(pair, trajectory=True)
show_t = sorted({0, GAMMA // 10, GAMMA // 4, GAMMA // 2, GAMMA})
fig, axes = plt.subplots(2, len(show_t) + 3, figsize=(2.0 * (len(show_t) + 4), 4.6),
                         gridspec_kw={"width_ratios": [1] * (len(show_t) + 2) + [2.2]})
last_frame = {}
for row, name in enumerate(["normal", "anomaly (bag)"]):
    frames = [widgets.search_frame(found_pair, t, row, det.generate) for t in show_t]
    last_frame[name] = frames[-1]
    axes[row, 0].imshow(frames[0]["x"][0], vmin=-1, vmax=1)
    axes[row, 0].set_title(f"x ({name})", fontsize=9)
    for j, f in enumerate(frames, start=1):
        axes[row, j].imshow(f["x_gen"][0], vmin=-1, vmax=1)
        axes[row, j].set_title(f"G(z_{f['t']})", fontsize=9)
    im = axes[row, -2].imshow(frames[-1]["residual"][0], cmap="magma", vmin=0, vmax=2)
    axes[row, -2].set_title("|x - G(z_Γ)|", fontsize=9)
    fig.colorbar(im, ax=axes[row, -2], fraction=0.046, pad=0.04)
    for a in axes[row, :-1]:
        a.set_axis_off()
    axes[row, -1].plot(frames[-1]["loss"], label="L")
    axes[row, -1].plot((1 - lam) * frames[-1]["loss_R"], "--", label="(1-λ) L_R")
    axes[row, -1].plot(lam * frames[-1]["loss_D"], ":", label="λ L_D")
    axes[row, -1].set_title(f"A(x) = {frames[-1]['score_t']:.1f}", fontsize=9)
    axes[row, -1].legend(frameon=False, fontsize=7)
    axes[row, -1].set_ylabel("loss")
axes[1, -1].set_xlabel("step t")
plt.tight_layout()
plt.show()
print("after Γ steps:", "; ".join(f"{name}: (1-λ) L_R = {(1 - lam) * f['loss_R'][-1]:.1f}, λ L_D = {lam * f['loss_D'][-1]:.1f}"
                                   for name, f in last_frame.items()))
with torch.no_grad():
    n_f = gan.D(pair[:1].to(DEVICE), features=True)[1][0].numel()
n_px = pair[0].numel()
f_n = last_frame["normal"]
print(f"L_R sums {n_px:,} pixel differences, L_D {n_f:,} feature differences; per element, for the normal image, "
      f"|x - G(z)| averages {f_n['loss_R'][-1] / n_px:.2f} and |f(x) - f(G(z))| {f_n['loss_D'][-1] / n_f:.2f}")
k_10 = max(1, GAMMA // 10)                            # a tenth of the steps


def share_of_fall(loss, a, b):
    """How much of the whole fall L(z_0) - L(z_Γ) happened between steps a and b."""
    return (loss[a] - loss[b]) / (loss[0] - loss[-1])


curve = {name: f["loss"] for name, f in last_frame.items()}
early = {name: share_of_fall(c, 0, k_10) for name, c in curve.items()}
late = {name: share_of_fall(c, GAMMA - k_10, GAMMA) for name, c in curve.items()}
settled = {"normal image" if name == "normal" else "bag": abs(v) <= 0.02 for name, v in late.items()}
rose = ["normal image" if name == "normal" else "bag" for name, v in late.items() if v < -0.02]


def late_said(v):
    return f"{v:.0%} of it" if v >= 0 else f"a rise of {-v:.0%} of it"


display(Markdown(
    "**Reading the loss curves.** " + (
        f"In the first {k_10} of the {GAMMA} steps the loss covered {early['normal']:.0%} of its whole fall "
        f"for the normal image and {early['anomaly (bag)']:.0%} for the bag; the last {k_10} steps brought "
        f"{late_said(late['normal'])} for the normal image and {late_said(late['anomaly (bag)'])} for the bag, so "
        + (f"the {' and the '.join(n + chr(39) + 's' for n in rose)} loss{'es' if len(rose) > 1 else ''} rose again "
           "near the end: the step size makes the search overshoot "
           "around its minimum, and the score is the loss at the last step, not the lowest one the search passed "
           "(Exercise 1 keeps the best code instead). " if rose else
           "both losses had nearly settled by Γ. " if all(settled.values()) else
           "the search was still lowering both losses at Γ: a longer search would lower both scores further. "
           if not any(settled.values()) else
           f"the {min(settled, key=settled.get)}'s loss was still falling at Γ while the "
           f"{max(settled, key=settled.get)}'s had nearly settled: a longer search would move the two scores "
           "by different amounts. ")
        if all(c[-1] < c[0] for c in curve.values()) else
        "A loss ended above its start (" + ", ".join(f"{name} {c[0]:.1f} → {c[-1]:.1f}" for name, c in curve.items())
        + "): this step size overshoots for this pair; Section 5 chooses the step size on validation images. ")
    + f"The bag ends at A(x) = {curve['anomaly (bag)'][-1]:.1f} and the normal image at {curve['normal'][-1]:.1f}"
    + (": the gap the score relies on, for this one pair." if curve["anomaly (bag)"][-1] > curve["normal"][-1]
       else ": here the bag scores lower; one pair proves nothing, Section 6 scores hundreds of images.")))

# %% [markdown]
# Read the strip from left to right: the search starts from a random garment $G(\mathbf{z}_0)$ and within
# the first tenth of the steps turns it into something of the right kind for the normal image, while for
# the bag it finds the closest image the generator can draw; the bag's residual is brightest where that
# image and the bag disagree — along the edges, and where $G$ adds parts a bag does not have. The curves on
# the right show how the loss falls during the search, and the reading printed under the figure measures
# them: how much of the fall came in the first tenth of the steps, and how much was still coming in the
# last tenth. Where the loss is still falling at $\Gamma$, the score depends on $\Gamma$ and on the step
# size (Sections 5 and 8). The printed lines show the two weighted parts of the loss at the end and why the
# feature part is *not* negligible at $\lambda = 0.1$: $L_D$ sums over more elements than $L_R$, and each
# differs by more.

# %% [markdown]
# The slider is a thin widget around the library function `widgets.search_frame` (tested in
# `tests/test_widgets_anogan.py`; the cell's first line tells the course's notebook tests not to compare
# a widget's output); move it to see $G(\mathbf{z}_t)$, the residual and the loss so far
# at every step of the anomaly's search.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.search_explorer(found_pair, det.generate, index=1)

# %% [markdown]
# ## 5 · The step size, chosen on validation images
#
# The search has a hyper-parameter of its own: Adam's step size for $\mathbf{z}$. A good step size
# finds codes with a *low* loss for normal images; that is a question we can answer with normal
# validation images, without looking at a single test label. We run the search with a few step
# sizes and keep the one with the lowest mean final loss.

# %%
x_lr = x_val[:max(P.max_search_images // 8, 8)]
curves = {}
for lr in (0.03, 0.1, 0.3, 1.0):
    r = det.search(x_lr, lr=lr, trajectory=True)
    curves[lr] = r.trajectory["loss_t"].double().mean(1).numpy()
best_lr = min(curves, key=lambda lr: curves[lr][-1])

fig, ax = plt.subplots(figsize=(5.5, 3))
for lr, c in curves.items():
    ax.plot(c, label=f"lr {lr}" + ("  (lowest)" if lr == best_lr else ""))
ax.set_xlabel("step t")
ax.set_ylabel("mean L(z_t), validation images")
ax.legend(frameon=False, fontsize=8)
plt.show()
print("mean final loss per step size:", ", ".join(f"lr {lr}: {c[-1]:.1f}" for lr, c in curves.items()))
print(f"chosen step size: {best_lr} (the library's default for profile '{P.name}': {SET['search_lr']})")
det = AnoGAN.from_gan(gan, steps=GAMMA, lambda_=lam, search_lr=best_lr)

# %% [markdown]
# Read the curves by where they end: too small a step has not got far in $\Gamma$ steps, too large a
# step overshoots and stalls at a higher loss. The step with the lowest final loss is kept from here on;
# where two steps end close together (the printed losses), another run may pick the other, with little
# effect on the scores. The images used here are also among the validation images that set the threshold
# in Section 6: a step size chosen from four values on normal images cannot fit them closely, but a
# stricter protocol would keep the two sets apart.
# The library's default (`anogan.SETTINGS`) was chosen the same way for the generator the experiment grid
# trains; for the long-trained generator used here validation may choose another step, so the same images
# can score differently from Section 4 on: a score is a property of the generator *and* of the search.

# %% [markdown]
# ## 6 · Scores, AUROC and seconds per image
#
# Now the whole test sample, in batches of `det.score_batch_size`, with the trajectory kept for
# Section 8. The threshold is the 95th percentile of the *validation* scores (notebook 00). For
# scale, the k-nearest-neighbour baseline of notebook 00 scores the same test images.

# %%
t0 = time.perf_counter()
found = det.search(x_test, trajectory=True)
search_seconds = time.perf_counter() - t0
val_scores = det.anomaly_score(x_val)
result = metrics.evaluate(found.score, y_test, val_scores)
knn = KNNDetector(k=5).fit(fmnist.images[split.train])
knn_scores = knn.anomaly_score(fmnist.images[test_idx])
knn_auroc = roc_auc_score(y_test, knn_scores)
sec_per_image = search_seconds / len(x_test)
print(f"AnoGAN: AUROC {result['auroc']:.3f} | AUPRC {result['auprc']:.3f} | F1 at the validation threshold {result['f1']:.3f}")
print(f"kNN on pixels, same images: AUROC {knn_auroc:.3f}")
print(f"search: {search_seconds:.1f} s for {len(x_test)} images = {sec_per_image * 1000:.1f} ms per image "
      f"(Γ = {GAMMA}, batches of {det.score_batch_size}, {torch.get_num_threads()} CPU thread(s), device {DEVICE.type})")

fig, ax = plt.subplots(figsize=(6, 3))
bins = np.linspace(found.score.min(), found.score.max(), 40)
ax.hist(found.score[~y_test], bins, alpha=0.6, label="normal test images")
ax.hist(found.score[y_test], bins, alpha=0.6, label="anomalies (bags)")
ax.axvline(result["threshold"], color="k", ls="--", label="threshold (95th pct. of validation)")
ax.set_xlabel("A(x) = L(z_Γ)")
ax.set_ylabel("test images")
ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3)
plt.show()
fpr_test = float((found.score[~y_test] > result["threshold"]).mean())
print(f"at the validation threshold: precision {result['precision']:.2f}, recall {result['recall']:.2f}, false alarms "
      f"on normal test images {fpr_test:.1%} (the target: 5 %); AUPRC chance level {y_test.mean():.2f}; "
      f"false-positive rate at 95 % true positives {result['fpr_at_95_tpr']:.2f}")
fpr95 = result["fpr_at_95_tpr"]
display(Markdown(
    f"**Reading the two metrics.** A score that ranks the images at random has an AUPRC of about the share of "
    f"anomalies among them, {y_test.mean():.2f} here; AnoGAN's {result['auprc']:.3f} is "
    f"{result['auprc'] / y_test.mean():.1f} times that chance level (with fewer anomalies in the test set both "
    f"would fall, which is why AUPRCs are compared only at the same share). To catch 95 % of the bags, a "
    f"threshold would have to flag {fpr95:.0%} of the normal test images: "
    + ("more false alarms than most uses could afford, because the last bags score among the normal images. "
       if fpr95 > 0.1 else "a price many uses could afford. ")
    + "That point is read with the test labels: it describes the ranking, not a threshold one could set."))


def paired_auroc_diff(y, s1, s2, n_boot=1000, seed=0):
    """AUROC(s1) - AUROC(s2) on the same images, and its 95 % percentile-bootstrap interval: each round
    resamples the *images* once and scores both methods on that resample, so the two AUROCs stay paired."""
    rng, diffs = np.random.default_rng(seed), []
    for _ in range(n_boot):
        i = rng.integers(0, len(y), len(y))
        if 0 < y[i].sum() < len(i):
            diffs.append(roc_auc_score(y[i], s1[i]) - roc_auc_score(y[i], s2[i]))
    return roc_auc_score(y, s1) - roc_auc_score(y, s2), *np.percentile(diffs, [2.5, 97.5])


knn_diff = paired_auroc_diff(y_test, knn_scores, found.score)
print(f"kNN - AnoGAN on the same images: {knn_diff[0]:+.3f}, 95 % paired-bootstrap interval "
      f"[{knn_diff[1]:+.3f}, {knn_diff[2]:+.3f}]")
print("reading: kNN on raw pixels ranks these images "
      + ("better than AnoGAN, beyond the sampling noise (the interval excludes 0)" if knn_diff[1] > 0 else
         "worse than AnoGAN, beyond the sampling noise" if knn_diff[2] < 0 else
         "about as well as AnoGAN: the interval includes 0")
      + f"; the threshold comes from only {len(x_val)} validation images, the price of a slow search.")
fpr_s, tpr_s, _ = roc_curve(y_test, found.score)
print(f"for reading only (test labels): at a 5 % false-alarm rate on these test images AnoGAN would catch "
      f"{np.interp(0.05, fpr_s, tpr_s):.0%} of the bags; at the {fpr_test:.1%} the validation threshold actually "
      f"flags, {np.interp(fpr_test, fpr_s, tpr_s):.0%} — so the gap to the recall above comes from where the "
      f"threshold fell, estimated from {len(x_val)} validation images, not from the ranking.")
print(f"kNN remembers the {len(split.train):,} training images of this profile; the long-trained GAN saw "
      f"{gan_long.manifest['split']['train']:,} — and kNN still ranks as printed above.")

# %% [markdown]
# Read the histogram and the two printed lines together. The AUROC is fair, but the F1 at the validation
# threshold can be poor: some *normal* images score higher than almost every bag (the long right tail of
# the normal histogram), so any threshold that keeps false alarms near 5 % catches few bags. And the
# threshold is the 95th percentile of only the validation images printed above — a noisy estimate of the
# normal tail, so the real false-alarm rate on test images lands away from the 5 % aimed at. AUROC
# summarises every threshold and hides that the low-false-alarm end, where a detector is used, is weak.
# And a detector without any GAN, kNN on raw pixels (notebook 00), ranks these same images as the second
# line says: a GAN-based score has to earn its cost against that baseline.

# %% [markdown]
# ## 7 · Residual maps: where is the image abnormal?
#
# $|\mathbf{x} - G(\mathbf{z}_\Gamma)|$ is an image itself. For most normal images the generator finds a
# close match and the residual is faint. For an anomaly one might expect the closest image to be a
# garment; look at the middle row: for some bags the search finds a bag-like shape — a rectangle, a
# rounded body — and the residual on the bag's body is faint, lighting up only at the handles and edges.
# Nothing keeps $\mathbf{z}$ near the prior during the search (Section 1), so it can wander to codes the
# generator was never trained to use well; the line printed below the figure measures how far the codes
# of normal images and of bags end up from the prior's typical radius. Normal images the generator draws
# badly light up too: they are the false alarms of the histogram's tail (look for a high black score in
# the top row). This map is what AnoGAN was built for: pointing a clinician at the abnormal region of a
# retinal scan.

# %%
k = 6
normal_i = list(np.flatnonzero(~y_test)[:k])            # the test sample is in random order:
anom_i = list(np.flatnonzero(y_test)[:k])               # the first k of each kind, unselected
fig, axes = plt.subplots(3, 2 * k, figsize=(1.3 * 2 * k, 4.3))
for col, i in enumerate(normal_i + anom_i):
    for row, (img, kw) in enumerate([(found.x[i], {"vmin": -1, "vmax": 1}),
                                     (found.x_gen[i], {"vmin": -1, "vmax": 1}),
                                     (found.residual[i], {"cmap": "magma", "vmin": 0, "vmax": 2})]):
        im = axes[row, col].imshow(img[0], **kw)
        axes[row, col].set_axis_off()
    axes[0, col].set_title(f"{found.score[i]:.0f}", fontsize=8, color="crimson" if y_test[i] else "black")
for row, name in enumerate(["x", "G(z_Γ)", "|x - G(z_Γ)|"]):
    axes[row, 0].text(-4, 16, name, ha="right", va="center", fontsize=9)
fig.suptitle("left: normal test images, right: anomalies (scores above, red = anomaly)", fontsize=10)
fig.colorbar(im, ax=axes[2, :], fraction=0.02, pad=0.01, label="|x - G(z_Γ)|")
plt.show()
from collections import Counter

top_normal = np.argsort(-np.where(y_test, -np.inf, found.score))[:10]
print("classes of the 10 highest-scoring normal test images:",
      ", ".join(f"{name} {n}" for name, n in Counter(fmnist.classes[int(c)] for c in fmnist.labels[test_idx[top_normal]]).most_common()))
test_labels = fmnist.labels[test_idx].numpy()
class_means = {fmnist.classes[c]: float(found.score[(~y_test) & (test_labels == c)].mean())
               for c in NORMAL if ((~y_test) & (test_labels == c)).any()}
print("mean score of the normal test images, by class:",
      ", ".join(f"{k} {v:.0f}" for k, v in sorted(class_means.items(), key=lambda kv: -kv[1])))
ink = {fmnist.classes[c]: float((x_test[(~y_test) & (test_labels == c)] > 0).float().mean())
       for c in NORMAL if ((~y_test) & (test_labels == c)).any()}
print("share of bright pixels (above mid-grey) of the same images, by class:",
      ", ".join(f"{k} {ink[k]:.0%}" for k in sorted(class_means, key=lambda k: -class_means[k])))
z_norm = found.z.flatten(1).norm(dim=1) / np.sqrt(gan.nz)   # about 1 for a typical draw from N(0, I)
print(f"|z_Γ| / √nz (about 1 for a typical code of the prior): normal images {z_norm[~y_test].mean():.2f}, "
      f"bags {z_norm[y_test].mean():.2f} (means)")
# does object size explain the order of the classes? Spearman's rank correlation of the two orders
rho = stats.spearmanr([class_means[k] for k in class_means], [ink[k] for k in class_means]).statistic
print(f"rank correlation of the classes' mean scores with their bright-pixel shares: Spearman ρ = {rho:+.2f} "
      f"over {len(class_means)} classes")
gap = z_norm[y_test].mean() - z_norm[~y_test].mean()
typical = 1 / np.sqrt(2 * gan.nz)   # the spread of |z| / √nz for z ~ N(0, I): about 1 ± this
auroc_znorm = roc_auc_score(y_test, z_norm.numpy())
print(f"a prior draw lies at 1 ± {typical:.2f}; the AUROC of |z_Γ| alone as a score: {auroc_znorm:.3f}")
display(Markdown(
    f"**Reading the last lines.** Spearman's ρ = {rho:+.2f} over {len(class_means)} classes: "
    + ("the classes that score high are the large, bright ones, so size alone could explain much of the order."
       if rho > 0.5 else
       "the order of the scores is not the order of the object sizes, so size alone does not explain which "
       "normal classes score high." if abs(rho) < 0.3 else
       "a moderate link between object size and score, neither explaining the order nor irrelevant to it.")
    + f" The codes the search finds have a norm of about {z_norm[~y_test].mean():.2f} √nz for normal images and "
    f"{z_norm[y_test].mean():.2f} √nz for bags: "
    + ("both within the prior's typical range, so the search stays where the prior puts its mass. "
       if abs(z_norm[~y_test].mean() - 1) < 2 * typical and abs(z_norm[y_test].mean() - 1) < 2 * typical else
       f"{'both beyond' if abs(z_norm[~y_test].mean() - 1) >= 2 * typical else 'the bags beyond'} the prior's "
       f"typical range (1 ± {typical:.2f}), the bags' codes {'farther from' if gap > 0 else 'closer to'} the "
       "origin than the normal ones'. ")
    + f"The code's length alone separates the groups with AUROC {auroc_znorm:.3f}: "
    + ("a second signal, which AnoGAN's score does not use." if auroc_znorm > 0.6 else
       "little signal of its own.")))

# %% [markdown]
# Are the false alarms random? The printout counts the classes of the ten normal images that score
# highest, and the line below it the mean score of each normal class over all normal test images. Ten
# images are too few to say much; the per-class means say more, but they have two candidate causes. A
# class may score high because the generator draws it worse (the judge of notebook 01 measures how it
# covers each class) — or simply because $\mathcal{L}_R$ is a *sum* over pixels, which grows with the
# area and texture of the object: compare the class order of the scores with the order of the bright-pixel
# shares printed beside them; the rank correlation above measures how far they agree. Where the two orders
# agree, size alone could explain the scores; telling the causes apart would need a score normalised by
# object size, which AnoGAN does not have.

# %% [markdown]
# ## 8 · How many steps, and how much λ?
#
# Both questions below are answered with the test labels, to *understand* the method; they are not
# used to choose its settings (the defaults stay the paper's λ = 0.1 and the profile's Γ).
#
# **Steps.** The trajectory holds $\mathcal{L}(\mathbf{z}_t)$ for every step, so the score "had we
# stopped after $t$ steps" costs nothing extra.

# %%
ts = np.unique(np.linspace(0, GAMMA, min(GAMMA + 1, 26)).astype(int))
auroc_t = np.array([roc_auc_score(y_test, found.scores_at(int(t))) for t in ts])
loss_t = found.trajectory["loss_t"].double().numpy()
fig, axes = plt.subplots(1, 2, figsize=(10, 3))
axes[0].plot(ts, auroc_t, marker="o", ms=3)
axes[0].set_xlabel("step t")
axes[0].set_ylabel("AUROC of L(z_t)")
axes[0].set_ylim(0.5, 1.0)
axes[1].plot(loss_t[:, ~y_test].mean(1), label="normal")
axes[1].plot(loss_t[:, y_test].mean(1), label="anomalies")
axes[1].set_xlabel("step t")
axes[1].set_ylabel("mean L(z_t)")
axes[1].legend(frameon=False)
plt.tight_layout()
plt.show()
print(f"AUROC after 0 steps (random z_0): {auroc_t[0]:.3f}; after Γ = {GAMMA}: {auroc_t[-1]:.3f}")
auroc_mass = roc_auc_score(y_test, x_test.mean((1, 2, 3)).numpy())
print(f"for comparison, no model at all: the AUROC of each image's mean intensity is {auroc_mass:.3f}")
print("reading: " + (f"the random start ({auroc_t[0]:.3f}) does about as well as mean intensity alone, so at t = 0 the "
                     "score mostly measures how much bright area an image has" if abs(auroc_t[0] - auroc_mass) < 0.05
                     else f"the random start ({auroc_t[0]:.3f}) differs from mean intensity alone, so it measures more "
                     "than bright area"))
outside = np.flatnonzero(np.abs(auroc_t - auroc_t[-1]) > 0.005)
settled = int(ts[outside[-1] + 1]) if len(outside) else 0
print(f"the AUROC stays within 0.005 of its final value from step {settled} on")
print(f"mean loss still falling at the end: normal {loss_t[-2, ~y_test].mean() - loss_t[-1, ~y_test].mean():.2f} "
      f"in the last step")

# %% [markdown]
# At $t = 0$ the score compares each image with a random $G(\mathbf{z}_0)$ — already above chance. The
# printed AUROC of the mean intensity tests one explanation: if it is near the $t = 0$ value, bags simply
# have more bright area than most clothes, and any score that sums over pixels rewards large objects (the
# reading line says whether it is). That is a statement about bags against the rest; across the *normal*
# classes Section 7 found no such link (its rank correlation), so brightness separates the anomaly here
# without ordering the normal classes. The search
# then lowers the loss of every image, and of normal images further, because the generator can draw them:
# the curves on the right separate, and the AUROC on the left rises as the two groups' scores overlap
# less. The printed step shows where the AUROC settles; beyond it the extra steps buy little, and
# more steps cost linearly more time. The loss curves are still falling at $t = \Gamma$ (the last printed
# line): the search has not converged, so $A(x)$ depends on $\Gamma$, the step size and $\mathbf{z}_0$.
# Choosing Γ from this curve would again use test labels; it shows what Γ does, and is why Γ is a profile
# setting.

# %% [markdown]
# **λ.** λ moves weight between the pixel distance and the feature distance, and it changes the search
# itself, so every λ needs its own search. To keep the run short the sweep uses the first half of the
# test sample. For λ = 0.1 the scores of Section 6 are reused: an image's score does not depend on the
# other images of its batch, so the first half of that run *is* a run on the first half.

# %%
half = len(x_test) // 2
lambdas = [0.0, 0.1, 0.5, 1.0]
auroc_lam = {}
for lam_ in lambdas:
    s = found.score[:half] if lam_ == lam else det.anomaly_score(x_test[:half], lambda_=lam_)
    auroc_lam[lam_] = roc_auc_score(y_test[:half], s)
# the two parts of the λ = 0.1 score, each on its own
auroc_parts = {"L_R alone": roc_auc_score(y_test, found.loss_R), "L_D alone": roc_auc_score(y_test, found.loss_D)}
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(lambdas, [auroc_lam[v] for v in lambdas], marker="o")
ax.set_ylim(0.5, 1.0)
ax.set_xlabel("λ (weight of the discrimination loss)")
ax.set_ylabel(f"AUROC ({half} test images)")
plt.show()
print("AUROC by λ:", {k: round(v, 3) for k, v in auroc_lam.items()})
print("parts of the λ = 0.1 score at z_Γ:", {k: round(v, 3) for k, v in auroc_parts.items()})

# %%
# Is the best λ really better than the paper's, and is one part really better than the other? Both are
# scored on the same images, so the paired bootstrap of Section 6 answers it: the interval of the difference.
best_lam = max(auroc_lam, key=auroc_lam.get)
best_part = max(auroc_parts, key=auroc_parts.get)
s_best = found.score[:half] if best_lam == lam else det.anomaly_score(x_test[:half], lambda_=best_lam)
lam_diff = paired_auroc_diff(y_test[:half], s_best, found.score[:half])
part_diff = paired_auroc_diff(y_test, found.loss_R, found.loss_D)
print(f"λ = {best_lam} - λ = 0.1 on the {half} images of the sweep: {lam_diff[0]:+.3f}, 95 % paired interval "
      f"[{lam_diff[1]:+.3f}, {lam_diff[2]:+.3f}]")
print(f"L_R alone - L_D alone on all {len(y_test)} images: {part_diff[0]:+.3f}, 95 % paired interval "
      f"[{part_diff[1]:+.3f}, {part_diff[2]:+.3f}]")
print(f"reading: on these images the highest AUROC is at λ = {best_lam} ({auroc_lam[best_lam]:.3f}); the paper's "
      f"λ = 0.1 gives {auroc_lam[0.1]:.3f} — " + ("the same value" if best_lam == 0.1 else
      "a gap the interval cannot tell from 0: indistinguishable on this sample" if lam_diff[1] <= 0 else
      "a gap beyond the sampling noise"))
print(f"the two parts of the λ = 0.1 score alone: L_R {auroc_parts['L_R alone']:.3f}, L_D {auroc_parts['L_D alone']:.3f} "
      f"(combined {result['auroc']:.3f}) — " + ("indistinguishable on this sample" if part_diff[1] <= 0 <= part_diff[2]
                                                else f"{best_part.replace(' alone', '')} separates better"))
print("every λ reuses the step size chosen for λ = 0.1, which may not suit the others; and picking λ from this "
      "plot would tune on test labels (notebook 00).")

# %% [markdown]
# Read the λ curve from left to right: λ = 0 searches and scores by pixels alone, λ = 1 by D's features
# alone. Two different things are measured above. The curve changes the *search* as well as the score:
# searching by features alone can find a code whose features match an anomaly's although its pixels do
# not (features are many-to-one), so the curve may fall at the right. The "parts" only *score* differently
# at the codes of the λ = 0.1 search — there $L_D$ alone can rank well. Two cautions: the curve uses
# half the test sample and the parts all of it, so λ = 0.1 appears with two values; and on a few hundred
# images an AUROC moves from sample to sample, so each comparison comes with the paired-bootstrap interval
# of its difference, and the printed readings name a winner only where that interval excludes 0.

# %% [markdown]
# ## 9 · What a search costs, batched and one image at a time
#
# Section 6 measured the batched search. The classic implementations loop over the images and run
# Γ steps for each one alone. Same code, same steps, a few images one at a time:

# %%
n_loop, n_batch = min(8, len(x_test)), min(32, len(x_test))
det.anomaly_score(x_test[:1])                        # warm-up: the first call pays one-off costs


def fastest_of_3(fn):
    """The fastest of three runs: the run least disturbed by other work on the machine."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


t_batch, batched = fastest_of_3(lambda: det.anomaly_score(x_test[:n_batch]))
t_loop, alone = fastest_of_3(lambda: np.concatenate([det.anomaly_score(x_test[i:i + 1]) for i in range(n_loop)]))
batch_ms, loop_ms = 1000 * t_batch / n_batch, 1000 * t_loop / n_loop
print(f"same search (Γ = {GAMMA}, no trajectory), fastest of 3 runs: batched ({n_batch} images) {batch_ms:.1f} ms per "
      f"image | one at a time ({n_loop} images) {loop_ms:.1f} ms per image | ratio {loop_ms / batch_ms:.1f}x")
print("same scores alone as in the batch:", np.allclose(alone, batched[:n_loop], rtol=1e-5, atol=1e-4))
bench = Path("../results/cpu/anogan_bench.json")
if bench.is_file():
    b = json.loads(bench.read_text())
    for r in b["results"]:
        print(f"benchmark ({b['device']}, {b['torch_threads']} thread(s), batch {r['batch_size']}, {r['steps']} steps, "
              f"{r['nets']}-profile networks): ratio {r['ratio']}x")

# %% [markdown]
# Two measurements of the same ratio, and they need not agree. The first line times a handful of images
# inside a notebook, on a machine that may be busy with other work, with a batch of only a few dozen and
# the notebook's number of threads (Section 6 printed it): a rough number. The benchmark may have run with
# another number of threads (its line says how many), which alone moves the ratio. The benchmark (`python -m ganad_lib.bench anogan`, which writes
# `results/cpu/anogan_bench.json`) warms up, repeats and times larger batches: it is the reference, and its
# rows for the `cpu`-profile networks (width 32, as the long-trained GAN searched here) are the ones that
# apply.
# Either way the batched search wins on a CPU, and by more for small networks, whose per-call overhead
# weighs more against their arithmetic. On a GPU a single image leaves the device nearly idle, so batching
# should pay off even more (not measured here). Either way AnoGAN costs Γ forward and backward passes per
# image; notebook 04 removes the search altogether.
#
# ## 10 · Pitfalls
#
# **Scoring in training mode.** In `train()` mode batch normalisation normalises with the statistics of
# the *current batch*, so an image's score depends on which other images happen to be scored with it,
# and every forward pass also overwrites the stored statistics. Measured on a copy of the GAN (so that
# the real one is not damaged), with a short search:

# %%
wrong = copy.deepcopy(gan)

def search_in_train_mode(x, steps=10):
    G, D = wrong.G.train(), wrong.D.train()          # the mistake
    z = anogan.initial_z(x, gan.nz, seed=0).requires_grad_(True)
    opt = torch.optim.Adam([z], lr=det.config["search_lr"])
    f_x = D(x, features=True)[1].detach()

    def loss(z):
        x_gen = G(z)
        return anogan.total_loss(anogan.residual_loss(x, x_gen), anogan.discrimination_loss(f_x, D(x_gen, features=True)[1]))

    for _ in range(steps):
        opt.zero_grad()
        loss(z).sum().backward()
        opt.step()
    with torch.no_grad():                            # the score after the last step, as in Section 3
        return loss(z).cpu().numpy()

xb = x_test[:32].to(DEVICE)
in_batch = search_in_train_mode(xb)[:4]
by_itself = np.array([search_in_train_mode(xb[i:i + 1])[0] for i in range(4)])
train_mode_change = np.abs(in_batch - by_itself) / np.abs(in_batch)
eval_in_batch = det.anomaly_score(xb, steps=10)[:4]
eval_alone = np.array([det.anomaly_score(xb[i:i + 1], steps=10)[0] for i in range(4)])
eval_change = np.abs(eval_in_batch - eval_alone) / np.abs(eval_in_batch)
def fmt(a):
    return "  ".join(f"{v:.1e}" for v in a)

print("relative change of a score, alone vs in a batch of 32 (4 images)")
print("train mode          :", fmt(train_mode_change))
print("eval mode (library) :", fmt(eval_change))
print(f"reading: in train mode a score moves by {train_mode_change.min():.0%}–{train_mode_change.max():.0%} "
      f"depending on its batch; in eval mode "
      + ("not at all (identical to the last bit)" if eval_change.max() == 0
         else f"by at most {eval_change.max():.0e} (rounding)"))


# %% [markdown]
# **Thresholds and settings tuned on test labels.** Section 8 used the test labels to *draw* the effect
# of Γ and λ. Picking Γ or λ as the argmax of those curves, or a threshold that maximises test F1, would
# report an optimistic number (notebook 00 measured by how much). Here the step size came from
# validation losses, the threshold from validation scores, and the judge of Section 2 compared the
# generators with validation images; Γ is the profile's and λ the paper's.
#
# **Updating the generator during the search.** Some implementations pass all parameters to the
# optimiser of the search. The generator then learns to draw the test image, anomalies included, and the
# score stops measuring anything. Here the optimiser holds $\mathbf{z}$ only, and the tests in
# `tests/test_anogan.py` check that scoring changes no weight.
#
# **A mean instead of a sum over the batch.** Averaging the per-image losses divides every gradient by
# the batch size, so the search behaves differently for a batch of 1 and a batch of 256 wherever the
# optimiser is not scale-free (plain SGD; Adam's ε). The sum gives each image exactly its own gradient.
#
# ## 11 · Exercises
#
# Each stub raises `NotImplementedError`; replace its body and run the cell. The check runs your function
# on random inputs, compares it with a reference and names the usual mistakes; a function that only calls
# the library's functions is refused. Solutions are in [`docs/solutions.md`](../docs/solutions.md) —
# try first.
#
# **Exercise 1 — keep each image's best code.** Section 3's search returns the *last* code $\mathbf{z}_\Gamma$.
# But Adam with a large step overshoots, and then an earlier code of the path had a lower loss. Write a
# search that returns, for every image, the best code it visited and that code's loss: among
# $\mathbf{z}_0, \mathbf{z}_1, \dots, \mathbf{z}_\Gamma$, the one with the lowest $\mathcal{L}(\mathbf{z})$,
# with $\mathcal{L} = (1 - \lambda) L_R + \lambda L_D$ and `lambda_` = $\lambda$. Arguments: a generator
# `G` (handed over in training mode, with batch normalisation, as after training), a feature map `f`,
# images `x`, start codes `z0` (one row per image), `steps` = $\Gamma$ and the step size `lr`; return
# `(z_best, scores)`. Everything Section 3 requires still holds (eval mode, frozen weights, one batch).
# Think about three things before you code: *whose* best is it (each image's, not the batch's), *which*
# codes are compared (is $\mathbf{z}_\Gamma$ among them?), and how to update a best for some rows of a batch
# and not others without a Python loop over the images. The check runs your function with a step size that
# overshoots and names the usual mistakes; a function that only calls the library's `latent_search` or its
# losses is refused. (Small networks stand in for the DCGAN.) Afterwards: would the best-code score be a
# better *anomaly score* than $\mathcal{L}(\mathbf{z}_\Gamma)$? It can only be lower, for normal and anomalous
# images alike, so what matters is whether it separates the two groups better; try it on `x_test`.

# %%
def my_search(G, f, x, z0, steps, lr, lambda_):
    raise NotImplementedError

exercises.check_best_code_search(my_search)


# %% [markdown]
# **Exercise 2 — how sure is the recall?** Section 6 reported the recall at the validation threshold:
# the share of the searched bags that scores above the 95th percentile of the validation scores
# (`np.percentile(val_scores, 95)`, as `metrics.evaluate` sets it). How far could that share land from
# the printed one if the whole experiment were repeated, with as many new normal validation images and as
# many new test images, drawn from the same populations? Write
# `my_recall_interval(val_scores, test_scores, is_anomaly, n_boot, seed)`, which returns the 2.5th and
# 97.5th percentiles of the recall over `n_boot` bootstrap rounds, all drawn from one
# `np.random.default_rng(seed)`. Before you code, list every number in the recall's computation that a
# repeat would draw anew: Section 6's `paired_auroc_diff` resamples the test images, and copying it is not
# enough here. Then apply it to `val_scores`, `found.score` and `y_test`, and compute the interval a second time with
# everything held fixed except the test images: which source of chance makes most of the width, and which
# would you enlarge first, the validation set or the test set?

# %%
def my_recall_interval(val_scores, test_scores, is_anomaly, n_boot, seed):
    raise NotImplementedError

exercises.check_recall_interval(my_recall_interval)


# %% [markdown]
# **Exercise 3 (open).** Run the search on your own short-trained generator (`gan_live`) instead of the
# long-trained one and compare the AUROCs: how much of AnoGAN's result is the search, and how much the
# generator it searches? Choose `gan_live`'s step size first with Section 5's procedure, or the comparison
# mixes the generator with the step size. Section 6 printed what the search cost for the whole sample on
# this machine (and Section 5's choice of step size costs extra); half the sample, `x_test[:half]`, halves it.
#
# %% [markdown]
# ## Summary
#
# * AnoGAN inverts a GAN by optimisation: $\Gamma$ gradient steps on $\mathbf{z}$, with $G$ and $D$
#   frozen, on $\mathcal{L} = (1-\lambda)\mathcal{L}_R + \lambda\mathcal{L}_D$; the final loss is the
#   score $A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)$.
# * A batch is searched in one tensor with summed per-image losses; in eval mode the score of an image
#   does not depend on its batch, so batching is free of side effects.
# * The residual $|\mathbf{x} - G(\mathbf{z}_\Gamma)|$ shows *where* an image is abnormal.
# * Each score costs Γ forward and backward passes through $G$ and $D$, measured above in ms per image —
#   the motivation for EGBAD's encoder in notebook 04.
#
# ## References
#
# 1. Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#    Adversarial Networks to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 2. Goodfellow et al. *Generative Adversarial Nets.* NeurIPS 2014.
# 3. Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection.* arXiv:1802.06222,
#    2018 (its code's AnoGAN baseline: λ = 0.1 and Adam on z).
# 4. Di Mattia, Galeone, De Simoni, Ghelfi. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.
# 5. Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen. *Improved Techniques for Training GANs.* NeurIPS
#    2016 (feature matching).

# %%
# Results: what this notebook must show, whatever the profile.
# 1. the key lines written out and the library give the same scores
assert torch.allclose(A_open.double().cpu(), A_lib, rtol=1e-4, atol=1e-3)
# 2. the search is what separates the groups: the AUROC rises from the random start to z_Γ (measured cpu:
#    0.629 -> 0.876), and normal images' loss falls further than anomalies'
GAIN = {"smoke": 0.0, "cpu": 0.1, "full": 0.1}[P.name]
assert auroc_t[-1] > auroc_t[0] + GAIN, auroc_t
drop = loss_t[0] - loss_t[-1]
assert drop[~y_test].mean() > drop[y_test].mean() or P.name == "smoke", (drop[~y_test].mean(), drop[y_test].mean())
# 2b. the judge's verdict that chose the model: the long-trained GAN covers all 9 classes and is far closer
#     to real images than your run (Fréchet distance)
assert verdicts["long-trained"]["classes_covered"] == 9
assert verdicts["long-trained"]["frechet"] < verdicts["your run"]["frechet"], verdicts
# 3. an image scores the same alone and in a batch (eval mode); train mode breaks that
assert np.allclose(alone, batched[:n_loop], rtol=1e-5, atol=1e-4)
assert eval_change.max() < 1e-4 and train_mode_change.max() > 1e-3, (eval_change, train_mode_change)
# 4. scoring changed no weight: the scores of Section 3 repeat exactly
assert torch.allclose(torch.as_tensor(det.anomaly_score(x, lambda_=lam, lr=SET["search_lr"])), A_lib)
# 5. AnoGAN with the long-trained GAN separates bags from clothes. Measured: cpu 0.876 (seed 0, 512 test
#    images; the same on 1 and 2 threads to three decimals); smoke searches only 5 steps on 64 images, so its bound only guards the pipeline;
#    full not measured yet (no GPU run), so the cpu bound applies there.
MIN_AUROC = {"smoke": 0.2, "cpu": 0.75, "full": 0.75}[P.name]
assert result["auroc"] > MIN_AUROC, result
# 6. one image at a time is slower per image than the batched search (same search, fastest of 3 runs; a
#    timing, with a wide margin: measured 5.9x under load)
assert loop_ms > batch_ms, (loop_ms, batch_ms)
# 7. what the prose says of Section 5's step sizes: the largest step ends at a higher loss than the chosen one
if P.name != "smoke":
    assert curves[max(curves)][-1] > curves[best_lr][-1] or best_lr == max(curves), curves
print("all results checks passed")
