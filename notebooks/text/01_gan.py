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
# 5. train a DCGAN on the normal classes of Fashion-MNIST and read its training by $D(x)$ and $D(G(z))$
#    rather than by its losses;
# 6. **measure** how good a generator is — with a classifier's verdict on its samples and a Fréchet
#    distance beside the real-against-real floor — instead of eyeballing a grid of samples;
# 7. explain, with a measured gradient, why practice replaces $\log(1 - D(G(z)))$ by $-\log D(G(z))$.

# %%
import copy

import matplotlib.pyplot as plt
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
cover = metrics.mode_coverage(frames[-1][2], centers, TOY_STD)
print(f"distance from the ring: {ring_distance(frames[0][2]):.3f} before training, {ring_distance(frames[-1][2]):.3f} after "
      f"{P.toy_steps} steps | modes covered: {cover['modes_covered']} of 8 | high-quality samples: {cover['high_quality']:.0%}")


# %% [markdown]
# Read the pictures from left to right. At step 0 $D$ is untrained and its surface pale, and $G$'s
# samples sit in a blob near the origin; by the first snapshot $D$ has learned to call the blob
# "fake" and the ring "real", and $G$'s gradient pushes its samples up that slope, towards the data. As $G$ gets better, $D$'s surface flattens towards $\tfrac{1}{2}$
# wherever real and generated points mix — at the game's equilibrium $p_g = p_{\text{data}}$ and
# $D(x) = \tfrac12$ everywhere (Goodfellow et al., Proposition 1 and Theorem 1). Far from both data and
# samples, $D$'s colour means nothing: no example ever told it what to say there. In the `smoke`
# profile training stops long before all this; the samples have only started to move.
#
# **Measuring success.** A sample is *high quality* if it lies within 3 standard deviations of its
# nearest mode; a mode is *covered* if it holds at least a quarter of its fair share of the samples
# (`ganad_lib.metrics.mode_coverage`). The idea of counting covered modes on a ring of Gaussians comes
# from Metz et al. (2017) and Srivastava et al. (2017); the quarter-share rule is this course's choice.
#
# ## 5 · Mode collapse, shown and measured
#
# A generator can fool a discriminator by producing *one* convincing kind of example. Goodfellow et al.
# warn that $G$ must not be trained too much without updating $D$, or $G$ maps many values of $z$ to the
# same $x$. We provoke exactly that: the same GAN, but $D$ learns ten times more slowly than $G$. Each
# setting runs with every seed of the profile.

# %%
def toy_run(seed, **kw):
    gan = GAN.mlp(dim=2, nz=2, seed=seed, lr=TOY_LR, **kw)
    gan.fit(data.ring_of_gaussians(len(x_ring), std=TOY_STD, seed=seed), epochs=SNAPSHOTS, batch_size=TOY_M,
            progress=False)
    return gan


SETTINGS = {"balanced: lr_D = lr": {}, "D too slow: lr_D = lr / 10": {"lr_D": TOY_LR / 10}}
coverage, last = {}, {}
for name, kw in SETTINGS.items():
    coverage[name] = []
    for seed in P.seeds:
        gan_ = toy if (seed == SEED and not kw) else toy_run(seed, **kw)   # the run of Section 4 is one of them
        coverage[name].append(metrics.mode_coverage(toy_samples(gan_), centers, TOY_STD)["modes_covered"])
        if seed == P.seeds[0]:
            last[name] = gan_

fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.6), gridspec_kw={"width_ratios": [1, 1, 1.3]}, layout="constrained")
for ax, (name, gan_) in zip(axes, last.items()):
    plotting.plot_decision_surface(gan_.D, x_ring, toy_samples(gan_), ax=ax, lim=3.0, title=f"{name}\n(seed {P.seeds[0]})")
fig.colorbar(plt.cm.ScalarMappable(plt.Normalize(0, 1), "RdBu_r"), ax=list(axes[:2]), shrink=0.85, label="D(x)")
width = 0.8 / len(SETTINGS)
for i, (name, covered) in enumerate(coverage.items()):
    axes[2].bar(np.arange(len(P.seeds)) + i * width, covered, width, label=name)
axes[2].set_xticks(np.arange(len(P.seeds)) + width / 2, [f"seed {s}" for s in P.seeds])
axes[2].set_ylim(0, 8.5)
axes[2].set_ylabel("modes covered (of 8)")
axes[2].legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1)
plt.show()
for name, covered in coverage.items():
    print(f"{name:28s} modes covered per seed: {covered}")

# %% [markdown]
# With a slow discriminator, $D$'s surface barely changes between generator steps, so $G$ keeps moving
# *all* its samples to wherever $D$ currently says "real" — a small region that holds at most one mode,
# and often none: the printed counts include runs whose samples gather in one spot *off* the ring.
# "Modes covered" alone mixes the two failures (collapse onto a mode, and not converging at all); either
# way the distribution is wrong, even where single samples look fine. This is why mode collapse is dangerous for anomaly detection: a generator that cannot produce
# some normal examples will later call them anomalous. Algorithm 1's $k > 1$ and balanced learning rates
# exist to keep $D$ close to its optimum; many later GAN variants fight collapse directly.
#
# ## 6 · A DCGAN on normal clothes
#
# Now images. We use the course's evaluation protocol "one class anomalous" on Fashion-MNIST: class
# 8 (*Bag*) is the anomaly, and the GAN trains on the other nine classes only — the **normal** data the
# detectors of notebooks 03–05 will model. $G$ and $D$ are the DCGAN networks of `ganad_lib.nets`
# (strided convolutions, batch norm, LeakyReLU in $D$, tanh output in $G$), trained with Adam
# (lr $2\cdot10^{-4}$, $\beta_1 = 0.5$), the settings of the GANomaly code ([sources of numbers](../README.md#sources-of-numbers)).

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
# profile's few hundred steps the garments stay rough, with the stripes and checkerboard texture typical of
# young DCGANs; the `full` profile (all normal images, 15 epochs, twice the width) trains about fourteen
# times longer.
#
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
# something to teach $G$; an accuracy stuck at 100 % would mean $D$ wins outright — with the saturating
# loss $G$'s gradient would then vanish (Section 8), and with the non-saturating loss used here it stays
# large but carries little useful direction, and training turns unstable; one near 50 % would mean $D$
# cannot tell at all, and $G$ learns nothing either. The
# cell below says where this run ended.
#

# %%
acc_last = np.array([s["acc_D"] for s in history.steps[-max(1, len(history.steps) // P.epochs):]])
print(f"last epoch: D's accuracy {acc_last.mean():.2f} on average, between {acc_last.min():.2f} and "
      f"{acc_last.max():.2f} on single minibatches; D(x) - D(G(z)) = {final['D(x)'] - final['D(G(z))']:.2f}")
print("reading:", "D is winning clearly: G still learns, but from a strong critic" if acc_last.mean() > 0.9 else
      "both players are still in the game" if acc_last.mean() > 0.6 else "D can hardly tell real from fake")

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
#   to those of real normal images, and measure how far apart they are (the FID formula). Even two sets
#   of *real* images are not at distance 0, so it is shown beside the real-against-real distance.
#
# Below: a generator that was never trained, your run from Section 6, and a GAN trained with the same code
# and the same networks on the split's whole normal training part (45,360 images) and for more steps,
# shipped with the course (`ganad_lib.pretrained`). All three are measured on 2,000 samples against
# normal test images the GANs never saw (the judge itself was trained on the official training split,
# which overlaps them; that barely moves its confidence). The long-trained model's epoch was chosen by
# the same Fréchet measure on *validation* images, which flatters it slightly here. Two sets of real
# images differ by a few units of Fréchet distance from one draw to the next (the floor printed below is
# one such draw), so read differences of that size as noise. These measures follow the Inception Score
# (Salimans et al., 2016) and FID (Heusel et al., 2017), with the judge in place of the Inception network.

# %%
from ganad_lib import judge as J
from ganad_lib import pretrained

judge = J.Judge.load("fashion_mnist")
m = judge.manifest
print(f"judge: {m['test_accuracy']:.1%} accuracy on the {m['test_images']:,} official test images "
      f"(trained on {m['train_images']:,} labelled training images)")

N_JUDGE = 500 if P.name == "smoke" else 2000
NORMAL = [c for c in range(10) if c != ANOMALY]
whole = protocols.make_split("one_class_anomalous", fmnist, ANOMALY, seed=SEED)  # no profile cap: test images only
held_out = np.random.default_rng(SEED).permutation(whole.test[~whole.test_is_anomaly])
real_a, real_b = fmnist.tensor(held_out[:N_JUDGE]), fmnist.tensor(held_out[N_JUDGE:2 * N_JUDGE])

gan_long = pretrained.load("gan", device=DEVICE)
lm = gan_long.manifest
print(f"long-trained GAN: epoch {lm['epoch_chosen']} of {lm['epochs_trained']} "
      f"({lm['steps_to_chosen_epoch']:,} generator steps on {lm['split']['train']:,} images), "
      f"chosen by the {lm['stopping_rule']}")
print(f"your run: {len(history.epochs)} epochs, {len(history.steps):,} generator steps on {len(x_train):,} images")

generators = {"untrained": GAN.dcgan(P.image_size, 1, P.nz, P.width, seed=SEED + 1, device=DEVICE),
              "your run": gan, "long-trained": gan_long}
samples = {k: g.sample(N_JUDGE, generator=torch.Generator().manual_seed(7)) for k, g in generators.items()}
reports = {k: J.generator_report(judge, s, real_a, real_b, NORMAL) for k, s in samples.items()}
real_hist = J.class_histogram(judge.predict_proba(real_a), 10)

print(f"\n{'':14s} {'confident':>10s} {'classes covered':>16s} {'smallest class':>15s} {'Fréchet':>9s}")
print(f"{'real images':14s} {reports['long-trained']['confident_real']:10.0%} {'9 of 9':>16s} "
      f"{min(real_hist[c] for c in NORMAL):15.1%} {reports['long-trained']['frechet_real']:9.1f}")
for k, r in reports.items():
    print(f"{k:14s} {r['confident']:10.0%} {str(r['classes_covered']) + ' of 9':>16s} "
          f"{r['min_normal_share']:15.1%} {r['frechet']:9.1f}")

# %%
fig = plt.figure(figsize=(13, 4.6))
grid = fig.add_gridspec(1, 2, width_ratios=[1.15, 1])
ax = fig.add_subplot(grid[0])
plotting.show_image_rows({"your run": samples["your run"][:10], "long-trained": samples["long-trained"][:10],
                          "real": real_a[:10]}, ax=ax)
ax.set_title("ten samples each (the same codes for both generators)", fontsize=11)
ax.tick_params(labelsize=11)
ax = fig.add_subplot(grid[1])
width = 0.27
for j, (name, hist) in enumerate([("real images", real_hist), ("your run", np.array(reports["your run"]["histogram"])),
                                  ("long-trained", np.array(reports["long-trained"]["histogram"]))]):
    ax.bar(np.arange(10) + (j - 1) * width, hist, width, label=name)
ax.axhline(J.MIN_CLASS_SHARE, color="0.3", lw=0.8, ls=":", label="3 % (covered)")
ax.set_xticks(range(10), [c.split("/")[0] for c in fmnist.classes], rotation=40, ha="right", fontsize=10)
ax.set_ylabel("share of images")
ax.set_title("what the judge calls them", fontsize=11)
ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
plt.tight_layout()
plt.show()

# %% [markdown]
# Read the table first. The confident share alone can fool you: look at the untrained generator's
# row. Its samples are all the same grey blob, and the judge files that blob confidently as *Bag* — a
# class no normal image has — so "confident" is 100 % while "classes covered" is 0: a classifier is
# confidently wrong on featureless images it never saw, and confidence is not sharpness. (The same goes
# for your run's small *Bag* bar below: most likely blobs, not bag-like samples.) Only the three numbers
# together describe a generator: sharp (confident), varied (classes covered) and distributed like real
# images (a small Fréchet distance).
#
# Read the bars class by class: the real images' bars are the target; a generator's bar far below them
# means that class is rarely drawn (at worst a collapsed mode); a bar at *Bag*, a class $G$ never saw,
# means samples the judge could not place (blobs, as above). The numbers below are this run's.

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
      "does not reach the bar (85 % of real confidence, 9 classes)", "| your run is",
      "as good" if live["frechet"] <= long_["frechet"] else
      f"{live['frechet'] / long_['frechet']:.1f} times farther from real images (Fréchet distance)")

# %% [markdown]
# How to read the verdict: we call a generator "working" when its samples are confident nearly as often
# as real images (at least 85 % of their share) and every normal class gets at least 3 % of them. The
# long-trained generator covers all nine classes and is many times closer to real images than your run,
# but its confident share stays below that bar — rough garments the judge is unsure about. It is the best
# generator the course has, not a perfect one. The rest of this notebook explores its latent space, and
# notebook 03 builds AnoGAN on the same model.
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
# Measured on real networks: a fresh DCGAN, with $G$ frozen while $D$ trains on real clothes against
# $G$'s fakes — what happens at the start of every GAN training when $D$ learns faster than $G$. At every
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

plotting.plot_gradient_norms(records)
plt.title("G's gradient while D learns to reject its fakes", fontsize=10)
plt.show()
grad_ratio = records["non_saturating"][-1] / records["saturating"][-1]
print(f"after {d_steps} D steps: D(G(z)) = {records['D(G(z))'][-1]:.3f}; ||grad|| saturating {records['saturating'][-1]:.3g}, "
      f"non-saturating {records['non_saturating'][-1]:.3g} ({grad_ratio:.0f} times larger)")

# %% [markdown]
# As $D(G(z))$ falls, the saturating gradient shrinks with it, while the non-saturating gradient grows.
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
G_walk, NZ = gan_long.G, gan_long.nz   # the generator the judge says works
z0, z1 = sample_z(2, NZ, generator=torch.Generator().manual_seed(3))
directions = widgets.latent_directions(NZ, 3, seed=SEED)
steps = np.linspace(-3, 3, 9)
rows = {f"z0 + c d{i + 1}": torch.stack([widgets.latent_image(G_walk, z0, directions, np.eye(3)[i] * c)["image"] for c in steps])
        for i in range(3)}
rows["z0 -> z1"] = torch.stack([widgets.latent_image(G_walk, (1 - t) * z0 + t * z1, directions, [0, 0, 0])["image"]
                                for t in np.linspace(0, 1, len(steps))])
ax = plotting.show_image_rows(rows)
ax.set_title("walks in the latent space (c from -3 to 3; t from 0 to 1)", fontsize=10)
plt.show()

# %% [markdown]
# One direction out of $n_z$ moves the image only a little — $z_0$ itself has length about
# $\sqrt{n_z}$, 10 for $n_z = 100$ — while the walk to a different code changes the garment. Now move the sliders yourself
# (in a live notebook; a static copy shows the start only).

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
# **Exercise 2 — the Fréchet distance, by hand.** Section 7 judged generators by the Fréchet distance
# between Gaussians fitted to the judge's features of two image sets:
# $d^2 = \lVert \mu_a - \mu_b \rVert^2 + \operatorname{Tr}\big(\Sigma_a + \Sigma_b - 2 (\Sigma_a \Sigma_b)^{1/2}\big)$.
# Write it for two feature arrays (`feats_a` is $N_a \times d$, `feats_b` is $N_b \times d$, numpy).
# Watch the two places where it is easy to slip: which axis the covariance runs over, and what kind of
# square root $(\Sigma_a \Sigma_b)^{1/2}$ is. Then answer for yourself: why is the distance between two
# sets of *real* images not 0, and why does Section 7 always compare sets of the same size?

# %%
def my_frechet(feats_a, feats_b):
    raise NotImplementedError


exercises.check_frechet_distance(my_frechet)


# %% [markdown]
# **Exercise 3 (open).** Is the saturating loss a problem on the toy ring too? Train
# `toy_run(seed, loss="saturating")` for each seed of the profile, count the modes it covers with
# `metrics.mode_coverage`, and compare with Section 5. Then look at `D(G(z))` early in its history: is
# $D$ ever confident enough for the gradient to vanish?
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
# * On 2-D data, $D$'s surface and $G$'s samples show the game; a slow discriminator lets $G$ collapse
#   onto one mode, measured by mode coverage.
# * A DCGAN trained for minutes on a CPU draws rough garments. Measured by a classifier and a Fréchet
#   distance beside the real-against-real floor, it covers only some of the normal classes and lies far
#   from real images; the same code trained on the whole split for longer covers all nine. Measure a
#   generator; do not judge it by a grid of samples.
# * What a GAN cannot do is map an image back to a code — the next notebook adds an **encoder** (BiGAN).
#
# ## References
#
# 1. Di Mattia, Galeone, De Simoni, Ghelfi. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.
# 2. Akçay, Atapour-Abarghouei, Breckon. *GANomaly: Semi-Supervised Anomaly Detection via Adversarial
#    Training.* arXiv:1805.06725, 2018.
# 3. Zenati, Foo, Lecouat, Manek, Chandrasekhar. *Efficient GAN-Based Anomaly Detection.*
#    arXiv:1802.06222, 2018.
# 4. Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs. *Unsupervised Anomaly Detection with Generative
#    Adversarial Networks to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 5. Goodfellow, Pouget-Abadie, Mirza, Xu, Warde-Farley, Ozair, Courville, Bengio. *Generative Adversarial
#    Nets.* NIPS 2014, pp. 2672–2680.
#
# Also used here: Salimans et al. *Improved Techniques for Training GANs* (the Inception Score), NeurIPS
# 2016, arXiv:1606.03498; Heusel et al. *GANs Trained by a Two Time-Scale Update Rule Converge to a Local
# Nash Equilibrium* (FID), NeurIPS 2017, arXiv:1706.08500; Radford, Metz, Chintala. *Unsupervised
# Representation Learning with Deep Convolutional GANs* (DCGAN), arXiv:1511.06434; Metz, Poole, Pfau, Sohl-Dickstein. *Unrolled Generative Adversarial
# Networks*, arXiv:1611.02163, and Srivastava et al. *VEEGAN*, arXiv:1705.07761 (the mode-coverage measure).

# %%
# Results: what this notebook must show. Thresholds: measured with seeds 0-4 (smoke) and 0-2 (cpu) of
# this notebook, then widened. smoke: ring distance after/before 0.46-0.69, D's accuracy 0.50-0.85,
# gradient ratio 1.50-2.25. cpu: ring distance 0.041-0.045, modes covered [7, 8, 8] balanced and
# [1, 0, 0] with a slow D (all three runs), D's accuracy 0.93-0.95, gradient ratio 216-427.
# "full" cannot run on this machine: it uses the cpu thresholds, with more room for a stronger D.
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
# 2. balanced training covers most modes; a slow discriminator collapses onto (at most) a couple
if th["covered_min"] is not None:
    balanced, collapsed = coverage["balanced: lr_D = lr"], coverage["D too slow: lr_D = lr / 10"]
    assert np.mean(balanced) >= th["covered_min"], balanced
    assert max(collapsed) <= th["collapsed_max"], collapsed
# 3. the DCGAN's discriminator stays in the game: right more often than chance, but not always
lo, hi = th["acc"]
assert lo < final["acc_D"] < hi, final
if th["d_real_above_fake"]:
    assert final["D(x)"] > final["D(G(z))"], final
# 4. the saturating loss starves G once D rejects its fakes
assert grad_ratio > th["grad_ratio"], grad_ratio
assert records["saturating"][-1] < records["saturating"][0] and records["D(G(z))"][-1] < records["D(G(z))"][0]
# 5. the judge: the long-trained generator covers every normal class (each >= 3 % of the samples) and is
#    sharper and closer to real images than the learner's short run. Measured (seed 0, 2,000 samples):
#    confident share 0.72 times the real images' share, smallest class 8.4 %, Fréchet distance 60 against
#    2.5 between two real sets; the bar is 0.85 times (not reached yet, see the verdict above).
assert long_["classes_covered"] == 9 and long_["min_normal_share"] >= 0.03, long_
assert ratio > 0.6, ratio
if P.name != "smoke":
    assert long_["frechet"] < live["frechet"] and long_["confident"] > live["confident"], (long_, live)
print("all results checks passed")
