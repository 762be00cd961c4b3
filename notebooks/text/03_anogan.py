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
# is closest to it. A normal image can be explained well by some $G(\mathbf{z})$; an anomaly, of a kind the
# generator never saw, is usually explained worse, and what is left over is both its score and, for a local defect, a map of where it is abnormal.
#
# **Learning objectives.** After this notebook you can
#
# 1. write AnoGAN's residual loss, discrimination loss and anomaly score from the equations of Section 1,
#    and compute them in PyTorch;
# 2. run the latent search by gradient descent on $\mathbf{z}$ only, with $G$ and $D$ frozen, for a whole
#    batch at once, and explain why no image influences another;
# 3. watch the search progress (slider) and read residual maps of normal images, of bags and of normal images
#    with a pasted flaw;
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
from ganad_lib import anogan, comparison, data, exercises, metrics, narration, plotting, protocols, widgets
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
# function of notebook 01 (Goodfellow et al. 2014),
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{\mathbf{x} \sim p_{\text{data}}(\mathbf{x})} [\log D(\mathbf{x})] + \mathbb{E}_{\mathbf{z} \sim p_z(\mathbf{z})} [\log(1 - D(G(\mathbf{z})))],$$
#
# where $p_{\text{data}}$ is the distribution of the training images and $p_z$ the prior of the codes,
# $\mathcal{N}(0, I)$ in this course ($G$ in fact minimises the non-saturating $-\log D(G(\mathbf{z}))$, notebook 01, Section 8). It has no inverse $\mu: \mathbf{x} \mapsto \mathbf{z}$; AnoGAN approximates $\mu(\mathbf{x})$ by the
# code $\mathbf{z}_\Gamma$ an optimisation ends on:
# start from a random $\mathbf{z}_0$, and for $t = 0, \dots, \Gamma - 1$ take one step downhill from
# $\mathbf{z}_t$ to $\mathbf{z}_{t+1}$ on a loss that says how far $G(\mathbf{z}_t)$ is from
# $\mathbf{x}$; the score is the loss at $\mathbf{z}_\Gamma$. The loss has two parts:
#
# * the **residual loss**, a distance in pixel space,
#   $$\mathcal{L}_R(\mathbf{z}_t) = \sum_i |x_i - G(\mathbf{z}_t)_i|,$$
#   summed over the image's 32 × 32 pixels $i$;
# * the **discrimination loss**, the same distance between the discriminator's intermediate features $\mathbf{f}$,
#   $$\mathcal{L}_D(\mathbf{z}_t) = \sum_j |f_j(\mathbf{x}) - f_j(G(\mathbf{z}_t))|,$$
#   summed over all entries $j$ of $\mathbf{f}$ (Section 5 counts them);
#   it compares the two images in the representation $D$ learned for telling real from generated, so a
#   code whose image has the right *kind* of content scores well even where single pixels differ
#   (in the spirit of the feature matching of Salimans et al. 2016).
#
# A weight $\lambda$ (the paper's value is 0.1) combines them:
# $$\mathcal{L}(\mathbf{z}_t) = (1 - \lambda) \cdot \mathcal{L}_R(\mathbf{z}_t) + \lambda \cdot \mathcal{L}_D(\mathbf{z}_t).$$
#
# After the last step the loss *is* the anomaly score: $A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)$.
# Only $\mathbf{z}$ moves; $G$ and $D$ stay as training left them (Section 10 says why).

# %% [markdown]
# **What this notebook does differently from the paper**: Fashion-MNIST bags instead of retinal scans, a Gaussian prior and Adam on $\mathbf{z}$ (reported for the paper: a uniform prior and SGD with momentum), and a weight-averaged generator. Settings as reported by secondary sources (box): λ = 0.1 and $\mathcal{L}_D$ on $D$'s intermediate features, both used here; 500 search steps, where this profile runs Γ steps (printed above).
#
# <details><summary>The differences in detail, and the sources</summary>
#
# Full references: [`docs/references.md`](../docs/references.md), section 2.
#
# * **data**: 32 × 32 Fashion-MNIST with bags as the anomaly, not patches of retinal OCT scans;
# * **the search**: Adam on $\mathbf{z}$, with a step size chosen on normal validation images (Section 4), and
#   $\Gamma$ = the profile's number of steps (printed above). A summary of the paper (the README of
#   github.com/yjucho1/anoGAN) reports 500 backpropagation steps. The AnoGAN baseline in the code of EGBAD
#   (Zenati et al. 2018, notebook 04) also runs Adam on $\mathbf{z}$ only, for 500 steps;
# * **λ = 0.1**: the value EGBAD's README attributes to the paper, and the one the same summary gives. It
#   weighs two sums whose sizes depend on the image size and on $D$'s features, so the same number need not
#   mean the same balance here (Section 5 prints both parts);
# * **$\mathcal{L}_D$**: the distance between $D$'s intermediate features, as that summary describes it. Here
#   $\mathbf{f}$ is the output of the last convolutional block of the course's DCGAN discriminator;
# * **the generator**: the long-trained GAN's *weight-averaged* $G$, an exponential moving average (EMA) of its weights (Section 2). $D$, and so
#   $\mathbf{f}$, was trained against the raw $G$, so $\mathcal{L}_D$ may partly measure the gap between the
#   two generators. The EGBAD code's baseline also searches an EMA generator;
# * **the start**: $\mathbf{z}_0 \sim \mathcal{N}(0, I)$, one draw per image, seeded by the image itself
#   (Section 6b measures what another draw changes). Nothing keeps $\mathbf{z}$ near the prior;
# * **what the paper itself uses**: we cite these settings second-hand; check them against the paper
#   (arXiv:1703.05921). Tonnaer's PhD thesis (section 3.3; reference 6) says Schlegl et al. draw $\mathbf{z}$ from a *uniform* prior and search it by stochastic
#   gradient descent with momentum; this course uses $\mathcal{N}(0, I)$ and Adam.
#
# </details>
#

# %% [markdown]
# ## 2 · Data and a GAN of normal images
#
# *One class anomalous* on Fashion-MNIST (notebook 00): bags are the anomaly, the nine other classes
# are normal, and the GAN trains on normal training images only (as in notebook 01). The search is
# AnoGAN's expensive part, so it scores at most `P.max_search_images` test images, drawn at random.
#
# First you train a short GAN yourself (a few minutes on the cpu profile; the time is printed below). The search mostly uses the
# course's long-trained GAN (below); Section 6 and Exercise 3 search with yours too, to show how much of
# AnoGAN's AUROC comes from the generator.

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
val_idx = split.val          # every normal validation image: they set the threshold (Section 6)
x_train, x_test, x_val = to_x(split.train), to_x(test_idx), to_x(val_idx)
print(f"searched: {len(x_test)} test images ({int(y_test.sum())} anomalies), {len(x_val)} validation images")

# %%
gan = GAN.dcgan(P.image_size, channels=1, nz=P.nz, width=P.width, seed=0, device=DEVICE)
t0 = time.perf_counter()
history = gan.fit(x_train, epochs=P.epochs, batch_size=P.batch_size)   # its loss curves: notebook 01 reads them
train_seconds = time.perf_counter() - t0

fig, ax = plt.subplots(figsize=(9, 3.4))
plotting.show_images(gan.sample(24, torch.Generator().manual_seed(0)), nrow=8, ax=ax,
                     title=f"your run ({P.epochs} epochs): G(z), z ~ p_z")
plt.show()
print(f"trained in {train_seconds:.0f} s")


# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**What to see.** 24 samples of your {P.epochs}-epoch run: from so short a run, expect rough, blurry shapes. "
    "The judge below (a labelled classifier, next cell) says how many of them it can name, and as which classes."))


# %% [markdown]
# AnoGAN is only as good as its generator: an image $G$ cannot draw is "anomalous" whether or not it is
# normal. So before searching, the judge of notebook 01 (a classifier trained with the labels of all ten
# classes, bags included) compares your run with the GAN shipped with the course (`ganad_lib.pretrained`): the same
# code and networks, trained longer on every normal training image of the whole split, with a
# weight-averaged $G$ (notebook 01, Section 6).

# %%
from ganad_lib import judge as J
from ganad_lib import pretrained

judge = J.Judge.load("fashion_mnist")


def judged(images):   # the judge names each image (it only reads); Sections 5 and 7 reuse it
    return [judge.classes[c] for c in judge.predict(torch.stack(list(images)).detach().cpu().float())]


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
for name, r in verdicts.items():
    print(f"{name:13s} confident {r['confident']:.0%} (real {r['confident_real']:.0%}), {r['classes_covered']} of 9 classes, "
          f"Fréchet {r['frechet']:.1f} (real vs real {r['frechet_real']:.1f})")
gan_live, gan = gan, gan_long   # the search below runs on the generator the judge says works
shown = {name: g.sample(24, torch.Generator().manual_seed(0)) for name, g in (("your run", gan_live),
                                                                             ("long-trained", gan_long))}
fig, ax = plt.subplots(figsize=(9, 3.4))            # thumbnails the size of your run's in the figure above
plotting.show_images(shown["long-trained"], nrow=8, ax=ax, title="the long-trained GAN: G(z), z ~ p_z")
plt.show()
thumbs = {name: J.thumbnail_names(judge, s_) for name, s_ in shown.items()}   # (how many it is sure of, its names)

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see** (measures defined in notebook 01, Section 7).\n\n"
    f"* Your short run: the judge is *confident* (top class probability ≥ {J.CONFIDENT:g}) on {verdicts['your run']['confident']:.0%} "
    f"of its samples (real images: {verdicts['your run']['confident_real']:.0%}), which cover {verdicts['your run']['classes_covered']} "
    f"of 9 classes (a class counts with at least {100 * J.MIN_CLASS_SHARE:g} % of the samples); Fréchet distance "
    f"{verdicts['your run']['frechet']:.1f}. In the first figure's grid it is sure of {thumbs['your run'][0]} of the 24 thumbnails; its "
    "best guesses: " + ", ".join(f"{k_} {c_}" for c_, k_ in thumbs['your run'][1].most_common()) + ".\n"
    f"* The long-trained GAN: {verdicts['long-trained']['confident']:.0%}, {verdicts['long-trained']['classes_covered']} of 9, Fréchet "
    f"{verdicts['long-trained']['frechet']:.1f} (real against real: {verdicts['long-trained']['frechet_real']:.1f}). Its 24 thumbnails above, as the "
    "judge names them: " + ", ".join(f"{k_} {c_}" for c_, k_ in thumbs['long-trained'][1].most_common())
    + (f"; no {judge.classes[ANOMALY].lower()}, as its $G$ never saw one" if judge.classes[ANOMALY] not in thumbs['long-trained'][1] else "")
    + f" (sure of {thumbs['long-trained'][0]} of 24).\n"
    "* A search can only find what $G$ can draw, so from here on `gan` is the long-trained GAN. "
    + (f"Trained {gan_long.manifest['steps_to_chosen_epoch'] / len(history.steps):.0f}× as many steps on "
       f"{gan_long.manifest['split']['train'] / len(x_train):.1f}× as many images, it would be the choice anyway; the "
       "judge's verdict confirms it. " if gan_long.manifest["steps_to_chosen_epoch"] > 2 * len(history.steps) else
       "The judge's verdict supports the choice. ")
    + "The judge is trained with labels, so it is no part of an unsupervised detector; it also chose the "
    "long-trained GAN's epoch (details), a small use of labels. Your run stays available as `gan_live`.\n\n"
    "<details><summary>Where the long-trained GAN comes from</summary>\n\n"
    f"* **Generator:** {gan_long.manifest.get('generator', 'not recorded in its manifest')}.\n"
    f"* **Training:** epoch {gan_long.manifest['epoch_chosen']} of {gan_long.manifest['epochs_trained']} ({gan_long.manifest['steps_to_chosen_epoch']:,} steps on "
    f"{gan_long.manifest['split']['train']:,} images); your run: {P.epochs} epochs ({len(history.steps):,} steps) on "
    f"{len(x_train):,} images in {train_seconds:.0f} s.\n"
    f"* **Stopping rule:** {gan_long.manifest['stopping_rule']}; "
    + ("it chose the last epoch, so it did not favour this comparison." if gan_long.manifest["epoch_chosen"] == gan_long.manifest["epochs_trained"]
       else "chosen on the validation images the judge uses here, so its Fréchet distance is slightly optimistic.")
    + "\n* Its training images include none of this profile's validation or test images (results check 2b).\n\n"
    "</details>"))

# %% [markdown]
# ## 3 · The search in the open
#
# The key lines, written out, for four normal and four anomalous test images, with the library's default
# step size (printed at the top; Section 4 then chooses one on validation images). Three details make the
# batched search correct:
#
# * `G.eval()` and `D.eval()`: batch normalisation uses the statistics stored during training, not those
#   of the images being scored;
# * `requires_grad_(False)` on every weight and an optimiser that holds **only** `z`;
# * one row of `z` per image, and the per-image losses **summed** before `backward()`: the derivative of
#   $\sum_j \mathcal{L}_j$ with respect to $\mathbf{z}_i$ is $\partial \mathcal{L}_i / \partial \mathbf{z}_i$,
#   and Adam updates each element on its own, so each row follows the path it would follow alone (why
#   not a mean: Section 10).
#
# `anogan.initial_z` seeds each image's $\mathbf{z}_0 \sim \mathcal{N}(0, I)$ with a hash of the image, so
# the same image starts from the same code in any batch.

# %%
modes = gan.G.training, gan.D.training                # restored at the end of the cell
G, D = gan.G.eval(), gan.D.eval()                     # batch norm: running statistics
weights = [*G.parameters(), *D.parameters()]
flags = [p.requires_grad for p in weights]            # each weight's flag, restored at the end of the cell
for p in weights:
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
for p, flag in zip(weights, flags):
    p.requires_grad_(flag)                            # restore what the cell changed: the flags and the modes
gan.G.train(modes[0])
gan.D.train(modes[1])                                 # in the library, `with anogan.frozen(G, D):` does all this

det = AnoGAN.from_gan(gan, steps=GAMMA, lambda_=lam, search_lr=SET["search_lr"])
A_lib = torch.as_tensor(det.anomaly_score(x))
assert torch.allclose(A_open.double().cpu(), A_lib, rtol=1e-4, atol=1e-3)
print("A(x), written out :", A_open.cpu().numpy().round(2))
print("det.anomaly_score :", A_lib.numpy().round(2))
A_normal4, A_bag4 = A_lib[:4].numpy(), A_lib[4:].numpy()   # the first four are normal images, the last four bags

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "The library's `AnoGAN` (`ganad_lib/anogan.py`: `residual_loss`, `discrimination_loss`, `total_loss`, "
    "`latent_search`) prints the same numbers; from here on we use it. The first four scores are the normal "
    "images, the last four the bags: "
    + (f"every bag scores above every normal image (lowest bag {A_bag4.min():.1f}, highest normal image "
       f"{A_normal4.max():.1f}). Eight images prove nothing; Section 6 scores hundreds."
       if A_bag4.min() > A_normal4.max() else
       f"{int((A_bag4[:, None] > A_normal4[None, :]).sum())} of the 16 (bag, normal image) pairs put the bag "
       "higher. Eight images prove nothing; Section 6 scores hundreds.")))

# %% [markdown]
# ## 4 · The step size, chosen on validation images
#
# Adam's step size for $\mathbf{z}$ is the search's own hyper-parameter. We search normal validation
# images with four step sizes and keep the one with the lowest mean final loss: no test label needed.
# A proxy: the step that fits normal images best need not be the one that *separates* best, which only
# labels could measure.

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
print(f"chosen step size: {best_lr}, on {len(x_lr)} normal validation images (the library's default for profile "
      f"'{P.name}': {SET['search_lr']})")
default_lr = SET["search_lr"]
det = AnoGAN.from_gan(gan, steps=GAMMA, lambda_=lam, search_lr=best_lr)
print(f"Section 3 searched with the default step {default_lr}; from here on every search uses the chosen {best_lr}.")
lr_k = max(1, GAMMA // 10)                             # the last tenth of the steps
lr_late = {lr: (c[-1 - lr_k] - c[-1]) / (c[0] - c[-1]) for lr, c in curves.items()}   # its share of the whole fall
lr_runner = min((lr for lr in curves if lr != best_lr), key=lambda lr: curves[lr][-1])
lr_gap = curves[lr_runner][-1] / curves[best_lr][-1] - 1

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**What to see.** Read the curves where they end: lr {best_lr} ends lowest, the runner-up lr {lr_runner} "
    f"{lr_gap:.0%} higher"
    + (" (close enough to swap in another run, with little effect on the scores)" if lr_gap < 0.05 else "")
    + ". " + (f"All curves still fall slowly at Γ: the last {lr_k} steps brought at most "
              f"{max(lr_late.values()):.1%} of a curve's fall (lr {max(lr_late, key=lr_late.get)}). "
              if min(lr_late.values()) > 0 else
              "Not every curve is still falling at Γ (share of its fall in the last "
              f"{lr_k} steps: " + ", ".join(f"lr {lr} {v:.1%}" for lr, v in lr_late.items()) + "). ")
    + f"So {best_lr} is the best step *for Γ = {GAMMA} steps*, not for a search run to convergence."))

# %% [markdown]
# The library's default (`anogan.SETTINGS`) was chosen the same way for the shorter-trained
# GANs of notebook 06's comparison grid; the long-trained one may prefer another step. These images are also among the
# validation images that set Section 6's threshold; a choice among four values can hardly overfit them.

# %% [markdown]
# ## 5 · The search made visible
#
# One normal image and one bag, searched together at the chosen step size. Read each row left to right:
# the query $\mathbf{x}$, $G(\mathbf{z}_t)$ at a few steps, the residual at $\Gamma$, and the loss with its
# two parts. The search is a local descent, so $G(\mathbf{z}_\Gamma)$ is where it *stopped*, not
# necessarily the closest image $G$ can draw; the residual is bright wherever that image and the query
# disagree.

# %%
pair = torch.stack([x_test[~y_test][0], x_test[y_test][0]])
found_pair = det.search(pair, trajectory=True)
show_t = sorted({0, GAMMA // 10, GAMMA // 4, GAMMA // 2, GAMMA})
frames = {name: [widgets.search_frame(found_pair, t, row, det.generate) for t in show_t]   # x, G(z_t), residual,
          for row, name in enumerate(["normal image", "bag"])}                             # losses so far
plotting.search_strip(frames, lam)   # per row: x, G(z_t) at the steps show_t, the residual at Γ, the loss curves
plt.show()
last_frame = {name: fr[-1] for name, fr in frames.items()}                                 # the frames at Γ
print("after Γ steps:", "; ".join(f"{name}: (1-λ) L_R = {(1 - lam) * f['loss_R'][-1]:.1f}, λ L_D = {lam * f['loss_D'][-1]:.1f}"
                                   for name, f in last_frame.items()))
with torch.no_grad():
    n_f = gan.D(pair[:1].to(DEVICE), features=True)[1][0].numel()   # D's features per image


true_normal = fmnist.classes[int(fmnist.labels[test_idx[np.flatnonzero(~y_test)[0]]])]   # the normal image's class
search_md = narration.search_pair_reading_short(   # the reading below: the curves, the judge's names, the two parts
    last_frame, show_t, GAMMA, lam, n_f, pair[0].numel(), true_normal, judge.classes[ANOMALY],
    {"normal image": A_normal4[0], "bag": A_bag4[0]}, default_lr,
    name_at=lambda row, t: judged([widgets.search_frame(found_pair, t, row, det.generate)["x_gen"]])[0])

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(search_md))

# %% [markdown]
# Move the slider to see $G(\mathbf{z}_t)$, the residual and the loss so far at every step of the bag's
# search. Run the notebook to use the slider; in a static view the figure above shows the same strip.

# %% tags=["nbval-ignore-output"]
widgets.search_explorer(found_pair, det.generate, index=1)

# %% [markdown]
# ## 6 · Scores and threshold
#
# Now the whole test sample, in batches of `det.score_batch_size`, keeping the trajectory for Section 8.
# The threshold is the 95th percentile of the *validation* scores (notebook 00); the k-nearest-neighbour
# baseline of notebook 00 scores the same test images, for scale. The measures, as in notebook 00:
#
# * **AUROC**: the chance that a random bag outscores a random normal image (0.5 = chance, 1 = perfect);
# * **recall**: the share of bags above the threshold; **precision**: the share of images above it that are bags;
# * **AUPRC**: precision averaged over all recalls; its chance level is the share of bags in the sample.
#

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
print(f"AnoGAN: AUROC {result['auroc']:.3f} | AUPRC {result['auprc']:.3f}")
print(f"kNN on pixels, same images: AUROC {knn_auroc:.3f}")
print(f"search: {search_seconds:.1f} s for {len(x_test)} images = {sec_per_image * 1000:.1f} ms per image "
      f"(Γ = {GAMMA}, batches of {det.score_batch_size}, {torch.get_num_threads()} CPU thread{'s' if torch.get_num_threads() != 1 else ''}, device {DEVICE.type})")

val_np = np.asarray(val_scores, dtype=float)
fig, ax = plt.subplots(figsize=(6, 3))
bins = np.linspace(min(found.score.min(), val_np.min()), max(found.score.max(), val_np.max()), 40)
ax.hist(found.score[~y_test], bins, density=True, alpha=0.6, label="normal test images")
ax.hist(found.score[y_test], bins, density=True, alpha=0.6, label="anomalies (bags)")
ax.hist(val_np, bins, density=True, histtype="step", color="k", lw=1.2,
        label=f"validation images ({len(val_np)}, normal)")
ax.axvline(result["threshold"], color="k", ls="--", label="threshold (95th pct. of validation)")
ax.set_xlabel("A(x) = L(z_Γ)")
ax.set_ylabel("density (each group's area = 1)")
ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2)
plt.show()
fpr_test = float((found.score[~y_test] > result["threshold"]).mean())
bag_median = float(np.median(found.score[y_test]))
normal_below_bag_median = float((found.score[~y_test] < bag_median).mean())   # normal images the typical bag outscores
print(f"median bag score {bag_median:.0f}, above {normal_below_bag_median:.0%} of the normal test images; "
      f"threshold {result['threshold']:.0f}")
print(f"at the validation threshold: precision {result['precision']:.2f}, recall {result['recall']:.2f}, false alarms "
      f"on normal test images {fpr_test:.1%} (target 5 %, set on {len(x_val)} validation images)")
print(f"AUPRC chance level {y_test.mean():.2f}")
# your short run (Section 2) as the generator of the same search: a first look, on the first 64 test images
n_live = min(64, len(x_test))
live_scores = AnoGAN.from_gan(gan_live, steps=GAMMA, lambda_=lam, search_lr=best_lr).anomaly_score(x_test[:n_live])
auroc_live, auroc_long_same = roc_auc_score(y_test[:n_live], live_scores), roc_auc_score(y_test[:n_live], found.score[:n_live])
print(f"the same search with your {P.epochs}-epoch GAN, first {n_live} test images: AUROC {auroc_live:.3f} "
      f"(the long-trained GAN on the same images: {auroc_long_same:.3f})")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**What to see.**\n\n* The dashed threshold, meant to keep false alarms near 5 %, catches "
    f"{result['recall']:.0%} of the bags in this run and flags {fpr_test:.1%} of the normal test images.\n"
    + ((f"* The typical bag (median score {bag_median:.0f}) scores above {normal_below_bag_median:.0%} of the normal "
        f"test images, yet below the threshold ({result['threshold']:.0f}).\n"
        "* The heavy right tail of the normal scores pushes the threshold up; the validation scores (black "
        "outline), where it comes from, have that tail too.\n")
       if result["recall"] < 0.5 and normal_below_bag_median > 0.5 else
       "* Most bags score below the normal tail.\n" if result["recall"] < 0.5 else "")
    + f"* Your {P.epochs}-epoch GAN as the generator: on the first {n_live} test images the same search gives "
    f"AUROC {auroc_live:.3f}, the long-trained GAN {auroc_long_same:.3f}, so here yours ranks "
    + ("lower" if auroc_live < auroc_long_same else "higher" if auroc_live > auroc_long_same else "the same")
    + f". Untested: {n_live} images and the long-trained GAN's step size are a first look only "
    "(Exercise 3 measures it).\n"
    + f"* AUPRC {result['auprc']:.3f} is {result['auprc'] / y_test.mean():.1f} times the chance level (the share of "
    f"anomalies, {y_test.mean():.2f}; AUPRCs compare only at the same share).\n\n"
    "Is a low recall a weakness of AnoGAN, or of any detector here? Below, kNN's ranking is compared with "
    "AnoGAN's, first as a whole (the AUROC), then at low false-alarm rates (the ROC curves)."))


# %% [markdown]
# ## 6b · How sure? kNN and a second start
#
# **AnoGAN against kNN: how sure is a difference of AUROCs? The paired bootstrap.** Another test
# sample would give other AUROCs. The *bootstrap* imitates drawing one: draw as many test images as
# there are, *with replacement*, recompute the statistic, repeat many times, and take the 2.5th and 97.5th percentiles as the 95 %
# interval. *Paired*: both methods are scored on the same resample each round, so an image hard for both
# cancels out of their difference. Only the test images are resampled: the starting codes $\mathbf{z}_0$ stay
# fixed, so *noise* below means the test sample's. What another start changes is measured at the end of this
# section; where it matters, replicates with other starts are quoted.
#
# **The verdicts.** The notebook compares AnoGAN with kNN and with its own variants several times, and
# every extra comparison gives chance another try. So each difference gets one of three words:
#
# * **beyond the noise** (of the test sample): it holds even after allowing for all the planned comparisons;
# * **weak evidence**: it holds for this comparison alone (its 95 % interval excludes 0);
# * **not distinguishable**: it does not.
#
# Numbers from other runs (notebook 06's grid, Section 9's benchmark) are context, never tested.
#
# <details><summary>How "beyond the noise" is computed (Bonferroni)</summary>
#
# The planned comparisons are kNN, a second start and three other values of λ: $m$ of them. Among $m$ intervals
# at 95 %, a miss somewhere is up to $m$ times likelier than 5 %. *Bonferroni* reads each at the level
# $1 - 0.05/m$ instead (the $2.5/m$-th and $(100 - 2.5/m)$-th percentiles of the same bootstrap draws; here the 0.5th and 99.5th): wider intervals
# that all hold together with at least 95 % chance. *Beyond the noise* means that this widened interval excludes 0.
# Side questions (Sections 7 and 8) stay out of the family and reach *weak evidence* at most. The code below writes
# out the bootstrap's key lines once, for kNN − AnoGAN.
#
# </details>
#

# %%
# The family: the planned paired comparisons of AUROCs in Sections 6 and 8
FAMILY = ["kNN - AnoGAN", "best of two starts - AnoGAN", "λ = 0 - λ = 0.1", "λ = 0.5 - λ = 0.1", "λ = 1 - λ = 0.1"]
M = len(FAMILY)
LEVEL = 1 - 0.05 / M                 # Bonferroni: the M intervals at this level all hold with >= 95 % chance
LEVEL_PCT = f"{100 * LEVEL:.1f} %"    # as text
N_BOOT = 20_000                      # bootstrap draws: N_BOOT · 0.025 / M lie beyond each end of the widened
                                     # interval, enough that another seed moves an end little
# the paired bootstrap's key lines, for kNN - AnoGAN
rows = np.random.default_rng(0).integers(0, len(y_test), (N_BOOT, len(y_test)))   # a row: one resample of the images
rows = rows[(y_test[rows].sum(1) > 0) & (y_test[rows].sum(1) < len(y_test))]     # both kinds present
boot = (metrics.auroc_rows(y_test[rows], knn_scores[rows])                       # the same resampled images for
        - metrics.auroc_rows(y_test[rows], found.score[rows]))                   # both methods: paired
ends = np.percentile(boot, [2.5, 97.5, 100 * (1 - LEVEL) / 2, 100 * (1 + LEVEL) / 2])
del rows, boot

compared = {}                        # a planned comparison's name -> (difference, 95 % low, high, widened low, high, images)


def paired_auroc_diff(y, s1, s2, name=None):
    """metrics.paired_auroc_diff (the lines above) with this notebook's draws and level; a planned comparison
    (``name``) is kept for its verdict."""
    d = metrics.paired_auroc_diff(y, s1, s2, level=LEVEL, n_boot=N_BOOT, seed=0)
    if name is not None:
        assert name in FAMILY, name
        compared[name] = d
    return d


def label(name):
    """A planned comparison's verdict (narration.paired_label applies the rules of the box above)."""
    return narration.paired_label(compared[name])


signed, label95 = narration.signed, narration.label95   # a difference as text; a side question's verdict (95 % only)
print(f"{M} planned paired comparisons, each from {N_BOOT:,} bootstrap draws, read at 95 % and at "
      f"1 - 0.05/{M} = {LEVEL_PCT}: " + "; ".join(FAMILY))
knn_diff = paired_auroc_diff(y_test, knn_scores, found.score, "kNN - AnoGAN")
assert np.allclose(knn_diff[1:5], ends)              # the library ran the lines above
print(f"kNN - AnoGAN on the same images: {signed(knn_diff[0])}, {narration.paired_intervals(knn_diff, LEVEL_PCT)}: "
      f"{label('kNN - AnoGAN')}")

# %% [markdown]
# **The low-false-alarm end, against a reference.** Both detectors' ROC curves on the same test images, with a
# logarithmic false-alarm axis so that the 1–10 % range a detector is used in is not squeezed into the left
# edge. kNN gets its own threshold the same way: the 95th percentile of its validation scores. Recalls at a
# fixed false-alarm rate are read off the test ROC (with test labels: they describe the rankings).

# %%
fpr_s, tpr_s, _ = roc_curve(y_test, found.score)
recall_at_5, recall_at_val = np.interp(0.05, fpr_s, tpr_s), result["recall"]   # the second: at the threshold itself
knn_val = knn.anomaly_score(fmnist.images[val_idx])
knn_result = metrics.evaluate(knn_scores, y_test, knn_val)          # threshold: 95th pct. of kNN's validation scores
knn_fpr_test = float((knn_scores[~y_test] > knn_result["threshold"]).mean())
fpr_k, tpr_k, _ = roc_curve(y_test, knn_scores)
targets = (0.01, 0.05, 0.10)
recall_at = {"AnoGAN": [float(np.interp(t, fpr_s, tpr_s)) for t in targets],
             "kNN": [float(np.interp(t, fpr_k, tpr_k)) for t in targets]}
n_neg = int((~y_test).sum())
n_more = round((0.05 - fpr_test) * n_neg)   # false alarms between AnoGAN's threshold and 5 %
fig, ax = plt.subplots(figsize=(5.5, 3.4))
ax.plot(fpr_s, tpr_s, label=f"AnoGAN (AUROC {result['auroc']:.3f})")
ax.plot(fpr_k, tpr_k, label=f"kNN on pixels (AUROC {knn_auroc:.3f})", color="gray")
ax.plot([fpr_test], [recall_at_val], "o", color="C0", label="AnoGAN at its validation threshold")
ax.plot([knn_fpr_test], [knn_result["recall"]], "o", color="gray", label="kNN at its validation threshold")
for t in targets:
    ax.axvline(t, color="k", ls=":", lw=0.8)
ax.set_xscale("log")
ax.set_xlim(0.5 / n_neg, 1)
ax.set_xlabel(f"false-alarm rate on normal test images (log; {n_neg} images)")
ax.set_ylabel("recall (bags caught)")
ax.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))  # beside the axes: no curve or dot hidden
plt.show()
print(f"{'recall at a false-alarm rate of':32s}" + "".join(f"{t:>7.0%}" for t in targets))
for name, r_ in recall_at.items():
    print(f"{name:32s}" + "".join(f"{v:7.0%}" for v in r_))
print(f"at each one's validation threshold: AnoGAN recall {recall_at_val:.0%} at {fpr_test:.1%} false alarms; "
      f"kNN recall {knn_result['recall']:.0%} at {knn_fpr_test:.1%}")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see.**\n\n"
    "* **At 1 %, 5 % and 10 % false alarms** (dotted) AnoGAN catches "
    + ", ".join(f"{v:.0%}" for v in recall_at["AnoGAN"]) + " of the bags, kNN "
    + ", ".join(f"{v:.0%}" for v in recall_at["kNN"]) + ".\n"
    f"* **At its own validation threshold** (the dots) kNN catches {knn_result['recall']:.0%} of the bags, AnoGAN "
    f"{recall_at_val:.0%}.\n"
    + (f"* **AnoGAN's ROC is almost vertical here:** its threshold sits at the upper edge of the bags' scores, with "
       f"many bags just below it, so {n_more} more false alarm{'s' if n_more > 1 else ''} (5 % instead of "
       f"{fpr_test:.1%}) would catch {recall_at_5:.0%} of the bags instead of {recall_at_val:.0%} (Exercise 2 "
       "measures how rough a recall at a threshold is).\n"
       if fpr_test < 0.05 and n_more >= 1 and recall_at_5 > recall_at_val + 0.05 else
       f"* At exactly 5 % false alarms AnoGAN would catch {recall_at_5:.0%}, at its threshold ({fpr_test:.1%}) "
       f"{recall_at_val:.0%} (Exercise 2 measures how rough a recall at a threshold is).\n")
    + f"* **The rankings:** kNN − AnoGAN {signed(knn_diff[0])} AUROC (95 % interval [{signed(knn_diff[1])}, "
    f"{signed(knn_diff[2])}]), {narration.plain_verdict(label('kNN - AnoGAN'))}.\n"
    + (f"* kNN used fewer training images ({len(split.train):,} against {gan_long.manifest['split']['train']:,}), "
       "so its lead is, if anything, understated."
       if knn_diff[0] > 0 and len(split.train) < gan_long.manifest["split"]["train"] else "")))

# %% [markdown]
# **How much recall does the search's noise cost?** A score is where one descent from one random
# $\mathbf{z}_0$ stopped. The next cell searches every test and validation image again from a second
# start; an image's lower score of the two is its *best of two starts* score (validation images too, so the
# threshold is set the same way). *Spearman ρ* compares the two starts' rankings of the test images: 1 = the same
# order, 0 = unrelated.

# %%
t0 = time.perf_counter()
det_b = AnoGAN.from_gan(gan, steps=GAMMA, lambda_=lam, search_lr=best_lr, seed=det.config["seed"] + 1)  # other z_0
score_b, val_b = det_b.anomaly_score(x_test), det_b.anomaly_score(x_val)
second_seconds = time.perf_counter() - t0
rho_starts = stats.spearmanr(found.score, score_b).statistic
best2 = np.minimum(found.score, score_b)                            # each image's lower score of the two starts
results_by_start = {"first start": result, "second start": metrics.evaluate(score_b, y_test, val_b),
                    "best of two starts": metrics.evaluate(best2, y_test, np.minimum(val_np, val_b))}
print(f"second start: {second_seconds:.0f} s; Spearman ρ between the two starts' scores {rho_starts:.2f}")
matched = (0.01, 0.05, 0.10)                                        # false-alarm rates, read off each test ROC
print(f"{'':19s} {'AUROC':>6s} " + "".join(f"{'recall @' + format(t, '.0%'):>12s}" for t in matched)
      + f" | at the validation threshold: {'threshold':>9s} {'recall':>7s} {'false alarms':>13s}")
for name, r_ in results_by_start.items():
    s_ = {"first start": found.score, "second start": score_b, "best of two starts": best2}[name]
    r_["fpr_test"] = float((s_[~y_test] > r_["threshold"]).mean())
    f_, t_, _ = roc_curve(y_test, s_)
    r_["recall_at"] = [float(np.interp(t, f_, t_)) for t in matched]  # recall at 1 %, 5 % and 10 % false alarms
    print(f"{name:19s} {r_['auroc']:6.3f} " + "".join(f"{v:12.0%}" for v in r_["recall_at"])
          + f" | {'':29s} {r_['threshold']:9.0f} {r_['recall']:7.0%} {r_['fpr_test']:13.1%}")
tail = val_np > result["threshold"]                  # the validation images above the first start's threshold
tail_fell = float((val_b[tail] < result["threshold"]).mean())
tail_change = float(np.median(val_b[tail] - val_np[tail]))   # their median change of score
val_median = float(np.median(val_np))
tail_low = float((val_b[tail] < val_median).mean())          # ... now below the median validation image
print(f"the {int(tail.sum())} validation images above the first start's threshold: {tail_fell:.0%} fall below it "
      f"from the second start (median change {tail_change:+.0f}); {tail_low:.0%} fall below the validation images' "
      f"median score ({val_median:.0f})")
two_diff = paired_auroc_diff(y_test, best2, found.score, "best of two starts - AnoGAN")
print(f"best of two starts - AnoGAN: {signed(two_diff[0])}, {narration.paired_intervals(two_diff, LEVEL_PCT)}: "
      f"{label('best of two starts - AnoGAN')}")
result_2 = results_by_start["best of two starts"]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see.**\n\n"
    f"* **Each score carries its start's noise:** the two starts rank the test images alike but not the same "
    f"(ρ = {rho_starts:.2f}).\n"
    + (f"* **So does the threshold:** {tail_fell:.0%} of the {int(tail.sum())} validation images above it drop below "
       f"it from the second start (median change {tail_change:+.0f}).\n"
       if tail_fell > 0.5 else
       f"* **The threshold's tail is the images, not the start:** only {tail_fell:.0%} of the {int(tail.sum())} "
       "validation images above it drop below it from the second start.\n")
    + f"* **Recall at matched false-alarm rates** (read off the test ROC), AUROC {result['auroc']:.3f} → "
    f"{result_2['auroc']:.3f}, {signed(two_diff[0])}, {narration.plain_verdict(label('best of two starts - AnoGAN'))} (for these two sets of starts):\n\n"
    "| false alarms | " + " | ".join(f"{t:.0%}" for t in matched) + " |\n|---|" + "---|" * len(matched) + "\n"
    + "".join(f"| {name} | " + " | ".join(f"{v:.0%}" for v in r_["recall_at"]) + " |\n"
              for name, r_ in (("one start", result), ("best of two starts", result_2)))
    + "\n* **The gain depends on the operating point:** "
    + ", ".join(f"{round(100 * b_) - round(100 * a_):+d} points at {t:.0%}"      # as the table rounds them
                for t, a_, b_ in zip(matched, result["recall_at"], result_2["recall_at"]))
    + f". One start's recall climbs from {result['recall_at'][1]:.0%} to {result['recall_at'][2]:.0%} between "
    f"{matched[1]:.0%} and {matched[2]:.0%} false alarms: the {matched[1]:.0%} gain sits on that steep stretch.\n"
    + (f"* **kNN stays ahead** at 5 % ({recall_at['kNN'][1]:.0%}).\n"
       if recall_at["kNN"][1] > result_2["recall_at"][1] else
       f"* **kNN ({recall_at['kNN'][1]:.0%} at 5 %) no longer leads** there.\n")
    + f"* **The cost:** a second search, {second_seconds:.0f} s for the {len(x_test) + len(x_val):,} test and "
    "validation images.\n\n"
    "<details><summary>More on the second start</summary>\n\n"
    f"* {tail_low:.0%} of those validation images even fall below the median validation image ({val_median:.0f}). "
    "Part of any such drop is expected: images picked for a high first score tend to score lower on a second try. "
    "Section 7 searches one false alarm among the test images from 8 more starts.\n"
    f"* At the validation threshold the comparison mixes two things: the best of two starts lowers the threshold "
    f"to {result_2['threshold']:.0f} and catches {result_2['recall']:.0%} of the bags at "
    f"{result_2['fpr_test']:.1%} false alarms, one start {result['recall']:.0%} at {result['fpr_test']:.1%}.\n\n"
    "</details>"))


# %% [markdown]
# ## 7 · Residual maps: where is the image abnormal?
#
# $|\mathbf{x} - G(\mathbf{z}_\Gamma)|$ is an image itself. AnoGAN was built to point a clinician at a
# *local* defect on a retinal scan the generator can otherwise draw. A bag is anomalous as a whole object,
# so here the map shows where the image the search ended on differs from the bag, not "the abnormal part".
# Below: the first six normal test images and the first six bags of the (random) test sample, unselected;
# then normal images with a pasted flaw, the local defect the residual was made for.

# %%
k = 6
normal_i = list(np.flatnonzero(~y_test)[:k])            # the test sample is in random order:
anom_i = list(np.flatnonzero(y_test)[:k])               # the first k of each kind, unselected
fig, axes = plt.subplots(3, 2 * k + 1, figsize=(15, 4.1),   # the last, narrow column holds the colour bar
                         gridspec_kw={"width_ratios": [1] * (2 * k) + [0.12], "wspace": 0.05, "hspace": 0.05})
fig.subplots_adjust(left=0.06, right=0.96, top=0.84, bottom=0.02)
for col, i in enumerate(normal_i + anom_i):
    for row, (img, kw) in enumerate([(found.x[i], {"vmin": -1, "vmax": 1}),
                                     (found.x_gen[i], {"vmin": -1, "vmax": 1}),
                                     (found.residual[i], {"cmap": "magma", "vmin": 0, "vmax": 2})]):
        im = axes[row, col].imshow(img[0], **kw)
        axes[row, col].set_axis_off()
    above = found.score[i] > result["threshold"]       # flagged: boxed and bold
    axes[0, col].set_title(f"{found.score[i]:.0f}", fontsize=8, color="crimson" if y_test[i] else "black",
                           fontweight="bold" if above else "normal", bbox={"fc": "none"} if above else None)
for row, name in enumerate(["x", "G(z_Γ)", "|x - G(z_Γ)|"]):
    axes[row, 0].text(-4, 16, name, ha="right", va="center", fontsize=9)
axes[0, -1].set_axis_off()
axes[1, -1].set_axis_off()
fig.colorbar(im, cax=axes[2, -1])
fig.suptitle("left: normal test images, right: anomalies (scores above, red = anomaly; boxed = above the "
             f"threshold {result['threshold']:.0f}, 95th pct. of validation)", fontsize=10)
plt.show()
alarms = [i for i in normal_i if found.score[i] > result["threshold"]]   # shown normal images above the threshold
res_shown = {"normal": float(found.residual[normal_i].mean()), "bag": float(found.residual[anom_i].mean())}
print(f"mean residual per pixel (0 to 2): the {k} normal images shown {res_shown['normal']:.3f}, the {k} bags "
      f"{res_shown['bag']:.3f}")
# a false alarm among those shown: searched again from 8 other random starts z_0 (seeds 1 to 8)
N_STARTS = 8
restart_best = {}
for i in alarms:
    xi = found.x[i:i + 1]
    z0s = torch.cat([anogan.initial_z(xi, gan.nz, seed=s_) for s_ in range(1, N_STARTS + 1)])
    again = anogan.latent_search(gan.G, gan.D, xi.repeat(N_STARTS, 1, 1, 1).to(DEVICE), z0s.to(DEVICE),
                                 steps=GAMMA, lambda_=lam, lr=best_lr)
    restart_best[i] = float(again["score"].min())
    print(f"column {normal_i.index(i) + 1}: score {found.score[i]:.0f} from its own start; the best of "
          f"{N_STARTS} other starts {restart_best[i]:.0f} (threshold {result['threshold']:.0f})")
alarms_seen = [(normal_i.index(i) + 1, fmnist.classes[int(fmnist.labels[test_idx[i]])], judged([found.x_gen[i]])[0],
                found.score[i], restart_best[i]) for i in alarms]   # column, class, redrawn as, score, best restart

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    ("**The residual is brighter for the bags, but a normal image the search redraws badly lights up too.**\n\n"
     if res_shown["normal"] < res_shown["bag"] and alarms_seen else
     "**The residual is brighter for the bags than for the normal images shown.**\n\n"
     if res_shown["normal"] < res_shown["bag"] else
     "**The residual is not brighter for the bags than for the normal images shown.**\n\n")
    + narration.fold_bullets(
        narration.residual_reading(res_shown, result["threshold"], alarms_seen, N_STARTS, len(normal_i),
                                   found.score[anom_i], found.score[~y_test], result["recall"], result["auroc"]),
        keep=3, summary="More: " + ("the false alarm from other starts, " if alarms_seen else "") + "the bags against the threshold")))

# %% [markdown]
# **A local defect.** This is the case AnoGAN was built for: an image the generator can draw, with a small
# flaw. Each of the first normal test images (64 at most) gets one 6 × 6 flaw at a time, placed **on the
# garment**, in a window as far inside the object as the image allows. A white *spot* goes where the garment
# is darkest; a black *hole*, a piece cut out, goes where it is brightest. The flawed image is searched from the clean
# image's starting code $\mathbf{z}_0$, with the same Γ, step size and λ, so the flaw is the only difference.
# Three measures, none of which the black background can inflate:
#
# * **hit**: the brightest 6 × 6 window of the residual map overlaps the flaw by at least half its side
#   each way (at most 3 pixels off);
# * the residual inside the flaw against its mean over **the rest of the object**;
# * the score's change against the clean image, and whether the flawed image crosses the threshold.
#
# The figure shows the first two images (cyan squares: where the flaw was pasted); the table, all of them.

# %%
S = 6                                                     # the flaw's side, in pixels
OBJ = -0.8                                                # a pixel above this belongs to the object (background: -1)


def window_means(img):
    """The mean of every S x S window of a 1 x H x W image: (H - S + 1) x (W - S + 1)."""
    return img[0].unfold(0, S, 1).unfold(1, S, 1).mean((-1, -2))


def add_flaw(img, kind):
    """A white square ('spot') where the object is darkest, or a black one ('hole') where it is brightest, among
    the windows most inside the object, at least 2 pixels from the border; returns the flawed image and the
    flaw's top-left corner."""
    on = window_means((img > OBJ).float())[2:-2, 2:-2]    # share of each window's pixels on the object
    w = window_means(img)[2:-2, 2:-2]
    w = torch.where(on >= on.max() - 1e-6, w if kind == "spot" else -w, torch.inf)
    r, c = (v + 2 for v in divmod(int(w.argmin()), w.shape[1]))
    out = img.clone()
    out[:, r:r + S, c:c + S] = 1.0 if kind == "spot" else -1.0
    return out, (r, c)


def flaw_measures(clean, flawed_img, res, corner):
    """Hit (the brightest window of the residual centred on the flaw), residual inside the flaw / its mean on the
    rest of the object, and the flaw's contrast (mean change of its pixels, 0 to 2)."""
    r, c = corner
    inside = torch.zeros_like(res[0], dtype=torch.bool)
    inside[r:r + S, c:c + S] = True
    rest = (clean[0] > OBJ) & ~inside
    r2, c2 = divmod(int(window_means(res).argmax()), res.shape[-1] - S + 1)
    return {"hit": abs(r2 - r) <= S // 2 and abs(c2 - c) <= S // 2,
            "ratio": float(res[0][inside].mean() / res[0][rest].mean()) if rest.any() else float("nan"),
            "contrast": float((flawed_img - clean)[0][inside].abs().mean())}


flaw_i = np.flatnonzero(~y_test)[:64]                     # the first normal test images (normal_i's first two)
z0_clean = found.trajectory["z_t"][0][flaw_i]             # each clean image's own z_0 (Section 6's search)
kinds = ["spot", "hole"]
flawed, flaw = {}, {}                                     # kind -> the search; kind -> per-image measures
for kind in kinds:
    made = [add_flaw(found.x[i], kind) for i in flaw_i]
    x_f = torch.stack([m[0] for m in made])
    out = anogan.latent_search(gan.G, gan.D, x_f.to(DEVICE), z0_clean.to(DEVICE), steps=GAMMA, lambda_=lam, lr=best_lr)
    flawed[kind] = {"x": x_f, "corner": [m[1] for m in made], "score": out["score"].double().cpu().numpy(),
                    "x_gen": out["x_gen"].cpu(), "residual": out["residual"].cpu()}
    m = [flaw_measures(found.x[i], x_f[j], flawed[kind]["residual"][j], made[j][1]) for j, i in enumerate(flaw_i)]
    flaw[kind] = {key: np.array([v[key] for v in m]) for key in ("hit", "ratio", "contrast")}
    flaw[kind]["change"] = flawed[kind]["score"] - found.score[flaw_i]
    flaw[kind]["flagged"] = flawed[kind]["score"] > result["threshold"]
    # control: the same hit test on the clean image's residual, at the place the flaw would go (no flaw pasted)
    flaw[kind]["control"] = np.array([flaw_measures(found.x[i], found.x[i], found.residual[i], made[j][1])["hit"]
                                      for j, i in enumerate(flaw_i)])
clean_flagged = float((found.score[flaw_i] > result["threshold"]).mean())

panels = [[("clean", found.x[i], found.x_gen[i], found.residual[i], found.score[i], None)]   # image 1, 2:
          + [(kind, flawed[kind]["x"][row], flawed[kind]["x_gen"][row], flawed[kind]["residual"][row],   # clean,
              flawed[kind]["score"][row], flawed[kind]["corner"][row]) for kind in kinds]         # spot, hole
          for row, i in enumerate(flaw_i[:2])]
plotting.flaw_panels(panels, S)
plt.show()
n_flaw = len(flaw_i)
print(f"{n_flaw} normal test images, one flaw each time; quartiles [25 %, 50 %, 75 %]")
print(f"{'flaw':5s} {'hits':>6s} {'no flaw':>8s} {'inside / rest of object':>24s} {'score change':>20s} "
      f"{'above threshold':>16s}")
for kind, v in flaw.items():
    q = np.nanpercentile(v["ratio"], [25, 50, 75])
    c_ = np.percentile(v["change"], [25, 50, 75])
    print(f"{kind:5s} {int(v['hit'].sum()):6d} {int(v['control'].sum()):8d} "
          f"{'[' + ', '.join(f'{x_:.1f}' for x_ in q) + ']':>24s} "
          f"{'[' + ', '.join(f'{x_:+.0f}' for x_ in c_) + ']':>20s} {int(v['flagged'].sum()):16d}")
print(f"clean images above the threshold: {int(clean_flagged * n_flaw)}; largest fall of a score: "
      + ", ".join(f"{kind} {v['change'].min():+.0f}" for kind, v in flaw.items()))
start_change = score_b[flaw_i] - found.score[flaw_i]    # no flaw: the same clean images from the second start
print("no flaw, second start (Section 6b): score change quartiles [" + ", ".join(
      f"{x_:+.0f}" for x_ in np.percentile(start_change, [25, 50, 75])) + f"], largest fall {start_change.min():+.0f}")
hits_all = np.concatenate([v["hit"] for v in flaw.values()])
contrast_all = np.concatenate([v["contrast"] for v in flaw.values()])
contrast_hit = float(np.median(contrast_all[hits_all])) if hits_all.any() else float("nan")
contrast_miss = float(np.median(contrast_all[~hits_all])) if (~hits_all).any() else float("nan")
print(f"the flaw's contrast (mean change of its pixels, 0 to 2), median: hits {contrast_hit:.2f}, misses {contrast_miss:.2f}")
hit_rate = {kind: float(v["hit"].mean()) for kind, v in flaw.items()}
max_rise = S * S * 2 * (1 - lam)                          # (1-λ) L_R's ceiling for a flaw, G(z_Γ) fixed (|x - G| <= 2)
clean_median = float(np.median(found.score[flaw_i]))
flaw_auroc = {kind: roc_auc_score(np.r_[np.zeros(n_flaw), np.ones(n_flaw)],   # flawed vs the same images clean
                                  np.r_[found.score[flaw_i], v["score"]]) for kind, v in flawed.items()}
print(f"with G(z_Γ) fixed, a {S} x {S} flaw adds at most {max_rise:.0f} to (1-λ) L_R; the clean images' median score {clean_median:.0f} "
      f"is {result['threshold'] - clean_median:.0f} below the threshold ({result['threshold']:.0f}); flawed vs clean, "
      "no threshold: AUROC " + ", ".join(f"{k} {v:.3f}" for k, v in flaw_auroc.items()))
shown_flaws = [(row + 1, kind, bool(flaw[kind]["hit"][row]), float(flaw[kind]["contrast"][row]),   # the figure's
                float(found.score[i]), float(flawed[kind]["score"][row]))                          # flawed panels
               for row, i in enumerate(flaw_i[:2]) for kind in kinds]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    ("**The residual map finds a pasted flaw, but the score rarely flags it.**\n\n"
     if min(hit_rate[k_] - flaw[k_]["control"].mean() for k_ in kinds) > 0.2
     and max(v["flagged"].mean() for v in flaw.values()) < 0.2 else "")
    + f"**What to see** ({n_flaw} images, each with a spot and then a hole on the garment).\n\n"
    f"* **The map finds the flaw:** its brightest window lies on the spot in {hit_rate['spot']:.0%} of the images "
    f"and on the hole in {hit_rate['hole']:.0%}, against {flaw['spot']['control'].mean():.0%} and "
    f"{flaw['hole']['control'].mean():.0%} on the same places without a flaw (the *no flaw* column)."
    + narration.shown_flaws_reading(shown_flaws) + "\n"
    + f"* **The score rarely flags it:** only {int(flaw['spot']['flagged'].sum())} spot and "
    f"{int(flaw['hole']['flagged'].sum())} hole images of {n_flaw} cross the threshold "
    f"({int(clean_flagged * n_flaw)} clean ones do).\n"
    f"* **Why: the threshold is far.** The flaws raise the scores by a median {np.median(flaw['spot']['change']):+.0f} "
    f"(spot) and {np.median(flaw['hole']['change']):+.0f} (hole), while the clean images sit a median "
    f"{result['threshold'] - clean_median:.0f} below the threshold ({clean_median:.0f} against "
    f"{result['threshold']:.0f}). The start's noise only partly explains this: even the best-of-two threshold of "
    f"Section 6b ({result_2['threshold']:.0f}) sits {result_2['threshold'] - clean_median:.0f} above that median"
    + (f", more than a flaw can add with $G(\\mathbf{{z}}_\\Gamma)$ fixed (≈ {max_rise:.0f}, box below)"
       if result_2["threshold"] - clean_median > max_rise else "") + ".\n"
    f"* **Without a threshold**, the flawed images outrank the same images clean with AUROC {flaw_auroc['spot']:.2f} "
    f"(spot) and {flaw_auroc['hole']:.2f} (hole).\n"
    + "\n<details><summary>More on the flaws: contrast, falling scores, the ceiling</summary>\n\n"
    + f"* **Inside the flaw** the residual is a median {np.nanmedian(flaw['spot']['ratio']):.1f} (spot) and "
    f"{np.nanmedian(flaw['hole']['ratio']):.1f} (hole) times its mean over the rest of the object.\n"
    + (f"* **Misses come with fainter flaws:** median pixel change {contrast_miss:.2f} where the map missed, "
       f"{contrast_hit:.2f} where it hit (0 to 2): a flaw close to the garment's own shade leaves little residual.\n"
       if contrast_miss < contrast_hit else
       f"* **The misses** are not explained by a fainter flaw (median pixel change {contrast_miss:.2f} against "
       f"{contrast_hit:.2f} for hits).\n")
    + f"* **Some scores fall** ({int((flaw['spot']['change'] < 0).sum())} spot and "
    f"{int((flaw['hole']['change'] < 0).sum())} hole images, down to {min(v['change'].min() for v in flaw.values()):+.0f}): "
    + ("likely the flaw sent the descent out of a poor minimum of the clean image's search, as a second start "
       f"can (without a flaw, a second start moves the same scores down to {start_change.min():+.0f}).\n"
       if start_change.min() <= min(v["change"].min() for v in flaw.values()) else
       f"unexplained, as a second start without a flaw moves the same scores less (down to "
       f"{start_change.min():+.0f}).\n")
    + "* **Scope:** one flaw size, one placement rule, one start per image.\n\n"
    f"**How much can a flaw add?** A {S} × {S} flaw changes {S * S} pixels by at most 2 each, so with $G(z_\\Gamma)$ fixed it adds at most "
    f"{S * S} × 2 × (1 − λ) ≈ {max_rise:.0f} to (1 − λ)$L_R$. The score can move more: λ$L_D$ changes with "
    "$\\mathbf{f}(\\mathbf{x})$, and the search ends on another code"
    + (f" (the hole's upper quartile of change, {np.percentile(flaw['hole']['change'], 75):+.0f}, exceeds the "
       "ceiling)" if np.percentile(flaw['hole']['change'], 75) > max_rise else "")
    + ".\n\n</details>"))



# %% [markdown]
# ## 8 · How many steps, and how much λ?
#
# Both sweeps use test labels to *understand* the method, not to choose its settings (that would tune on
# test labels, Section 10): λ stays at 0.1 and Γ at the profile's.
#
# **Steps.** The trajectory holds $\mathcal{L}(\mathbf{z}_t)$ for every step, so the score "had we
# stopped after $t$ steps" costs nothing extra. Left: its AUROC against $t$; right: each group's mean loss.

# %%
ts = np.unique(np.linspace(0, GAMMA, min(GAMMA + 1, 26)).astype(int))
auroc_t = np.array([roc_auc_score(y_test, found.scores_at(int(t))) for t in ts])
reached = int(ts[np.flatnonzero(auroc_t >= auroc_t[-1] - 0.005)[0]])   # first step within 0.005 below the end
loss_t = found.trajectory["loss_t"].double().numpy()
fig, axes = plt.subplots(1, 2, figsize=(10, 3))
axes[0].plot(ts, auroc_t, marker="o", ms=3, label="AnoGAN, stopped at step t")
axes[0].axhline(knn_auroc, color="gray", ls="--", label=f"kNN on pixels ({knn_auroc:.3f})")
axes[0].axvline(reached, color="k", ls=":", lw=0.8, label=f"step {reached}: within 0.005 of the final AUROC")
axes[0].legend(frameon=False, fontsize=8, loc="lower right")
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
mean_intensity = x_test.mean((1, 2, 3)).numpy()
auroc_mass = roc_auc_score(y_test, mean_intensity)
rho_0 = stats.spearmanr(found.scores_at(0), mean_intensity).statistic
print(f"no model at all: AUROC of each image's mean intensity {auroc_mass:.3f}; Spearman ρ of L(z_0) with mean "
      f"intensity over the {len(y_test)} test images {rho_0:+.2f}")

# %%
auroc_reached = float(auroc_t[ts == reached][0])
t_peak = int(ts[np.argmax(auroc_t)])
print(f"the AUROC first comes within 0.005 of its final {auroc_t[-1]:.3f} at step {reached} (evaluated every {ts[1] - ts[0]} steps); its highest value, "
      f"{auroc_t.max():.3f}, is at step {t_peak}")
k_tenth = max(1, GAMMA // 10)
for group, mean_loss in (("normal images", loss_t[:, ~y_test].mean(1)), ("anomalies", loss_t[:, y_test].mean(1))):
    share = (mean_loss[-1 - k_tenth] - mean_loss[-1]) / (mean_loss[0] - mean_loss[-1])
    print(f"{group}' mean loss: {mean_loss[0]:.1f} at t = 0, {mean_loss[-1]:.1f} at Γ; the last {k_tenth} steps "
          f"brought {share:.1%} of that fall")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Reading the Γ sweep.**\n\n* **At t = 0** (a random $G(\\mathbf{z}_0)$) the score already reaches AUROC "
    f"{auroc_t[0]:.3f}, against {auroc_mass:.3f} for the images' mean intensity alone, and "
    + ("largely orders the images like it (ρ = " if rho_0 > 0.7 else "partly orders the images like it (ρ = "
       if rho_0 > 0.2 else "orders the images otherwise (ρ = ") + f"{rho_0:+.2f})"
    + (": a sum over pixels grows with bright area, so bright images score high before any search.\n"
       if rho_0 > 0.2 else ".\n")
    + "* **The search** lowers "
    + ("the normal images' losses further than the bags' ($G$ can draw them)"
       if (loss_t[0] - loss_t[-1])[~y_test].mean() > (loss_t[0] - loss_t[-1])[y_test].mean() else
       "the bags' losses further than the normal images', so the curves do not separate further")
    + f"; the AUROC reaches {auroc_t[-1]:.3f} at Γ = {GAMMA}.\n"
    + (f"* **The last {GAMMA - reached} steps buy little:** the AUROC is within 0.005 of its final value by step "
       f"{reached} (evaluated every {ts[1] - ts[0]} steps), and every step costs the same.\n" if reached <= 0.75 * GAMMA else
       "* **A longer search might separate better:** the AUROC gets within 0.005 of its final value only at step "
       f"{reached}.\n")
    + (f"* **Steps or starts? (a hypothesis)** The last {GAMMA - reached} steps added "
       f"{signed(auroc_t[-1] - auroc_reached)} AUROC; a whole second start of {GAMMA} steps (Section 6b) added "
       f"{signed(two_diff[0])}. The two do not compare at equal cost: would 2 starts of Γ/2 steps beat 1 of Γ? "
       "Exercise 3's *Going further* asks it.\n" if reached <= 0.75 * GAMMA else "")
    + (f"* It peaks at step {t_peak} ({auroc_t.max():.3f}): on this sample the profile's Γ is not the best stopping "
       f"point, by {auroc_t.max() - auroc_t[-1]:.3f}.\n" if auroc_t.max() > auroc_t[-1] + 0.002 else "")
    + "* **Settled is not solved:** a search that has stopped moving need not have found the best code "
    "(Section 6b's second start)."))

# %% [markdown]
# **λ.** λ moves weight from the pixel distance to the feature distance: λ = 0 searches and scores by
# pixels alone, λ = 1 by $D$'s features alone. Each λ changes the search itself, so each needs its own
# search. These run on the first half of the test sample; λ = 0.1 reuses Section 6's scores, since an
# image's score does not depend on its batch. Each error bar is the 95 % paired interval of that λ's
# difference to λ = 0.1, drawn around its own AUROC: a bar that stays clear of the dotted line is an interval
# that excludes 0. The "parts" below are different: the codes of the λ = 0.1
# search, scored by $\mathcal{L}_R$ or $\mathcal{L}_D$ alone, on all the test images.
#

# %%
half = len(x_test) // 2
lambdas = [0.0, 0.1, 0.5, 1.0]
auroc_lam, scores_lam = {}, {}
for lam_ in lambdas:
    scores_lam[lam_] = found.score[:half] if lam_ == lam else det.anomaly_score(x_test[:half], lambda_=lam_)
    auroc_lam[lam_] = roc_auc_score(y_test[:half], scores_lam[lam_])
# the two parts of the λ = 0.1 score, each on its own
auroc_parts = {"L_R alone": roc_auc_score(y_test, found.loss_R), "L_D alone": roc_auc_score(y_test, found.loss_D)}
ld_half = roc_auc_score(y_test[:half], found.loss_D[:half])   # L_D alone on the λ sweep's images
# does another λ score differently from 0.1? Both are scored on the same images, so Section 6b's paired bootstrap
# answers it, within the family of comparisons (the error bars below; the verdicts in the next cells)
lam_diffs = {v: paired_auroc_diff(y_test[:half], scores_lam[v], scores_lam[lam], f"λ = {v:g} - λ = 0.1")
             for v in lambdas if v != lam}
others = [v for v in lambdas if v != lam]
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(lambdas, [auroc_lam[v] for v in lambdas], color="C0", alpha=0.4)
ax.errorbar(others, [auroc_lam[v] for v in others], fmt="o", color="C0", capsize=3,
            yerr=[[lam_diffs[v][0] - lam_diffs[v][1] for v in others], [lam_diffs[v][2] - lam_diffs[v][0] for v in others]],
            label="95 % paired interval of the difference to λ = 0.1")
ax.axhline(auroc_lam[lam], color="crimson", ls=":", lw=1)
ax.plot([lam], [auroc_lam[lam]], "o", ms=9, color="crimson", label=f"λ = {lam}, the paper's (dotted: its level)")
ax.legend(frameon=False, fontsize=8, loc="lower left")
ax.set_ylim(0.5, 1.0)
ax.set_xticks(lambdas, [f"{v:g}" for v in lambdas], fontsize=8)
ax.set_xlabel("λ (weight of the discrimination loss)")
ax.set_ylabel(f"AUROC ({half} test images)")
plt.show()
print("AUROC by λ:", {k: round(v, 3) for k, v in auroc_lam.items()})
print("parts of the λ = 0.1 score at z_Γ:", {k: round(v, 3) for k, v in auroc_parts.items()})

# %%
# Does one part of the λ = 0.1 score separate better than the other? A side question, read at 95 % only. Then
# every planned comparison with its verdict (the widened interval: Section 6b's box).
part_diff = paired_auroc_diff(y_test, found.loss_R, found.loss_D)
print(f"L_R alone - L_D alone (from unrounded AUROCs): {signed(part_diff[0])}, 95 % interval [{signed(part_diff[1])}, {signed(part_diff[2])}]: "
      + label95(part_diff))
print(f"the {M} planned comparisons (difference | 95 % interval | {LEVEL_PCT} interval | verdict):")
w = max(map(len, compared))                                    # the name column fits the longest name
for name, d in compared.items():
    print(f"  {name:{w}s} {signed(d[0]):>6s} | [{signed(d[1])}, {signed(d[2])}] | [{signed(d[3])}, {signed(d[4])}] | "
          + label(name) + narration.only_just(d))
clear_bars = [v for v, d in lam_diffs.items() if d[1] > 0 or d[2] < 0]   # 95 % interval off the dotted line
# a second side question: L_D read at the λ = 0.1 codes against the search with L_D alone (λ = 1), same images
ld_diff = paired_auroc_diff(y_test[:half], found.loss_D[:half], scores_lam[1.0])
print(f"L_D at the λ = {lam:g} codes - the λ = 1 search: {signed(ld_diff[0])}, 95 % interval [{signed(ld_diff[1])}, "
      f"{signed(ld_diff[2])}]: {label95(ld_diff)}")
# the same difference, measured beforehand (cpu profile) with the starting codes of other seeds (results check 7)
LD_GAP_OTHER_STARTS = {1: 0.048, 2: 0.067}
# λ = 0.5 and 1 against λ = 0.1, measured the same way (cpu profile, seeds 1 and 2 of z_0; results check 9)
LAM_OTHER_STARTS = {0.5: {1: -0.044, 2: -0.038}, 1.0: {1: -0.038, 2: -0.062}}
lam_labels = {v: label(f"λ = {v:g} - λ = 0.1") for v in lam_diffs}


# %% [markdown]
# **Is the drop at λ = 1 the step size's doing?** Every λ above was searched with the step chosen for
# λ = 0.1. The next cell chooses λ = 1's own step by Section 4's rule (the lowest mean final loss, here
# $\mathcal{L}_D$, on the same validation images; no test label) and, where it differs, searches the
# sweep's test images again with it. A side question, outside the family: read at 95 % only.

# %%
final_own = {lr: float(det.anomaly_score(x_lr, lambda_=1.0, lr=lr).mean()) for lr in curves}   # Section 4's steps
lr_own = min(final_own, key=final_own.get)
print(f"λ = 1, mean final loss on {len(x_lr)} validation images: "
      + ", ".join(f"lr {lr}: {v:.1f}" for lr, v in final_own.items()) + f"; chosen: {lr_own} (λ = {lam:g}'s: {best_lr})")
auroc_own, own_diff = None, None
dropped = lam_diffs[1.0][0] < 0 and lam_labels[1.0] != narration.TIED   # λ = 1 below λ = 0.1
if lr_own != best_lr:
    score_own = det.anomaly_score(x_test[:half], lambda_=1.0, lr=lr_own)
    auroc_own = roc_auc_score(y_test[:half], score_own)
    own_diff = paired_auroc_diff(y_test[:half], score_own, scores_lam[lam])
    print(f"λ = 1 with step {lr_own}: AUROC {auroc_own:.3f} (with {best_lr}: {auroc_lam[1.0]:.3f}); against λ = {lam:g}: "
          f"{signed(own_diff[0])}, 95 % interval [{signed(own_diff[1])}, {signed(own_diff[2])}]: {label95(own_diff)}")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    ("**λ = " + f"{lam:g} scores highest here"
     + "".join(f" (λ = {v:g} not distinguishable)" for v in lam_labels if lam_labels[v] == narration.TIED)
     + f"; searching on $L_D$ alone (λ = 1) scores lower, although $L_D$ read at the λ = {lam:g} codes is a good "
     "score.**\n\n"
     if max(auroc_lam, key=auroc_lam.get) == lam and narration.score_vs_objective(lam, ld_half, auroc_lam, lam_labels, half)
     else f"**λ = {max(auroc_lam, key=auroc_lam.get):g} scores highest on this sample; the verdicts below say which "
     "differences hold.**\n\n")
    + narration.fold_bullets(
        narration.lambda_sweep_bullets(lam, auroc_lam, lam_diffs, lam_labels, half, step_tested=1.0 if dropped else None,
                                       loss_tested=bool(narration.score_vs_objective(lam, ld_half, auroc_lam, lam_labels, half))),
        keep=len(lam_diffs),
        summary="More: candidate causes, the step size, other starts, the two parts, the widened intervals",
        visible_tail=narration.score_vs_objective(lam, ld_half, auroc_lam, lam_labels, half, diff=ld_diff,
                                                  replicates=LD_GAP_OTHER_STARTS if P.name == "cpu" and det.config["seed"] == 0 else None)
        + f"\n\n**The figure:** each bar is the 95 % interval of a λ's difference to λ = {lam:g}; "
        + ("the bars of " + " and ".join(f"λ = {v:g}" for v in clear_bars) + " stay clear of the dotted line. "
           if clear_bars else "every bar reaches the dotted line. ")
        + "The intervals keep the starting codes fixed; "
        + ("that a drop is not the luck of one set of starts rests on two other sets (details, *other starts*)."
           if P.name == "cpu" and det.config["seed"] == 0 else
           "another set of starts could move these differences (Section 6b)."),
        hidden_tail=(narration.own_step_reading(lam, 1.0, best_lr, lr_own, len(x_lr), auroc_lam[1.0], auroc_own,
                                                lam_diffs[1.0], own_diff) if dropped else "")
        + ("* **Other starts:** the sign held in all three sets of starting codes (this run: "
           + ", ".join(f"λ = {v:g} {signed(lam_diffs[v][0])}" for v in LAM_OTHER_STARTS)
           + "; seeds 1 and 2, measured beforehand on the cpu profile: "
           + "; ".join(f"λ = {v:g} {signed(d[1])} and {signed(d[2])}" for v, d in LAM_OTHER_STARTS.items()) + ").\n"
           if P.name == "cpu" and det.config["seed"] == 0 else "")
        + f"* **The parts of the λ = {lam:g} score** (all {len(y_test)} images): $L_R$ alone "
        f"{auroc_parts['L_R alone']:.3f}, $L_D$ alone {auroc_parts['L_D alone']:.3f}, difference {signed(part_diff[0])} "
        f"from unrounded values, {narration.plain_verdict(label95(part_diff))} (a side question, read at 95 % only).\n"
        + f"* **The widened intervals** ({LEVEL_PCT}, for all {M} planned comparisons): "
        + "; ".join(f"λ = {v:g}: [{signed(d[3])}, {signed(d[4])}]" for v, d in lam_diffs.items()) + ".")))

# %% [markdown]
# ### Optional depth: what else the score reflects
#
# Skip on a first pass. Nothing keeps $\mathbf{z}$ near the prior, so the search
# can wander to codes the generator was never trained to use well. Does the code's length
# $|\mathbf{z}_\Gamma|$ carry a signal of its own? And which normal classes score high?
#

# %%
test_labels = fmnist.labels[test_idx].numpy()
class_means = {fmnist.classes[c]: float(found.score[(~y_test) & (test_labels == c)].mean())
               for c in NORMAL if ((~y_test) & (test_labels == c)).any()}
ink = {fmnist.classes[c]: float((x_test[(~y_test) & (test_labels == c)] > 0).float().mean())
       for c in NORMAL if ((~y_test) & (test_labels == c)).any()}
z_norm = found.z.flatten(1).norm(dim=1) / np.sqrt(gan.nz)   # about 1 for a typical draw from N(0, I)
gap = z_norm[y_test].mean() - z_norm[~y_test].mean()
typical = 1 / np.sqrt(2 * gan.nz)   # the spread of |z| / √nz for z ~ N(0, I): about 1 ± this
auroc_znorm = roc_auc_score(y_test, z_norm.numpy())
rho_z = stats.spearmanr(z_norm.numpy(), found.score).statistic
both = (stats.rankdata(z_norm.numpy()) + stats.rankdata(found.score)) / 2   # the average of the two ranks
auroc_both = roc_auc_score(y_test, both)
both_diff = paired_auroc_diff(y_test, both, found.score)    # a side question: outside the family
print(f"|z_Γ| / √nz, mean: normal images {z_norm[~y_test].mean():.2f}, bags {z_norm[y_test].mean():.2f} (a prior "
      f"draw: 1 ± {typical:.2f} at ± 1 sd); AUROC of |z_Γ| alone {auroc_znorm:.3f}, Spearman ρ with the score {rho_z:+.2f}")
print(f"average of the two ranks as a score: AUROC {auroc_both:.3f} vs AnoGAN's {result['auroc']:.3f}: difference "
      f"{signed(both_diff[0])}, 95 % interval [{signed(both_diff[1])}, {signed(both_diff[2])}]")



# %%
# Per normal class: mean score; share of bright pixels (above mid-grey); share of the long-trained G's samples the
# judge puts in the class (Section 2, no search); share of its test images whose G(z_Γ) the judge puts in the
# image's own class (after the search).
drawn = {fmnist.classes[c]: verdicts["long-trained"]["histogram"][c] for c in NORMAL if fmnist.classes[c] in class_means}
pred_x, pred_gen = judge.predict(found.x.cpu().float()), judge.predict(found.x_gen.cpu().float())
kept = {fmnist.classes[c]: float((pred_gen == pred_x)[(~y_test) & (test_labels == c)].mean())
        for c in NORMAL if ((~y_test) & (test_labels == c)).any()}
order = sorted(class_means, key=lambda k: -class_means[k])   # classes from highest to lowest mean score
print(f"{'normal class':13s} {'mean score':>10s} {'bright px':>10s} {'G draws':>8s} {'search keeps':>13s}")
for c_name in order:
    print(f"{c_name:13s} {class_means[c_name]:10.0f} {ink[c_name]:10.0%} {drawn[c_name]:8.0%} {kept[c_name]:13.0%}")
print("bright px: share of the class's pixels above mid-grey | G draws: share of the long-trained G's samples the judge "
      "puts in the class | search keeps: share of the class's test images whose G(z_Γ) the judge puts in that class")


# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**Reading the optional measures.**\n\n* **The code's length:** |z_Γ| averages {z_norm[~y_test].mean():.2f} √nz "
    f"for normal images and {z_norm[y_test].mean():.2f} √nz for bags: "
    + ("both within the prior's typical range.\n"
       if abs(z_norm[~y_test].mean() - 1) < 2 * typical and abs(z_norm[y_test].mean() - 1) < 2 * typical else
       ("both beyond" if abs(z_norm[~y_test].mean() - 1) >= 2 * typical and abs(z_norm[y_test].mean() - 1) >= 2 * typical
        else "the bags beyond" if abs(z_norm[y_test].mean() - 1) >= 2 * typical else "the normal images beyond")
       + f" the prior's typical range (1 ± {2 * typical:.2f}, ± 2 sd), the bags' codes "
       + ("farther from" if gap > 0 else "closer to") + " the origin. Adam moves every coordinate by about its step "
       "size whatever the gradient, so |z| likely grows during any search: the length alone need not mean much.\n")
    + f"* Alone it scores AUROC {auroc_znorm:.3f}; ρ = {rho_z:+.2f} with the score "
    + ("(it largely repeats the score).\n" if rho_z > 0.7 else "(it partly repeats the score).\n" if abs(rho_z) > 0.2
       else "(it carries information of its own).\n")
    + f"* Averaged with the score's rank: AUROC {auroc_both:.3f}, {signed(both_diff[0])} (95 % interval "
    f"[{signed(both_diff[1])}, {signed(both_diff[2])}]), {narration.plain_verdict(label95(both_diff))}"
    + (". So " + ("perhaps |z_Γ| carries a second signal the score leaves unused." if both_diff[0] > 0 else
                  "averaging dilutes the stronger signal with the weaker.")
       if label95(both_diff) != narration.TIED else ": nothing measurable beyond the score.")
    + "\n\n**The normal classes** (table; two candidate causes of a class's mean score: bright area, *bright px*, and "
    "how often $G$ draws the class, *G draws*):\n\n"
    + narration.fold_bullets(narration.class_table_reading(class_means, ink, drawn, kept), keep=0, keep_last=1,
                             summary="The class table, column by column")))


# %% [markdown]
# ## 9 · What a search costs, batched and one image at a time
#
# The obvious way to write it is a per-image loop, Γ steps for each image alone (the EGBAD authors'
# AnoGAN baseline searches a batch). Same code, same steps, a few images one at a time:

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
b = json.loads(bench.read_text()) if bench.is_file() else None
bench_rows = sorted(b["results"] if b else [], key=lambda r: ["smoke", "cpu", "full"].index(r["nets"]))  # small nets first
small_gain_more = len(bench_rows) > 1 and all(r1["ratio"] > r2["ratio"] for r1, r2 in zip(bench_rows, bench_rows[1:]))
for r in bench_rows:
    print(f"benchmark ({b['device']}, {b['torch_threads']} thread(s), batch {r['batch_size']}, {r['steps']} steps, "
          f"{r['nets']}-profile networks): ratio {r['ratio']}x")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see.** The first line is a rough timing (a few images, fastest of 3 runs). "
    + (f"Section 6's {1000 * sec_per_image:.1f} ms per image is close to it here, but measured differently (the "
       "trajectory kept, one run). " if abs(1000 * sec_per_image / batch_ms - 1) < 0.2 else
       f"Section 6's {1000 * sec_per_image:.1f} ms per image was measured differently (the trajectory kept, one run). ")
    + ("The benchmark lines (`python -m ganad_lib.bench anogan`) time larger batches with warm-up and repeats. "
       + ("Batching mainly saves the fixed cost of each call, so the smaller the networks (the less compute per image), "
          "the more it gains. " if small_gain_more else "")
       + f"The gain likely also grows with the batch and the threads: this run uses {torch.get_num_threads()} "
       f"thread(s) and a batch of {n_batch}, the benchmark {b['torch_threads']} and {bench_rows[0]['batch_size']}. "
       if bench_rows else "")
    + "Batching wins, yet AnoGAN still costs Γ forward and backward passes per image: notebook 04 removes the search."))

# %% [markdown]
# ## 10 · Pitfalls
#
# **Scoring in training mode.** In `train()` mode batch normalisation uses the *current batch's*
# statistics, so an image's score depends on its batch-mates, and every forward pass updates the
# stored running statistics with the batch's. Measured on a copy of the GAN, with a short search:

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
# **Settings tuned on test labels.** Picking Γ or λ as the argmax of Section 8's curves, or a threshold
# that maximises test F1, reports an optimistic number (notebook 00 measured by how much). Here every setting
# came from validation images, the profile or the paper.
#
# **Updating the generator during the search.** An optimiser given all parameters teaches the generator
# to draw the test image, anomalies included, and the score stops measuring anything. Here the optimiser
# holds $\mathbf{z}$ only, and `tests/test_anogan.py` checks that scoring changes no weight.
#
# **A mean instead of a sum over the batch** divides every gradient by the batch size. Adam barely
# notices (its step divides the gradient by a running estimate of its size, so a common factor cancels);
# with plain SGD the step shrinks with the batch, and a batch of 256 images is searched far less than one
# image alone. The sum gives each image exactly its own gradient with any optimiser (so with Adam the sum matters for
# exactness, with SGD for the step size).

# %% [markdown]
# ## 11 · Exercises
#
# Replace each stub's body and run the cell: the check runs your function on random inputs, compares it
# with a reference and names the usual mistakes. Solutions: [`docs/solutions.md`](../docs/solutions.md);
# try first.
#
# **Exercise 1 — keep each image's best code.** Section 3's search returns the *last* code
# $\mathbf{z}_\Gamma$, but Adam with a large step overshoots, and an earlier code may have had a lower loss.
# Write `my_search(G, f, x, z0, steps, lr, lambda_)` returning `(z_best, scores)`: for every image, the
# code among $\mathbf{z}_0, \dots, \mathbf{z}_\Gamma$ with the lowest
# $\mathcal{L} = (1 - \lambda) L_R + \lambda L_D$, and that loss. `G` arrives in training mode, as after
# training; `f` is a callable that maps a batch of images to $D$'s intermediate features; `z0` has one row per image; `steps` = $\Gamma$. Section 3's rules hold
# (eval mode, frozen weights, one batch), and the search is `torch.optim.Adam([z], lr=lr)`, as there. Before coding, ask: *whose* best (each image's, not the batch's)?
# *which* codes are compared (is $\mathbf{z}_\Gamma$ among them)? how to update the best for some rows
# only, without a Python loop? The library's loss functions are allowed, its search is refused.
#
# *Afterwards:* the best-code score is never higher than $\mathcal{L}(\mathbf{z}_\Gamma)$, for both
# groups; does it *separate* them better? Section 6 kept every step's loss, so it is
# `found.trajectory["loss_t"].min(0).values` (to run your own search on `x_test`, build `f` from `gan.D`
# in eval mode).

# %%
def my_search(G, f, x, z0, steps, lr, lambda_):
    raise NotImplementedError

exercises.check_best_code_search(my_search)


# %% [markdown]
# **Exercise 2 — how sure is the recall?** Section 6's recall is the share of bags scoring above
# `np.percentile(val_scores, 95)`. How far could it land if the whole experiment were repeated, with as
# many new validation and test images from the same populations? Write
# `my_recall_interval(val_scores, test_scores, is_anomaly, n_boot, seed)` returning the 2.5th and 97.5th
# percentiles of the recall over `n_boot` bootstrap rounds, all drawn from one
# `np.random.default_rng(seed)`. First list every number that a repeat would draw anew (the starting codes $\mathbf{z}_0$ are one, but
# the scores cannot resample them: Section 6b's second start measured what they change); copying Section
# 6's `paired_auroc_diff`, which resamples only the test images, is not enough. Then apply it to
# `val_scores`, `found.score` and `y_test`, and again with only the test images resampled: which source
# of chance makes most of the width, and which set would you enlarge first?

# %%
def my_recall_interval(val_scores, test_scores, is_anomaly, n_boot, seed):
    raise NotImplementedError

exercises.check_recall_interval(my_recall_interval)


# %% [markdown]
# **Exercise 3 (open).** Search with your short-trained generator (`gan_live`) and compare the AUROCs (Section 6 took a first look on 64 images):
# how much of AnoGAN's result is the search, how much the generator? Choose `gan_live`'s step size first
# (Section 4), or the comparison mixes the two. Section 6 printed the search's cost; `x_test[:half]`
# halves it.
#
# *Going further:* Section 8 asks whether a budget buys more as two starts than as the last steps of one. With the course's generator (`det`), compare at equal compute two starts of Γ/2 steps (the second from another `seed`, as in Section 6b; each image keeps the lower score) against one start of Γ.
#
# %% [markdown]
# ## Summary

# %%
# for the summary's scope bullet: notebook 06's grid, AnoGAN's runs on Fashion-MNIST with shorter-trained GANs
grid = comparison.select(comparison.load_runs(comparison.results_path("cpu")), protocol="one_class_anomalous",
                         dataset="fashion_mnist", methods=["anogan"])
grid_size = dict(kv.split("=") for kv in grid[0]["sizes"].split(";"))
n_grid_cls, n_grid_seeds = len({r["class"] for r in grid}), len({r["seed"] for r in grid})
grid_bag = [r["auroc"] for r in grid if r["class"] == ANOMALY]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**In one line:** AnoGAN ranks bags {'well' if result['auroc'] >= 0.85 else 'moderately' if result['auroc'] >= 0.7 else 'poorly'} (AUROC "
    f"{result['auroc']:.3f}) "
    + (f"but below kNN on raw pixels ({knn_auroc:.3f})" if knn_diff[0] > 0 and label("kNN - AnoGAN") != narration.TIED
       else f"about as well as kNN on raw pixels ({knn_auroc:.3f})" if label("kNN - AnoGAN") == narration.TIED
       else f"above kNN on raw pixels ({knn_auroc:.3f})")
    + f", and its validation threshold catches {'few' if result['recall'] < 0.3 else 'many'} bags "
    f"({result['recall']:.0%})."))

# %% [markdown]
# * AnoGAN inverts a GAN by optimisation: $\Gamma$ gradient steps on $\mathbf{z}$, with $G$ and $D$
#   frozen, on $\mathcal{L} = (1-\lambda)\mathcal{L}_R + \lambda\mathcal{L}_D$; the final loss is the
#   score $A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)$.
# * A batch is searched in one tensor with summed per-image losses; in eval mode an image's score does
#   not depend on its batch.
# * The residual $|\mathbf{x} - G(\mathbf{z}_\Gamma)|$ maps where $\mathbf{x}$ and the image the search ended on
#   differ: Section 7 tests it on flaws pasted into normal images (result below); for a whole-object anomaly
#   such as a bag it maps that mismatch, not "the abnormal part".
# * Each score costs Γ forward and backward passes through $G$ and $D$ (Sections 6 and 9): the motivation
#   for EGBAD's encoder in notebook 04.
# * What this run measured:

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"* **Against kNN on raw pixels:** AnoGAN's AUROC {result['auroc']:.3f}, kNN's {knn_auroc:.3f}; kNN − AnoGAN "
    f"{signed(knn_diff[0])} (95 % interval [{signed(knn_diff[1])}, {signed(knn_diff[2])}]), "
    f"{narration.plain_verdict(label('kNN - AnoGAN'))}.\n"
    f"* **At 5 % false alarms** AnoGAN catches {recall_at['AnoGAN'][1]:.0%} of the bags, kNN "
    f"{recall_at['kNN'][1]:.0%}.\n"
    f"* **One start's noise costs recall where AnoGAN's ROC is steep:** at 5 % false alarms one start catches "
    f"{result['recall_at'][1]:.0%} of the bags, the best of two starts {result_2['recall_at'][1]:.0%}; at 1 %: "
    f"{result['recall_at'][0]:.0%} and {result_2['recall_at'][0]:.0%}; at 10 %: {result['recall_at'][2]:.0%} and "
    f"{result_2['recall_at'][2]:.0%} (Section 6b).\n"
    "* **Scope:** one anomaly class (bag), one generator, one seed, one set of starting codes $\\mathbf{z}_0$. "
    f"Notebook 06 repeats the comparison over {n_grid_cls} classes × {n_grid_seeds} seeds with shorter-trained GANs "
    f"({grid_size['epochs']} epochs, width {grid_size['width']}, Γ = {grid_size['steps']}): expect lower AnoGAN "
    f"numbers there (bags: AUROC {min(grid_bag):.3f} to {max(grid_bag):.3f}).\n"
    f"* **Residual maps** (Section 7): the brightest window lies on a {S} × {S} flaw pasted on a normal garment in "
    f"{hit_rate['spot']:.0%} (white spot) and {hit_rate['hole']:.0%} (hole) of {n_flaw} images, against "
    f"{flaw['spot']['control'].mean():.0%} and {flaw['hole']['control'].mean():.0%} without a flaw.\n"
    f"* **The score** flags only {int(flaw['spot']['flagged'].sum())} and {int(flaw['hole']['flagged'].sum())} of "
    f"those flawed images ({int(clean_flagged * n_flaw)} of the same {n_flaw} without a flaw): the flaws raise the "
    f"scores by a median {np.median(flaw['spot']['change']):+.0f} (spot) and {np.median(flaw['hole']['change']):+.0f} "
    f"(hole), while the clean images sit a median {result['threshold'] - clean_median:.0f} below the threshold; "
    f"without a threshold, flawed against clean AUROC {flaw_auroc['spot']:.2f} (spot), {flaw_auroc['hole']:.2f} "
    "(hole).\n"
    f"* **The two parts** of the λ = {lam:g} score, alone: {auroc_parts['L_R alone']:.3f} ($L_R$) and "
    f"{auroc_parts['L_D alone']:.3f} ($L_D$), {narration.plain_verdict(label95(part_diff))}.\n"
    "* **Γ and λ**, read with test labels (they choose no setting):\n\n"
    + narration.anogan_sweeps_table_plain(GAMMA, reached, auroc_reached, auroc_t[-1], len(y_test), lam, auroc_lam,
                                          lam_diffs, lam_labels, half)))

# %% [markdown]
# ## References
#
# 1. Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#    Adversarial Networks to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 2. Goodfellow et al. *Generative Adversarial Nets.* NeurIPS 2014.
# 3. Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection* (EGBAD).
#    arXiv:1802.06222, 2018; its README gives AnoGAN's λ = 0.1, and its code's AnoGAN baseline (Adam on
#    $\mathbf{z}$ only, 500 steps) is read in `gan/run_mnist.py`, commit 8e62c36, of
#    github.com/houssamzenati/Efficient-GAN-Anomaly-Detection (`docs/references.md`, section 2).
# 4. Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen. *Improved Techniques for Training GANs.* NeurIPS
#    2016 (feature matching, the idea the course's $\mathcal{L}_D$ follows).
# 5. yjucho1/anoGAN, a Keras implementation whose README summarises the paper (500 backpropagation steps,
#    λ = 0.1, $\mathcal{L}_D$ on an intermediate layer of $D$); a secondary source (`docs/references.md`,
#    section 2).
# 6. Tonnaer. PhD thesis, section 3.3 (https://books.ipskampprinting.nl/thesis/603556-Tonnaer/55): a uniform
#    prior "as in Schlegl et al. (2017)" and SGD with momentum for AnoGAN's mapping; a second-hand source for
#    the paper's settings (`docs/references.md`, section 2).
#

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# Results: what this notebook must show, whatever the profile.
# 1. the key lines written out and the library give the same scores
print(f"1. written out vs library: largest difference {(A_open.double().cpu() - A_lib).abs().max():.1e} "
      "(bound: allclose, rtol 1e-4, atol 1e-3)")
assert torch.allclose(A_open.double().cpu(), A_lib, rtol=1e-4, atol=1e-3)
# 2. the search separates the groups: the AUROC rises from z_0 to z_Γ; normal losses fall further
GAIN = {"smoke": 0.0, "cpu": 0.1, "full": 0.1}[P.name]
print(f"2. AUROC at z_0 {auroc_t[0]:.3f} -> at z_Γ {auroc_t[-1]:.3f}: rise {auroc_t[-1] - auroc_t[0]:+.3f} "
      f"(bound: > {GAIN}, profile {P.name})")
assert auroc_t[-1] > auroc_t[0] + GAIN, auroc_t
drop = loss_t[0] - loss_t[-1]
print(f"   mean fall of the loss: normal {drop[~y_test].mean():.1f}, anomalies {drop[y_test].mean():.1f} "
      "(bound: normal > anomalies" + (", not asserted in smoke)" if P.name == "smoke" else ")"))
assert drop[~y_test].mean() > drop[y_test].mean() or P.name == "smoke", (drop[~y_test].mean(), drop[y_test].mean())
# 2b. the judge's verdict behind the choice of generator (Section 2)
print(f"2b. long-trained GAN: {verdicts['long-trained']['classes_covered']} of 9 classes (bound: 9); Fréchet "
      f"{verdicts['long-trained']['frechet']:.1f} vs your run's {verdicts['your run']['frechet']:.1f} (bound: lower)")
assert verdicts["long-trained"]["classes_covered"] == 9
no_leak = not np.isin(np.concatenate([split.val, split.test]), whole.train).any()
print(f"    its training images (the whole split's) include none of this profile's validation or test images: {no_leak} "
      f"(bound: True); it was stopped by: {gan_long.manifest['stopping_rule']}")
assert no_leak
assert verdicts["long-trained"]["frechet"] < verdicts["your run"]["frechet"], verdicts
# 3. an image scores the same alone and in a batch (eval mode); train mode breaks that
print(f"3. largest relative change alone vs in a batch: eval mode {eval_change.max():.1e} (bound: < 1e-4), "
      f"train mode {train_mode_change.max():.1e} (bound: > 1e-3)")
assert np.allclose(alone, batched[:n_loop], rtol=1e-5, atol=1e-4)
assert eval_change.max() < 1e-4 and train_mode_change.max() > 1e-3, (eval_change, train_mode_change)
# 4. scoring changed no weight: the scores of Section 3 repeat exactly
assert torch.allclose(torch.as_tensor(det.anomaly_score(x, lambda_=lam, lr=SET["search_lr"])), A_lib)
print("4. Section 3's scores repeat after every search since (bound: allclose): passed")
# 5. AnoGAN separates bags from clothes (smoke's bound only guards the pipeline)
MIN_AUROC = {"smoke": 0.2, "cpu": 0.75, "full": 0.75}[P.name]
print(f"5. AnoGAN's AUROC {result['auroc']:.3f} (bound: > {MIN_AUROC}, profile {P.name})")
assert result["auroc"] > MIN_AUROC, result
# 6. one image at a time is slower per image than the batch (a timing, so only "slower" is asserted)
print(f"6. one at a time {loop_ms:.1f} ms vs batched {batch_ms:.1f} ms per image: ratio {loop_ms / batch_ms:.1f}x "
      "(bound: > 1)")
assert loop_ms > batch_ms, (loop_ms, batch_ms)
# 7. Section 8, "a good score, a poor objective": L_D read at the λ = 0.1 codes beats the search on L_D alone (λ = 1)
# (cpu; measured with three sets of starting codes, seeds 0, 1, 2: differences 0.075, 0.048, 0.067)
print(f"7. on the λ sweep's {half} images: L_D at the λ = {lam:g} codes {ld_half:.3f}, the λ = 1 search {auroc_lam[1.0]:.3f}: "
      f"difference {ld_half - auroc_lam[1.0]:+.3f} (bound: > 0.02" + (")" if P.name == "cpu" else f", not asserted in {P.name})"))
if P.name == "cpu":
    assert ld_half > auroc_lam[1.0] + 0.02, (ld_half, auroc_lam)
# 8. cpu: kNN ranks better than AnoGAN beyond the noise, with margin (the widened lower end > 0.005);
# smoke, full (unmeasured): AnoGAN not better (the 95 % interval's upper end above 0)
print(f"8. kNN - AnoGAN {knn_diff[0]:+.3f}, {narration.paired_intervals(knn_diff, LEVEL_PCT)}: {label('kNN - AnoGAN')} (bound: "
      + ("beyond the noise, with the widened lower end > 0.005)" if P.name == "cpu" else "95 % interval's upper end > 0)"))
if P.name == "cpu":
    assert label("kNN - AnoGAN") == narration.BEYOND and knn_diff[3] > 0.005, knn_diff
else:
    assert knn_diff[2] > 0, knn_diff
# 9. Section 8: λ = 0.5 and λ = 1 both score below the paper's λ = 0.1 (cpu; measured with starting codes of seeds 0, 1,
# 2: λ = 0.5 -0.070, -0.044, -0.038; λ = 1 -0.060, -0.038, -0.062)
print("9. AUROC against λ = 0.1: " + ", ".join(f"λ = {v:g} {signed(lam_diffs[v][0])}" for v in (0.5, 1.0))
      + " (bound: both < 0" + (")" if P.name == "cpu" else f", not asserted in {P.name})"))
if P.name == "cpu":
    assert lam_diffs[0.5][0] < 0 and lam_diffs[1.0][0] < 0, lam_diffs
# 10. Section 7: flaws pasted on the garment are located by the residual map, but rarely flagged by the score (cpu;
# measured beforehand on three disjoint sets of 64 normal test images with the long-trained GAN, each flawed image
# searched from its clean image's z_0: hit rate 0.67, 0.73, 0.67 (spot) and 0.75, 0.61, 0.77 (hole); flawed images
# above the threshold 0.03 to 0.08. Bounds: hits > 0.4, flagged < 0.2, a margin of more than 3 binomial sd)
print(f"10. flaws on the garment ({n_flaw} images): hit rate spot {hit_rate['spot']:.2f}, hole {hit_rate['hole']:.2f}; "
      f"flagged spot {flaw['spot']['flagged'].mean():.2f}, hole {flaw['hole']['flagged'].mean():.2f} (bound: hits > 0.4, "
      "flagged < 0.2" + (")" if P.name == "cpu" else f", not asserted in {P.name})"))
if P.name == "cpu":
    assert min(hit_rate.values()) > 0.4 and max(v["flagged"].mean() for v in flaw.values()) < 0.2, hit_rate
# 11. Section 6b: kNN catches more bags than AnoGAN at 5 % false alarms (cpu; read off this run's ROC curves)
print(f"11. recall at 5 % false alarms: AnoGAN {recall_at['AnoGAN'][1]:.2f}, kNN {recall_at['kNN'][1]:.2f} (bound: kNN "
      "higher" + (")" if P.name == "cpu" else f", not asserted in {P.name})"))
if P.name == "cpu":
    assert recall_at["kNN"][1] > recall_at["AnoGAN"][1], recall_at
# 12. Section 6b: a single start's noise costs recall at a matched false-alarm rate, and kNN stays ahead there (cpu;
# this run, at 5 %: one start 0.23, best of two 0.61, kNN 0.78; measured beforehand for the pairs of starts (0, 1),
# (0, 2), (1, 2), at the validation threshold: best of two 0.40, 0.34, 0.46, one start 0.05 to 0.06, gains 0.28 to
# 0.41; ρ 0.80 to 0.81. Bound on the gain: 0.1, below every measured gain)
print(f"12. recall at 5 % false alarms: one start {result['recall_at'][1]:.2f}, best of two {result_2['recall_at'][1]:.2f}, "
      f"kNN {recall_at['kNN'][1]:.2f}; at the validation threshold: one start {result['recall']:.2f}, best of two "
      f"{result_2['recall']:.2f}; ρ between starts {rho_starts:.2f} (bound: at 5 %, best of two > one start + 0.1 and "
      "kNN > best of two; at the threshold, best of two > 0.2 and > 2 x one start; ρ < 0.9"
      + (")" if P.name == "cpu" else f", not asserted in {P.name})"))
if P.name == "cpu":
    assert result_2["recall_at"][1] > result["recall_at"][1] + 0.1, (result_2["recall_at"], result["recall_at"])
    assert recall_at["kNN"][1] > result_2["recall_at"][1], (recall_at, result_2["recall_at"])
    assert result_2["recall"] > max(0.2, 2 * result["recall"]) and rho_starts < 0.9, (result_2, rho_starts)
# 13. Section 7: the hits are not chance (cpu; measured once beforehand: control 9/64 spot, 15/64 hole)
print(f"13. hits minus the no-flaw control: spot {hit_rate['spot'] - flaw['spot']['control'].mean():.2f}, hole "
      f"{hit_rate['hole'] - flaw['hole']['control'].mean():.2f} (bound: > 0.2"
      + (")" if P.name == "cpu" else f", not asserted in {P.name})"))
if P.name == "cpu":
    assert all(hit_rate[k_] - flaw[k_]["control"].mean() > 0.2 for k_ in kinds), hit_rate
print("all results checks passed")
