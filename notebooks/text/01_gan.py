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
# # 01 · Generative adversarial networks
#
# *ganad — unsupervised anomaly detection with GANs.* Every detector of this course rests on a
# generative model of **normal** data. This notebook builds the first one, the generative adversarial
# network (GAN) of Goodfellow et al. (2014), from its value function to a convolutional GAN that draws
# clothes — first on 2-D points, where every part of the game can be seen, then on Fashion-MNIST.
#
# **Learning objectives.** After this notebook you can
#
# 1. state the value function $V(D, G)$ and say what each player wants from each of its two terms;
# 2. compute the discriminator's and the generator's losses from logits, stably, and check them by hand;
# 3. write Algorithm 1 (k discriminator steps per generator step) and show it equals `ganad_lib`'s step;
# 4. read D's decision surface and G's samples as training goes on, and **measure** mode collapse;
# 5. train a deep convolutional GAN (DCGAN, Radford, Metz and Chintala 2016) on the normal classes of
#    Fashion-MNIST and read its training by $D(x)$ and $D(G(z))$ rather than by its losses;
# 6. **measure** how good a generator is — with a classifier's verdict on its samples and a Fréchet
#    distance beside the real-against-real floor — instead of eyeballing a grid of samples;
# 7. explain, with a measured gradient, why practice replaces $\log(1 - D(G(z)))$ by $-\log D(G(z))$.

# %%
import copy

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import torch
import torch.nn.functional as F

import ganad_lib
from ganad_lib import data, diagrams, exercises, metrics, plotting, protocols, widgets
from ganad_lib.gan import (GAN, discriminator_loss, generator_gradient_norm, generator_loss_non_saturating,
                           generator_loss_saturating, sample_z, value_function)

SEED = 0
P, DEVICE = ganad_lib.setup_notebook(seed=SEED)

# %%
print({k: v for k, v in P.as_dict().items() if k in ("max_train", "epochs", "batch_size", "width", "nz", "toy_steps", "seeds")})

# %% [markdown]
# ## 1 · Two players
#
# A GAN is two networks trained against each other:
#
# * the **discriminator** $D$ is a binary classifier: it sees an example and says how likely it is to be
#   real, $D(x) \in (0, 1)$;
# * the **generator** $G$ turns noise $z \sim p_z$ (here a standard normal vector) into an example
#   $G(z)$ that should look as if it came from the data distribution $p_{\text{data}}$.

# %%
diagrams.draw_architecture("gan")
plt.show()

# %% [markdown]
# From the discriminator's point of view, $D(x)$ should go **up** on real data and $D(G(z))$ should go
# **down** on fakes; from the generator's point of view, $D(G(z))$ should go **up**. Both wishes fit in one
# number, the **value function**
#
# $$V(D, G) = \mathbb{E}_{x \sim p_{\text{data}}}\big[\log D(x)\big] + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big],
# \qquad \min_G \max_D V(D, G).$$
#
# $D$ ascends $V$ (both logs grow when it is right); $G$ descends $V$ through the second term, the only
# one it can influence.
#
# ## 2 · The value function in code — from logits
#
# Our discriminators return a **logit** $l$ and $D(x) = \sigma(l) = 1 / (1 + e^{-l})$. The logs of $V$
# then have stable closed forms: $\log D = \log\sigma(l) = $ `logsigmoid(l)` and
# $\log(1 - D) = \log\sigma(-l) = $ `logsigmoid(-l)`. A tiny case by hand: $D$ says 0.8 to a real example and
# 0.3 to a fake, so $V = \log 0.8 + \log 0.7$.

# %%
# NBVAL_CHECK_OUTPUT
l_real, l_fake = torch.logit(torch.tensor([0.8])), torch.logit(torch.tensor([0.3]))

V_by_hand = np.log(0.8) + np.log(1 - 0.3)
V_open = F.logsigmoid(l_real).mean() + F.logsigmoid(-l_fake).mean()      # the two expectations
print(f"V by hand {V_by_hand:.4f} | in the open {V_open.item():.4f} | ganad_lib {value_function(l_real, l_fake).item():.4f}")
assert torch.allclose(V_open, value_function(l_real, l_fake))
assert torch.allclose(-V_open, discriminator_loss(l_real, l_fake))       # D descends -V

# %% [markdown]
# Why not `torch.log(torch.sigmoid(l))`? Because probabilities round. When $D$ is sure a fake is real
# (logit 20), $1 - \sigma(20)$ is $2 \cdot 10^{-9}$, which float32 rounds to 0:

# %%
# NBVAL_CHECK_OUTPUT
logit = torch.tensor([20.0])
print("from probabilities:", torch.log(1 - torch.sigmoid(logit)).item(), "| from the logit:", F.logsigmoid(-logit).item())

# %% [markdown]
# One infinite loss is enough to turn every weight into `nan`. `ganad_lib.gan` computes every loss from
# logits; its unit tests compare each one with hand-computed values (`tests/test_gan.py`).
#
# The generator has two possible losses. Algorithm 1 below descends the **saturating** (minimax) form
# $\log(1 - D(G(z)))$; practice uses the **non-saturating** form $-\log D(G(z))$, which has the same
# fixed point. Section 8 measures why.

# %%
# NBVAL_CHECK_OUTPUT
l_fakes = torch.logit(torch.tensor([0.3, 0.1]))
print(f"saturating      mean log(1 - D(G(z))) = {generator_loss_saturating(l_fakes).item():.4f}  "
      f"(by hand {(np.log(0.7) + np.log(0.9)) / 2:.4f})")
print(f"non-saturating -mean log D(G(z))      = {generator_loss_non_saturating(l_fakes).item():.4f}  "
      f"(by hand {-(np.log(0.3) + np.log(0.1)) / 2:.4f})")


# %% [markdown]
# ## 3 · Algorithm 1 in the open
#
# Goodfellow et al. train the two players by minibatch stochastic gradient steps:
#
# > **for** each training iteration **do**
# > &nbsp;&nbsp;**for** $k$ steps **do**
# > &nbsp;&nbsp;&nbsp;&nbsp;• sample $m$ noise samples $z^{(1)}, \dots, z^{(m)}$ from $p_z$ and $m$ examples $x^{(1)}, \dots, x^{(m)}$ from $p_{\text{data}}$;
# > &nbsp;&nbsp;&nbsp;&nbsp;• update $D$ by **ascending** $\nabla_{\theta_d} \frac{1}{m}\sum_{i=1}^m \big[\log D(x^{(i)}) + \log(1 - D(G(z^{(i)})))\big]$;
# > &nbsp;&nbsp;**end for**
# > &nbsp;&nbsp;• sample $m$ noise samples from $p_z$ and update $G$ by **descending** $\nabla_{\theta_g} \frac{1}{m}\sum_{i=1}^m \log(1 - D(G(z^{(i)})))$.
# > **end for**
#
# The paper used $k = 1$, the cheapest choice. Here is one iteration written out, with the
# non-saturating generator loss and Adam instead of momentum SGD (both standard today). It runs on a
# small GAN for 2-D points and is compared with `GAN.train_step`, the library's version:

# %%
def algorithm1_iteration(gan, x, k, m):
    opt_D, opt_G = gan.optimizers["D"], gan.optimizers["G"]
    for i in range(k):                                          # for k steps
        z = torch.randn(m, gan.nz)                              #   m noise samples from p_z
        x_batch = x[i * m:(i + 1) * m]                          #   m examples from p_data
        d_real, d_fake = gan.D(x_batch), gan.D(gan.G(z).detach())   # logits; G is fixed here
        loss_D = -(F.logsigmoid(d_real).mean() + F.logsigmoid(-d_fake).mean())  # ascend V = descend -V
        opt_D.zero_grad()
        loss_D.backward()
        opt_D.step()
    z = torch.randn(m, gan.nz)                                  # fresh noise for G
    loss_G = -F.logsigmoid(gan.D(gan.G(z))).mean()              # non-saturating: -log D(G(z))
    opt_G.zero_grad()
    loss_G.backward()
    opt_G.step()


K, M = 3, P.batch_size
x_demo = data.ring_of_gaussians(K * M, seed=1)
by_hand, library = GAN.mlp(seed=SEED, k=K), GAN.mlp(seed=SEED, k=K)   # two identical GANs
torch.manual_seed(1)
algorithm1_iteration(by_hand, x_demo, K, M)
torch.manual_seed(1)
library.train_step(x_demo)                                      # k minibatches of m examples
weights = [(p, q) for net in ("G", "D") for p, q in zip(by_hand.modules[net].parameters(), library.modules[net].parameters())]
assert all(torch.allclose(p, q) for p, q in weights)
print(f"after one iteration with k = {K}: all {sum(p.numel() for p, _ in weights)} weights agree with GAN.train_step")

# %% [markdown]
# `GAN.fit` repeats this step over shuffled minibatches of $k \cdot m$ examples with the course's
# training loop (seeded, with a loss history, checkpoints on request and a clear error if a loss turns
# infinite).
#
# ## 4 · A game you can watch: eight Gaussians on a ring
#
# Images have thousands of dimensions; points in the plane have two, so we can draw **everything**: the
# data, $G$'s samples and $D$'s verdict $D(x)$ at every point of the plane. The data is an equal mixture
# of eight narrow Gaussians on a circle (`ganad_lib.data.ring_of_gaussians`). $G$ and $D$ are small
# perceptrons; $z$ is 2-dimensional.

# %%
TOY_STD = 0.05                       # width of each Gaussian
TOY_M = 2 * P.batch_size             # 2-D points are cheap: twice the image batch
SNAPSHOTS = 5                        # pictures taken during training
TOY_LR = 1e-3
steps_per_snapshot = max(1, P.toy_steps // SNAPSHOTS)
centers = data.ring_centers()
x_ring = data.ring_of_gaussians(steps_per_snapshot * TOY_M, std=TOY_STD, seed=SEED)


def toy_samples(gan, n=2000):
    return gan.sample(n, generator=torch.Generator().manual_seed(0))


def ring_distance(samples):
    # mean distance of samples from the circle the modes sit on
    return (samples.norm(dim=1) - centers.norm(dim=1)[0]).abs().mean().item()


toy = GAN.mlp(dim=2, nz=2, seed=SEED, lr=TOY_LR)
frames = [(0, copy.deepcopy(toy.D), toy_samples(toy))]


def snapshot(epoch):
    frames.append((epoch * steps_per_snapshot, copy.deepcopy(toy.D), toy_samples(toy)))


toy.fit(x_ring, epochs=SNAPSHOTS, batch_size=TOY_M, epoch_end=snapshot, progress=False)
fig, axes = plt.subplots(1, len(frames), figsize=(2.3 * len(frames) + 0.8, 2.7), layout="constrained")
for ax, (step, D_then, s) in zip(axes, frames):
    plotting.plot_decision_surface(D_then, x_ring, s, ax=ax, lim=3.0, title=f"step {step}")
axes[0].legend(loc="lower left", fontsize=7, markerscale=4, frameon=True)
fig.colorbar(plt.cm.ScalarMappable(plt.Normalize(0, 1), "RdBu_r"), ax=list(axes), shrink=0.85, label="D(x)")
fig.suptitle("D(x) (red: 'real', blue: 'fake') with the data (black) and G's samples (orange)", fontsize=10)
plt.show()
print("at each snapshot (step: mean distance from the ring, modes covered):",
      ", ".join(f"{step}: {ring_distance(s):.2f}, {metrics.mode_coverage(s, centers, TOY_STD)['modes_covered']}"
                for step, _, s in frames))
cover = metrics.mode_coverage(frames[-1][2], centers, TOY_STD)
print(f"distance from the ring: {ring_distance(frames[0][2]):.3f} before training, {ring_distance(frames[-1][2]):.3f} after "
      f"{P.toy_steps} steps | modes covered: {cover['modes_covered']} of 8 | high-quality samples: {cover['high_quality']:.0%}")
POSITIONS = ["right", "upper right", "top", "upper left", "left", "lower left", "bottom", "lower right"]


def mode_name(i):
    # where mode i sits in the pictures (the modes are evenly spaced, mode 0 on the right)
    angle = np.degrees(np.arctan2(centers[i, 1].item(), centers[i, 0].item())) % 360
    return f"mode {i} ({POSITIONS[int(round(angle / 45)) % 8]})"


need = 0.25 * len(frames[-1][2]) / len(centers)          # a quarter of the fair share
missed = [mode_name(i) for i in np.flatnonzero(~cover["covered"])]
print(f"high-quality samples per mode (of {len(frames[-1][2])}): {cover['counts'].tolist()}; a mode is covered from "
      f"{need:.0f} on (a quarter of the fair share) | not covered: {', '.join(missed) or 'none'}")


# %% [markdown]
# Read the pictures from left to right. At step 0 $D$ is untrained, its surface nearly uniform, and
# $G$'s samples sit in a small blob near the origin. From then on $D$ paints red ("real") where there are
# data but few samples, and blue ("fake") where there are samples but no data; $G$'s gradient moves its
# samples up that slope, towards the red. So watch two things from one snapshot to the next: how far the
# samples still are from the ring, and whether red patches remain at modes that get too few samples.
# The first printed line measures both at every snapshot; how far a run gets by its first snapshot
# depends on the profile's number of steps. A mode the last printed line lists as not covered is where a
# red patch remains in the last picture: $D$ still calls that region real because few samples reach it. Where real and generated points mix, $D$ cannot tell them
# apart and its surface turns pale, towards $\tfrac{1}{2}$ — at the game's equilibrium
# $p_g = p_{\text{data}}$ and $D(x) = \tfrac12$ everywhere (Goodfellow et al., Proposition 1 and
# Theorem 1). Far from both data and samples, $D$'s colour means nothing: no example ever told it what
# to say there.
#
# **Measuring success.** A sample is *high quality* if it lies within 3 standard deviations of its
# nearest mode; a mode is *covered* if it holds at least a quarter of its fair share of the samples
# (`ganad_lib.metrics.mode_coverage`). The idea of counting covered modes on a ring of Gaussians comes
# from Metz et al. (2017) and Srivastava et al. (2017); the quarter-share rule is this course's choice.
# The last printed line applies it to the final snapshot: a mode can hold samples you can see in the
# picture and still fall short of a quarter of its fair share.
#
# ## 5 · When the game goes wrong: a slow discriminator
#
# A generator can fool a discriminator by producing *one* convincing kind of example. Goodfellow et al.
# warn that $G$ must not be trained too much without updating $D$, or $G$ maps many values of $z$ to the
# same $x$ (mode collapse). We provoke that situation: the same GAN, but $D$ learns ten times more slowly
# than $G$, so that in effect $G$ is trained much more than $D$. Each setting runs with every seed of the
# profile, and each run is measured three times: modes covered, the share of high-quality samples (near
# *some* mode), and the spread of the samples against the spread of the data, which together tell the
# ways of failing apart.

# %%
def toy_run(seed, **kw):
    gan = GAN.mlp(dim=2, nz=2, seed=seed, lr=TOY_LR, **kw)
    gan.fit(data.ring_of_gaussians(len(x_ring), std=TOY_STD, seed=seed), epochs=SNAPSHOTS, batch_size=TOY_M,
            progress=False)
    return gan


SETTINGS = {"balanced: lr_D = lr": {}, "D too slow: lr_D = lr / 10": {"lr_D": TOY_LR / 10}}
coverage, quality, spread, last = {}, {}, {}, {}
for name, kw in SETTINGS.items():
    coverage[name], quality[name], spread[name] = [], [], []
    for seed in P.seeds:
        gan_ = toy if (seed == SEED and not kw) else toy_run(seed, **kw)   # the run of Section 4 is one of them
        c = metrics.mode_coverage(toy_samples(gan_), centers, TOY_STD)
        coverage[name].append(c["modes_covered"])
        quality[name].append(c["high_quality"])
        # how widely the samples spread, against the data's own spread (1: as wide as the ring)
        spread[name].append(float(toy_samples(gan_).std(0).mean() / x_ring.std(0).mean()))
        if seed == P.seeds[0]:
            last[name] = gan_

fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.6), gridspec_kw={"width_ratios": [1, 1, 1.3]}, layout="constrained")
for ax, (name, gan_) in zip(axes, last.items()):
    plotting.plot_decision_surface(gan_.D, x_ring, toy_samples(gan_), ax=ax, lim=3.0, title=f"{name}\n(seed {P.seeds[0]})")
fig.colorbar(plt.cm.ScalarMappable(plt.Normalize(0, 1), "RdBu_r"), ax=list(axes[:2]), shrink=0.85, label="D(x)")
width = 0.8 / len(SETTINGS)
for i, (name, covered) in enumerate(coverage.items()):
    bars = axes[2].bar(np.arange(len(P.seeds)) + i * width, covered, width, label=name)
    axes[2].bar_label(bars, fontsize=8)            # a count of 0 has no bar, but still a label
axes[2].set_xticks(np.arange(len(P.seeds)) + width / 2, [f"seed {s}" for s in P.seeds])
axes[2].set_ylim(0, 8.5)
axes[2].set_ylabel("modes covered (of 8)")
axes[2].legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1)
plt.show()


def outcome(covered, high_quality, spread):
    # the course's reading of one run: all samples in one small region (a spread below half the data's)
    # is collapse, on a mode or beside one; samples spread out but mostly near no mode means the game has
    # not converged. Half: well apart from both a healthy run (about 1) and a collapsed one (a few tenths)
    if spread < 0.5:
        return ("collapsed onto " + (f"{covered} mode{'s' if covered != 1 else ''}" if high_quality >= 0.5
                                     else "one small region beside the modes"))
    if high_quality < 0.5:
        return "not converged (most samples near no mode)"
    if covered <= 2:
        return f"collapsed onto {covered} mode{'s' if covered != 1 else ''}"
    return f"{covered} modes covered"


for name in SETTINGS:
    print(f"{name:28s} modes covered per seed: {coverage[name]}; high-quality samples: "
          f"{[f'{q:.0%}' for q in quality[name]]}; spread against the data's: {[f'{v:.2f}' for v in spread[name]]}")
    print(f"{'':28s} " + "; ".join(f"seed {s}: {outcome(c, q, v)}"
                                   for s, c, q, v in zip(P.seeds, coverage[name], quality[name], spread[name])))
slow = list(SETTINGS)[1]
kinds = [outcome(c, q, v).split(" (")[0].split(" onto")[0]
         for c, q, v in zip(coverage[slow], quality[slow], spread[slow])]
print(f"slow discriminator, {len(kinds)} seed(s): " + ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)))

# %% [markdown]
# The three numbers per run tell the ways of failing apart. All samples squeezed into a small region
# (a spread below half the data's) is **mode collapse**: $G$ has moved all its samples to wherever $D$
# said "real" — onto a mode, or, when $D$ is too weak to point the way, onto a spot beside one, so that
# few samples even count as high quality. Samples that stay spread out but mostly lie near no mode mean
# the game has **not converged**. "Modes covered" alone cannot tell these apart; the last printed line
# counts what happened. Look at the middle panel for the slow discriminator: its surface is nearly
# uniform — $D$ has learned almost nothing, so it gives $G$ little direction — and $G$'s samples sit in one
# tight arc. Either way the distribution is wrong, even where single samples look fine. This is why both
# failures are dangerous for anomaly detection: a generator that cannot produce some normal examples
# will later call them anomalous. Algorithm 1's $k > 1$ and balanced learning rates exist to keep $D$
# close to its optimum; many later GAN variants fight collapse directly.
#
# ## 6 · A DCGAN on normal clothes
#
# Now images. We use the course's evaluation protocol "one class anomalous" on Fashion-MNIST: class
# 8 (*Bag*) is the anomaly, and the GAN trains on the other nine classes only — the **normal** data the
# detectors of notebooks 03–05 will model. $G$ and $D$ are the DCGAN networks of `ganad_lib.nets`
# (strided convolutions, batch norm, LeakyReLU in $D$, tanh output in $G$), trained with Adam
# (lr $2\cdot10^{-4}$, $\beta_1 = 0.5$): the settings Radford, Metz and Chintala (2016) found to
# stabilise DCGAN training, which the GANomaly code uses too ([`docs/references.md`](../docs/references.md),
# section 2).

# %%
fmnist = data.load_dataset("fashion_mnist")
ANOMALY = 8                                        # "Bag": never shown to the GAN
split = protocols.make_split("one_class_anomalous", fmnist, ANOMALY, seed=SEED, profile=P)
x_train = fmnist.tensor(split.train, size=P.image_size)
print(split.summary())
print("training images:", tuple(x_train.shape), "in", (round(x_train.min().item(), 2), round(x_train.max().item(), 2)))
assert (fmnist.labels[split.train] != ANOMALY).all()

# %%
gan = GAN.dcgan(P.image_size, 1, P.nz, P.width, seed=SEED, device=DEVICE)
print(f"G: {sum(p.numel() for p in gan.G.parameters()):,} parameters | D: {sum(p.numel() for p in gan.D.parameters()):,} parameters")

grids = {"epoch 0": gan.sample(16, generator=torch.Generator().manual_seed(0))}   # the same 16 codes every epoch


def show_progress(epoch):
    grids[f"epoch {epoch}"] = gan.sample(16, generator=torch.Generator().manual_seed(0))


history = gan.fit(x_train, epochs=P.epochs, batch_size=P.batch_size, epoch_end=show_progress, desc="DCGAN")

# %%
ax = plotting.show_image_rows(grids)
ax.set_title("G(z) for 16 fixed codes z, after each epoch", fontsize=10)
plt.show()

# %% [markdown]
# Each column follows one fixed code $z$ through training: flat grey becomes a blob, then a rough
# silhouette — mostly tops, and a few shoe-like shapes. No bag should appear — $G$ has never seen one. With the `cpu`
# profile's number of steps (the table below gives it) the garments stay rough, with the stripes and checkerboard texture typical of
# young DCGANs. The course also ships a GAN trained with the same code on the split's whole normal
# training part and for more steps (`ganad_lib.pretrained`; Section 7 measures it). One thing was
# added for it: its $G$ is a **moving average of the generator's weights** over training
# (`GAN(..., ema=0.9995)`: after every generator step, $\theta_{avg} \leftarrow 0.9995\,\theta_{avg} +
# 0.0005\,\theta_G$, so it averages roughly the last 2,000 steps). $G$ itself keeps chasing a
# discriminator that keeps moving, and its samples wobble from step to step; the average wobbles less
# and draws sharper images (Yazıcı et al., 2019, *The Unusual Effectiveness of Averaging in GAN
# Training*, ICLR). The game is unchanged: $D$ trains against the raw $G$, and the average only
# samples. The next cell reads the model's settings from its manifest and sets them beside your run's
# and the `full` profile's.

# %%
from ganad_lib import pretrained
from ganad_lib.profiles import PROFILES

gan_long = pretrained.load("gan", device=DEVICE)
lm = gan_long.manifest
ls_, FULL = lm["setting"], PROFILES["full"]
n_full = lm["split"]["train"]                       # the same split without a cap on its size
steps_full = n_full // FULL.batch_size * FULL.epochs    # GAN.fit drops the last incomplete minibatch
print(f"{'':13s} {'images':>7s} {'width':>6s} {'n_z':>4s} {'batch':>6s} {'epochs':>7s} {'G steps':>8s}")
print(f"{'your run':13s} {len(x_train):7,} {P.width:6d} {P.nz:4d} {P.batch_size:6d} {len(history.epochs):7d} "
      f"{len(history.steps):8,}")
print(f"{'long-trained':13s} {n_full:7,} {ls_['width']:6d} {ls_['nz']:4d} {ls_['batch_size']:6d} "
      f"{lm['epoch_chosen']:7d} {lm['steps_to_chosen_epoch']:8,}")
print(f"{'full profile':13s} {n_full:7,} {FULL.width:6d} {FULL.nz:4d} {FULL.batch_size:6d} {FULL.epochs:7d} {steps_full:8,}")
print(f"long-trained: epoch {lm['epoch_chosen']} of {lm['epochs_trained']} trained, chosen by the {lm['stopping_rule']}")
print(f"generator steps: the long-trained GAN {lm['steps_to_chosen_epoch'] / len(history.steps):.0f} times as many as "
      f"your run, the full profile {steps_full / len(history.steps):.0f} times as many")

# %% [markdown]
# **Do not judge a GAN by its losses.** In supervised learning the loss falls; in a game each player's
# loss depends on the other, so the curves mostly show *who is ahead*. More telling are $D(x)$ and
# $D(G(z))$ on the training minibatches, and how often $D$ is right.

# %%
smooth = max(1, len(history.steps) // (8 * P.epochs))
fig, axes = plt.subplots(1, 3, figsize=(12, 3))
plotting.plot_losses(history, ["loss_D", "loss_G"], ax=axes[0], smooth=smooth)
axes[0].set_title("losses")
plotting.plot_losses(history, ["D(x)", "D(G(z))"], ax=axes[1], smooth=smooth)
axes[1].axhline(0.5, color="0.6", lw=0.8, ls=":")
axes[1].set_ylim(0, 1)
axes[1].legend(frameon=False, fontsize=9, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))  # clear of 0.5
axes[1].set_title("D's mean verdict on real and fake")
plotting.plot_losses(history, ["acc_D"], ax=axes[2], smooth=smooth)
axes[2].set_ylim(0, 1.02)
axes[2].set_title("D's accuracy on its minibatches")
plt.tight_layout()
plt.show()
final = history.epochs[-1]
print(f"last epoch: D(x) = {final['D(x)']:.2f}, D(G(z)) = {final['D(G(z))']:.2f}, D's accuracy = {final['acc_D']:.2f}")

# %% [markdown]
# How to read these curves: $D(x)$ above $D(G(z))$ means $D$ still tells real from fake, so it still has
# something to teach $G$. An accuracy stuck at 100 % would mean $D$ wins outright: with the saturating
# loss $G$'s gradient would then vanish (Section 8); with the non-saturating loss used here it does not
# vanish, but Arjovsky and Bottou (2017, Section 2.2) show that against a nearly perfect $D$ its updates
# become very noisy and training unstable. An accuracy near 50 % means different things at different
# times. Early in training, while the samples are still blobs, it means $D$ is not learning, and then it
# has nothing to teach $G$. With samples that look like real images, it is the goal: at the game's
# equilibrium $D(x) = \tfrac12$ everywhere (Section 4). The cell below says where this run ended. One
# caution: the curves and the accuracy are measured in training mode, where batch normalisation
# normalises each all-real and each all-fake minibatch with its own statistics, which can make $D$ look
# surer than it is. The cell's last lines measure $D$ in eval mode, on images it never trained on and on
# its own training images: two lines, so that a change of mode is not confused with a change of data.
# Where training mode and eval mode disagree, trust the eval-mode lines (notebook 02 shows how large the
# gap can be).

# %%
acc_last = np.array([s["acc_D"] for s in history.steps[-max(1, len(history.steps) // P.epochs):]])
print(f"last epoch: D's accuracy {acc_last.mean():.2f} on average, between {acc_last.min():.2f} and "
      f"{acc_last.max():.2f} on single minibatches; D(x) - D(G(z)) = {final['D(x)'] - final['D(G(z))']:.2f}")
print("reading:", "D is winning clearly: G still learns, but from a strong critic" if acc_last.mean() > 0.9 else
      "both players are still in the game" if acc_last.mean() > 0.6 else
      "D can hardly tell real from fake: the samples (measured in Section 7) say whether D is not learning or G fools it")
# the same verdicts in eval mode (batch norm on its running statistics), on normal test images and fresh samples
x_held = data.to_tensor(fmnist.images[split.test[~split.test_is_anomaly][:512]], P.image_size).to(DEVICE)
was_training = gan.D.training
gan.D.eval()
with torch.no_grad():
    d_real_eval = torch.sigmoid(gan.D(x_held)).mean().item()
    d_train_eval = torch.sigmoid(gan.D(x_train[:512].to(DEVICE))).mean().item()   # the images D trained on
    d_fake_eval = torch.sigmoid(gan.D(gan.sample(512, torch.Generator().manual_seed(1)).to(DEVICE))).mean().item()
gan.D.train(was_training)
print(f"in eval mode, on {len(x_held)} normal test images and {len(x_held)} fresh samples: "
      f"D(x) = {d_real_eval:.2f}, D(G(z)) = {d_fake_eval:.2f}")
print(f"in eval mode, on {min(512, len(x_train))} of D's own training images: D(x) = {d_train_eval:.2f} "
      f"({'about the same as' if abs(d_train_eval - d_real_eval) < 0.05 else 'unlike'} the test images: "
      f"{'so the gap to the training-mode curves is the mode, not the data' if abs(d_train_eval - d_real_eval) < 0.05 else 'D also tells its training images from new ones, so part of the gap is the data'})")

# %% [markdown]
# ## 7 · How good is a generator?
#
# Looking at a grid of samples is how most GAN tutorials judge a generator, and it fails in two ways.
# Blurred silhouettes look "about right" at thumbnail size, and a generator that draws only three of the
# nine normal classes still looks varied on sixteen samples. The field measures instead: the Inception
# Score and the Fréchet Inception Distance (FID) run a classifier trained on labelled images over the
# samples. We do the same with a **judge**: a small CNN trained *with labels* on Fashion-MNIST's 60,000
# official training images (`ganad_lib.judge`). It is a measuring instrument, like the Inception network
# behind FID. **No detector ever uses it**: a detector that used class labels would not be unsupervised.
#
# It says four things about a set of generated images:
#
# * **confident share**: how many samples it classifies with probability at least 0.8. A sharp,
#   recognisable garment is classified confidently; a blur between a shirt and a coat is not. Real
#   normal images set the scale.
# * **class histogram** and **classes covered**: which normal classes the samples fall into, and how many
#   of the nine get at least 3 % of them. Mode collapse shows here as a class with (almost) no samples.
# * **Fréchet distance**: fit a Gaussian to the judge's 128 internal features of the samples and another
#   to those of real normal images, and measure how far apart they are with the FID formula of Heusel et
#   al. (2017). Like FID, the number is a *squared* distance, $d^2$ (Exercise 2 writes it out). Even two
#   sets of *real* images are not at distance 0, so it is shown beside the real-against-real distance.
#
# Below: a generator that was never trained, your run from Section 6, and the long-trained GAN of
# Section 6 (same code, same network architecture, the split's whole normal training part, more
# steps). All three are measured on the same number of samples (printed below) against normal test
# images the GANs never saw.
# The judge itself was trained on the official training split, which overlaps these test images; the
# cell prints its confidence on the real images it learned from and on the others, so you can see how
# much that matters. The long-trained model's epoch was chosen by the Fréchet distance to *validation*
# images and is measured here on test images, so that choice gives it no unfair advantage; the caveat
# runs the other way: your run gets no epoch selection at all and is measured after its last epoch. Two
# sets of real images are not at distance 0 either (the floor printed below is one draw of real against
# real), so read differences of about the floor's size as noise. These measures follow the
# Inception Score (Salimans et al., 2016) and FID (Heusel et al., 2017), with the judge in place of the
# Inception network.

# %%
from ganad_lib import judge as J

judge = J.Judge.load("fashion_mnist")
m = judge.manifest
print(f"judge: {m['test_accuracy']:.1%} accuracy on the {m['test_images']:,} official test images "
      f"(trained on {m['train_images']:,} labelled training images)")

N_JUDGE = 500 if P.name == "smoke" else 2000
NORMAL = [c for c in range(10) if c != ANOMALY]
whole = protocols.make_split("one_class_anomalous", fmnist, ANOMALY, seed=SEED)  # no profile cap: test images only
held_out = np.random.default_rng(SEED).permutation(whole.test[~whole.test_is_anomaly])
real_a, real_b = fmnist.tensor(held_out[:N_JUDGE]), fmnist.tensor(held_out[N_JUDGE:2 * N_JUDGE])

generators = {"untrained": GAN.dcgan(P.image_size, 1, P.nz, P.width, seed=SEED + 1, device=DEVICE),
              "your run": gan, "long-trained": gan_long}
samples = {k: g.sample(N_JUDGE, generator=torch.Generator().manual_seed(7)) for k, g in generators.items()}
reports = {k: J.generator_report(judge, s, real_a, real_b, NORMAL) for k, s in samples.items()}
proba_real = judge.predict_proba(real_a)
real_hist = J.class_histogram(proba_real, 10)
seen = fmnist.is_train.numpy()[held_out[:N_JUDGE]]   # real test images that lie in the judge's training split
print(f"judge's confident share on the {N_JUDGE:,} real test images: {J.confident_share(proba_real[seen]):.0%} on the "
      f"{seen.sum():,} it was trained on, {J.confident_share(proba_real[~seen]):.0%} on the {(~seen).sum():,} it never saw")

print(f"\n{N_JUDGE:,} images per row, Fréchet distance against {N_JUDGE:,} other real test images")
print(f"{'':14s} {'confident':>10s} {'classes covered':>16s} {'smallest class':>15s} {'Fréchet':>9s}")
print(f"{'real images':14s} {reports['long-trained']['confident_real']:10.0%} "
      f"{str(J.classes_covered(real_hist, NORMAL)) + ' of 9':>16s} "
      f"{min(real_hist[c] for c in NORMAL):15.1%} {reports['long-trained']['frechet_real']:9.1f}")
for k, r in reports.items():
    print(f"{k:14s} {r['confident']:10.0%} {str(r['classes_covered']) + ' of 9':>16s} "
          f"{r['min_normal_share']:15.1%} {r['frechet']:9.1f}")

# %%
fig, (ax, ax_hist) = plt.subplots(2, 1, figsize=(11, 8), height_ratios=[1, 1.25], layout="constrained")
plotting.show_image_rows({"your run": samples["your run"][:10], "long-trained": samples["long-trained"][:10],
                          "real": real_a[:10]}, ax=ax)
ax.set_title("ten samples each (the same codes for both generators)", fontsize=11)
ax.tick_params(labelsize=11)
ax = ax_hist
width = 0.27
for j, (name, hist) in enumerate([("real images", real_hist), ("your run", np.array(reports["your run"]["histogram"])),
                                  ("long-trained", np.array(reports["long-trained"]["histogram"]))]):
    ax.bar(np.arange(10) + (j - 1) * width, hist, width, label=name)
ax.axhline(J.MIN_CLASS_SHARE, color="0.3", lw=0.8, ls=":", label="3 % (covered)")
ax.set_xticks(range(10), [c.split("/")[0] for c in fmnist.classes], rotation=40, ha="right", fontsize=10)
ax.set_ylabel("share of images")
ax.set_title("what the judge calls them", fontsize=11)
ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
plt.show()
short = [c.split("/")[0] for c in fmnist.classes]
for k in ("untrained", "your run", "long-trained"):
    hist = np.array(reports[k]["histogram"])
    below = [f"{short[c]} {hist[c]:.1%}" for c in NORMAL if hist[c] < J.MIN_CLASS_SHARE]
    more = [c for c in NORMAL if hist[c] > real_hist[c]]                   # drawn more often than in real images
    over = max(more, key=lambda c: hist[c] / real_hist[c]) if more else None
    print(f"{k:13s} below the 3 % line: {', '.join(below) or 'no normal class'} | most over-drawn: "
          + (f"{short[over]} ({hist[over]:.1%} of the samples against {real_hist[over]:.1%} of real images)"
             if more else "no normal class") + f" | {short[ANOMALY]}: {hist[ANOMALY]:.1%}")

# %% [markdown]
# Read the table first, beside the judge's own confidence on real images printed above it: about as high
# on the test images it never saw as on those it trained on, so that overlap does not flatter the real
# row. The confident share alone can fool you: look at the untrained generator's row. Its samples are all
# the same grey blob (the epoch-0 row of Section 6's figure shows such samples), and the judge files that blob confidently under one class — the line for the
# untrained generator under the figure says which, and how much of it lands under *Bag*, a class no
# normal image has — so "confident" is high while "classes covered" is low: a classifier is confidently
# wrong on featureless images it never saw, and confidence is not sharpness. Only the three
# numbers together describe a generator: sharp (confident), varied (classes covered) and distributed
# like real images (a small Fréchet distance).
#
# Then read the bars class by class, with the two lines printed under the figure. The real images'
# bars are the target. A class below the dotted 3 % line is one the generator rarely draws (at worst a
# collapsed mode); the most over-drawn class is where the missing samples went instead. A bar at *Bag*
# needs the same caution as the untrained row: $G$ never saw a bag, so these are samples the judge files
# under the one class no normal image has, not evidence that $G$ draws bags. The numbers below are this
# run's.

# %%
live, long_ = reports["your run"], reports["long-trained"]
ratio = long_["confident"] / long_["confident_real"]
print(f"long-trained: {long_['confident']:.0%} confident samples, {ratio:.2f} times the share for real images; "
      f"{long_['classes_covered']} of 9 classes covered (smallest {long_['min_normal_share']:.1%}); "
      f"Fréchet distance {long_['frechet']:.1f} against {long_['frechet_real']:.1f} between two real sets.")
print(f"your run:     {live['confident']:.0%} confident, {live['classes_covered']} of 9 classes covered, "
      f"Fréchet distance {live['frechet']:.1f}.")
works = ratio >= 0.85 and long_["classes_covered"] == 9
print("verdict: the long-trained generator", "works: sharp and covering every normal class" if works else
      "does not reach the bar (85 % of real confidence, 9 classes)", "| your run:",
      "as close to real images" if live["frechet"] <= long_["frechet"] else
      f"{live['frechet'] / long_['frechet']:.1f} times its Fréchet distance (a squared distance; "
      f"{np.sqrt(live['frechet'] / long_['frechet']):.1f} times in square roots)")
first = lm["per_epoch"][0]
first_frechet = first.get("val_frechet_raw", first["val_frechet"])  # its raw G: no moving average, like yours
steps_first = lm["steps_to_chosen_epoch"] // lm["epoch_chosen"]    # generator steps per epoch
print(f"the long-trained GAN's raw G after its first epoch ({steps_first:,} generator steps): Fréchet distance "
      f"{first_frechet:.1f} to validation images | your run after {len(history.steps):,} steps: "
      f"{live['frechet']:.1f} to test images")
steps_rel, frechet_rel = len(history.steps) / steps_first, live["frechet"] / first_frechet
print("reading:", ("similar numbers of steps, " + ("similar Fréchet distances (within a factor of 1.5)"
                                                   if 2 / 3 <= frechet_rel <= 1.5 else
                                                   f"Fréchet distances {frechet_rel:.1f} times apart"))
      if 0.5 <= steps_rel <= 2 else f"your run has {steps_rel:.2g} times as many steps: not a like-for-like pair")

# %% [markdown]
# How to read the verdict: we call a generator "working" when its samples are confident nearly as often
# as real images (at least 85 % of their share) and every normal class gets at least 3 % of them. The
# verdict line says whether the long-trained generator reaches that bar and how its Fréchet distance
# compares with your run's. Because the Fréchet distance is squared, a ratio of two of them overstates
# how far apart the feature distributions are; the square root of the ratio compares distances. The
# long-trained GAN is the best generator the course has, not necessarily a perfect one. The rest of this
# notebook explores its latent space, and notebook 03 builds AnoGAN on the same model.
#
# The last two lines hold the lesson of the comparison. The long-trained GAN is your code, run on more
# images for longer; its manifest records, after every epoch, the Fréchet distance to validation images
# of its raw generator (the line above uses it: your run has no moving average) and of the average.
# After its first epoch it had taken about as many generator steps as your whole run in the `cpu`
# profile, so the two numbers compare the same code at about the same number of generator steps (on
# normal images neither GAN trained on). Both start from the same initial weights (the same seed, width
# and latent size), and your run's images are the first of the long-trained GAN's. "About the same point"
# still leaves differences: the long-trained GAN's first epoch ran over more distinct images (each seen
# once, where your run sees its images several times), and its distance is measured on its own
# validation images. Where the reading
# line finds the two similar, these differences did not matter much, and the gap in the table is the
# training the long-trained GAN got after that first epoch, not a better recipe; where it finds them far
# apart, one of these differences is the first suspect.
#
# ## 8 · Why practice uses $-\log D(G(z))$
#
# Both generator losses are minimised by the same generator, but their gradients differ. With respect
# to D's logit $l$ on a fake, $\frac{\partial}{\partial l}\log(1 - \sigma(l)) = -\sigma(l) = -D(G(z))$ and
# $\frac{\partial}{\partial l}\big(-\log\sigma(l)\big) = -(1 - D(G(z)))$. Early in training $D$ rejects
# the fakes easily, $D(G(z)) \approx 0$, so the saturating loss hands $G$ almost no gradient exactly when
# $G$ needs it most:

# %%
plotting.plot_generator_losses()
plt.tight_layout()
plt.show()

# %% [markdown]
# Left: both losses fall as $D(G(z))$ rises, so both push $G$ the same way and share their minimiser.
# Right: the size of their slopes. In the shaded band, where $D$ rejects the fakes, the saturating
# loss's slope is close to 0 while the non-saturating one is close to its largest value; the ratio of
# the two, $(1 - D(G(z)))/D(G(z))$, is the factor by which the non-saturating loss should push harder.
#
# Measured on real networks: a fresh DCGAN, with $G$ frozen while $D$ trains on real clothes against
# $G$'s fakes — an exaggerated version of what happens early in training whenever $D$ learns faster than
# $G$ (in the DCGAN run of Section 6, $D(G(z))$ fell from about 0.4 but not to 0: the effect there was
# milder than in this probe). At every
# step we compute the norm of $\nabla_{\theta_G}$ of both generator losses on the same 64 codes
# (`generator_gradient_norm`: it changes no weight, and it restores BatchNorm's running statistics,
# which a forward pass in train mode would otherwise update, so measuring does not disturb the run).

# %%
probe = GAN.dcgan(P.image_size, 1, P.nz, P.width, seed=SEED, device=DEVICE)
z_probe = sample_z(P.batch_size, P.nz, generator=torch.Generator().manual_seed(1)).to(DEVICE)
d_steps = min(50, len(x_train) // P.batch_size)
records = {"D(G(z))": [], "saturating": [], "non_saturating": []}
torch.manual_seed(SEED)
for i in range(d_steps):
    with torch.no_grad():
        records["D(G(z))"].append(torch.sigmoid(probe.D(probe.G(z_probe))).mean().item())
    for loss in ("saturating", "non_saturating"):
        records[loss].append(generator_gradient_norm(probe.G, probe.D, z_probe, loss))
    x_batch = x_train[i * P.batch_size:(i + 1) * P.batch_size].to(DEVICE)
    probe.discriminator_step(x_batch, sample_z(P.batch_size, P.nz, DEVICE))   # only D learns

ax = plotting.plot_gradient_norms(records)
ax.yaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
ax.yaxis.set_minor_formatter(mticker.NullFormatter())
ax.set_title("G's gradient while D learns to reject its fakes", fontsize=10)
plt.show()
d_last = records["D(G(z))"][-1]
grad_ratio = records["non_saturating"][-1] / records["saturating"][-1]
print(f"after {d_steps} D steps: mean D(G(z)) = {d_last:.3f}")
print(f"predicted by Section 8's derivatives, (1 - D(G(z))) / D(G(z)) = {(1 - d_last) / d_last:.3g}  "
      f"(approximate: D(G(z)) differs from code to code, and this uses its mean)")
print(f"measured: ||grad|| saturating {records['saturating'][-1]:.3g}, non-saturating {records['non_saturating'][-1]:.3g}, "
      f"a ratio of {grad_ratio:.3g}")
prediction = (1 - d_last) / d_last
print(f"reading: the measured ratio is {grad_ratio / prediction:.2f} times the prediction")

# %% [markdown]
# As $D(G(z))$ falls, the saturating gradient shrinks with it, while the non-saturating gradient grows;
# the last two printed lines set the measured ratio against the prediction (the reading line says how
# close they are; the prediction uses the mean of $D(G(z))$, so it is only approximate).
# That is why `GAN` uses `loss="non_saturating"` by default; `loss="saturating"` gives the textbook
# minimax form for experiments.
#
# ## 9 · Exploring the latent space
#
# $G$ is a smooth function of $z$: small steps in $z$ give small changes in the image. Below, one code
# $z_0$ is moved along three random orthonormal directions $d_1, d_2, d_3$ (`widgets.latent_directions`),
# from $-3$ to $3$ prior standard deviations, with the same pure function the widget uses. The last row
# walks the straight line from $z_0$ to another code $z_1$.

# %%
G_walk, NZ = gan_long.G, gan_long.nz   # the best generator the course has (Section 7)
z0, z1 = sample_z(2, NZ, generator=torch.Generator().manual_seed(3))
directions = widgets.latent_directions(NZ, 3, seed=SEED)
steps = np.linspace(-3, 3, 9)
rows = {f"z0 + c d{i + 1}": torch.stack([widgets.latent_image(G_walk, z0, directions, np.eye(3)[i] * c)["image"] for c in steps])
        for i in range(3)}
rows["z0 -> z1"] = torch.stack([widgets.latent_image(G_walk, (1 - t) * z0 + t * z1, directions, [0, 0, 0])["image"]
                                for t in np.linspace(0, 1, len(steps))])
ts = np.linspace(0, 1, len(steps))
fig, ax = plt.subplots(figsize=(10, 5.4), layout="constrained")
plotting.show_image_rows(rows, ax=ax)
size, pad = rows["z0 -> z1"].shape[-1], 2                       # show_image_rows' tile size and padding
columns = [pad + j * (size + pad) + size / 2 for j in range(len(steps))]
ax.set_xticks(columns, [f"{t:.3g}" for t in ts])
ax.set_xlabel("t (last row)")
top = ax.secondary_xaxis("top")
top.set_xticks(columns, [f"{c:g}" for c in steps])
top.set_xlabel("c (first three rows)")
top.tick_params(length=0)
ax.tick_params(labelsize=10)
fig.suptitle("walks in the latent space", fontsize=11)
plt.show()
print(f"|z0| = {z0.norm():.1f}, |z1| = {z1.norm():.1f}, |z1 - z0| = {(z1 - z0).norm():.1f} "
      f"(sqrt(n_z) = {NZ ** 0.5:.1f}); on the straight line: "
      + ", ".join(f"t = {t:.3g}: {((1 - t) * z0 + t * z1).norm():.1f}" for t in ts[::2]))

# %% [markdown]
# A step of 3 along a single direction, out of $n_z$, can already reshape the garment — compare the ends
# of the first three rows — although it is a third of the length of $z_0$ (printed above): $G$ is smooth,
# not flat. The walk to a second code (a move of length $|z_1 - z_0|$, printed above) changes more: where
# both codes draw the same kind of garment, it changes its style; where they draw different kinds, the
# garment itself. The printed lengths show a catch in that last row: two Gaussian
# codes are nearly orthogonal, so the straight line between them passes through codes of unusually low
# norm in the middle, shorter than almost any code $G$ saw in training (notebook 02's Exercise 2 walks
# along the sphere instead, with slerp). Now move the sliders yourself (in a live notebook; a static
# copy shows the start only).

# %%
# NBVAL_IGNORE_OUTPUT
explorer = widgets.latent_explorer(G_walk, z0, directions)
explorer


# %% [markdown]
# ## 10 · Exercises
#
# Each exercise has a stub that raises `NotImplementedError`. Replace its body and run the cell: the
# check runs your function and a reference on random inputs and names the usual mistakes. Untouched, it
# reports "not attempted yet"; a function that only calls the library's version is refused. Solutions are
# in [`docs/solutions.md`](../docs/solutions.md) — try first.
#
# **Exercise 1 — the best discriminator.** Hold $G$ fixed, so that its images follow some density
# $p_g$. For a single point $x$, $D$ picks the number $D(x)$ that maximises
# $p_{\text{data}}(x) \log D(x) + p_g(x) \log(1 - D(x))$, its share of $V$. Find that best $D^*(x)$ with
# pen and paper first (a derivative set to zero). Then, for two densities given on a 1-D grid of spacing
# `dx` (numpy arrays), return $D^*$ at every grid point and the value $V(D^*, G)$ as a numerical integral.
# The check also tries a *perfect* generator, $p_g = p_{\text{data}}$: predict the value of $V$ there before
# you run it, and say what $D^*$ then tells you about the end point of GAN training.

# %%
def my_optimal_d(p_data, p_g, dx):
    raise NotImplementedError


exercises.check_optimal_discriminator(my_optimal_d)


# %% [markdown]
# *After the exercise — what $D^*$ leads to.* Put $D^*$ back into $V$ and the game's value, as a function
# of $G$ alone, becomes $C(G) = -\log 4 + 2\,\mathrm{JSD}(p_{\text{data}} \,\|\, p_g)$, where JSD is the
# Jensen–Shannon divergence (Goodfellow et al. 2014, Theorem 1): against a best discriminator, $G$
# minimises a divergence that is zero exactly when $p_g = p_{\text{data}}$. The non-saturating loss of
# Section 8 changes which divergence $G$ descends — Arjovsky and Bottou (2017) show that it weighs
# missing a mode of the data lightly — one reason GANs tend to drop modes.
#
# **Exercise 2 — the Fréchet distance, by hand.** Section 7 judged generators by the Fréchet distance
# between Gaussians fitted to the judge's features of two image sets:
# $d^2 = \lVert \mu_a - \mu_b \rVert^2 + \operatorname{Tr}\big(\Sigma_a + \Sigma_b - 2 (\Sigma_a \Sigma_b)^{1/2}\big)$.
# Write it for two feature arrays (`feats_a` is $N_a \times d$, `feats_b` is $N_b \times d$, numpy).
# Use the sample covariance, which divides by $N - 1$ (`np.cov`'s default), as the check does. Watch the
# two places where it is easy to slip: which axis the covariance runs over, and what kind of square root
# $(\Sigma_a \Sigma_b)^{1/2}$ is. Then answer for yourself: why is the distance between two
# sets of *real* images not 0, and why does Section 7 always compare sets of the same size?

# %%
def my_frechet(feats_a, feats_b):
    raise NotImplementedError


exercises.check_frechet_distance(my_frechet)


# %% [markdown]
# **Exercise 3 (open).** Is the saturating loss a problem on the toy ring too? Train
# `toy_run(seed, loss="saturating")` for each seed of the profile, count the modes it covers with
# `metrics.mode_coverage(toy_samples(gan), centers, TOY_STD)`, and compare with Section 5. Then look at
# `D(G(z))` early in its history — `gan.history.steps[i]["D(G(z))"]` is $D$'s mean verdict on the fakes
# at step `i`, and `gan.history.series("D(G(z))")` gives all steps as an array: is $D$ ever confident
# enough for the gradient to vanish? Compare with the value Section 8 measured on images. (No check; a
# note on what to expect is in `docs/solutions.md`.)
#
# ## Pitfalls
#
# * **Logs of probabilities.** `log(1 - sigmoid(l))` is $-\infty$ once $D$ is confident; use logits and
#   `logsigmoid` (Section 2).
# * **Gradients into G during D's step.** Detach $G(z)$ when updating $D$: Algorithm 1 keeps $G$ fixed in
#   the inner loop, and the backward pass through $G$ is wasted work.
# * **Reading the losses as progress.** GAN losses do not fall steadily; watch samples, $D(x)$, $D(G(z))$
#   and D's accuracy (Section 6).
# * **Silent mode collapse.** Good-looking samples can all come from one mode. Measure coverage where you
#   can (Section 5) and look at many samples, not a few.
# * **The saturating loss.** It is the paper's equation, but it starves $G$ of gradient early on
#   (Section 8).
# * **Batch norm.** $D$ sees real and fake minibatches separately, as in the DCGAN code; when a trained
#   $D$ or $G$ is used to *score* images (notebooks 03–04), call `eval()` so that a score does not depend
#   on the other images in the batch.
#
# ## Summary
#
# * A GAN is a two-player game with value function $V(D, G)$; $D$ ascends it, $G$ descends it.
# * Losses are computed from logits; $D$'s loss is $-V$, and $G$ uses the non-saturating
#   $-\log D(G(z))$, whose gradient does not vanish when $D$ wins (measured in Section 8).
# * Algorithm 1 alternates $k$ discriminator steps with one generator step; `GAN.train_step` is exactly
#   the loop written out in Section 3.
# * On 2-D data, $D$'s surface and $G$'s samples show the game. A slow discriminator makes it fail — the
#   samples collapse into a small region, on a mode or beside the modes, or never converge — and only
#   counting covered modes, high-quality samples *and* the spread tells which (Section 5 prints what each
#   seed did).
# * A short DCGAN run draws rough garments. Measure a generator — with a classifier's confidence, the
#   classes it covers and a Fréchet distance beside the real-against-real floor — instead of judging it
#   by a grid of samples; Section 7 sets your run beside the same code trained for longer.
# * What a GAN cannot do is map an image back to a code — the next notebook adds an **encoder** (BiGAN).
#
# ## References
#
# Cited in this notebook (fuller notes on sources: [`docs/references.md`](../docs/references.md)):
#
# * Goodfellow, Pouget-Abadie, Mirza, Xu, Warde-Farley, Ozair, Courville, Bengio. *Generative Adversarial
#   Nets.* NIPS 2014, pp. 2672–2680.
# * Radford, Metz, Chintala. *Unsupervised Representation Learning with Deep Convolutional Generative
#   Adversarial Networks* (DCGAN). ICLR 2016, arXiv:1511.06434.
# * Arjovsky, Bottou. *Towards Principled Methods for Training Generative Adversarial Networks.* ICLR
#   2017, arXiv:1701.04862.
# * Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen. *Improved Techniques for Training GANs* (the
#   Inception Score). NIPS 2016, arXiv:1606.03498.
# * Heusel, Ramsauer, Unterthiner, Nessler, Hochreiter. *GANs Trained by a Two Time-Scale Update Rule
#   Converge to a Local Nash Equilibrium* (the Fréchet Inception Distance). NIPS 2017, arXiv:1706.08500.
# * Metz, Poole, Pfau, Sohl-Dickstein. *Unrolled Generative Adversarial Networks.* ICLR 2017,
#   arXiv:1611.02163, and Srivastava, Valkov, Russell, Gutmann, Sutton. *VEEGAN: Reducing Mode Collapse
#   in GANs using Implicit Variational Learning.* NIPS 2017, arXiv:1705.07761 (the mode-coverage measure).
#
# The course's methods, for what comes next:
#
# * Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#   Adversarial Networks to Guide Marker Discovery.* IPMI 2017, arXiv:1703.05921 (AnoGAN).
# * Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection.* ICLR 2018
#   workshop, arXiv:1802.06222 (EGBAD).
# * Akçay, Atapour-Abarghouei, Breckon. *GANomaly: Semi-Supervised Anomaly Detection via Adversarial
#   Training.* ACCV 2018, arXiv:1805.06725.
# * Di Mattia, Galeone, De Simoni, Ghelfi. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.

# %% [markdown]
# ## Automatic checks
#
# Automatic checks of this notebook's claims (run by the course's tests).

# %%
# Results: what this notebook must show, asserted for the main claims its text makes. The thresholds
# were set from runs of this notebook over several seeds per profile and then widened, so that a healthy run
# passes and a broken one fails. Before changing one, re-measure over several seeds; never loosen a
# threshold to make a single run pass. "full" has no thresholds of its own yet: it reuses cpu's, with a
# wider accuracy band because a longer run lets D grow stronger.
TH = {
    "smoke": dict(ring_shrink=0.8, ring_max=None, covered_min=None, collapsed_max=None,
                  acc=(0.35, 0.95), d_real_above_fake=False, grad_ratio=1.2),
    "cpu": dict(ring_shrink=0.2, ring_max=0.15, covered_min=5.5, collapsed_max=2,
                acc=(0.6, 0.99), d_real_above_fake=True, grad_ratio=20.0),
}
TH["full"] = dict(TH["cpu"], acc=(0.55, 0.995))
th = TH[P.name]
before, after = ring_distance(frames[0][2]), ring_distance(frames[-1][2])
# 1. the toy generator moved its samples to the ring
assert after < th["ring_shrink"] * before, (before, after)
if th["ring_max"] is not None:
    assert after < th["ring_max"], after
# 2. balanced training covers most modes; with a slow discriminator no seed covers more than a couple
#    (whether it collapsed or did not converge is printed in Section 5, not asserted)
if th["covered_min"] is not None:
    balanced, slow = coverage["balanced: lr_D = lr"], coverage["D too slow: lr_D = lr / 10"]
    assert np.mean(balanced) >= th["covered_min"], balanced
    assert max(slow) <= th["collapsed_max"], slow
# 3. the DCGAN's discriminator stays in the game: right more often than chance, but not always
lo, hi = th["acc"]
assert lo < final["acc_D"] < hi, final
if th["d_real_above_fake"]:
    assert final["D(x)"] > final["D(G(z))"], final
    # ... and in eval mode, which the text says to trust, on images D never trained on
    assert d_real_eval > d_fake_eval, (d_real_eval, d_fake_eval)
# 4. the saturating loss starves G once D rejects its fakes, by about the factor Section 8 derives
#    (measured cpu: ratio 227 against 216 predicted; the prediction uses the mean of D(G(z)))
assert grad_ratio > th["grad_ratio"], grad_ratio
if P.name != "smoke":
    assert 0.5 < grad_ratio / prediction < 2, (grad_ratio, prediction)
assert records["saturating"][-1] < records["saturating"][0] and records["D(G(z))"][-1] < records["D(G(z))"][0]
# 5. the judge: the long-trained generator covers every normal class (each >= 3 % of the samples), its
#    confident share is more than 0.6 times the real images' share, and (outside smoke, whose run is too
#    short to compare) it is sharper and closer to real images than the learner's run. The verdict's bar
#    of 0.85 times the real share is a reading printed in Section 7, deliberately not asserted here.
assert long_["classes_covered"] == 9 and long_["min_normal_share"] >= 0.03, long_
assert ratio > 0.6, ratio
if P.name != "smoke":
    assert long_["frechet"] < live["frechet"] and long_["confident"] > live["confident"], (long_, live)
print("all results checks passed")
