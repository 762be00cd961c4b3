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
# # 04 · EGBAD: an encoder instead of a search
#
# *ganad — unsupervised anomaly detection with GANs.* AnoGAN (notebook 03; Schlegl et al. 2017, reference 3) needs Γ optimisation steps (its
# search steps) to find each image's code; a BiGAN (notebook 02) has an encoder $E$ that finds it in one
# forward pass. EGBAD,
# *Efficient GAN-Based Anomaly Detection* ([Zenati et al. 2018](https://arxiv.org/abs/1802.06222)), builds
# its anomaly score on that encoder.
#
# **Learning objectives.** After this notebook you can
#
# 1. read EGBAD's score $A(x) = \alpha L_G(x) + (1-\alpha) L_D(x)$ in equations (Section 1) and code (Section 3);
# 2. explain what each part measures and how the weight $\alpha$ trades them off;
# 3. report AUROC per held-out class under the *one class anomalous* protocol, beside baselines that need
#    no GAN;
# 4. measure how much faster EGBAD scores than AnoGAN on the same images, and set it beside the paper's claim;
# 5. avoid scoring in training mode and tuning $\alpha$ or thresholds on test labels.

# %%
import copy
import dataclasses
import time

import numpy as np
import torch
import matplotlib.pyplot as plt
from IPython.display import Markdown, display
from scipy import stats
from sklearn.metrics import roc_auc_score, roc_curve

import ganad_lib
from ganad_lib import anogan, data, egbad, exercises, metrics, narration, plotting, protocols
from ganad_lib.anogan import AnoGAN
from ganad_lib.baselines import KNNDetector
from ganad_lib.bigan import BiGAN
from ganad_lib.egbad import EGBAD
from ganad_lib.gan import GAN
from ganad_lib.profiles import get_profile

P, DEVICE = ganad_lib.setup_notebook(seed=0)
SET = egbad.settings(P)                 # EGBAD's settings for this profile (sizes from the profile)
CLASSES = egbad.notebook_classes(P)     # held-out classes of Section 6
CLASS_NAMES = data.DATASETS["fashion_mnist"]["classes"]
print(f"latent size {P.nz} | width {P.width} | BiGAN epochs {P.epochs} | alpha {SET['alpha']} | "
      f"held-out classes of Section 6: {', '.join(CLASS_NAMES[c] for c in CLASSES)}")

# %% [markdown]
# ## 1 · From a search to an encoder
#
# A BiGAN (Donahue, Krähenbühl and Darrell 2017, reference 2) trains three networks: $G$ maps codes to
# images, $E$ images to codes, and a discriminator $D(x, z)$ tells real pairs
# $(x, E(x))$ from generated pairs $(G(z), z)$:
#
# $$\min_{G, E} \max_D V(D, E, G) = \mathbb{E}_{x \sim P_{\text{data}}(x)} [\log D(x, E(x))] + \mathbb{E}_{z \sim P_z(z)} [\log(1 - D(G(z), z))].$$
#
# To fool $D$ the two kinds of pair must look alike, which pushes $E$ towards the inverse of $G$. Where
# AnoGAN *searches* $z$ for Γ steps, EGBAD *reads it off*, $z = E(x)$, and
# scores like AnoGAN:
#
# $$A(x) = \alpha L_G(x) + (1 - \alpha) L_D(x),$$
#
# $$L_G(x) = \|x - G(E(x))\|_1, \qquad L_D(x) = \left\| f_D(x, E(x)) - f_D(G(E(x)), E(x)) \right\|_1,$$
#
# with $f_D$ the joint discriminator's hidden layer, where the image and code branches meet. $L_G$ asks "can the BiGAN reconstruct this image?", $L_D$ "does the discriminator see
# the image and its reconstruction alike?".
#
# The course scores with this feature-matching $L_D$ at α = 0.9, the default of the authors' implementation.
# A cross-entropy variant, $-\log D(\cdot, E(x))$, exists in two forms; Section 5 compares all three.
#
# <details><summary>Sources, and what differs from the authors' implementation (click)</summary>
#
# The paper's equations are known here only through transcriptions, the implementation through its code
# ([`docs/references.md`](../docs/references.md), section 2, EGBAD). Unlike
# the implementation, the course uses 32 × 32 images and DCGAN-style networks (theirs: 28 × 28 MNIST
# networks); the profile's learning rate, latent and batch size; one Adam optimiser for $G$ and $E$ (theirs:
# one each); dropout 0.2 on $D$'s code branch and joint layer (theirs: 0.5 everywhere); the trained weights,
# not a moving average of them; and AUPRC as scikit-learn's average precision, not the trapezoid rule.
#
# </details>

# %% [markdown]
# ## 2 · Data and a BiGAN of normal images
#
# Same protocol and held-out class as notebook 03: *one class anomalous* on Fashion-MNIST (nine classes normal,
# bags the anomaly and only in the test set). First *your* BiGAN, trained as in notebook 02 on normal training
# images only, with seed 0 (Section 6 sets your run beside the grid's seeds, which used other settings). A short
# run, on a subsample of the normal training images, is unstable, so your run shows the pipeline. The analysis
# uses the BiGAN the course ships: as many epochs as your run under `cpu` (8), but on the split's whole normal
# training part, 7.6 times the images (the details under the reconstruction figure give the counts).
# Training your run takes 2 to 5 minutes on the `cpu` profile (one CPU thread; measured on the course's
# machine, the longer times when it was busy).

# %%
ANOMALY = 8   # 'Bag'
fmnist = data.load_dataset("fashion_mnist")

def make_split(anomaly):
    return protocols.make_split("one_class_anomalous", fmnist, anomaly, seed=0, profile=P)

def to_x(idx):
    return data.to_tensor(fmnist.images[idx], P.image_size)

split = make_split(ANOMALY)
print(split.summary())
# why so many anomalies: the protocol puts *every* image of the held-out class in the test set, beside the
# 20 % of normal images not used for training; the profile then subsamples the test set, keeping the share
n_anomalous_all = int((fmnist.labels == ANOMALY).sum())
n_normal_all = len(fmnist.labels) - n_anomalous_all
n_normal_test = n_normal_all - round(0.8 * n_normal_all)
print(f"the protocol's test set before subsampling: all {n_anomalous_all:,} {CLASS_NAMES[ANOMALY].lower()}s + "
      f"{n_normal_test:,} held-out normal images = {n_anomalous_all / (n_anomalous_all + n_normal_test):.0%} anomalies")
x_train, x_val, x_test = to_x(split.train), to_x(split.val), to_x(split.test)
y_test = split.test_is_anomaly


# %%
def train_bigan(x, seed=0):
    model = BiGAN(P.image_size, channels=1, nz=P.nz, width=P.width, lr=SET["lr"], seed=seed, device=DEVICE)
    t0 = time.perf_counter()
    model.fit(x, epochs=P.epochs, batch_size=P.batch_size)
    return model, time.perf_counter() - t0

bigan_live, train_seconds = train_bigan(x_train)     # your run
ax = plotting.plot_losses(bigan_live.history, ["loss_D", "loss_GE"], smooth=10)
ax.axhline(2 * np.log(2), color="0.5", ls="--", lw=1, label="2 ln 2: D guessing")
ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))   # beside the axes, off the curves
ax.set_ylabel("loss (moving average over 10 steps)")
ax.set_title("BiGAN training (normal images only)")
plt.show()
loss_d = bigan_live.history.series("loss_D")
loss_d = np.convolve(loss_d, np.ones(10) / 10, mode="valid") if len(loss_d) >= 10 else loss_d   # as plotted
lo_d, hi_d = np.percentile(loss_d, [10, 90])
n_above = int((loss_d > 2 * np.log(2)).sum())        # smoothed points with D doing worse than guessing
print(f"your run's loss_D: between {lo_d:.2f} and {hi_d:.2f} in 80 % of the smoothed points, highest {loss_d.max():.2f}; "
      f"2 ln 2 = {2 * np.log(2):.2f}: " + ("D wins most of the time" if hi_d < 0.7 * 2 * np.log(2) else
                                          "D is often near guessing")
      + (f"; above the line in {n_above} of the {len(loss_d)} smoothed points" if n_above else "; never above the line"))

# %% [markdown]
# **What to see.** `loss_D` is the discriminator's loss, `loss_GE` that of the generator and encoder,
# trained together. The dashed line, 2 ln 2 ≈ 1.39, is the `loss_D` of a $D$ that says ½ to every pair: the
# further below it, the more easily $D$ wins (the line under the figure says where your run sits). Brief
# spikes above the line, if your run has them, are expected: for a few steps $G$ and $E$ fool $D$, the
# back-and-forth typical of adversarial training, not a bug. Neither curve shows whether $E$ inverts $G$:
# for that, look at $G(E(x))$.
#
# ### Does $E$ invert $G$?
#
# Notebook 02's check (`judge.collapse_audit`) on three BiGANs: **untrained** (the floor), **your run**, and the
# **whole-split** BiGAN shipped with the course (trained on the split's *whole* normal training part). The
# *judge* is a small CNN classifier of Fashion-MNIST, trained with labels and introduced in notebook 01; it only
# measures, it never detects. *Class kept*: how often the judge gives $x$ and $G(E(x))$ the same class; *chance*:
# the same with each reconstruction paired to another input.

# %%
from ganad_lib import judge as J
from ganad_lib import pretrained

judge = J.Judge.load("fashion_mnist")
bigan_full = pretrained.load("bigan", device=DEVICE)
lm = bigan_full.manifest
untrained = BiGAN(P.image_size, channels=1, nz=P.nz, width=P.width, seed=0, device=DEVICE)
x_normal_test = x_test[~y_test][:500 if P.name == "smoke" else 2000]
recs = {name: m.reconstruct(x_normal_test)
        for name, m in (("untrained", untrained), ("your run", bigan_live), ("whole split", bigan_full))}
# class kept, chance, variety; also pixel variety, two prototypes, the judge's classes (details below the figure)
audit = J.collapse_audit(judge, x_normal_test, recs)
kept, chance, variety_ratio = audit.kept, audit.chance, audit.variety
got_through = kept["your run"] > 2 * chance["your run"]
# for the text below the figure: how many more steps and images the whole-split model had than your run
step_ratio = lm["steps_to_chosen_epoch"] / len(bigan_live.history.steps)
image_ratio = lm["split"]["train"] / len(x_train)

# %%
print(f"{'G(E(x)) of':12s} {'class kept':>10s} {'chance':>7s}  (on {audit.n:,} normal test images)")
for name in audit.models:
    print(f"{name:12s} {kept[name]:10.1%} {chance[name]:7.1%}")

# %%
show = torch.cat([x_test[~y_test][:8], x_test[y_test][:8]])
rec_shown = {"G(E(x)) untrained": untrained.reconstruct(show), "G(E(x)) your run": bigan_live.reconstruct(show),
             "G(E(x)) whole split": bigan_full.reconstruct(show)}
fig, ax = plt.subplots(figsize=(14, 4.4))
plotting.show_image_rows({"x": show, **rec_shown}, ax=ax)
ax.set_title("8 normal test images, then 8 bags, and their reconstructions")
ax.tick_params(axis="y", labelsize=11)
n_px = show.shape[-1] + 2                          # one tile and its padding in the grid
ax.axvline(8 * n_px + 1, color="crimson", lw=2)    # between the normal images and the bags
ax.set_xticks([4 * n_px, 12 * n_px], ["normal test images", "bags (never seen)"], fontsize=11)
plt.show()
# the numbers read below the figure, per image: L_G (||x - G(E(x))||_1, whole-split model), lit area (pixel values
# rescaled to [0, 1], summed) and the pixel correlation of x with its reconstruction; also for the bags, and for the
# mean training image used as every input's "reconstruction", a yardstick that ignores the input
rec_bags = bigan_full.reconstruct(x_test[y_test])
fit = egbad.ReconstructionFit.of(x_normal_test, recs["whole split"])   # its first 8 images are the figure's
fit_bags = egbad.ReconstructionFit.of(x_test[y_test], rec_bags)
fit_mean = egbad.ReconstructionFit.of(x_normal_test, x_train.mean(0, keepdim=True))
lit_rho, lit_rho_bags = fit.rho_lit, fit_bags.rho_lit    # does a bigger image get a larger L_G?
labels_shown = [CLASS_NAMES[k] for k in fmnist.labels[split.test].numpy()[~y_test][:8]]   # the figure's normal images
bags_as_bag = float(np.mean(judge.predict(rec_bags) == ANOMALY))         # bags whose G(E(x)) the judge calls a bag
bag_tiles = np.bincount(judge.predict(rec_shown["G(E(x)) whole split"][8:]), minlength=len(CLASS_NAMES))   # the figure's
bag_tiles_read = ", ".join(f"{n} {CLASS_NAMES[c].lower()}{'s' if n > 1 and not CLASS_NAMES[c].endswith('s') else ''}"
                           for c, n in sorted(enumerate(bag_tiles), key=lambda t: -t[1]) if n)   # e.g. '3 trousers, 2 coats'
lit_auroc = roc_auc_score(y_test, egbad.lit_area(x_test))               # lit area alone as an anomaly score, no model
flat = bool(recs["untrained"].std() < 0.01 * x_normal_test.std())       # one uniform value for every pixel and input
flat_grey = flat and abs(float(recs["untrained"].mean())) < 0.5               # near 0 on the [-1, 1] scale: mid grey
untrained_class = int(np.bincount(judge.predict(recs["untrained"]), minlength=len(CLASS_NAMES)).argmax())
# a flat output has no structure for two prototypes to explain: shown as "-" in the details' table
audit_shown = dataclasses.replace(audit, two_prototypes={**audit.two_prototypes, "untrained": np.nan}) if flat else audit

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see.** Compare the bottom row (the whole-split model) with the top row. Over the normal test "
    f"images that model keeps the judge's class of {kept['whole split']:.0%} (chance {chance['whole split']:.0%})"
    + (f", but some classes merge: {audit.merges('whole split')}. " if audit.merges("whole split") else ". ")
    + f"Right of the red line the judge reads the eight bags' reconstructions as {bag_tiles_read}: shapes $G$ "
    f"learned from normal images. Over all bags only {bags_as_bag:.0%} come back as bags"
    + (": most become a garment or a shoe, and $L_G$ grows with that mismatch."
       if bags_as_bag < 0.5 else ", although $G$ never saw a bag.")
    + f"\n\nYour run (third row) keeps {kept['your run']:.0%} (chance {chance['your run']:.0%})"
    + ("; look along its row for the same silhouette repeated: it repeats a few shapes (measured in the details)."
       if audit.few_shapes("your run") else f": {audit.verdict('your run')} (details).")
    + (f" The untrained $G$ (second row) returns one flat {'grey ' if flat_grey else ''}tile for every input; the "
       f"judge files it under {CLASS_NAMES[untrained_class]}"
       + (", a class it gives none of the normal images, so even chance is 0 %."
          if audit.histogram["inputs"][untrained_class] == 0 else ".")
       if flat else "")
    + f"\n\n*Lit area*, used from here on: an image's pixel values rescaled to [0, 1] and summed, i.e. how much "
    f"of the tile is bright. Alone, as an anomaly score with no model, it reaches AUROC {lit_auroc:.2f} on bags. "
    "Section 3 sets single images' $L_G$ beside their lit area, and compares the two by Spearman's ρ (a rank "
    "correlation; 1: the same order, 0: unrelated)."
    + "\n\n<details><summary>The collapse audit, model by model, and how close the reconstructions are "
    "(optional, click)</summary>\n\n"
    + f"The whole-split BiGAN saw {lm['split']['train']:,} images in {lm['steps_to_chosen_epoch']:,} steps, your run "
    f"{len(x_train):,} images in {len(bigan_live.history.steps):,} steps ({P.epochs} epoch{'s' if P.epochs > 1 else ''}): "
    f"{image_ratio:.1f} times "
    f"the images, {step_ratio:.1f} times the steps. Of its {lm['epochs_trained']} epochs, epoch {lm['epoch_chosen']} "
    + (f"was kept, chosen as the epoch whose reconstructions keep the judge's class most often on "
       f"{pretrained.N_JUDGE:,} validation images (no test labels)" if "keeps its class" in lm["stopping_rule"] else
       f"was kept, chosen by the {lm['stopping_rule']}")
    + ("; here the last.\n\n" if lm["epoch_chosen"] == lm["epochs_trained"] else ".\n\n")
    + "*Variety*: the reconstructions' spread over the inputs' in the judge's features (0: one image for every "
    "input, a **collapse**; 1: as varied as the inputs). *Pixels* is variety with L1 distances between images. "
    "A collapse onto a few *different* images can keep variety high"
    + (f" (your run: {audit.pixel_variety['your run']:.2f} in pixels, although only "
       f"{variety_ratio['your run']:.2f} in the judge's features)"
       if audit.few_shapes("your run") and audit.pixel_variety["your run"] >= 0.5 else "")
    + ", so *2 prototypes* checks for it directly: the share of pixel variance two k-means prototypes explain, "
    "a collapse onto a few shapes when it exceeds 1.5 times the inputs' share"
    + (" ('-' for a flat output, which has no structure to explain)" if flat else "") + ".\n\n"
    "```\n" + audit_shown.table(full=True) + "\n```\n\n"
    + f"* *Your run:* variety {variety_ratio['your run']:.2f} (judge), {audit.pixel_variety['your run']:.2f} "
    f"(pixels): {audit.verdict('your run')}"
    + (f"; two prototypes explain {audit.two_prototypes['your run']:.0%} of its pixel variance (inputs "
       f"{audit.two_prototypes['inputs']:.0%}), "
       "which pixel variety misses" if audit.few_shapes("your run") and audit.pixel_variety["your run"] >= 0.5
       else "")
    + f". It files {audit.top('your run')[1]:.0%} of its reconstructions as {CLASS_NAMES[audit.top('your run')[0]]} "
    f"({audit.histogram['inputs'][audit.top('your run')[0]]:.0%} of the inputs)"
    + (", and some information about each input gets through $E$.\n" if got_through else
       ", hardly above chance.\n" if kept["your run"] > chance["your run"] else ", no better than chance.\n")
    + f"* *Whole split:* {audit.verdict('whole split')} (variety {variety_ratio['whole split']:.2f}, pixel variety "
    f"{audit.pixel_variety['whole split']:.2f}, two prototypes {audit.two_prototypes['whole split']:.0%}). "
    + (f"It files {audit.top('whole split')[1]:.0%} of its reconstructions as "
       f"{CLASS_NAMES[audit.top('whole split')[0]]} "
       f"({audit.histogram['inputs'][audit.top('whole split')[0]]:.0%} of the inputs): "
       + ("merged classes, not one image for all.\n" if audit.merged["whole split"] else
          "the extra share comes from many classes.\n")
       if audit.over("whole split") > 1.5 else "Its class histogram follows the inputs'.\n")
    + "\n" + narration.egbad_fit_reading(fit.median_corr, fit_mean.median_corr, kept=kept['whole split'],
                                          chance=chance['whole split'])
    + "\n\n</details>"))

# %% [markdown]
# From here on the notebook scores with `bigan_full`; your `bigan_live` returns beside it in Section 4.

# %% [markdown]
# ## 3 · The score in the open
#
# The key lines, on four normal images and four bags, then the library's `EGBAD` (in
# `ganad_lib/egbad.py`), which must agree. Everything runs in `eval()` mode and without gradients.

# %%
E, G, D = bigan_full.E.eval(), bigan_full.G.eval(), bigan_full.D.eval()     # dropout off, batch norm on running statistics
alpha = SET["alpha"]
x = torch.cat([x_test[~y_test][:4], x_test[y_test][:4]]).to(DEVICE)
with torch.no_grad():
    z = E(x)                                                  # the code z: one forward pass, no search
    x_rec = G(z)                                              # G(E(x))
    L_G = (x - x_rec).abs().flatten(1).sum(1)                                       # ||x - G(E(x))||_1
    f_x, f_rec = D(x, z, features=True)[1], D(x_rec, z, features=True)[1]          # f_D of the two pairs
    L_D = (f_x - f_rec).abs().sum(1)                                                # ||f_D(x,E(x)) - f_D(G(E(x)),E(x))||_1
    A_open = alpha * L_G + (1 - alpha) * L_D

det = EGBAD.from_bigan(bigan_full, alpha=alpha)
A_lib = torch.as_tensor(det.anomaly_score(x))
assert torch.allclose(A_open.double().cpu(), A_lib, rtol=1e-5, atol=1e-4)
print(f"f_D: {f_x.shape[1]} features per pair")
print(f"{'':22s}" + "".join(f"{'normal' if i < 4 else 'bag':>8s}" for i in range(8)))
for label, v in (("L_G", L_G), ("L_D", L_D), (f"{alpha}·L_G", alpha * L_G), (f"{1 - alpha:.1f}·L_D", (1 - alpha) * L_D),
                 ("A(x), written out", A_open), ("det.anomaly_score", A_lib)):
    print(f"{label:22s}" + "".join(f"{float(a):8.1f}" for a in v.cpu()))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.egbad_open_score_reading(
    labels_shown[:4], A_lib, L_G.cpu(), L_D.cpu(), l_g_all=fit.l_g, rho_normal=lit_rho, lit=fit.lit[:4],
    rho_bags=lit_rho_bags, tile=x.shape[-2] * x.shape[-1], lit_all=fit.lit)))

# %% [markdown]
# ## 4 · AUROC on the held-out class
#
# The profile's whole test set is scored; the threshold is the 95th percentile of the *validation* scores.
# As in notebook 00, AUPRC's chance level is the share of anomalies in the test set (printed beside it), and
# F1 is read at that one threshold.
# The EGBAD paper reports AUPRC (anomaly as the positive class) on MNIST; our Fashion-MNIST numbers are
# not the paper's.

# %%
t0 = time.perf_counter()
test_scores = det.anomaly_score(x_test)
score_seconds = time.perf_counter() - t0
val_scores = det.anomaly_score(x_val)
result = metrics.evaluate(test_scores, y_test, val_scores)
det_live = EGBAD.from_bigan(bigan_live, alpha=alpha)
test_scores_live = det_live.anomaly_score(x_test)
result_live = metrics.evaluate(test_scores_live, y_test, det_live.anomaly_score(x_val))
print(f"EGBAD, bags held out, whole-split BiGAN: AUROC {result['auroc']:.3f} | AUPRC {result['auprc']:.3f} "
      f"(chance = share of bags: {y_test.mean():.3f}) | F1 at the validation threshold {result['f1']:.3f}")
print(f"EGBAD, bags held out, your run:          AUROC {result_live['auroc']:.3f} | AUPRC {result_live['auprc']:.3f} "
      f"| F1 {result_live['f1']:.3f}")
print(f"scored {len(x_test)} images in {score_seconds:.2f} s "
      "(Section 7 times it properly)")
flagged = test_scores > result["threshold"]
print(f"at the validation threshold: {flagged[y_test].mean():.0%} of the bags flagged (recall), "
      f"{flagged[~y_test].mean():.1%} of the normal images (aim 5 %)")
# for reading only, never for choosing a threshold: the recall at exactly 5 % false positives, read off the test set
recall_at_5 = float(np.mean(test_scores[y_test] > np.quantile(test_scores[~y_test], 0.95)))
print(f"recall at 5 % false positives, read off the test set: {recall_at_5:.0%} of the bags")
flagged_live = test_scores_live > result_live["threshold"]
recall_at_5_live = float(np.mean(test_scores_live[y_test] > np.quantile(test_scores_live[~y_test], 0.95)))
print(f"your run at its validation threshold: {flagged_live[y_test].mean():.0%} of the bags, "
      f"{flagged_live[~y_test].mean():.1%} of the normal images")
# which normal classes make up your run's top 5 % of normal test scores (above the bags' scores at 5 % false alarms)
normal_labels = fmnist.labels[split.test][~y_test]
top_live = np.bincount(normal_labels[test_scores_live[~y_test] > np.quantile(test_scores_live[~y_test], 0.95)],
                       minlength=len(CLASS_NAMES))
top_live_classes = [(CLASS_NAMES[c], int(top_live[c])) for c in np.argsort(-top_live) if top_live[c] > 0]
print(f"your run, its top 5 % of normal test scores ({top_live.sum()} images): "
      + ", ".join(f"{name} {n}" for name, n in top_live_classes))
# the yardstick of notebook 00: k-nearest neighbours on raw pixels, same training and test images, no GAN
knn_scores = KNNDetector(k=5).fit(fmnist.images[split.train]).anomaly_score(fmnist.images[split.test])
knn_auroc = roc_auc_score(y_test, knn_scores)


def auroc_rows(y, s):
    """The AUROC of each row (Mann-Whitney: the anomalies' ranks; ties share a rank, as in roc_auc_score)."""
    n1 = y.sum(1)
    return ((stats.rankdata(s, axis=1) * y).sum(1) - n1 * (n1 + 1) / 2) / (n1 * (y.shape[1] - n1))


# paired bootstrap over the test images: draw test sets of the same size from the test images with replacement
# (the models and their scores fixed), recompute both AUROCs on each draw; it measures test-set noise only
N_BOOT = 2000
boot = np.random.default_rng(0).integers(0, len(y_test), (N_BOOT, len(y_test)))
boot = boot[(y_test[boot].sum(1) > 0) & (y_test[boot].sum(1) < len(y_test))]      # both kinds present
knn_diffs = auroc_rows(y_test[boot], knn_scores[boot]) - auroc_rows(y_test[boot], test_scores[boot])
knn_lo, knn_hi = np.percentile(knn_diffs, [2.5, 97.5])
print(f"kNN on raw pixels (k = 5), same split: AUROC {knn_auroc:.3f}; kNN minus EGBAD (whole split) "
      f"{knn_auroc - result['auroc']:+.3f}, 95 % paired-bootstrap interval {knn_lo:+.3f} to {knn_hi:+.3f} "
      f"({len(boot):,} resampled test sets)")
# and no model at all: the same "reconstruction" for every input, the mean training image, scored by L1 like L_G
mean_image = x_train.mean(0, keepdim=True)
const_auroc = roc_auc_score(y_test, (x_test - mean_image).abs().flatten(1).sum(1).numpy())
print(f"the mean training image as every input's reconstruction, scored by |x - mean|_1: AUROC {const_auroc:.3f}")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Reading the numbers.**\n\n"
    f"* *Your run against the whole-split model:* a gap of {result['auroc'] - result_live['auroc']:+.3f}. The whole-split "
    f"model saw {image_ratio:.1f} times the images and took {step_ratio:.1f} times the steps"
    + (" (same epochs)" if P.epochs == lm["epoch_chosen"] else f" ({lm['epoch_chosen']} epochs against your {P.epochs})")
    + ": this notebook cannot say which matters, and one short run cannot pin the gap down (Section 6 shows how "
    "far seeds spread).\n"
    + "* *What an AUROC does not show:* whether $E$ inverts $G$. "
    + (f"Your run repeats a few shapes (variety {variety_ratio['your run']:.2f}; two prototypes explain "
       f"{audit.two_prototypes['your run']:.0%} of its pixel variance, the inputs' {audit.two_prototypes['inputs']:.0%}: "
       f"Section 2's details) and still reaches {result_live['auroc']:.3f}. "
       if audit.few_shapes("your run") else "" if got_through else
       f"Your run keeps the judge's class of {kept['your run']:.0%} of the images ({chance['your run']:.0%} by "
       f"chance) and still reaches {result_live['auroc']:.3f}. ")
    + (f"The mean training image as every input's reconstruction, no model at all, already reaches AUROC "
       f"{const_auroc:.3f}"
       + (f", consistent with lit area alone ({lit_auroc:.2f}, Section 2): bright, wide images have more pixels to miss"
          if abs(const_auroc - lit_auroc) < 0.05 else
          f" (lit area alone, Section 2: {lit_auroc:.2f})")
       + (f". EGBAD with the whole-split model, at {result['auroc']:.3f}, is well above that, and Section 3 showed "
          f"that its $L_G$ hardly follows lit area (Spearman ρ = {lit_rho:.2f}): it is not mainly lit area"
          if result["auroc"] > const_auroc + 0.1 and abs(lit_rho) < narration.LIT_RHO_WEAK else "")
       + ".\n"
       if const_auroc > 0.5 else "\n")
    + f"* *Baselines:* kNN on raw pixels reaches {knn_auroc:.3f}, "
    + (f"{knn_auroc - result['auroc']:.3f} above EGBAD with the whole-split BiGAN, though kNN learned from "
       f"{len(split.train):,} images and that BiGAN from {lm['split']['train']:,}. "
       if knn_auroc > result["auroc"] else f"{result['auroc'] - knn_auroc:.3f} below EGBAD with the whole-split BiGAN. ")
    + f"A paired bootstrap ({len(boot):,} test sets drawn from the test images with replacement, both detectors' "
    f"scores fixed) puts kNN − EGBAD between {knn_lo:+.3f} and {knn_hi:+.3f} (95 %)"
    + (": within test-set noise. " if knn_lo <= 0 <= knn_hi else
       ": on this split kNN ranks bags better. " if knn_lo > 0 else ": on this split EGBAD ranks bags better. ")
    + "That is test-set noise only: the whole-split BiGAN is one training seed. Whether bags are a typical "
    "class for EGBAD is Section 6's question."))

# %%
fig, (ax, ax_roc) = plt.subplots(1, 2, figsize=(12, 3.2), gridspec_kw={"width_ratios": [1.7, 1]})
bins = np.linspace(test_scores.min(), test_scores.max(), 40)
ax.hist(test_scores[~y_test], bins, alpha=0.6, label="normal test images")
ax.hist(test_scores[y_test], bins, alpha=0.6, label="anomalies (bags)")
ax.axvline(result["threshold"], color="k", ls="--", label="threshold\n(95th pct. of validation)")
ax.set_xlabel("A(x), whole-split BiGAN")
ax.set_ylabel("test images")
ax.set_title(f"EGBAD scores of the test images, bags held out (AUROC {result['auroc']:.3f})", fontsize=10)
ax.legend(frameon=False, fontsize=8, loc="upper right")
# ROC curves on a log false-positive axis: the low false-alarm end, where a detector works
for name, s, r5, colour in (("whole split", test_scores, recall_at_5, "k"),
                            ("your run", test_scores_live, recall_at_5_live, "C4")):
    fpr, tpr, _ = roc_curve(y_test, s)
    ax_roc.plot(fpr[fpr > 0], tpr[fpr > 0], color=colour, lw=1.5,
                label=f"{name} (AUROC {roc_auc_score(y_test, s):.3f})")
    ax_roc.plot([0.05], [r5], "o", color=colour, ms=5)
grid_fpr = np.logspace(-3, 0, 50)
ax_roc.plot(grid_fpr, grid_fpr, color="0.6", ls=":", lw=1, label="chance")
ax_roc.axvline(0.05, color="0.6", ls="--", lw=0.8)
ax_roc.set_xscale("log")
ax_roc.set_xlim(1e-3, 1)
ax_roc.set_ylim(0, 1)
ax_roc.set_xlabel("false-positive rate (log axis; dashed: 5 %)")
ax_roc.set_ylabel("recall (bags flagged)")
ax_roc.set_title("ROC curves, bags held out (dots: at 5 % false positives)", fontsize=10)
ax_roc.legend(frameon=False, fontsize=8, loc="upper left")
plt.tight_layout()
plt.show()

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see.** The orange bags sit mostly right of the blue normal images, but their mass straddles the "
    f"dashed threshold (set on normal validation images only): {flagged[y_test].mean():.0%} of the bags lie right of "
    f"it, against {flagged[~y_test].mean():.1%} of the normal images. Even a threshold read off the test set at "
    f"exactly 5 % false positives flags only {recall_at_5:.0%}, although the AUROC is {result['auroc']:.3f}: an "
    "AUROC averages over every threshold, a detector works at one (right panel: the black dot at 5 % false "
    "positives)."
    + (f" Your run is the sharper case: AUROC {result_live['auroc']:.3f}, yet its validation threshold flags only "
       f"{flagged_live[y_test].mean():.0%} of the bags (F1 {result_live['f1']:.3f} against {result['f1']:.3f}). "
       f"Its top 5 % of normal scores, mostly {top_live_classes[0][0].lower()}s ({top_live_classes[0][1]} of "
       f"{top_live.sum()})"
       + (f" and {top_live_classes[1][0].lower()}s ({top_live_classes[1][1]})" if len(top_live_classes) > 1 else "")
       + f", lie above {1 - recall_at_5_live:.0%} of the bags: its ROC curve (purple) stays low up to 5 % false "
       "positives and catches up only at higher rates."
       if flagged_live[y_test].mean() < flagged[y_test].mean() / 2 and result_live["f1"] < result["f1"] - 0.2
       and result_live["auroc"] > 0.75 else "")))

# %% [markdown]
# ## 5 · The weight α
#
# $A(x)$ is linear in α, so one pass that keeps both parts (`det.losses`) gives the score for every α.
# The curves use test labels to *show* what α does, not to pick it (Section 8): the default stays α = 0.9.
#
# **Which $L_D$.** One curve per form. *Feature matching* is Section 1's, the default of the authors'
# implementation (`--m fm`), whose $(1 - w) L_G + w L_D$ with $w = 0.1$ is α = 0.9. The two
# *cross-entropies* are each $D$'s verdict against "real": the paper's (as transcribed,
# [`docs/references.md`](../docs/references.md), section 2) judges the *input* pair, $-\log D(x, E(x))$; the
# implementation's (`--m cross-e`) the *reconstructed* pair, $-\log D(G(E(x)), E(x))$. The library calls
# them `cross_entropy_input` and `cross_entropy`.
#
# The left panel steps α by 0.1; the right panel zooms in near α = 0 (log axis), the only region where a
# term whose spread is many times smaller than $L_G$'s (printed below the figure) is not swamped by it.

# %%
parts = det.losses(x_test)
alphas = np.unique(np.concatenate([np.linspace(0, 1, 11), np.logspace(-4, -1, 13)]))   # every 0.1, and near 0
auroc_alpha = {name: [roc_auc_score(y_test, a * parts["L_G"] + (1 - a) * parts[name]) for a in alphas]
               for name in egbad.DISCRIMINATION_LOSSES}
LD_LABEL = {"feature_matching": "L_D feature matching (default)",
            "cross_entropy": "L_D cross-entropy on (G(E(x)), E(x)) (implementation)",
            "cross_entropy_input": "L_D cross-entropy on (x, E(x)) (paper, as transcribed)"}
LD_ZOOM = {"feature_matching": "feature matching", "cross_entropy": "cross-entropy, reconstructed pair",
           "cross_entropy_input": "cross-entropy, input pair"}   # the zoom panel's own short legend
parts_val = det.losses(x_val)   # spreads from normal validation images, as a deployed detector must (Exercise 1)
sd = {key: float(np.std(parts_val[key])) for key in ("L_G", *egbad.DISCRIMINATION_LOSSES)}
# the α at which both terms move the score equally: α·sd(L_G) = (1 − α)·sd(L_D)
alpha_equal = {name: sd[name] / (sd["L_G"] + sd[name]) for name in egbad.DISCRIMINATION_LOSSES}
fig, (ax, ax_zoom) = plt.subplots(1, 2, figsize=(11, 3.2), gridspec_kw={"width_ratios": [1.4, 1]}, sharey=True)
on_tenths = np.isclose(alphas * 10, np.round(alphas * 10))    # α = 0, 0.1, ..., 1: the left panel
for name, values in auroc_alpha.items():
    ax.plot(alphas[on_tenths], np.array(values)[on_tenths], marker="o", ms=3, label=LD_LABEL[name])
    ax_zoom.plot(alphas[alphas <= 0.1], np.array(values)[alphas <= 0.1], marker="o", ms=3, label=LD_ZOOM[name])
for name in ("cross_entropy", "cross_entropy_input"):   # where the cross-entropy terms weigh as much as L_G
    ax_zoom.axvline(alpha_equal[name], color=f"C{list(auroc_alpha).index(name)}", ls=":", lw=1)
ax.axvline(SET["alpha"], color="0.6", ls=":", label="α = 0.9 (authors' implementation)")
ax.axvline(alpha_equal["feature_matching"], color=f"C{list(auroc_alpha).index('feature_matching')}", ls=":", lw=1,
           label=f"feature matching weighs as much as L_G (α = {alpha_equal['feature_matching']:.2f})")
for a_ in (ax, ax_zoom):
    a_.axhline(0.5, color="0.8", lw=0.8, ls="--", label="chance" if a_ is ax else None)
ax_zoom.set_xscale("symlog", linthresh=1e-4)
ax_zoom.set_xlim(0, 0.1)
ax_zoom.legend(frameon=False, fontsize=8, loc="upper left")
ax_zoom.set_xticks([0, 1e-4, 1e-3, 1e-2, 1e-1], ["0", "0.0001", "0.001", "0.01", "0.1"])
ax.set_xlabel("α (weight of L_G)")
ax_zoom.set_xlabel("α near 0 (log axis)")
ax.set_ylabel("AUROC")
ax.set_title("AUROC against α: whole-split BiGAN, bags held out, test set", fontsize=10)
ax_zoom.set_title("zoom: α from 0 to 0.1; dotted: equal weight (colour = form)", fontsize=10)
fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=9, loc="upper center",
           bbox_to_anchor=(0.5, 0.0), ncol=2)                      # below the panels, off the curves
plt.show()
print("over the normal validation images, median (standard deviation): " + ", ".join(
    f"{'L_G' if key == 'L_G' else LD_LABEL[key]} {np.median(parts_val[key]):.1f} ({sd[key]:.1f})" for key in sd))

# %%
# the numbers read below the figure: the default against L_G alone and the highest point, each with a paired
# bootstrap on Section 4's resampled test sets; each L_D alone; the spreads that set what α means
LD_SHORT = {"feature_matching": "feature matching", "cross_entropy": "the implementation's cross-entropy",
            "cross_entropy_input": "the paper's cross-entropy"}
best = max(((LD_SHORT[name] if a < 1 else "L_G alone", a, v, name) for name, vals in auroc_alpha.items()
            for a, v in zip(alphas, vals)), key=lambda t: t[2])
code_default = auroc_alpha["feature_matching"][int(np.argmin(np.abs(alphas - SET["alpha"])))]
lg_alone, ce_alone = auroc_alpha["feature_matching"][-1], auroc_alpha["cross_entropy"][0]
ce_in_alone = auroc_alpha["cross_entropy_input"][0]   # the paper's cross-entropy (as transcribed), alone
lg_gap = lg_alone - code_default                  # > 0: L_G alone above the implementation's default

# paired bootstraps on Section 4's resampled test sets (`boot`): both AUROCs recomputed on each
a_default = alphas[int(np.argmin(np.abs(alphas - SET["alpha"])))]
default_mix = a_default * parts["L_G"] + (1 - a_default) * parts["feature_matching"]   # code_default's scores
lg_rows = auroc_rows(y_test[boot], parts["L_G"][boot])
lg_diffs = lg_rows - auroc_rows(y_test[boot], default_mix[boot])
lg_lo, lg_hi = np.percentile(lg_diffs, [2.5, 97.5])
lg_within_noise = bool(lg_lo <= 0 <= lg_hi)        # the 95 % interval of the paired gap contains 0
best_mix = best[1] * parts["L_G"] + (1 - best[1]) * parts[best[3]]          # the highest point's scores
best_lo, best_hi = np.percentile(auroc_rows(y_test[boot], best_mix[boot]) - lg_rows, [2.5, 97.5])
ce_diffs = (auroc_rows(y_test[boot], parts["cross_entropy_input"][boot])
            - auroc_rows(y_test[boot], parts["cross_entropy"][boot]))      # paper's minus implementation's
ce_lo, ce_hi = np.percentile(ce_diffs, [2.5, 97.5])
sd_chance = float(np.sqrt((len(y_test) + 1) / (12 * y_test.sum() * (~y_test).sum())))   # sd of an AUROC under shuffled labels
n_points = len(egbad.DISCRIMINATION_LOSSES) * (len(alphas) - 1) + 1   # (form, α) points; α = 1 is shared
print(f"AUROC at the implementation's α = {SET['alpha']}: {code_default:.3f}; L_G alone: {lg_alone:.3f} "
      f"(gap {lg_gap:+.3f}, paired bootstrap, {len(boot):,} test sets resampled from the test images, model fixed: "
      f"95 % interval {lg_lo:+.3f} to {lg_hi:+.3f})")
print(f"highest point of the curves, read off the test set (a description, not a choice of α): "
      f"α = {best[1]:.2g} ({best[0]}), {best[2]:.3f}; minus L_G alone {best[2] - lg_alone:+.3f}, "
      f"95 % paired-bootstrap interval {best_lo:+.3f} to {best_hi:+.3f} (blind to its being the best of {n_points} points)")
print(f"AUROC of each L_D alone (α = 0): feature matching {auroc_alpha['feature_matching'][0]:.3f}, "
      f"cross-entropy on (G(E(x)), E(x)) {ce_alone:.3f}, cross-entropy on (x, E(x)) {ce_in_alone:.3f} "
      f"(paper's minus implementation's {ce_in_alone - ce_alone:+.3f}, 95 % paired-bootstrap interval "
      f"{ce_lo:+.3f} to {ce_hi:+.3f})")
scale = sd["L_G"] / sd["cross_entropy"]
scale_in = sd["L_G"] / sd["cross_entropy_input"]
print(f"L_G's standard deviation is {scale:.0f} times the implementation's cross-entropy term's, "
      f"{scale_in:.0f} times the paper's; equal weight at α = {alpha_equal['cross_entropy']:.3f} and "
      f"{alpha_equal['cross_entropy_input']:.3f}")
rho_parts = stats.spearmanr(parts["L_G"], parts["feature_matching"]).statistic
print(f"how much L_D (feature matching) repeats L_G: Spearman ρ = {rho_parts:.2f} over the "
      f"{len(parts['L_G']):,} test images (1: the same order, 0: unrelated)")
weight_ratio = (1 - alpha) * sd["feature_matching"] / (alpha * sd["L_G"])   # how far L_D moves A(x) per unit of L_G
print(f"weight times spread at α = {alpha}: (1 − α)·sd(L_D) / (α·sd(L_G)) = {1 - alpha:.1f}·{sd['feature_matching']:.1f}"
      f" / ({alpha:.1f}·{sd['L_G']:.1f}) = {weight_ratio:.3f}")
falls = all(v < code_default for a, v in zip(alphas, auroc_alpha["feature_matching"]) if a < alpha - 1e-9)
ce_sds = (0.5 - ce_alone) / sd_chance             # how many chance standard deviations below 0.5
ce_in_sds = (ce_in_alone - 0.5) / sd_chance       # ... and the paper's form, above 0.5

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see.** At α = 1 the three curves meet at $L_G$ alone; moving left mixes in more $L_D$.\n\n"
    f"* *$L_G$ alone against the default:* {lg_alone:.3f} against {code_default:.3f} at α = {alpha}; the paired "
    f"bootstrap puts the gap's 95 % interval at {lg_lo:+.3f} to {lg_hi:+.3f}"
    + (": within test-set noise" if lg_within_noise else
       ": beyond test-set noise, but too small to matter" if abs(lg_gap) < 0.01 else ": beyond test-set noise")
    + " (one trained model: another could order them otherwise). "
    + f"At α = {alpha} $L_D$ moves the score {weight_ratio:.2f} times as much as $L_G$ (weight times standard "
    f"deviation on normal validation images: {1 - alpha:.1f}·{sd['feature_matching']:.1f} against "
    f"{alpha}·{sd['L_G']:.1f})"
    + (": the order of the images, all the AUROC sees, is nearly $L_G$'s.\n" if weight_ratio < 0.2 else ".\n")
    + (f"* *More feature matching (blue):* every α below {alpha} scores lower, down to "
       f"{auroc_alpha['feature_matching'][0]:.3f} for $L_D$ alone. The two terms agree only partly (Spearman ρ = "
       f"{rho_parts:.2f}), but $L_D$'s own ordering is the weaker: more of it dilutes $L_G$. "
       f"It weighs as much as $L_G$ only at α = {alpha_equal['feature_matching']:.2f} (blue dotted line), "
       f"where weight times spread are equal; at α = {alpha} its say is {weight_ratio:.2f} of $L_G$'s, not the "
       f"{(1 - alpha) / alpha:.2f} the weights alone suggest.\n"
       if falls else
       f"* *More feature matching (blue):* the AUROC does not fall everywhere below α = {alpha}: read the curve "
       f"(Spearman ρ of the two terms: {rho_parts:.2f}).\n")
    + "* *Cross-entropies (orange: the implementation's, reconstructed pair; green: the paper's, input pair):* "
    f"spreads {scale:.0f} and {scale_in:.0f} times smaller than $L_G$'s, so they weigh as much as $L_G$ only at "
    f"α = {alpha_equal['cross_entropy']:.3f} and {alpha_equal['cross_entropy_input']:.3f} (dotted lines, right). "
    "α is not \"90 % reconstruction\": its effect depends on both scales (Exercise 1)."
    + "\n\n**Takeaway:** "
    + (f"at α = {alpha} the score is, for this model, practically $L_G$ ({code_default:.3f} against {lg_alone:.3f} "
       "for $L_G$ alone); "
       if abs(lg_gap) < 0.01 and weight_ratio < 0.2 else "")
    + "what α means depends on each term's spread, not on the weight alone."
    + "\n\n<details><summary>Each cross-entropy alone, and the highest point of the figure (optional, click)"
    "</summary>\n\n"
    + f"* *Each cross-entropy alone:* the implementation's form scores {ce_alone:.3f}"
    + (f", {ce_sds:.1f} chance standard deviations (the spread of an AUROC under shuffled labels, {sd_chance:.3f}) "
       "below 0.5: bags tend to be images whose reconstructed pair $D$ finds *more* realistic"
       if ce_sds > 2 else ", within the noise of chance" if abs(ce_sds) <= 2 else "")
    + f"; the paper's {ce_in_alone:.3f}"
    + (f", {ce_in_sds:.1f} above: bags' own pairs look less real to $D$" if ce_in_sds > 2 else "")
    + f". Their difference, {ce_in_alone - ce_alone:+.3f} (paired bootstrap {ce_lo:+.3f} to {ce_hi:+.3f})"
    + (", is beyond test-set noise: on this model, which pair $D$ judges decides the side of chance."
       if ce_lo > 0 and ce_in_alone > 0.5 > ce_alone else
       ", is beyond test-set noise on this model." if ce_lo > 0 or ce_hi < 0 else ", is within test-set noise.")
    + (f"\n* *The highest point,* {best[2]:.3f} at α = {best[1]:.2g} ({best[0]}), is {best[2] - lg_alone:+.3f} above "
       f"$L_G$ alone. It was picked as the best of {n_points} points on these same test images, and its "
       f"paired-bootstrap interval ({best_lo:+.3f} to {best_hi:+.3f}) ignores that picking, "
       + ("so it cannot be read as beyond test-set noise" if best_lo > 0 else
          "and even so contains 0: within test-set noise")
       + ("; either way a gap this small would not matter." if abs(best[2] - lg_alone) < 0.01 else ".")
       if best[1] < 1 else "")
    + "\n\n</details>"))

# %% [markdown]
# ## 6 · AUROC per held-out class
#
# Each class in turn is the anomaly, with a BiGAN trained on the nine others in a short run like yours. The
# bag's bar reuses your run of Section 2; the cell below trains the other classes the profile picks
# (`egbad.notebook_classes(P)`: the shirt under `cpu`; all ten under `full`). Short runs land far apart from
# seed to seed, so the figure sets each bar beside the seeds of notebook 06's experiment grid. Under `cpu` the
# course picked the shirt, the grid's lowest class, to set beside the bag, its highest; the gap between two
# hand-picked bars is not a finding (the appendix tests whether classes differ). The
# cell below takes another 2 to 5 minutes on the `cpu` profile (one CPU thread).
#
# <details><summary>Reproducing the grid (click)</summary>
#
# `python -m ganad_lib.experiments --profile cpu --methods egbad --datasets fashion_mnist --protocol one_class_anomalous --seeds 0,1,2`
# writes `results/cpu/runs.csv`.
#
# </details>

# %%
per_class = {}
for c in CLASSES:
    if c == ANOMALY:   # your run from Section 2
        per_class[c] = {"auroc": result_live["auroc"], "auprc": result_live["auprc"], "train_seconds": train_seconds,
                        "scores": test_scores_live, "is_anomaly": y_test, "labels": fmnist.labels[split.test].numpy()}
        continue
    s = make_split(c)
    model, train_s = train_bigan(to_x(s.train))
    det_c = EGBAD.from_bigan(model, alpha=alpha)
    scores_c = det_c.anomaly_score(to_x(s.test))
    r = metrics.evaluate(scores_c, s.test_is_anomaly, det_c.anomaly_score(to_x(s.val)))
    per_class[c] = {"auroc": r["auroc"], "auprc": r["auprc"], "train_seconds": train_s,
                    "scores": scores_c, "is_anomaly": s.test_is_anomaly, "labels": fmnist.labels[s.test].numpy()}

names = [fmnist.classes[c] for c in CLASSES]
for c, name in zip(CLASSES, names):
    print(f"{c} {name:12s} AUROC {per_class[c]['auroc']:.3f}  AUPRC {per_class[c]['auprc']:.3f}")
weakest = min(per_class, key=lambda c: per_class[c]["auroc"])   # the lowest bar
print(f"lowest bar: {fmnist.classes[weakest]} ({per_class[weakest]['auroc']:.3f}); "
      f"{'none' if all(v['auroc'] >= 0.5 for v in per_class.values()) else 'some'} below chance")

# %%
# how far apart do short runs of one class land? The experiment grid of notebook 06 trained EGBAD with
# several seeds per class, with its own settings (listed in each row's `sizes`)
from ganad_lib import comparison

grid_file = comparison.results_path("cpu")
grid = comparison.select(comparison.load_runs(grid_file), protocol="one_class_anomalous",
                         dataset="fashion_mnist", methods=["egbad"]) if grid_file.is_file() else []
by_class, grid_mean = {}, {}
if grid:
    grid = comparison.one_size_per_method(grid).rows          # one budget only
    grid_sizes = dict(kv.split("=") for kv in grid[0]["sizes"].split(";")) if grid[0]["sizes"] else {}
    for row in grid:
        by_class.setdefault(row["class"], []).append(row["auroc"])
    by_class = {c: v for c, v in by_class.items() if len(v) > 1}
    grid_mean = {c: iv.mean for c, iv in enumerate(comparison.per_class_stats(grid, "fashion_mnist")["egbad"])
                 if c in by_class}
if by_class:
    settings_of = {"width": P.width, "epochs": P.epochs, "max_train": P.max_train or len(x_train)}
    n_seeds = sorted(set(map(len, by_class.values())))
    print(f"experiment grid (results/cpu/runs.csv): {n_seeds[0]}" + (f" to {n_seeds[-1]}" if len(n_seeds) > 1 else "")
          + " seeds per class; "
          "its settings against yours: "
          + ", ".join(f"{k} {grid_sizes.get(k, '?')} (yours {v})" for k, v in settings_of.items()))
else:
    print("the experiment grid's results/cpu/runs.csv is not here (notebook 06 explains how to run it): "
          "the figure shows this notebook's runs only, without the spread over seeds")

if by_class:   # does a seed move the classes together? the seed with the lowest AUROC in each class, and the commonest
    lowest_seed = [min((r for r in grid if r["class"] == c), key=lambda r: r["auroc"])["seed"] for c in by_class]
    low_seed = max(set(lowest_seed), key=lowest_seed.count)
    n_low_seed = lowest_seed.count(low_seed)
    grid_setting = (f"width {grid_sizes.get('width', '?')}, {grid_sizes.get('epochs', '?')} epochs, "
                    f"{int(grid_sizes.get('max_train', 0)):,} training images")
    grid_seeds = sorted({r["seed"] for r in grid})
    jitter = {sd_: 0.12 * (j - (len(grid_seeds) - 1) / 2) for j, sd_ in enumerate(grid_seeds)}   # dots side by side
    # the baseline with no model: lit area alone on the grid's own splits, per (class, seed), and its mean per class
    lit_all = egbad.lit_area_aurocs(fmnist, by_class, grid_seeds, get_profile("cpu").for_grid())
    lit_mean = {c: float(np.mean([lit_all[c, sd_] for sd_ in grid_seeds])) for c in by_class}
    n_lit_ge = sum(lit_mean[c] >= grid_mean[c] for c in grid_mean)     # classes where lit area reaches the grid's mean
    # ... and with its sign picked per class after seeing the labels (darkness where lit area is below 0.5)
    n_bright = sum(max(lit_mean[c], 1 - lit_mean[c]) >= grid_mean[c] for c in grid_mean)

# the figure: this notebook's runs as bars, the grid's seeds as dots; columns by grid mean, lowest first
columns = sorted(grid_mean, key=grid_mean.get) + [c for c in CLASSES if c not in grid_mean]
pos = {c: i for i, c in enumerate(columns)}
fig, ax = plt.subplots(figsize=(0.7 * len(columns) + 4.5, 3.4))
bars = ax.bar([pos[c] for c in CLASSES], [per_class[c]["auroc"] for c in CLASSES], width=0.7, color="#e3eef8",
              edgecolor="C0", label=f"this notebook's run (width {P.width}, {P.epochs} epochs, "
                                     f"{settings_of['max_train'] if by_class else len(x_train):,} images)")
for b, c in zip(bars, CLASSES):   # each bar's value at its foot, clear of the grid's dots
    ax.text(b.get_x() + b.get_width() / 2, 0.02, f"{per_class[c]['auroc']:.2f}", ha="center", va="bottom",
            fontsize=9, color="C0")
for i, k in enumerate(k for k in columns if k in by_class):
    runs_k = [r for r in grid if r["class"] == k]
    for is_low in (False, True):   # the seed that is lowest in most classes as open circles, the others filled
        rs = [r for r in runs_k if (r["seed"] == low_seed) == is_low]
        ax.scatter([pos[k] + jitter[r["seed"]] for r in rs], [r["auroc"] for r in rs], s=28, zorder=4,
                   linewidths=1.2, facecolors="white" if is_low else "k", edgecolors="k",
                   label=(None if i else f"grid, seed {low_seed} ({grid_setting})" if is_low else "grid, other seeds"))
    ax.hlines(grid_mean[k], pos[k] - 0.3, pos[k] + 0.3, color="crimson", lw=2, zorder=3,
              label="grid: mean over seeds" if i == 0 else None)
if by_class:
    ax.scatter([pos[c] + 0.36 for c in lit_mean], list(lit_mean.values()), marker="D", s=22, color="0.55", zorder=4,
               label="lit area alone, no model (grid's splits, mean over seeds)")
ax.axhline(0.5, color="0.5", ls=":", label="chance")
ax.set_xticks(range(len(columns)), [CLASS_NAMES[c] for c in columns], rotation=30, ha="right")
ax.set_xlabel("held-out (anomalous) class")
ax.set_ylabel("AUROC")
ax.set_ylim(0, 1)
ax.set_title("EGBAD, one class anomalous: short runs", fontsize=10)
ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1, 1))
plt.show()

# the numbers the paragraphs below read: this notebook's bars against the grid's seeds
if len(per_class) > 1:
    best_class = max(per_class, key=lambda c: per_class[c]["auroc"])
    gap = per_class[best_class]["auroc"] - per_class[weakest]["auroc"]
    preselected = egbad.NOTEBOOK_CLASSES.get(P.name) is not None   # classes fixed by the course, not by this run
if by_class:
    seed_range = {c: max(v) - min(v) for c, v in by_class.items()}
    typical = float(np.median(list(seed_range.values())))
    class_means = np.array(list(grid_mean.values()))
    # the grid average over classes, with the 95 % t-interval whose replicates are the seeds (one value per
    # seed: its average over the classes); the classes of one seed are not independent replicates
    grid_iv = comparison.class_mean_stats(grid, "fashion_mnist")["egbad"]
    grid_avg = grid_iv.mean
    seed_avgs = {sd_: float(np.mean([r["auroc"] for r in grid if r["seed"] == sd_]))
                 for sd_ in sorted({r["seed"] for r in grid} - set(grid_iv.dropped_seeds))}
    low_seed_lowest_avg = min(seed_avgs, key=seed_avgs.get) == low_seed   # also the lowest average over classes?
    # post hoc, chosen after seeing the low seed: the same average and interval without it
    grid_iv_wo = comparison.class_mean_stats([r for r in grid if r["seed"] != low_seed], "fashion_mnist")["egbad"]
    grid_lo, grid_hi = class_means.min(), class_means.max()
    range_lo, range_hi = min(seed_range.values()), max(seed_range.values())
    # training budget of one bar against one grid run: images seen (epochs x training images), and width
    seen_live = P.epochs * settings_of["max_train"]
    sizes_known = all(str(grid_sizes.get(k, "")).isdigit() for k in ("epochs", "max_train", "width"))
    seen_grid = int(grid_sizes["epochs"]) * int(grid_sizes["max_train"]) if sizes_known else None
    width_grid = int(grid_sizes["width"]) if sizes_known else None
    seen_ratio = seen_live / seen_grid if sizes_known else None
    seen_factor = max(seen_ratio, 1 / seen_ratio) if sizes_known else None   # how many times more or fewer
    distinct_ratio = settings_of["max_train"] / int(grid_sizes["max_train"]) if sizes_known else None
    # this notebook's seed (Section 2's run and every bar) in the grid: its AUROC on this notebook's classes
    NB_SEED = 0
    nb_seed_auroc = {int(r["class"]): r["auroc"] for r in grid if int(r["seed"]) == NB_SEED and int(r["class"]) in per_class}
if len(grid_mean) > 1:   # the grid's lowest and highest class means; how many runs of the lowest are below chance
    order = sorted(grid_mean, key=grid_mean.get)
    low, high = order[0], order[-1]
    lo_runs, hi_runs = by_class[low], by_class[high]
    n_lo_below = sum(v < 0.5 for v in lo_runs)
    # this notebook's run of that class, in chance standard deviations from 0.5 (Section 5's sd_chance, its test set)
    y_low = per_class[low]["is_anomaly"] if low in per_class else None
    sds_low = ((per_class[low]["auroc"] - 0.5)
               / np.sqrt((len(y_low) + 1) / (12 * y_low.sum() * (~y_low).sum())) if low in per_class else None)
EPOCHS_SURVEY = 350   # EGBAD's epochs in the survey's toolbox, `config/hparams.json` (docs/references.md, section 2)

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if by_class:
    display(Markdown(
        "**What to see.** Each column is one held-out class: the bars are this notebook's runs, the dots the grid's "
        f"seeds side by side (seed {low_seed} as open circles), the red line their mean; columns run from the lowest grid mean to the highest. "
        f"One class's seeds span a median {typical:.2f} of AUROC (from {range_lo:.2f} for "
        f"{CLASS_NAMES[min(seed_range, key=seed_range.get)]} to {range_hi:.2f} for "
        f"{CLASS_NAMES[max(seed_range, key=seed_range.get)]}); averaged over its {grid_iv.n_classes} classes the grid "
        f"reaches {grid_avg:.2f}, per seed "
        + ", ".join(f"{v:.2f} (seed {k})" for k, v in seed_avgs.items())
        + (f". Seed {low_seed} is the lowest of its class in {n_low_seed} of the {len(by_class)} classes.\n"
           if n_low_seed >= 0.7 * len(by_class) else f". Seed {low_seed} is the lowest of its class most often.\n")
        + f"The grey diamonds, lit area alone with no model, reach the grid's mean in {n_lit_ge} of the "
        f"{len(grid_mean)} classes; with the sign picked per class after seeing the labels (darkness where lit area "
        "is below 0.5), brightness reaches it in "
        + (f"all {n_bright}" if n_bright == len(grid_mean) else f"{n_bright} of the {len(grid_mean)}") + ".\n"
        + "\n**Takeaway:** one short run can land far from its class's mean over seeds"
        + (", above or below 0.5" if min(min(v) for v in by_class.values()) < 0.5 < max(max(v) for v in by_class.values())
           else "")
        + "."
        + (f" At this budget lit area alone, with no model, reaches the grid's mean in {n_lit_ge} of the "
           f"{len(grid_mean)} classes: short runs are no evidence that EGBAD learned normality."
           if n_lit_ge >= len(grid_mean) / 2 else "")
        + (f" Averaged over the classes, the 95 % t-interval over the grid's {grid_iv.n} seeds runs from "
           f"{grid_iv.low:.2f} to {grid_iv.high:.2f}"
           + (": short runs at the grid's budget are not shown to beat chance."
              if grid_iv.low <= 0.5 <= grid_iv.high else
              ": above chance, averaged over classes." if grid_iv.low > 0.5 else
              ": below chance, averaged over classes.")
           if grid_iv.has_interval else "")
        + "\n\n<details><summary>Behind the figure: why a class can score below chance, the bars' budget and seed, "
        "the interval over seeds "
        "(optional, click)</summary>\n\n"
        + (f"* *Why a class can score below chance:* {n_lo_below} of the {len(lo_runs)} {CLASS_NAMES[low]} "
           f"runs are below 0.5: there a {CLASS_NAMES[low].lower()} tended to score *lower* than a normal image. A "
           "score ranks by what the model finds unusual, not by label, so a held-out class that looks *more* "
           "ordinary to the model than the normal images lands below chance"
           + (f". Section 5 showed one: the implementation's cross-entropy $L_D$ alone scores bags {ce_alone:.3f}, "
              f"{ce_sds:.1f} chance standard deviations (the spread of an AUROC under shuffled labels, "
              f"{sd_chance:.3f} on that test set) below 0.5, since $D$ finds their reconstructed pairs *more* real."
              if ce_sds > 2 else ".")
           + (f" This notebook's {CLASS_NAMES[low].lower()} run, at {per_class[low]['auroc']:.3f}, is "
              f"{sds_low:.1f} chance standard deviations above 0.5: above chance beyond test noise, but by little."
              if sds_low is not None and sds_low > 2 and per_class[low]["auroc"] < 0.6 else
              f" This notebook's {CLASS_NAMES[low].lower()} run, at {per_class[low]['auroc']:.3f}, is within the "
              "noise of chance." if sds_low is not None and abs(sds_low) <= 2 else "")
           + "\n" if len(grid_mean) > 1 and grid_mean[low] < 0.5 else "")
        + ("* *Bars against dots:* each bar is a single run, at settings other than the grid's (printed above). "
           if not sizes_known else
           "* *Bars against dots:* each bar is a single run that saw "
           + ("about as many image presentations as" if 0.8 <= seen_ratio <= 1.25 else
              f"{seen_factor:.1f} times {'more' if seen_ratio > 1 else 'fewer'} image presentations than")
           + f" a grid run (epochs × images: {P.epochs} × {settings_of['max_train']:,} against "
           f"{grid_sizes['epochs']} × {int(grid_sizes['max_train']):,}), drawn from "
           + ("twice as many" if distinct_ratio == 2 else "half as many" if distinct_ratio == 0.5
              else "as many" if distinct_ratio == 1 else f"{distinct_ratio:.1f} times as many")
           + " distinct images, at width " + f"{P.width} against {width_grid}. ")
        + f"For scale, the survey's toolbox (reference 4) trains EGBAD for {EPOCHS_SURVEY} epochs; {EPOCHS_SURVEY} "
        f"epochs on the whole-split BiGAN's {lm['split']['train']:,} images would be "
        f"about {EPOCHS_SURVEY / lm['epoch_chosen']:.0f} times its {lm['epoch_chosen']} epochs"
        + (f" and {EPOCHS_SURVEY * lm['split']['train'] / seen_grid:,.0f} times a grid run's image presentations.\n"
           if sizes_known else ".\n")
        + (f"* *This notebook's seed:* your run and every bar use seed {NB_SEED}, "
           + ("the grid's low seed. " if NB_SEED == low_seed else "not the grid's low seed. ")
           + "At other settings a seed's luck need not carry over (another width draws other initial weights, "
           f"another image count another subsample): the grid's seed {NB_SEED} gave "
           + ", ".join(f"{CLASS_NAMES[c]} {v:.2f}" for c, v in nb_seed_auroc.items()) + ", the bars "
           + ", ".join(f"{per_class[c]['auroc']:.2f}" for c in nb_seed_auroc) + ".\n"
           if nb_seed_auroc else "")
        + ("* *The interval over seeds:* its replicates are the seeds, not the classes: a grid seed sets both the "
           "train/test subsample (`make_split(..., seed=run.seed)` in `ganad_lib/experiments.py`) and the "
           f"initialisation. With {grid_iv.n} seed averages the t-interval has {grid_iv.n - 1} degrees of freedom"
           + (", and it is this wide because "
              + (f"seed {low_seed} disagrees with the others. " if low_seed_lowest_avg else "the seeds disagree. ")
              if grid_iv.low <= 0.5 <= grid_iv.high else ". ")
           + (f"Without seed {low_seed} the other {grid_iv_wo.n} seeds average {grid_iv_wo.mean:.2f}, interval "
              f"{grid_iv_wo.low:.2f} to {grid_iv_wo.high:.2f} ({grid_iv_wo.n - 1} degree"
              f"{'s' if grid_iv_wo.n > 2 else ''} of freedom): a hint, not a result, since the seed was dropped "
              "for looking bad." if grid_iv_wo.has_interval else "")
           + "\n" if grid_iv.has_interval else "")
        + "\n</details>"))

# %% [markdown]
# ## 7 · How much faster than AnoGAN?
#
# The paper's abstract claims EGBAD is "several hundred-fold faster at test time than the only published
# GAN-based method"; the abstract gives no number, and that this method is AnoGAN (reference 3) is the course's reading
# ([`docs/references.md`](../docs/references.md), section 2, EGBAD, which also says what of the paper was checked). We time both on the **same
# images in the same run**. A search's cost depends on network size and Γ, not on learned weights,
# so AnoGAN runs on an untrained DCGAN of the BiGAN's size.

# %%
x_same = x_test[:max(P.max_search_images // 2, 8)]
gamma = P.search_steps
size = {k: lm["setting"][k] for k in ("nz", "width")}          # the same networks as the BiGAN scored here
gamma_small = max(gamma // 5, 1)   # a second, shorter search: does AnoGAN's cost grow in proportion to Γ?
gan_same = GAN.dcgan(P.image_size, 1, size["nz"], size["width"], seed=0, device=DEVICE)
ano, ano_small = (AnoGAN.from_gan(gan_same, steps=g, search_lr=anogan.settings(P)["search_lr"])
                  for g in (gamma, gamma_small))

def seconds(fn, repeats):
    # the fastest of a few runs: other work on the machine can only add time, never remove it
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.min(times))

det.anomaly_score(x_same[:2])                                 # warm-up
ano.anomaly_score(x_same[:2])
egbad_s = seconds(lambda: det.anomaly_score(x_same), repeats=5)
anogan_s = seconds(lambda: ano.anomaly_score(x_same), repeats=3)
anogan_small_s = seconds(lambda: ano_small.anomaly_score(x_same), repeats=3)
speedup, speedup_small = anogan_s / egbad_s, anogan_small_s / egbad_s
n_threads = torch.get_num_threads()
print(f"{len(x_same)} images, both detectors timed on the same {n_threads} CPU thread{'s' if n_threads > 1 else ''} "
      f"(torch's thread setting, which need not match the machine's cores), device {DEVICE.type}")
print(f"EGBAD : {1000 * egbad_s / len(x_same):8.3f} ms per image")
print(f"AnoGAN: {1000 * anogan_s / len(x_same):8.3f} ms per image (Γ = {gamma} search steps, batched)")
print(f"AnoGAN: {1000 * anogan_small_s / len(x_same):8.3f} ms per image (Γ = {gamma_small}): "
      f"{anogan_s / anogan_small_s:.1f} times less for {gamma / gamma_small:.0f} times fewer steps")
print(f"EGBAD is {speedup:.0f}x faster here at Γ = {gamma}, {speedup_small:.0f}x at Γ = {gamma_small}; "
      "the EGBAD paper's abstract claims 'several hundred-fold'.")

# %% [markdown]
# The ratio grows with Γ, as measured above: each AnoGAN score costs Γ forward *and* backward passes
# through $G$ and $D$, EGBAD one forward pass through $E$ and $G$ and two through $D$. The EGBAD authors'
# AnoGAN baseline searches Γ = 500 steps (`STEPS_NUMBER = 500` in their code,
# [`docs/references.md`](../docs/references.md), section 2), so the cell below extends the measured line of
# AnoGAN's time against Γ to that Γ. (Our AnoGAN searches a whole batch at once; a per-image loop would widen
# the gap.)

# %%
GAMMA_FULL = get_profile("full").search_steps    # Γ of the `full` profile
# the ratio at the profile's Γ over repeated runs of this notebook on the course's 2-core machine, whose committed
# outputs time on one CPU thread (OMP_NUM_THREADS=1, as printed above); this run's value is folded in
SPEEDUP_RUNS = {"smoke": (4.8, 14), "cpu": (55, 163)}.get(P.name)
runs_lo, runs_hi = (min(SPEEDUP_RUNS[0], speedup), max(SPEEDUP_RUNS[1], speedup)) if SPEEDUP_RUNS else (None, None)
# AnoGAN's time as a line in Γ through the two measured points, extended to GAMMA_FULL
per_step = (anogan_s - anogan_small_s) / (gamma - gamma_small)   # seconds per search step (all images)
extrapolated = (anogan_s + (GAMMA_FULL - gamma) * per_step) / egbad_s
growth = extrapolated / speedup                                   # how much larger the ratio gets at GAMMA_FULL
spread = (f" Repeated runs of this notebook on the course's machine, this one included, measured "
          f"{runs_lo:.0f}x to {runs_hi:.0f}x at Γ = {gamma}, a factor of {runs_hi / runs_lo:.0f}: the ratio moves "
          "with the machine's load." if SPEEDUP_RUNS else "")
if gamma < GAMMA_FULL:
    display(Markdown(
        f"Here Γ = {gamma}.{spread} From Γ = {gamma_small} to {gamma} AnoGAN's time grew "
        f"{anogan_s / anogan_small_s:.1f} times for {gamma / gamma_small:.0f} times the steps. Extending that line "
        f"to Γ = {GAMMA_FULL} (the `full` profile) makes the ratio about {growth:.1f} times larger, roughly "
        f"{extrapolated:,.0f}x"
        + (f" ({runs_lo * growth:,.0f}x to {runs_hi * growth:,.0f}x, scaling the repeated runs by this run's factor of "
           f"{growth:.1f})" if SPEEDUP_RUNS else "")
        + (", the order of the abstract's \"several hundred-fold\"" if 100 <= extrapolated < 1000 else "")
        + " — an extrapolation on this machine, not a measurement; a GPU can change the ratio."))
else:
    display(Markdown(f"Here Γ = {gamma}, the `full` profile's: the ratio above is measured at that Γ.{spread}"))

# %% [markdown]
# ## 8 · Pitfalls
#
# **Scoring in training mode.** In `train()` mode $D$'s dropout makes every call random, and batch
# normalisation ($E$, $G$, $D$'s image branch) uses the current batch's statistics: a score changes from
# call to call and with the company an image keeps.
# Measured on a copy of the BiGAN (train mode would overwrite its stored statistics):

# %%
wrong = copy.deepcopy(bigan_full)
for net in (wrong.E, wrong.G, wrong.D):
    net.train()                                               # the mistake

@torch.no_grad()
def score_in_train_mode(x):
    z = wrong.E(x)
    x_rec = wrong.G(z)
    return egbad.egbad_score(egbad.reconstruction_loss(x, x_rec), egbad.feature_matching_loss(
        wrong.D(x, z, features=True)[1], wrong.D(x_rec, z, features=True)[1]), alpha).cpu().numpy()

torch.manual_seed(0)
xb = x_test[:32].to(DEVICE)
first, second = score_in_train_mode(xb)[:4], score_in_train_mode(xb)[:4]
by_itself = np.array([score_in_train_mode(xb[i:i + 1])[0] for i in range(4)])
repeat_change = np.abs(first - second) / np.abs(first)
batch_change = np.abs(first - by_itself) / np.abs(first)
ev = det.anomaly_score(xb)[:4]
eval_change = np.abs(ev - np.array([det.anomaly_score(xb[i:i + 1])[0] for i in range(4)])) / np.abs(ev)
batch_low_in_noise = batch_change.min() <= repeat_change.max()   # the smallest batch effect is within dropout's
batch_dominates = batch_change.max() > 10 * repeat_change.max()
def fmt(a):
    return "  ".join(f"{v:.1e}" for v in a)

print("relative change of a score, 4 images")
print("train mode, the same batch twice  :", fmt(repeat_change))
print("train mode, alone vs in a batch   :", fmt(batch_change))
print("eval mode (library), alone vs batch:", fmt(eval_change))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"**What to see.** Dropout, only in $D$, touches only the $L_D$ part: the same batch twice moves a score by "
    f"at most {repeat_change.max():.1%}. Batch normalisation in train mode makes a score depend on the other "
    f"images: scored alone rather than in a batch of {len(xb)}, the four scores move by "
    f"{batch_change.min():.1%} to {batch_change.max():.1%}"
    + (" (the smallest of these within that dropout noise). " if batch_low_in_noise else ". ")
    + ("The batch is by far the larger harm. " if batch_dominates else
       "Here the two harms are of a similar size. ")
    + "Either one is reason enough to score a deployed detector in eval mode (Exercise 3 asks what train mode "
    "does to the AUROC)."))

# %% [markdown]
# **Tuning on test labels.** Sections 5 and 6 use test labels only to *report*. Each of these gives
# numbers a new data set will not repeat:
#
# * picking the α with the best test AUROC;
# * keeping the training epoch with the best test AUROC (as the authors' GANomaly implementation does);
# * setting the threshold from the test scores (the EGBAD authors' KDD script flags the top 20 % of the
#   *test* scores).
#
# Sources: [`docs/references.md`](../docs/references.md), section 4.
#
# **Comparing across protocols.** The EGBAD paper's MNIST numbers (AUPRC, *one class anomalous*) are not
# comparable with numbers under *one class normal* ([`docs/references.md`](../docs/references.md), section 1),
# and AUPRC moves with the share of anomalies (notebook 00).
#
# ## 9 · Exercises
#
# Replace each stub's body and run the cell: the check compares your function with a reference on random
# inputs and names the usual mistakes. Solutions are in [`docs/solutions.md`](../docs/solutions.md) — try first.
#
# **Exercise 1 — one scale for two terms.** $L_G$ and the cross-entropy $L_D$ live on different scales
# (Section 5), so α = 0.9 does not mean "90 % reconstruction". Put both on one scale before mixing: subtract
# each term's mean, divide by its standard deviation, and return $\alpha \tilde L_G + (1-\alpha) \tilde L_D$.
# The catch is *whose* mean and standard deviation: you get the test images' terms `l_g`, `l_d` and the
# normal validation images' `val_g`, `val_d` (NumPy arrays, as `det.losses` returns them). Which may a
# deployed detector use, and why? Then apply your function to
# `det.losses(x_test)` and `det.losses(x_val)` with the implementation's cross-entropy (`"cross_entropy"`)
# at α = 0.5, and compare its AUROC with the raw mix at the same α from Section 5's curve.

# %%
def my_standardised_score(l_g, l_d, alpha, val_g, val_d):
    raise NotImplementedError

exercises.check_standardised_score(my_standardised_score)


# %% [markdown]
# **Exercise 2 — better than chance?** Is your run's AUROC on bags (Section 4) beyond chance? And the
# implementation's cross-entropy alone (Section 5) scores bags below 0.5 under `cpu`: is that *significantly*
# below chance? Write a one-sided permutation test: shuffle the labels `n_perm` times (with
# `np.random.default_rng(seed)`), recompute the AUROC each time, and return the share of shuffles that reach
# the observed AUROC, counting the observed labelling as one of them. Apply it to your run on bags
# (`test_scores_live`, `y_test`): what does a small p-value say, and what does it *not* say about how useful
# the detector is? Then apply it to Section 5's implementation cross-entropy alone (`parts["cross_entropy"]`,
# `y_test`), whose AUROC Section 5 prints below 0.5 under the `cpu` profile (on `smoke`'s few test images it
# sits near 0.5): why does your test give a p-value near 1 there, and why is the other tail (or a two-sided
# test) the question that matters for that score?

# %%
def my_permutation_p(scores, is_anomaly, n_perm, seed):
    raise NotImplementedError

exercises.check_permutation_test(my_permutation_p)


# %% [markdown]
# **Exercise 3 (open).** Score the test set with the whole-split model in *train* mode (Section 8's
# mistake, on a copy of the model) in batches of 64 and of 3,000, once shuffled and once with the bags
# grouped into batches of their own, and compute each AUROC next to the eval-mode one. Which numbers move,
# and why? Which of these arrangements resembles what a deployed detector sees? (A discussion, with the
# numbers of one measurement, is in [`docs/solutions.md`](../docs/solutions.md).)

# %% [markdown]
# ## Summary
#
# * EGBAD replaces AnoGAN's Γ-step search by the BiGAN's encoder: $z = E(x)$ in one pass.
# * Its score $A(x) = \alpha \|x - G(E(x))\|_1 + (1-\alpha)\|f_D(x, E(x)) - f_D(G(E(x)), E(x))\|_1$ mixes
#   a reconstruction error and a feature distance in the joint discriminator; at the implementation's
#   α = 0.9 it was nearly the reconstruction error alone for the shipped model (Section 5). α is a default,
#   not a law, and may not be tuned on test labels.
# * A high AUROC does not certify the inversion: a short run whose reconstructions repeat a few shapes can
#   still rank bags well (Section 4), and the mean training image, or an image's lit area, can rank a held-out
#   class far from chance with no model at all (Sections 2 and 4, and the appendix).
# * Set a GAN detector beside baselines that need no GAN: on bags, kNN on raw pixels is the yardstick EGBAD
#   has to beat (Section 4; the first line below says whether it did in this run).
# * One short run per class says little: set it beside the grid's seeds (Section 6).
# * Judge a collapse by variety, by the judge's classes (merged classes), and by the images, not by the AUROC.
# * Score in eval mode: dropout and batch statistics would otherwise make scores random and batch-dependent.

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**Measured in this run.**\n\n"
    + (f"* kNN on raw pixels, no GAN, reaches AUROC {knn_auroc:.3f} on bags, EGBAD with the whole-split BiGAN "
       f"{result['auroc']:.3f} (kNN − EGBAD {knn_auroc - result['auroc']:+.3f}, paired bootstrap {knn_lo:+.3f} to "
       f"{knn_hi:+.3f}"
       + ("): on this split kNN ranks bags better than EGBAD, beyond test-set noise, with one "
          "training seed of the BiGAN (Section 4).\n" if knn_lo > 0 else "): within test-set noise (Section 4).\n")
       if knn_auroc > result["auroc"] else
       f"* EGBAD with the whole-split BiGAN reaches AUROC {result['auroc']:.3f} on bags, kNN on raw pixels "
       f"{knn_auroc:.3f} (Section 4).\n")
    + (f"* The headline AUROC, {result['auroc']:.3f}, is for bags, "
       + (f"the class with the grid's highest mean over seeds (short runs: {grid_mean[ANOMALY]:.2f}); "
          if ANOMALY == high else f"whose grid mean over seeds (short runs) is {grid_mean[ANOMALY]:.2f}; ")
       + f"averaged over its {grid_iv.n_classes} classes the grid's short runs (width {grid_sizes.get('width', '?')}, "
       f"{grid_sizes.get('epochs', '?')} epochs) reach {grid_avg:.2f}, 95 % interval over seeds "
       f"{grid_iv.low:.2f} to {grid_iv.high:.2f}"
       + (", not shown to beat chance" if grid_iv.low <= 0.5 <= grid_iv.high else "")
       + f"; one class's seeds span a median {typical:.2f} of AUROC (Section 6).\n"
       if len(grid_mean) > 1 and ANOMALY in grid_mean and grid_iv.has_interval else "")
    + f"* Lit area alone, no model, reaches AUROC {lit_auroc:.2f} on bags (Section 2).\n"
    + f"* EGBAD scored {speedup:.0f} times faster than a batched AnoGAN with Γ = {gamma} on the same images "
    + (f"(repeated runs, this one included: {runs_lo:.0f} to {runs_hi:.0f} times; Section 7)" if SPEEDUP_RUNS
       else "(Section 7)")
    + (f"; the {extrapolated:,.0f}x at Γ = {GAMMA_FULL}, beside the abstract's \"several hundred-fold\", is "
       "extrapolated from two measured Γ, not measured. " if gamma < GAMMA_FULL else ". ")
    + "Timings on a shared machine vary: read the ratio as an order of magnitude.\n"
    + f"* The cross-entropy $L_D$ alone: {ce_alone:.3f} on bags in the implementation's form, {ce_in_alone:.3f} in the "
    "paper's (Section 5)."
))

# %% [markdown]
# Next: **05 · GANomaly** learns an encoder–decoder–encoder and scores in the latent space.
#
# ## References
#
# 1. Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection.* arXiv:1802.06222, 2018.
# 2. Donahue, Krähenbühl, Darrell. *Adversarial Feature Learning.* ICLR 2017.
# 3. Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#    Adversarial Networks to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 4. Di Mattia, Galeone, De Simoni, Ghelfi. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.

# %% [markdown]
# ## Appendix · The grid in detail (optional)
#
# Two analyses of notebook 06's experiment grid behind Section 6, each read in a collapsed paragraph: brightness
# alone on the grid's most spread class, and whether some classes are harder for EGBAD than others.

# %%
# the grid's most spread class, scored by lit area alone (no model) on the grid's own splits, and does lit area
# follow the grid's AUROCs over all classes? (the grid's models are not shipped) Read in the details below.
lit_grid = {}   # lit area's AUROC on the most spread class, per grid seed
if by_class:
    c_re = max(seed_range, key=seed_range.get)              # the class whose seeds spread most
    grid_auroc_of = {r["seed"]: r["auroc"] for r in grid if r["class"] == c_re}
    high_re_seed = max(grid_auroc_of, key=grid_auroc_of.get)
    # lit_all: lit area's AUROC per (class, seed) on the grid's splits, computed in Section 6's figure cell
    lit_grid = {sd_: lit_all[c_re, sd_] for sd_ in dict.fromkeys((low_seed, high_re_seed))}
    darkness_best = 1 - lit_grid[high_re_seed]              # darkness as the score, on the best seed's split
    # which seed's AUROC on that class sits near lit area alone, and which near darkness alone
    near_lit = {sd_: abs(grid_auroc_of[sd_] - v) < 0.05 for sd_, v in lit_grid.items()}
    near_dark = {sd_: abs(grid_auroc_of[sd_] - (1 - v)) < 0.05 for sd_, v in lit_grid.items()}
    darkest = c_re == min(by_class, key=lambda c: lit_all[c, low_seed])   # the lowest lit-area AUROC of all classes
    # over all classes: does a seed's grid AUROC follow lit area's? Spearman over the classes, per seed
    grid_auroc_cs = {(r["class"], r["seed"]): r["auroc"] for r in grid}
    rho_lit = {sd_: stats.spearmanr([lit_all[c, sd_] for c in by_class], [grid_auroc_cs[c, sd_] for c in by_class])
               for sd_ in grid_seeds}

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if lit_grid:
    display(Markdown(
        f"<details><summary>The grid's most spread class, {CLASS_NAMES[c_re].lower()}s, and brightness alone "
        "(optional, click)</summary>\n\n"
        "Lit area alone (summed brightness, no model) as the score, on the grid's own splits:\n\n"
        + "".join(f"* grid seed {k}: the grid's AUROC {grid_auroc_of[k]:.3f}; lit area alone {v:.3f}, darkness "
                  f"alone {1 - v:.3f}\n" for k, v in lit_grid.items())
        + f"* over the {len(by_class)} classes, lit area's AUROC against the grid's (Spearman): "
        + ", ".join(f"seed {k} ρ = {v.statistic:+.2f} (p = {v.pvalue:.2f})" for k, v in rho_lit.items()) + "\n\n"
        + (f"On {CLASS_NAMES[c_re].lower()}s{', the darkest class,' if darkest else ''} grid seed "
         f"{low_seed} scores "
         f"{grid_auroc_of[low_seed]:.2f}, about lit area alone ({lit_grid[low_seed]:.2f}), and seed {high_re_seed} "
         f"{grid_auroc_of[high_re_seed]:.2f}, about darkness alone ({darkness_best:.2f}): consistent with the two "
         "models ranking them by brightness with opposite signs. "
         if near_lit[low_seed] and near_dark[high_re_seed] else
         f"Lit area alone scores {CLASS_NAMES[c_re].lower()}s at "
         + " and ".join(f"{v:.2f} (seed {k}; the grid's AUROC {grid_auroc_of[k]:.2f})" for k, v in lit_grid.items())
         + ". ")
        + f"Over all {len(by_class)} classes seed {low_seed}'s AUROCs "
        + (f"follow lit area's (Spearman ρ = {rho_lit[low_seed].statistic:.2f}, p = {rho_lit[low_seed].pvalue:.2f}): "
           "brightness may drive that seed's scores in general."
           if rho_lit[low_seed].pvalue < 0.05 and rho_lit[low_seed].statistic > 0 else
           f"follow darkness (Spearman ρ = {rho_lit[low_seed].statistic:.2f} with lit area, p = "
           f"{rho_lit[low_seed].pvalue:.2f}): brightness may drive that seed's scores in general."
           if rho_lit[low_seed].pvalue < 0.05 else
           f"hardly follow lit area's (Spearman ρ = {rho_lit[low_seed].statistic:.2f}, p = "
           f"{rho_lit[low_seed].pvalue:.2f}): brightness explains the extreme class, not the grid, and neither "
           f"{CLASS_NAMES[c_re].lower()} AUROC shows that a model learned what normal images look like.")
        + "\n\n</details>"))

# %%
# is the gap between the highest and the lowest class mean (Section 6's `low`, `high`) more than seeds alone
# produce? A permutation test that shuffles the runs' class labels within each seed (a seed moves all its
# classes together), picking the extremes included, and Friedman's rank test as the cross-check (explained below)
if len(grid_mean) > 1:
    gap_test = comparison.class_gap_test([r for r in grid if r["class"] in by_class], n_shuffles=5000, seed=0)
    p_gap, p_free, friedman_p = gap_test.p, gap_test.p_free, gap_test.friedman_p
    margin = min(hi_runs) - max(lo_runs)           # > 0: every run of `high` above every run of `low`
    # the noise of one AUROC: its standard deviation under shuffled labels (Mann-Whitney's null variance)
    # on a grid test set of n_test images with this notebook's share of anomalies
    n_grid = int(grid[0]["n_test"])
    n1 = round(n_grid * y_test.mean())
    n0 = n_grid - n1
    noise = float(np.sqrt((n1 + n0 + 1) / (12 * n1 * n0)))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if len(grid_mean) > 1:
    display(Markdown(
        "<details><summary>Are some classes harder for EGBAD? (optional, click)</summary>\n\n"
        "**Are some classes harder** for EGBAD at the grid's budget, across seeds? "
        f"On the grid, {CLASS_NAMES[low]} has the lowest mean ({grid_mean[low]:.3f}) "
        f"and {CLASS_NAMES[high]} the highest ({grid_mean[high]:.3f})"
        + (": exactly this notebook's two classes. " if set(CLASSES) == {low, high} else ". ")
        + (f"A permutation test that allows for picking these two as the extremes gives p = {p_gap:.2f} (below): "
           "no evidence that EGBAD finds some classes harder than others at this budget."
           if p_gap >= 0.05 else
           f"A permutation test that allows for picking these two as the extremes gives p = {p_gap:.2f} (below): "
           "the class means differ by more than seeds alone produce, though the test does not say which.")
        + "\n\n**The permutation test, and the noise of one AUROC.** "
        f"One AUROC on {n_grid:,} test images is itself noisy: under shuffled labels its standard deviation is "
        f"{noise:.3f}."
        + (f" This notebook's highest and lowest bars differ by {gap:.2f}; "
           + ("the course picked its classes after earlier runs (`egbad.NOTEBOOK_CLASSES`), " if preselected else
              f"those are the extremes of {len(per_class)} bars, ")
           + "so that gap proves nothing by itself." if len(per_class) > 1 else "")
        + (f" The worst {CLASS_NAMES[high]} run is {margin:.3f} above the best {CLASS_NAMES[low]} run. "
           if margin > 0 else f" The two classes' seeds overlap (by {abs(margin):.3f}). ")
        + f"But picked as the extremes of {len(grid_mean)} classes, even classes that do not differ look ordered. "
        f"So the test shuffles the class labels of the grid's {gap_test.n_runs} runs {gap_test.n_shuffles:,} times *within "
        "each seed* (a seed moves its classes together) and takes the gap between the highest and the lowest class "
        f"mean: one at least as large as the observed {gap_test.gap:.3f} comes with p = {p_gap:.2f} (shuffling the "
        f"class labels freely across all {gap_test.n_runs} runs, ignoring that a seed moves its classes together: "
        f"p = {p_free:.2f}), and in {gap_test.ordered_by_chance:.0%} of the shuffles every run of the top class lies above "
        "every run of the bottom one."
        + (f" Friedman's rank test, which ranks the classes within each of the {gap_test.n_full_seeds} seeds, asks the "
           f"same without picking extremes: p = {friedman_p:.2f}." if friedman_p is not None else "")
        + "\n\n</details>"))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# Results: what this notebook must show, whatever the profile.
# 1. eval-mode scores do not depend on the batch; train mode makes them random and batch-dependent
assert eval_change.max() < 1e-5 and repeat_change.max() > 1e-4 and batch_change.max() > 1e-4
if P.name != "smoke":   # ... and, as Section 8 ranks them, the batch moves a score far more than dropout does
    assert batch_change.max() > 10 * repeat_change.max(), (batch_change.max(), repeat_change.max())
# 2. the whole-split BiGAN works: G(E(x)) keeps the judge's class of about half the normal test images
#    (measured 0.54 on the smoke and cpu image sets; untrained 0.0), and EGBAD with it separates bags from
#    clothes: AUROC measured 0.925 (smoke test set) and 0.927 (cpu); the same file in every profile
assert kept["whole split"] >= 0.45 and kept["whole split"] > 3 * chance["whole split"], (kept, chance)
assert result["auroc"] > 0.85, result
# 2a. Section 2's reading of the whole-split model: no collapse onto one image (variety measured 0.94 smoke,
#     0.93 cpu) nor onto a few shapes (two prototypes explain 1.5 times the inputs' share of pixel variance or
#     less: measured 34 % against 27 % on smoke, 31 % against 24 % on cpu), yet its most frequent reconstruction
#     class is over-represented against the inputs (Trouser: measured 2.4 times the inputs' share on smoke, 2.2 on
#     cpu) because classes merge (cpu: 78 % of the dresses come back as Trouser, 54 % of the sneakers as Sandal)
assert variety_ratio["whole split"] > 0.8 and audit.over("whole split") > 1.5, (variety_ratio, audit.histogram)
assert not audit.few_shapes("whole split"), audit.two_prototypes
#     ... and Section 2's "most bags do not come back as bags" (cpu: 2 %; the shipped model is fixed)
assert bags_as_bag < 0.5, bags_as_bag
if P.name == "cpu":   # measured on cpu's 1,929 normal test images only
    assert len(audit.merged["whole split"]) >= 1, audit.merged
#    (No margin over your short run, which varies widely from run to run, is asserted; check 3 only asks
#    that run to be above chance.)
# 2b. Section 3's reading of L_G: over the normal test images L_G hardly follows lit area (Spearman rho
#     measured 0.05 on cpu's 1,929 and 0.06 on smoke's 165 normal test images; 0.06 on full's first 2,000, computed
#     outside the notebook); bound 0.2 = narration.LIT_RHO_WEAK, below which the prose says "hardly follows" and
#     calls the boot "above all a poor reconstruction". The shipped model and the test images are fixed, so the
#     value repeats from run to run (only float rounding moves it).
assert abs(lit_rho) < narration.LIT_RHO_WEAK, lit_rho
#     ... and the reconstructions are class-level shapes, not copies: median pixel correlation above the mean
#     training image's and below narration.EGBAD_COPY_CORR (measured 0.80 against 0.68 on cpu, 0.78 against 0.68
#     on smoke), with the judge's class kept well above chance (check 2), the branch the prose reads
assert fit_mean.median_corr < fit.median_corr < narration.EGBAD_COPY_CORR, (fit.median_corr, fit_mean.median_corr)
# 2c. for this model the reconstruction term does the work: the code's alpha = 0.9 is within 0.01 of
#     L_G alone (measured 0.927 and 0.929 on cpu), and so is the whole 95 % interval of the paired bootstrap
#     of L_G alone minus alpha = 0.9 (measured +0.001 to +0.002 on cpu: L_G alone higher, beyond noise, as
#     Section 5 words it from the interval; -0.000 to +0.006 on smoke: within noise); feature matching
#     alone is far weaker (0.695)
assert abs(code_default - auroc_alpha["feature_matching"][-1]) < 0.01
assert -0.01 < lg_lo <= lg_hi < 0.01, (lg_lo, lg_hi)
assert auroc_alpha["feature_matching"][0] < auroc_alpha["feature_matching"][-1] - 0.1, auroc_alpha
# 3. your short run: measured (bags held out) smoke 0.29-0.36 (a BiGAN trained for 8 steps: below chance,
#    so this only guards the pipeline) and cpu 0.55-0.86; BiGAN training on a few epochs is unstable, so the
#    bound only refuses a run at or below chance, a pipeline that learned nothing; full not measured yet
#    (no GPU run), so the cpu bound applies there
MIN_AUROC = {"smoke": 0.15, "cpu": 0.5, "full": 0.5}[P.name]
assert result_live["auroc"] > MIN_AUROC, result_live
# 3a. Section 4: on this split kNN on raw pixels ranks bags better than EGBAD beyond test-set noise (paired
#     bootstrap of kNN minus EGBAD measured +0.035 to +0.050 on cpu; on smoke's 256 test images -0.017 to +0.043,
#     within noise, as the prose then says; full not measured)
if P.name == "cpu":
    assert knn_lo > 0.01, (knn_lo, knn_hi)
#     ... and Section 4's "a detector works at one threshold": at 5 % false positives the whole-split model flags
#     far fewer bags than its AUROC suggests (measured 0.61 on cpu, AUROC 0.927; model and test set fixed)
if P.name == "cpu":
    assert recall_at_5 < 0.8 < result["auroc"], (recall_at_5, result["auroc"])
# 3b. Section 5 and Exercise 1 rest on the scales, measured on the normal validation images: L_G's spread
#     is many times the cross-entropy L_D's (measured 53 on the smoke and on the cpu validation images; the
#     same shipped model in every profile), and at alpha = 0.9 the feature-matching L_D moves the score
#     little: (1 - alpha) sd(L_D) / (alpha sd(L_G)) measured 0.087 (smoke) and 0.079 (cpu)
MIN_SCALE = {"smoke": 30.0, "cpu": 30.0, "full": 30.0}[P.name]
assert scale > MIN_SCALE, scale
assert weight_ratio < 0.15, weight_ratio
# 3c. Section 5's two cross-entropies: alone, the paper's form (input pair) ranks bags better than the
#     implementation's (reconstructed pair), beyond test-set noise: paired-bootstrap interval of the difference
#     measured +0.051 to +0.210 (smoke) and +0.146 to +0.193 (cpu; alone 0.465 and 0.635); the same shipped
#     model in every profile
assert ce_lo > 0, (ce_lo, ce_hi)
#     ... and Exercise 2's below-chance case exists: the implementation's form alone ranks bags below chance
#     (measured 0.465 on cpu, 3.2 chance standard deviations below 0.5; about 0.51 on smoke's 256 test images)
if P.name == "cpu":
    assert ce_alone < 0.5 and ce_sds > 2, (ce_alone, ce_sds)
# 4. EGBAD scores faster than AnoGAN on the same images, by more with more search steps. Measured on a
#    2-core machine shared with other work (the committed outputs time on one CPU thread): smoke (Γ = 5)
#    4.8-14x, cpu (Γ = 100) 55-163x over repeated runs (this run's value is printed below); full (Γ = 500)
#    not measured yet, the cpu bound applies. The ratio at Γ/5 search steps is lower (Section 7's line)
MIN_SPEEDUP = {"smoke": 2.0, "cpu": 50.0, "full": 50.0}[P.name]
assert speedup > MIN_SPEEDUP, speedup
assert speedup > speedup_small, (speedup, speedup_small)
# 5. Section 6's central claim, on the grid (results/cpu/runs.csv, the same file in every profile): averaged over
#    classes, short runs at the grid's budget are not shown to beat chance (95 % interval over seeds measured 0.17
#    to 0.87), and one class's seeds spread widely (median range over seeds measured 0.26 of AUROC)
if by_class and grid_iv.has_interval:
    assert grid_iv.low <= 0.5 <= grid_iv.high, grid_iv
    assert typical > 0.1, typical
    # ... and some grid runs sit below chance, as Section 6's takeaway says (lowest measured 0.11, Sandal, seed 0)
    assert min(min(v) for v in by_class.values()) < 0.5, by_class
# 5a. The appendix's test of the grid's class means (results/cpu/runs.csv, the same file in every profile): the
#    blocked permutation test (classes shuffled within each seed) and Friedman's rank test reach the same
#    verdict at 0.05 (measured p = 0.34 and 0.35: no evidence that classes differ)
if len(grid_mean) > 1 and friedman_p is not None:
    assert (p_gap >= 0.05) == (friedman_p >= 0.05), (p_gap, friedman_p)
# 5b. The appendix's lit area (summed brightness, data only, no model, the same in every profile) ranks sandals far
#     below chance on the grid's splits (measured 0.113 and 0.107 on seeds 0 and 1), so darkness alone reaches
#     about the grid's best Sandal run (0.893 against the grid's row 0.879), the reading of that AUROC
if lit_grid and CLASS_NAMES[c_re] == "Sandal":
    assert max(lit_grid.values()) < 0.2, lit_grid
    assert abs(grid_auroc_of[high_re_seed] - darkness_best) < 0.05, (grid_auroc_of, darkness_best)
    # ... but over the 10 classes lit area does not follow the low seed's AUROCs (Spearman measured 0.22, p = 0.53)
    assert rho_lit[low_seed].pvalue > 0.1, rho_lit
print(f"this run against the bounds: speedup {speedup:.0f}x (> {MIN_SPEEDUP:.0f}x; {speedup_small:.0f}x at "
      f"Γ = {gamma_small}), whole-split AUROC "
      f"{result['auroc']:.3f} (> 0.85), class kept {kept['whole split']:.2f} (>= 0.45), your run's AUROC "
      f"{result_live['auroc']:.3f} (> {MIN_AUROC}), scale {scale:.0f} (> {MIN_SCALE:.0f}), weight ratio "
      f"{weight_ratio:.3f} (< 0.15), rho(L_G, lit area) {lit_rho:.2f} (|rho| < {narration.LIT_RHO_WEAK})")
print("all results checks passed")
