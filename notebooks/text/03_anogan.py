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
# generator never saw, is usually explained worse — not always badly, as Section 7 shows — and what is left
# over is both its score and a map of where it is abnormal.
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
# $$\min_G \max_D V(D, G) = \mathbb{E}_{\mathbf{x} \sim p_{\text{data}}(\mathbf{x})} [\log D(\mathbf{x})] + \mathbb{E}_{\mathbf{z} \sim p_z(\mathbf{z})} [\log(1 - D(G(\mathbf{z})))],$$
#
# where $p_{\text{data}}$ is the distribution of the training images and $p_z$ the prior of the codes,
# $\mathcal{N}(0, I)$ in this course. It has no inverse $\mu: \mathbf{x} \mapsto \mathbf{z}$. AnoGAN computes one by optimisation:
# start from a random $\mathbf{z}_0$, and for $\gamma = 0, \dots, \Gamma - 1$ take one step downhill from
# $\mathbf{z}_\gamma$ to $\mathbf{z}_{\gamma+1}$ on a loss that says how far $G(\mathbf{z}_\gamma)$ is from
# $\mathbf{x}$; the score is the loss at $\mathbf{z}_\Gamma$. The loss has two parts:
#
# * the **residual loss**, a distance in pixel space,
#   $$\mathcal{L}_R(\mathbf{z}_\gamma) = \sum |\mathbf{x} - G(\mathbf{z}_\gamma)|;$$
# * the **discrimination loss**, the same distance between the discriminator's intermediate features $\mathbf{f}$,
#   $$\mathcal{L}_D(\mathbf{z}_\gamma) = \sum |\mathbf{f}(\mathbf{x}) - \mathbf{f}(G(\mathbf{z}_\gamma))|;$$
#   it compares the two images in the representation $D$ learned for telling real from generated, so a
#   code whose image has the right *kind* of content scores well even where single pixels differ
#   (feature matching, as in Salimans et al. 2016; the paper credits the idea of a loss from $D$ to Yeh et
#   al.'s inpainting search, which used $D$'s *output*, and replaces the output by features —
#   `docs/references.md`, section 2, says what of this we could check);
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
# * the search: Adam on $\mathbf{z}$ with a step size chosen on normal validation images (Section 4) and
#   $\Gamma$ = the profile's number of steps (printed above). The paper's own optimiser and $\Gamma$ are
#   not verified here (`docs/references.md` says why); the AnoGAN baseline in the code of EGBAD's authors (Zenati et al. 2018, notebook 04)
#   (`gan/run_mnist.py`, read at commit 8e62c36) also runs Adam on $\mathbf{z}$ only, for 500 steps, with
#   a step size of 0.01 that drops to 0.001 and 0.0005 after steps 200 and 300;
# * $\mathbf{z}_0 \sim \mathcal{N}(0, I)$, one draw per image seeded by the image itself, and nothing keeps
#   $\mathbf{z}$ near the prior during the search;
# * $f$ = the output of $D$'s last convolutional block, the course's DCGAN discriminator;
# * $\lambda = 0.1$ as in the paper — but $\lambda$ weighs two sums whose sizes depend on the image size and
#   on $D$'s features, so the same number does not mean the same balance here (Section 5 prints both parts).
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
val_idx = split.val          # every normal validation image: they set the threshold (Section 6)
x_train, x_test, x_val = to_x(split.train), to_x(test_idx), to_x(val_idx)
print(f"searched: {len(x_test)} test images ({int(y_test.sum())} anomalies), {len(x_val)} validation images")

# %%
gan = GAN.dcgan(P.image_size, channels=1, nz=P.nz, width=P.width, seed=0, device=DEVICE)
t0 = time.perf_counter()
history = gan.fit(x_train, epochs=P.epochs, batch_size=P.batch_size)
train_seconds = time.perf_counter() - t0

fig, axes = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1, 1.25]})
plotting.plot_losses(history, ["loss_D", "loss_G"], ax=axes[0], smooth=10)
axes[0].set_title("GAN training (normal images only)")
axes[0].set_ylabel("loss (moving average of 10 steps)")
plotting.show_images(gan.sample(24, torch.Generator().manual_seed(0)), nrow=8, ax=axes[1],
                     title="your run: G(z), z ~ p_z")
plt.tight_layout()
plt.show()
print(f"trained in {train_seconds:.0f} s")
tenth = max(1, len(history.series("loss_D", "step")) // 10)
ends = {k: (float(np.mean(history.series(k, "step")[:tenth])), float(np.mean(history.series(k, "step")[-tenth:])))
        for k in ("loss_D", "loss_G")}

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**Reading the curves.** Over the first tenth of the steps loss_D averaged {ends['loss_D'][0]:.2f} and loss_G "
    f"{ends['loss_G'][0]:.2f}; over the last tenth {ends['loss_D'][1]:.2f} and {ends['loss_G'][1]:.2f}. "
    "Each loss measures one network against the other, so it need not fall as a classifier's would: "
    + ("loss_D stayed away from 0, so the discriminator did not win outright and the generator kept getting a "
       "useful signal. " if ends["loss_D"][1] > 0.1 else
       "loss_D fell close to 0: the discriminator won, and the generator's signal fades. ")
    + "The curves do not say how good the images are — the judge below measures that."))

# %% [markdown]
# AnoGAN can only be as good as its generator: an image the generator cannot draw is "anomalous" whether
# or not it is normal. So before searching, ask the judge of notebook 01 (a classifier trained with
# labels, used only to *measure*; no detector scores with it) whether this generator works, and compare
# it with the GAN trained for longer with the same code and networks, shipped with the course
# (`ganad_lib.pretrained`). It differs from your run in more than time: it trained on every normal
# training image of the whole split rather than the profile's subset, for more epochs and so many more
# steps (the next cell prints both), and its $G$ is a moving average of the generator's weights over
# training, while its $D$ was trained against the raw generator (notebook 01, Section 6 explains why; the
# next cell prints the manifest's line on it). One indirect use of the judge: the long-trained GAN's
# stopping rule is a Fréchet distance in the judge's features (notebook 01, Section 7 discusses it).

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
print("long-trained GAN's generator:", lm.get("generator", "not recorded in its manifest"))
print(f"long-trained GAN: epoch {lm['epoch_chosen']} of {lm['epochs_trained']} ({lm['steps_to_chosen_epoch']:,} steps "
      f"on {lm['split']['train']:,} images); your run: {P.epochs} epochs ({len(history.steps):,} steps) on {len(x_train):,} "
      f"images in {train_seconds:.0f} s")
for name, r in verdicts.items():
    print(f"{name:13s} confident {r['confident']:.0%} (real {r['confident_real']:.0%}), {r['classes_covered']} of 9 classes, "
          f"Fréchet {r['frechet']:.1f} (real vs real {r['frechet_real']:.1f})")
print(f"long-trained GAN's stopping rule: {lm['stopping_rule']} — the validation images of the same whole split "
      "the judge compares with here; " + ("it chose the last epoch, so that selection did not favour this comparison"
                                          if lm["epoch_chosen"] == lm["epochs_trained"] else
                                          "so its Fréchet distance above is slightly optimistic (chosen on these images)"))
gan_live, gan = gan, gan_long   # the search below runs on the generator the judge says works
fig, ax = plt.subplots(figsize=(9, 3.4))            # thumbnails the size of your run's in the figure above
plotting.show_images(gan_long.sample(24, torch.Generator().manual_seed(0)), nrow=8, ax=ax,
                     title="the long-trained GAN: G(z), z ~ p_z")
plt.show()

# %% [markdown]
# How to read the two lines (the three measures are defined in notebook 01, Section 7), with the samples
# of your run and of the long-trained GAN in the two figures above: your short run draws blurred shapes
# and lies far from real images (its Fréchet distance); the long-trained GAN is much closer, though still
# about three times the real-against-real floor (the printed distances), and the printed counts say how many of the nine normal
# classes each covers (the results check asserts all nine for the long-trained GAN). A search can only find
# what the generator can draw, so the search below runs on the long-trained model. That choice needs no
# labels: it is the same networks and loss, trained longer on more data, with a weight-averaged $G$ and a
# learning rate that falls at the end (notebook 01, Section 6), and the judge's numbers only confirm it. From here on `gan` is
# the long-trained GAN; your run stays available as `gan_live` (Exercise 3 searches with it).

# %% [markdown]
# ## 3 · The search in the open
#
# Here are the key lines for a few test images (four normal, four anomalous), written out, with the
# library's default step size for this profile (printed at the top); Section 4 then chooses the step
# size on validation images, before any test score is used. Three details make the batched search correct
# and efficient:
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

# %% [markdown]
# ## 4 · The step size, chosen on validation images
#
# The search has a hyper-parameter of its own: Adam's step size for $\mathbf{z}$. A good step size
# finds codes with a *low* loss for normal images; that is a question we can answer with normal
# validation images, without looking at a single test label. We run the search with a few step
# sizes and keep the one with the lowest mean final loss. The criterion is a proxy: what a detector
# needs is a step size that *separates* normal images from anomalies, and that can only be measured with
# anomalies' labels; a step that fits normal images best is a reasonable guess for it, not a guarantee.

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
default_lr = SET["search_lr"]
det = AnoGAN.from_gan(gan, steps=GAMMA, lambda_=lam, search_lr=best_lr)
print(f"Section 3 searched with the default step {default_lr}; from here on every search uses the chosen {best_lr}.")

# %% [markdown]
# Read the curves by where they end: too small a step has not got far in $\Gamma$ steps; too large a
# step stalls far above the others (overshooting the minimum is one
# possible cause, not measured here). Where the curves are still falling at $\Gamma$ (read the
# figure's right end), the choice is the best step *for a budget of Γ steps*, not for a search run to
# convergence.
# The step with the lowest final loss is kept from here on;
# where two steps end close together (the printed losses), another run may pick the other, with little
# effect on the scores. The images used here are also among the validation images that set the threshold
# in Section 6: a step size chosen from four values on normal images cannot fit them closely, but a
# stricter protocol would keep the two sets apart.
# Nor does the lowest normal loss promise the highest AUROC: a step could fit anomalies just as much
# better, and Section 6's AUROC is the first place the choice meets labels (for reading, not to re-choose).
# The library's default (`anogan.SETTINGS`) was chosen the same way earlier, for a short-trained generator
# of the kind the experiment grid trains (the comment above `SETTINGS` in `ganad_lib/anogan.py` records it;
# that measurement is not repeated here). For the long-trained generator used here validation may choose
# another step, and then the same images score differently than with the default: a score is a property of
# the generator *and* of the search.

# %% [markdown]
# ## 5 · The search made visible
#
# One normal image and one anomaly, searched together at the chosen step size. The strip shows $G(\mathbf{z}_t)$ at a few
# steps $t$; the loss curve shows $\mathcal{L}(\mathbf{z}_t)$ falling. Below it, a slider steps through
# every iteration.

# %%
pair = torch.stack([x_test[~y_test][0], x_test[y_test][0]])
found_pair = det.search(pair, trajectory=True)
show_t = sorted({0, GAMMA // 10, GAMMA // 4, GAMMA // 2, GAMMA})
n_img = len(show_t) + 2                                # x, the strip G(z_t), the residual
fig, axes = plt.subplots(2, n_img + 2, figsize=(12, 4.2),   # an empty column keeps the colour bar apart
                         gridspec_kw={"width_ratios": [1] * n_img + [0.3, 3], "wspace": 0.05, "hspace": 0.5})
last_frame, strip = {}, {}
for row, name in enumerate(["normal", "anomaly (bag)"]):
    frames = [widgets.search_frame(found_pair, t, row, det.generate) for t in show_t]
    last_frame[name], strip[name] = frames[-1], frames
    axes[row, 0].imshow(frames[0]["x"][0], vmin=-1, vmax=1)
    axes[row, 0].set_title("x (normal)" if row == 0 else "x (bag)", fontsize=10)
    for j, f in enumerate(frames, start=1):
        axes[row, j].imshow(f["x_gen"][0], vmin=-1, vmax=1)
        axes[row, j].set_title(f"G(z_{f['t']})", fontsize=10)
    im = axes[row, -3].imshow(frames[-1]["residual"][0], cmap="magma", vmin=0, vmax=2)
    axes[row, -3].set_title("|x - G(z_Γ)|", fontsize=10)
    fig.colorbar(im, ax=axes[row, -3], fraction=0.046, pad=0.02)
    for a in axes[row, :-1]:
        a.set_axis_off()
    axes[row, -1].plot(frames[-1]["loss"], label="L")
    axes[row, -1].plot((1 - lam) * frames[-1]["loss_R"], "--", label="(1-λ) L_R")
    axes[row, -1].plot(lam * frames[-1]["loss_D"], ":", label="λ L_D")
    axes[row, -1].set_title(f"A(x) = {frames[-1]['score_t']:.1f}", fontsize=10)
    axes[row, -1].legend(frameon=False, fontsize=8.5, loc="best")
    axes[row, -1].set_ylabel("loss")
    axes[row, -1].yaxis.set_label_position("right")
    axes[row, -1].yaxis.tick_right()
axes[1, -1].set_xlabel("step t")
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
# "settled": the last tenth of the steps brought at most 3 % of the whole fall (a straight line would bring
# 10 %); a loss above that was still falling when the search stopped
settled = {"normal image" if name == "normal" else "bag": -0.02 <= v <= 0.03 for name, v in late.items()}
rose = ["normal image" if name == "normal" else "bag" for name, v in late.items() if v < -0.02]


def late_said(v):
    return f"{v:.0%} of it" if v >= 0 else f"a rise of {-v:.0%} of it"

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Reading the loss curves.** " + (
        f"In the first {k_10} of the {GAMMA} steps the loss covered {early['normal']:.0%} of its whole fall "
        f"for the normal image and {early['anomaly (bag)']:.0%} for the bag; the last {k_10} steps brought "
        f"{late_said(late['normal'])} for the normal image and {late_said(late['anomaly (bag)'])} for the bag, so "
        + (f"the {' and the '.join(n + chr(39) + 's' for n in rose)} loss{'es' if len(rose) > 1 else ''} rose again "
           "near the end: even the step size chosen in Section 4 (the best of four *on average* over validation "
           "images) can overshoot around one image's minimum, and the score is the loss at the last step, not the "
           "lowest one the search passed (Exercise 1 keeps the best code instead). " if rose else
           "both losses had nearly settled by Γ (the last tenth of the steps brought at most 3 % of the fall): a "
           "longer search would change these two scores little. " if all(settled.values()) else
           "the search was still lowering both losses at Γ: a longer search would lower both scores further. "
           if not any(settled.values()) else
           f"the {min(settled, key=settled.get)}'s loss was still falling, slowly, at Γ while the "
           f"{max(settled, key=settled.get)}'s had nearly settled: a longer search would lower the "
           f"{min(settled, key=settled.get)}'s score a little further and leave the other's almost unchanged. ")
        if all(c[-1] < c[0] for c in curve.values()) else
        "A loss ended above its start (" + ", ".join(f"{name} {c[0]:.1f} → {c[-1]:.1f}" for name, c in curve.items())
        + "): the chosen step size overshoots for this pair, although it was the best of four on validation images. ")
    + f"The bag ends at A(x) = {curve['anomaly (bag)'][-1]:.1f} and the normal image at {curve['normal'][-1]:.1f}"
    + (": the gap the score relies on, for this one pair." if curve["anomaly (bag)"][-1] > curve["normal"][-1]
       else ": here the bag scores lower; one pair proves nothing, Section 6 scores hundreds of images.")))

# %%
# What does G draw along the strip? The judge of Section 2 names the class of each G(z_t) shown above, and
# of the image at each search's lowest loss (the judge only reads; the search never sees it).
def judged(images):
    return [judge.classes[c] for c in judge.predict(torch.stack(list(images)).detach().cpu().float())]


def a_(name):   # "a Shirt", "an Ankle boot"
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


best_t = {name: int(np.argmin(f["loss"])) for name, f in last_frame.items()}
strip_class = {name: judged(f["x_gen"] for f in frames) for name, frames in strip.items()}
best_class = {name: judged([widgets.search_frame(found_pair, best_t[name], row, det.generate)["x_gen"]])[0]
              for row, name in enumerate(last_frame)}
for name in last_frame:
    print(f"{name:14s} judge's class of G(z_t) at t = {', '.join(map(str, show_t))}: "
          f"{' → '.join(strip_class[name])} | lowest loss at step {best_t[name]} of {GAMMA} "
          f"({best_class[name]}, L = {last_frame[name]['loss'][best_t[name]]:.1f}; at Γ L = {last_frame[name]['loss'][-1]:.1f})")
bag = "anomaly (bag)"
half_i = show_t.index(GAMMA // 2)
bag_jumped = len(set(strip_class[bag][half_i:])) > 1        # the class changes in the second half of the search
# how much lower the bag's best loss was than its last one; under 1 % the difference is too small to read
bag_best_gain = 1 - last_frame[bag]["loss"][best_t[bag]] / last_frame[bag]["loss"][-1]
bag_early_best = best_t[bag] < GAMMA and bag_best_gain > 0.01

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Along the strip.** For the bag, the judge names the generated image "
    + " → ".join(f"{c} (t = {t})" for c, t in zip(strip_class[bag], show_t)) + ". "
    + ("The class changes in the second half of the search: the code can jump from one garment the "
       "generator draws to another late in the search, " if bag_jumped else
       "The class stays the same through the second half of the search, ")
    + (f"and the bag's lowest loss came at step {best_t[bag]} ({best_class[bag]}), not at Γ = {GAMMA}: "
       "$G(\\mathbf{z}_\\Gamma)$ is where the search *stopped*, not the closest image it found, and the score "
       "$A(\\mathbf{x}) = \\mathcal{L}(\\mathbf{z}_\\Gamma)$ is that last loss (Exercise 1 keeps the best "
       "code instead and asks whether that scores better). " if bag_early_best else
       f"and its loss was lowest at Γ = {GAMMA} itself: here the last code is also the best one the search "
       "visited. " if best_t[bag] == GAMMA else
       f"and its lowest loss, at step {best_t[bag]}, is only {bag_best_gain:.1%} below its loss at Γ = {GAMMA}: "
       "for this image, scoring the last code or the best one comes to the same. ")
    + f"For the normal image the judge reads {' → '.join(strip_class['normal'])}, lowest loss at step "
    f"{best_t['normal']}."))

# %%
bag_like = judge.classes[ANOMALY] in strip_class[bag] + [best_class[bag]]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Can the generator draw a bag?** It was trained without a single bag. "
    + (f"Yet the judge calls the bag's $G(\\mathbf{{z}}_t)$ {a_(judge.classes[ANOMALY])} "
       + (f"at the search's lowest loss (step {best_t[bag]}). " if best_class[bag] == judge.classes[ANOMALY] else
          "at one of the steps shown. ")
       + "A generator of clothes can still draw bag-like shapes (a rectangle, a rounded body), so some anomalies "
       "are partly explained and score lower than the idea \"an anomaly cannot be drawn\" suggests — one reason "
       "AnoGAN's AUROC (Section 6) is not 1. Section 7 shows more bag-like $G(\\mathbf{z}_\\Gamma)$."
       if bag_like else
       f"For this bag the judge names only garments along the path ({', '.join(sorted(set(strip_class[bag])))}): "
       "here the generator offered nothing of the bag's kind. That is not guaranteed: a generator of clothes can "
       "draw bag-like shapes for other bags (Section 7), and such anomalies are partly explained and score lower — "
       "one reason AnoGAN's AUROC (Section 6) is not 1.")))

# %%
true_normal = fmnist.classes[int(fmnist.labels[test_idx[np.flatnonzero(~y_test)[0]]])]
i10 = next(i for i, t in enumerate(show_t) if t >= k_10)   # the first strip image at or after a tenth of the steps
c10 = strip_class["normal"][i10]
mean_R, mean_D = f_n["loss_R"][-1] / n_px, f_n["loss_D"][-1] / n_f

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**The normal image's strip and the two parts.** The normal image is a {true_normal}. Its search starts "
    f"from {a_(strip_class['normal'][0])} and at t = {show_t[i10]} the judge reads {c10}"
    + (": already the right kind, " if c10 == true_normal else
       f", not yet the right kind (at Γ: {strip_class['normal'][-1]}), ")
    + f"with {early['normal']:.0%} of the loss's fall done by step {k_10}. At Γ the feature part is "
    f"{'not negligible' if lam * f_n['loss_D'][-1] > 0.2 * (1 - lam) * f_n['loss_R'][-1] else 'small'} at "
    f"λ = {lam}: λ L_D = {lam * f_n['loss_D'][-1]:.1f} against (1 − λ) L_R = {(1 - lam) * f_n['loss_R'][-1]:.1f}, "
    f"because L_D sums over {n_f:,} feature differences against {n_px:,} pixel differences"
    + (f" and each differs by more on average ({mean_D:.2f} against {mean_R:.2f})." if mean_D > mean_R else
       f", although each differs by less on average ({mean_D:.2f} against {mean_R:.2f}).")))

# %% [markdown]
# Read the strip from left to right: the search starts from a random garment $G(\mathbf{z}_0)$ and moves
# towards the query; the readings above name what the judge sees along the way. For the bag the generator
# has no examples of the right kind, only what it learned from clothes. The search is a local descent, not
# an exhaustive look at every image $G$ can draw, so $G(\mathbf{z}_\Gamma)$ is simply where it stopped —
# possibly after a jump to another garment, and not necessarily the closest image it visited (the step of
# the lowest loss is printed above; Exercise 1 returns that code instead). The bag's residual is bright
# wherever this last image and the bag disagree. The curves on the right show how the loss falls during the
# search, and the reading under the figure measures them: how much of the fall came in the first tenth of
# the steps, and how much was still coming in the last tenth. Where the loss is still falling at $\Gamma$,
# the score depends on $\Gamma$ and on the step size (Sections 4 and 8).

# %% [markdown]
# The slider is a thin widget around the library function `widgets.search_frame` (tested in
# `tests/test_widgets_anogan.py`; the cell's first line tells the course's notebook tests not to compare
# a widget's output); move it to see $G(\mathbf{z}_t)$, the residual and the loss so far
# at every step of the anomaly's search.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.search_explorer(found_pair, det.generate, index=1)

# %% [markdown]
# ## 6 · Scores, AUROC and seconds per image
#
# Now the whole test sample, in batches of `det.score_batch_size`, with the trajectory kept for
# Section 8. The threshold is the 95th percentile of the *validation* scores (notebook 00). For
# scale, the k-nearest-neighbour baseline of notebook 00 scores the same test images.
#
# **How sure is a difference of AUROCs? The bootstrap.** Another sample of test images would give other
# AUROCs. The *bootstrap* imitates drawing that other sample from the one we have: draw as many test images
# as there are, at random *with replacement* (some twice, some not at all), recompute the statistic, and
# repeat a thousand times; the 2.5th and 97.5th percentiles of the thousand values are the 95 % interval.
# It is *paired* when both methods are scored on the same resample in each round: an image that is hard
# for both then weighs on both AUROCs at once and cancels out of their difference, so the interval of the
# difference is narrower than the two separate intervals suggest. `paired_auroc_diff` below does this.

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
      f"on normal test images {fpr_test:.1%} (the target: 5 %; the threshold comes from {len(x_val)} validation "
      f"images); AUPRC chance level {y_test.mean():.2f}; "
      f"false-positive rate at 95 % true positives {result['fpr_at_95_tpr']:.2f}")
fpr95 = result["fpr_at_95_tpr"]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**Reading the two metrics.** A score that ranks the images at random has an AUPRC of about the share of "
    f"anomalies among them, {y_test.mean():.2f} here; AnoGAN's {result['auprc']:.3f} is "
    f"{result['auprc'] / y_test.mean():.1f} times that chance level (with fewer anomalies in the test set both "
    f"would fall, which is why AUPRCs are compared only at the same share). To catch 95 % of the bags, a "
    f"threshold would have to flag {fpr95:.0%} of the normal test images: "
    + ("more false alarms than most uses could afford, because the last bags score among the normal images. "
       if fpr95 > 0.1 else "a price many uses could afford. ")
    + "That point is read with the test labels: it describes the ranking, not a threshold one could set."))


# %%
def paired_auroc_diff(y, s1, s2, n_boot=1000, seed=0):
    """AUROC(s1) - AUROC(s2) on the same images, and its 95 % percentile-bootstrap interval: each round
    resamples the *images* once and scores both methods on that resample, so the two AUROCs stay paired."""
    rng, diffs = np.random.default_rng(seed), []
    for _ in range(n_boot):
        i = rng.integers(0, len(y), len(y))
        if 0 < y[i].sum() < len(i):
            diffs.append(roc_auc_score(y[i], s1[i]) - roc_auc_score(y[i], s2[i]))
    return roc_auc_score(y, s1) - roc_auc_score(y, s2), *np.percentile(diffs, [2.5, 97.5])


def signed(v):
    """A difference with its sign, to three decimals; a value that rounds to zero prints as 0.000."""
    text = f"{v:+.3f}"
    return "0.000" if text in ("+0.000", "-0.000") else text


knn_diff = paired_auroc_diff(y_test, knn_scores, found.score)
print(f"kNN - AnoGAN on the same images: {knn_diff[0]:+.3f}, 95 % paired-bootstrap interval "
      f"[{knn_diff[1]:+.3f}, {knn_diff[2]:+.3f}]")
print("reading: kNN on raw pixels ranks these images "
      + ("better than AnoGAN, beyond the sampling noise (the interval excludes 0)" if knn_diff[1] > 0 else
         "worse than AnoGAN, beyond the sampling noise" if knn_diff[2] < 0 else
         "about as well as AnoGAN: the interval includes 0") + ".")
fpr_s, tpr_s, _ = roc_curve(y_test, found.score)
recall_at_5, recall_at_val = np.interp(0.05, fpr_s, tpr_s), result["recall"]   # the second: at the threshold itself

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**Where the threshold fell** (read with the test labels, not to set anything). On the ROC curve, at "
    f"exactly 5 % false alarms AnoGAN would catch {recall_at_5:.0%} of the bags, and at the {fpr_test:.1%} the "
    f"validation threshold gives, {recall_at_val:.0%} (the recall above): a difference of "
    f"{abs(0.05 - fpr_test) * int((~y_test).sum()):.0f} normal images' worth of false alarms moves the recall by "
    f"{100 * abs(recall_at_5 - recall_at_val):.0f} percentage points "
    f"(about {abs(recall_at_5 - recall_at_val) * int(y_test.sum()):.0f} of the {int(y_test.sum())} bags), because many bags score just there (the ROC curve is steep), so the "
    "threshold's sampling noise makes the recall unstable (Exercise 2 measures how much). That both are "
    + ("low is the ranking's doing: its low-false-alarm end is weak. " if max(recall_at_5, recall_at_val) < 0.5
       else "at or above one half says the ranking's low-false-alarm end is usable here. ")
    + f"kNN remembers the {len(split.train):,} training images of this profile, the long-trained GAN saw "
    f"{gan_long.manifest['split']['train']:,}; kNN still ranks "
    + ("better, beyond the sampling noise." if knn_diff[1] > 0 else "worse, beyond the sampling noise."
       if knn_diff[2] < 0 else "about as well: the interval of the difference includes 0.")))

# %% [markdown]
# Read the histogram and the two printed lines together. The AUROC is fair, but the F1 at the validation
# threshold is poor (printed above): the 95th percentile of the normal scores lies above most bags' scores
# (the dashed line against the two histograms), so a threshold that keeps false alarms near 5 % catches few
# bags. The threshold is itself an estimate of the normal tail from the validation images printed above, so the real false-alarm rate on test images lands away from the 5 % aimed at. AUROC
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
# retinal scan, a *local* defect on an image the generator can otherwise draw. A bag is anomalous as a whole
# object, so here the map shows where the image the search ended on differs from the bag, not "the abnormal
# part".

# %% [markdown]
# **Optional depth: are the false alarms random?** (The rest of Section 7 can be skipped on a first
# reading; Section 8 does not build on it.) The printout below the figure counts the classes of the ten normal
# images that score highest, then gives the mean score of each normal class over all normal test images.
# Ten images are too few to say much; the per-class means say more, but they have two candidate causes. A
# class may score high because the generator draws it worse (the judge measures how often it draws each
# class) — or simply because $\mathcal{L}_R$ is a *sum* over pixels, which grows with the area and texture
# of the object (the share of bright pixels printed beside the scores measures the area).
#
# To compare two orders of the same nine classes we use **Spearman's rank correlation ρ**: rank the classes
# by each quantity (1 to 9) and compute the ordinary correlation of the two lists of ranks. ρ = +1 means the
# same order, −1 the reversed order, 0 no relation. Its *p-value* is the probability of a ρ at least this far
# from 0 if the two orders were unrelated. With nine classes chance alone often gives a sizeable ρ (the
# printout says how large |ρ| must be for p < 0.05), so a large p-value means *no evidence either way*, not
# evidence of no link — the same rule as Section 8's intervals, which name a winner only where the interval
# excludes 0.

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
n_cls = len(class_means)
t_crit = stats.t.ppf(0.975, n_cls - 2)
rho_crit = t_crit / np.sqrt(n_cls - 2 + t_crit ** 2)   # the |ρ| at which spearmanr's p-value reaches 0.05
size_test = stats.spearmanr([class_means[k] for k in class_means], [ink[k] for k in class_means])
rho, p_rho = size_test.statistic, size_test.pvalue
print(f"rank correlation of the classes' mean scores with their bright-pixel shares: Spearman ρ = {rho:+.2f}, "
      f"p = {p_rho:.2f} over {n_cls} classes (p < 0.05 needs |ρ| > {rho_crit:.2f})")
gap = z_norm[y_test].mean() - z_norm[~y_test].mean()
typical = 1 / np.sqrt(2 * gan.nz)   # the spread of |z| / √nz for z ~ N(0, I): about 1 ± this
auroc_znorm = roc_auc_score(y_test, z_norm.numpy())
rho_z = stats.spearmanr(z_norm.numpy(), found.score).statistic
both = (stats.rankdata(z_norm.numpy()) + stats.rankdata(found.score)) / 2   # the average of the two ranks
auroc_both = roc_auc_score(y_test, both)
both_diff = paired_auroc_diff(y_test, both, found.score)
print(f"a prior draw lies at 1 ± {typical:.2f}; the AUROC of |z_Γ| alone as a score: {auroc_znorm:.3f}; its rank "
      f"correlation with AnoGAN's score over the {len(y_test)} test images: Spearman ρ = {rho_z:+.2f}")
print(f"average of the two ranks as a score: AUROC {auroc_both:.3f} vs AnoGAN's {result['auroc']:.3f}: difference "
      f"{both_diff[0]:+.3f}, 95 % paired interval [{both_diff[1]:+.3f}, {both_diff[2]:+.3f}]")
z_adds = both_diff[1] > 0        # the whole interval above 0: a gain beyond noise
z_costs = both_diff[2] < 0       # the whole interval below 0: averaging lowers the AUROC


def no_evidence_or_link(r, p, predicted_sign):
    """Word a rank correlation over the classes by its p-value: a link only where p < 0.05."""
    if not p < 0.05:                                 # also a NaN p (a constant order, possible in smoke)
        if p < 0.10:
            return f"weak evidence, not conclusive over {n_cls} classes (p = {p:.2f})"
        return (f"no evidence either way (p = {p:.2f}: with {n_cls} classes chance alone gives a ρ this size "
                + ("often)" if p >= 0.2 else "fairly often)"))
    return ("a link beyond chance, in the direction this cause predicts" if np.sign(r) == predicted_sign
            else "a link beyond chance, but opposite to what this cause predicts") + f" (p = {p:.3f})"


# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**Reading the last lines.** Object size: Spearman's ρ = {rho:+.2f} over {n_cls} classes, "
    + no_evidence_or_link(rho, p_rho, +1) + "."
    + f" The codes the search finds have a norm of about {z_norm[~y_test].mean():.2f} √nz for normal images and "
    f"{z_norm[y_test].mean():.2f} √nz for bags: "
    + ("both within the prior's typical range, so the search stays where the prior puts its mass. "
       if abs(z_norm[~y_test].mean() - 1) < 2 * typical and abs(z_norm[y_test].mean() - 1) < 2 * typical else
       f"{'both beyond' if abs(z_norm[~y_test].mean() - 1) >= 2 * typical else 'the bags beyond'} the prior's "
       f"typical range (1 ± {2 * typical:.2f}, two standard deviations), the bags' codes {'farther from' if gap > 0 else 'closer to'} the "
       "origin than the normal ones'. ")
    + f"The code's length alone separates the groups with AUROC {auroc_znorm:.3f}; its rank correlation with the "
    f"score is ρ = {rho_z:+.2f}, "
    + ("so it largely repeats what the score says: images that are fitted badly tend to end on long codes. "
       if rho_z > 0.7 else
       "so it partly repeats what the score says: images that are fitted badly tend to end on longer codes. "
       if rho_z > 0.5 else
       "so it partly overlaps with the score. " if abs(rho_z) > 0.2 else
       "so it carries information of its own. ")
    + (f"Averaged with the score's rank it raises the AUROC to {auroc_both:.3f}, beyond the sampling noise: a "
       "second signal, which AnoGAN's score does not use." if z_adds else
       f"Averaged with the score's rank it *lowers* the AUROC to {auroc_both:.3f}; the interval of the change "
       + ("just excludes 0" if both_diff[2] > -0.01 else "excludes 0")
       + f" (upper end {both_diff[2]:+.3f}), " + ("weak evidence among the several comparisons of this notebook, "
                                                   if both_diff[2] > -0.01 else "")
       + "and expected anyway when a strong score is averaged with a weaker one: the "
       "length's weaker signal dilutes the score." if z_costs else
       f"Averaged with the score's rank it gives AUROC {auroc_both:.3f}, an interval that does not exclude "
       "doing no better than the score alone: on this sample the length adds nothing measurable to it.")))

# %%
# The generator's side, measured twice. (1) Without any search: the judge's class shares among the long-trained
# generator's samples (Section 2): how often G draws each class at all. (2) After the search: for each normal
# class, the share of its test images whose G(z_Γ) the judge puts in the image's own class.
drawn = {fmnist.classes[c]: verdicts["long-trained"]["histogram"][c] for c in NORMAL if fmnist.classes[c] in class_means}
pred_x, pred_gen = judge.predict(found.x.cpu().float()), judge.predict(found.x_gen.cpu().float())
kept = {fmnist.classes[c]: float((pred_gen == pred_x)[(~y_test) & (test_labels == c)].mean())
        for c in NORMAL if ((~y_test) & (test_labels == c)).any()}
drawn_test = stats.spearmanr([class_means[k] for k in class_means], [drawn[k] for k in class_means])
kept_test = stats.spearmanr([class_means[k] for k in class_means], [kept[k] for k in class_means])
rho_drawn, p_drawn = drawn_test.statistic, drawn_test.pvalue
rho_kept, p_kept = kept_test.statistic, kept_test.pvalue
order = sorted(class_means, key=lambda k: -class_means[k])   # classes from highest to lowest mean score
print("(1) share of the generator's samples the judge puts in each class:",
      ", ".join(f"{k} {drawn[k]:.0%}" for k in order))
print(f"    rank correlation with the classes' mean scores: Spearman ρ = {rho_drawn:+.2f}, p = {p_drawn:.2f}")
print("(2) share of each class's normal test images whose G(z_Γ) the judge puts in the image's own class:",
      ", ".join(f"{k} {kept[k]:.0%}" for k in order))
print(f"    rank correlation with the classes' mean scores: Spearman ρ = {rho_kept:+.2f}, p = {p_kept:.2f}")
evidence = [name for name, p_ in (("object size", p_rho), ("how often G draws the class", p_drawn),
                                  ("how often the search keeps the class", p_kept)) if p_ < 0.05]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Which cause?** Three rank correlations with the classes' mean scores, each over "
    f"{n_cls} classes (p < 0.05 needs |ρ| > {rho_crit:.2f}):\n\n"
    f"* object size (bright-pixel share): ρ = {rho:+.2f}, " + no_evidence_or_link(rho, p_rho, +1) + ";\n"
    f"* how often the generator draws the class, measured on its samples without any search: ρ = {rho_drawn:+.2f}, "
    + no_evidence_or_link(rho_drawn, p_drawn, -1) + ";\n"
    f"* how often the search's $G(\\mathbf{{z}}_\\Gamma)$ keeps the image's class: ρ = {rho_kept:+.2f}, "
    + no_evidence_or_link(rho_kept, p_kept, -1) + ". This one is partly mechanical: the score is the residual "
    "against that same $G(\\mathbf{z}_\\Gamma)$, and a generated image of another class differs from the image "
    "by construction, so a link here says little about the generator itself.\n\n"
    + ("On this sample none of the three orders can be told from chance: the class order of the false alarms "
       "stays unexplained, and a finer test needs more classes or a score normalised by object size. "
       if not evidence else
       f"Beyond chance on this sample: {', '.join(evidence)}; the others cannot be told from chance. ")
    + "A large p-value is not evidence of *no* link: nine points can hide a moderate one."))

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
mean_intensity = x_test.mean((1, 2, 3)).numpy()
auroc_mass = roc_auc_score(y_test, mean_intensity)
rho_0 = stats.spearmanr(found.scores_at(0), mean_intensity).statistic
print(f"for comparison, no model at all: the AUROC of each image's mean intensity is {auroc_mass:.3f}; the rank "
      f"correlation of L(z_0) with mean intensity over the {len(y_test)} test images: Spearman ρ = {rho_0:+.2f}")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**Reading the start.** The random start's AUROC ({auroc_t[0]:.3f}) and mean intensity's ({auroc_mass:.3f}) "
    + ("are close, and " if abs(auroc_t[0] - auroc_mass) < 0.05 else "differ, and ")
    + f"image by image the two orders agree with ρ = {rho_0:+.2f}: "
    + ("at t = 0 the score largely measures how much bright area an image has — bags have more than most "
       "clothes, and a sum over pixels rewards large objects. " if rho_0 > 0.7 else
       "at t = 0 the score partly measures how much bright area an image has, but not only that. "
       if rho_0 > 0.2 else
       "two similar AUROCs, but not the same ranking: at t = 0 the score measures something other than bright "
       "area. ")
    + f"Across the *normal classes* at $\\mathbf{{z}}_\\Gamma$, Section 7 found ρ = {rho:+.2f} between class "
    f"mean score and bright area (p = {p_rho:.2f}, "
    + ("a link beyond chance" if p_rho < 0.05 else "no evidence either way")
    + "), a different quantity: that one compares classes after the search, this one compares images at its start."))

# %%
reached = int(ts[np.flatnonzero(auroc_t >= auroc_t[-1] - 0.005)[0]])   # first step within 0.005 below the end
t_peak = int(ts[np.argmax(auroc_t)])
print(f"the AUROC first comes within 0.005 of its final {auroc_t[-1]:.3f} at step {reached}; its highest value, "
      f"{auroc_t.max():.3f}, is at step {t_peak}"
      + (f", so the last {int(ts[-1]) - t_peak} steps lowered it slightly" if auroc_t.max() > auroc_t[-1] + 0.002 else ""))
k_tenth = max(1, GAMMA // 10)
for group, mean_loss in (("normal images", loss_t[:, ~y_test].mean(1)), ("anomalies", loss_t[:, y_test].mean(1))):
    share = (mean_loss[-1 - k_tenth] - mean_loss[-1]) / (mean_loss[0] - mean_loss[-1])
    print(f"{group}' mean loss: {mean_loss[0]:.1f} at t = 0, {mean_loss[-1]:.1f} at Γ; the last {k_tenth} steps "
          f"brought {share:.1%} of that fall")

# %% [markdown]
# At $t = 0$ the score compares each image with a random $G(\mathbf{z}_0)$ — already above chance. The
# printed AUROC and rank correlation of the mean intensity test one explanation: that bags simply have more
# bright area than most clothes, and any score that sums over pixels rewards large objects (the reading
# above says how far that goes). The search
# then lowers the loss of every image, and of normal images further, because the generator can draw them:
# the curves on the right separate, and the AUROC on the left rises as the two groups' scores overlap
# less. The printed line says when the AUROC first came close to its final value and where it peaked;
# beyond that point the extra steps buy little (or even cost a little), and more steps cost linearly more time. The last
# printed lines say how much of each group's mean loss fell in the last tenth of the steps: a few per cent
# means that group's search has nearly settled (the AUROC had stopped moving earlier still), but nothing
# guarantees it has found the best code, so $A(x)$ still depends on $\Gamma$, the step size and $\mathbf{z}_0$.
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
auroc_lam, scores_lam = {}, {}
for lam_ in lambdas:
    scores_lam[lam_] = found.score[:half] if lam_ == lam else det.anomaly_score(x_test[:half], lambda_=lam_)
    auroc_lam[lam_] = roc_auc_score(y_test[:half], scores_lam[lam_])
# the two parts of the λ = 0.1 score, each on its own
auroc_parts = {"L_R alone": roc_auc_score(y_test, found.loss_R), "L_D alone": roc_auc_score(y_test, found.loss_D)}
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(lambdas, [auroc_lam[v] for v in lambdas], marker="o")
ax.annotate("paper's λ", (lam, auroc_lam[lam]), xytext=(0, -18), textcoords="offset points", ha="center", fontsize=9)
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
lam_diff = paired_auroc_diff(y_test[:half], scores_lam[best_lam], found.score[:half])
part_diff = paired_auroc_diff(y_test, found.loss_R, found.loss_D)
lam1_diff = paired_auroc_diff(y_test[:half], scores_lam[1.0], found.score[:half])
runner_lam = max((k for k in auroc_lam if k != best_lam), key=auroc_lam.get)    # the sweep's second-highest
runner_diff = paired_auroc_diff(y_test[:half], scores_lam[best_lam], scores_lam[runner_lam])
print(f"the highest λ ({best_lam}) against the second-highest ({runner_lam}): {signed(runner_diff[0])}, 95 % paired "
      f"interval [{signed(runner_diff[1])}, {signed(runner_diff[2])}]")
if best_lam != lam:   # the best of the sweep against the paper's weight (nothing to compare when they coincide)
    print(f"λ = {best_lam} - λ = 0.1 on the {half} images of the sweep: {signed(lam_diff[0])}, 95 % paired interval "
          f"[{signed(lam_diff[1])}, {signed(lam_diff[2])}]")
if best_lam != 1.0:
    print(f"λ = 1 - λ = 0.1 on the same images: {signed(lam1_diff[0])}, 95 % paired interval "
          f"[{signed(lam1_diff[1])}, {signed(lam1_diff[2])}]")
print(f"L_R alone - L_D alone on all {len(y_test)} images: {signed(part_diff[0])}, 95 % paired interval "
      f"[{signed(part_diff[1])}, {signed(part_diff[2])}]")
print(f"reading: on these images the highest AUROC is at the paper's λ = 0.1 ({auroc_lam[0.1]:.3f})" if best_lam == 0.1 else
      f"reading: on these images the highest AUROC is at λ = {best_lam} ({auroc_lam[best_lam]:.3f}); the paper's "
      f"λ = 0.1 gives {auroc_lam[0.1]:.3f} — " + ("a gap the interval cannot tell from 0: indistinguishable on this sample"
                                                   if lam_diff[1] <= 0 else "a gap beyond the sampling noise"))
print(f"the two parts of the λ = 0.1 score alone: L_R {auroc_parts['L_R alone']:.3f}, L_D {auroc_parts['L_D alone']:.3f} "
      f"(combined {result['auroc']:.3f}) — " + ("indistinguishable on this sample" if part_diff[1] <= 0 <= part_diff[2]
                                                else f"{best_part.replace(' alone', '')} separates better"))
print("every λ reuses the step size chosen for λ = 0.1, which may not suit the others; and picking λ from this "
      "plot would tune on test labels (notebook 00).")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**λ = 1 against the paper's 0.1.** Searching and scoring by D's features alone gives AUROC "
    f"{auroc_lam[1.0]:.3f} against {auroc_lam[0.1]:.3f}: difference {signed(lam1_diff[0])}, paired interval "
    f"[{signed(lam1_diff[1])}, {signed(lam1_diff[2])}] — "
    + (("a fall whose interval only just excludes 0, weak evidence among this notebook's several comparisons"
        if lam1_diff[2] > -0.01 else "a fall beyond the sampling noise")
       + ", with the caveat that λ = 1 searched with the step size chosen for λ = 0.1. A possible reason, not tested "
       "here: D's features are many-to-one, so a search by features alone can match an anomaly's features with a "
       "code whose pixels do not match it."
       if lam1_diff[2] < 0 else
       "a rise beyond the sampling noise: on these images the features alone rank better than the mix."
       if lam1_diff[1] > 0 else
       "a difference the interval cannot tell from 0: on this sample the right end of the curve is "
       "indistinguishable from the paper's λ.")))

# %% [markdown]
# Read the λ curve from left to right: λ = 0 searches and scores by pixels alone, λ = 1 by D's features
# alone. Two different things are measured above. The curve changes the *search* as well as the score
# (the last reading compares its right end with λ = 0.1). The "parts" only *score* differently at the
# codes of the λ = 0.1 search. Two cautions: the curve uses
# half the test sample and the parts all of it, so λ = 0.1 appears with two values; and on a few hundred
# images an AUROC moves from sample to sample, so each comparison comes with the paired-bootstrap interval
# of its difference, and the printed readings name a winner only where that interval excludes 0.

# %% [markdown]
# ## 9 · What a search costs, batched and one image at a time
#
# Section 6 measured the batched search. Simple implementations often loop over the images and run Γ steps
# for each one alone (the EGBAD authors' AnoGAN baseline, by contrast, searches a batch:
# [`docs/references.md`](../docs/references.md), section 2). Same code, same steps, a few images one at a time:

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
# the batch size. With Adam this barely matters (Section 3): its step divides the gradient by a running
# estimate of the gradient's own size, so a common factor cancels, up to its tiny ε. With plain SGD it
# matters: the step shrinks with the batch size, and the same step size searches a batch of 256 images far
# less than one image alone. The sum gives each image exactly its own gradient with any optimiser.
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
# overshoots and names the usual mistakes; a function that calls the library's `latent_search` is refused
# (its loss functions you may use). (Small networks stand in for the DCGAN.) Afterwards: would the best-code score be a
# better *anomaly score* than $\mathcal{L}(\mathbf{z}_\Gamma)$? It can only be lower, for normal and anomalous
# images alike, so what matters is whether it separates the two groups better; try it on `x_test`. For that
# you build `f` from `gan.D` yourself, and `gan.D` has batch normalisation too: put it in eval mode first,
# or every image's features depend on its batch (Section 10). To check your answer, note that Section 6's
# search kept the loss of every step: the best-code score of each test image is
# `found.trajectory["loss_t"].min(0).values`.

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
# generator it searches? Choose `gan_live`'s step size first with Section 4's procedure, or the comparison
# mixes the generator with the step size. Section 6 printed what the search cost for the whole sample on
# this machine (and Section 4's choice of step size costs extra); half the sample, `x_test[:half]`, halves it.
#
# %% [markdown]
# ## Summary
#
# * AnoGAN inverts a GAN by optimisation: $\Gamma$ gradient steps on $\mathbf{z}$, with $G$ and $D$
#   frozen, on $\mathcal{L} = (1-\lambda)\mathcal{L}_R + \lambda\mathcal{L}_D$; the final loss is the
#   score $A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)$.
# * A batch is searched in one tensor with summed per-image losses; in eval mode the score of an image
#   does not depend on its batch, so batching is free of side effects.
# * The residual $|\mathbf{x} - G(\mathbf{z}_\Gamma)|$ localises a *local* defect on an otherwise drawable
#   image. For a whole-object anomaly such as a bag it shows where the image the search ended on differs
#   from it (Section 7: light at a bag's edges and handles when $G$ drew a bag-like shape, everywhere $G$
#   drew another garment): a map of the mismatch, not of "the abnormal part".
# * Each score costs Γ forward and backward passes through $G$ and $D$, measured above in ms per image —
#   the motivation for EGBAD's encoder in notebook 04.
# * What this run measured (rendered from the values computed above):

# %%
def interval_excludes_0(d):
    return "excludes 0" if d[1] > 0 or d[2] < 0 else "includes 0"


# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"* **Evaluation.** AnoGAN's AUROC {result['auroc']:.3f} (from {auroc_t[0]:.3f} at the random start) against "
    f"{knn_auroc:.3f} for kNN on raw pixels: kNN − AnoGAN = {signed(knn_diff[0])}, paired 95 % interval "
    f"[{signed(knn_diff[1])}, {signed(knn_diff[2])}], which {interval_excludes_0(knn_diff)}. At the validation "
    f"threshold AnoGAN catches {result['recall']:.0%} of the bags at {fpr_test:.1%} false alarms.\n"
    + (f"* **λ and the two parts.** The sweep's highest AUROC is at the paper's 0.1, but against λ = {runner_lam} the "
       f"interval is [{signed(runner_diff[1])}, {signed(runner_diff[2])}], which {interval_excludes_0(runner_diff)}; "
       if best_lam == lam else
       f"* **λ and the two parts.** The best λ of the sweep ({best_lam}) against the paper's 0.1: interval "
       f"[{signed(lam_diff[1])}, {signed(lam_diff[2])}], which {interval_excludes_0(lam_diff)}; ")
    + f"$L_R$ alone against $L_D$ "
    f"alone ({auroc_parts['L_R alone']:.3f} vs {auroc_parts['L_D alone']:.3f}): interval "
    f"[{signed(part_diff[1])}, {signed(part_diff[2])}], which {interval_excludes_0(part_diff)}"
    + (" — on this sample neither choice is distinguishable" if interval_excludes_0(
        runner_diff if best_lam == lam else lam_diff) == "includes 0" and interval_excludes_0(part_diff) == "includes 0"
       else "")
    + (f"; λ = 1 against 0.1: {signed(lam1_diff[0])}, interval [{signed(lam1_diff[1])}, {signed(lam1_diff[2])}], which "
       f"{interval_excludes_0(lam1_diff)}. " if best_lam != 1.0 else ". ")
    + f"\n* **The code's length.** $|\\mathbf{{z}}_\\Gamma|$ alone scores AUROC {auroc_znorm:.3f}, rank "
    f"correlation {rho_z:+.2f} with the score; averaged with it, AUROC {auroc_both:.3f} (interval of the gain "
    f"[{signed(both_diff[1])}, {signed(both_diff[2])}]): "
    + ("a second signal AnoGAN's score leaves unused." if z_adds else
       "averaging lowers the AUROC beyond the noise: the length dilutes the score." if z_costs else
       "nothing measurable beyond the score.")
    + f"\n* **The normal classes' order.** Rank correlations with object size {rho:+.2f} (p = {p_rho:.2f}), with "
    f"how often G draws the class {rho_drawn:+.2f} (p = {p_drawn:.2f}): "
    + ("none of the measured causes" if not evidence else ", ".join(evidence)) + f" beyond chance over {n_cls} classes."))

# %% [markdown]
# ## References
#
# 1. Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#    Adversarial Networks to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 2. Goodfellow et al. *Generative Adversarial Nets.* NeurIPS 2014.
# 3. Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection.* arXiv:1802.06222,
#    2018; its code's AnoGAN baseline (λ = 0.1, Adam on z only, 500 steps) is read in `gan/run_mnist.py`,
#    commit 8e62c36, of github.com/houssamzenati/Efficient-GAN-Anomaly-Detection (`docs/references.md`,
#    section 2, AnoGAN).
# 4. Di Mattia, Galeone, De Simoni, Ghelfi. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.
# 5. Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen. *Improved Techniques for Training GANs.* NeurIPS
#    2016 (feature matching).
# 6. Yeh, Chen, Lim, Schwing, Hasegawa-Johnson, Do. *Semantic Image Inpainting with Deep Generative Models.*
#    CVPR 2017 (a search on $\mathbf{z}$ with a loss from $D$'s output).

# %%
# Results: what this notebook must show, whatever the profile.
# 1. the key lines written out and the library give the same scores
assert torch.allclose(A_open.double().cpu(), A_lib, rtol=1e-4, atol=1e-3)
# 2. the search is what separates the groups: the AUROC rises from the random start to z_Γ (the committed
#    cpu run's rise is printed below and in Section 8, well above the bound), and normal images' loss falls
#    further than anomalies'
GAIN = {"smoke": 0.0, "cpu": 0.1, "full": 0.1}[P.name]
print(f"2. AUROC at z_0 {auroc_t[0]:.3f} -> at z_Γ {auroc_t[-1]:.3f}: rise {auroc_t[-1] - auroc_t[0]:+.3f} "
      f"(bound: > {GAIN}, profile {P.name})")
assert auroc_t[-1] > auroc_t[0] + GAIN, auroc_t
drop = loss_t[0] - loss_t[-1]
print(f"   mean fall of the loss: normal {drop[~y_test].mean():.1f}, anomalies {drop[y_test].mean():.1f} "
      "(bound: normal > anomalies" + (", not asserted in smoke)" if P.name == "smoke" else ")"))
assert drop[~y_test].mean() > drop[y_test].mean() or P.name == "smoke", (drop[~y_test].mean(), drop[y_test].mean())
# 2b. the judge's verdict that chose the model: the long-trained GAN covers all 9 classes and is far closer
#     to real images than your run (Fréchet distance)
print(f"2b. long-trained GAN: {verdicts['long-trained']['classes_covered']} of 9 classes (bound: 9); Fréchet "
      f"{verdicts['long-trained']['frechet']:.1f} vs your run's {verdicts['your run']['frechet']:.1f} (bound: lower)")
assert verdicts["long-trained"]["classes_covered"] == 9
assert verdicts["long-trained"]["frechet"] < verdicts["your run"]["frechet"], verdicts
# 3. an image scores the same alone and in a batch (eval mode); train mode breaks that
print(f"3. largest relative change alone vs in a batch: eval mode {eval_change.max():.1e} (bound: < 1e-4), "
      f"train mode {train_mode_change.max():.1e} (bound: > 1e-3)")
assert np.allclose(alone, batched[:n_loop], rtol=1e-5, atol=1e-4)
assert eval_change.max() < 1e-4 and train_mode_change.max() > 1e-3, (eval_change, train_mode_change)
# 4. scoring changed no weight: the scores of Section 3 repeat exactly
assert torch.allclose(torch.as_tensor(det.anomaly_score(x, lambda_=lam, lr=SET["search_lr"])), A_lib)
# 5. AnoGAN with the long-trained GAN separates bags from clothes. The committed cpu run (seed 0, the
#    step size chosen on validation) is printed below and in Section 6, above the bound with margin; searches
#    of the same images at that step size on 1 and on 2 threads gave the same AUROC to three decimals. smoke searches only a few steps on a few images, so its bound only guards the pipeline; full
#    is not measured yet (no GPU run), so the cpu bound applies there.
MIN_AUROC = {"smoke": 0.2, "cpu": 0.75, "full": 0.75}[P.name]
print(f"5. AnoGAN's AUROC {result['auroc']:.3f} (bound: > {MIN_AUROC}, profile {P.name})")
assert result["auroc"] > MIN_AUROC, result
# 6. one image at a time is slower per image than the batched search (same search, fastest of 3 runs; a
#    timing, so the bound is only "slower": the committed run's ratio, printed below and in Section 9, is
#    several times that)
print(f"6. one at a time {loop_ms:.1f} ms vs batched {batch_ms:.1f} ms per image: ratio {loop_ms / batch_ms:.1f}x "
      "(bound: > 1)")
assert loop_ms > batch_ms, (loop_ms, batch_ms)
# 7. what Section 4 says of the step sizes: too small a step has not got far and too large a step overshoots,
#    so the best step lies strictly inside the range tried (every committed cpu run chose 0.1, with 1.0 ending
#    far above the rest; the printed line gives this run's losses; smoke's few steps on few images do not show it)
print("7. mean final validation loss: " + ", ".join(f"lr {lr} {c[-1]:.1f}" for lr, c in curves.items())
      + f"; chosen {best_lr} (bound: {min(curves)} < chosen < {max(curves)}"
      + (", not asserted in smoke)" if P.name == "smoke" else ")"))
if P.name != "smoke":
    assert min(curves) < best_lr < max(curves), curves
# 8. the evaluation's finding, as Section 6 and the summary word it: in cpu kNN on raw pixels ranks better
#    than AnoGAN beyond the sampling noise, the paired interval's lower end above 0 (committed cpu runs: a
#    difference of +0.06 to +0.07 with the lower end +0.04 to +0.05, printed in Section 6; kNN is deterministic, and
#    the thread count did not change AnoGAN's AUROC at three decimals, see item 5). full is not measured yet (500 steps may
#    narrow the gap), and smoke searches only a handful of steps on 64 images (its run: +0.116, interval
#    [+0.027, +0.212], too wide to rest a claim on), so there the bound asks only that AnoGAN does not rank
#    better beyond the noise (upper end above 0). The prose of Section 6 and of the summary is worded from
#    the interval, so it holds in every profile.
KNN_END = {"smoke": 2, "cpu": 1, "full": 2}[P.name]   # which end of the interval must lie above 0
print(f"8. kNN - AnoGAN {knn_diff[0]:+.3f}, interval [{knn_diff[1]:+.3f}, {knn_diff[2]:+.3f}] (bound: "
      + ("lower end > 0)" if KNN_END == 1 else "upper end > 0)"))
assert knn_diff[KNN_END] > 0, knn_diff
print("all results checks passed")
