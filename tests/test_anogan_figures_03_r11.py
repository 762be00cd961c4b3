"""Notebook 03, round 11: the figure helpers moved out of its cells, the judge's thumbnail count, and the
rewritten false-alarm reading."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import torch  # noqa: E402

from ganad_lib import judge as J  # noqa: E402
from ganad_lib import narration, plotting  # noqa: E402


def _frame(t, score=3.0):
    return {"x": torch.zeros(1, 8, 8), "x_gen": torch.zeros(1, 8, 8), "residual": torch.ones(1, 8, 8), "t": t,
            "loss": np.arange(5.0), "loss_R": np.arange(5.0), "loss_D": np.arange(5.0), "score_t": score}


def test_search_strip_one_row_per_image_titled_by_step_and_score():
    import matplotlib.pyplot as plt
    frames = {"normal image": [_frame(0), _frame(4, 12.5)], "bag": [_frame(0), _frame(4, 40.0)]}
    fig, axes = plotting.search_strip(frames, 0.1)
    assert axes.shape == (2, 2 + 2 + 3)
    assert axes[0, 0].get_title() == "x (normal)" and axes[1, 0].get_title() == "x (bag)"
    assert axes[0, 2].get_title() == "$G(z_{4})$"
    assert axes[0, -1].get_title() == "A(x) = 12.5" and axes[1, -1].get_title() == "A(x) = 40.0"
    lam_line = axes[0, -1].get_lines()[2].get_ydata()           # λ L_D, weighted
    assert np.allclose(lam_line, 0.1 * np.arange(5.0))
    plt.close(fig)


def test_flaw_panels_boxes_the_flaw_and_labels_the_images():
    import matplotlib.pyplot as plt
    img = torch.zeros(1, 8, 8)
    clean = ("clean", img, img, img, 10.0, None)
    spot = ("spot", img, img, img, 20.0, (2, 3))
    fig, axes = plotting.flaw_panels([[clean, spot], [clean, spot]], 3)
    assert axes.shape == (2, 7)
    assert [a.get_title() for a in axes[0, :3]] == ["x (clean)", r"$G(z_\Gamma)$", r"$|x - G(z_\Gamma)|$"]
    assert axes[0, 3].get_title() == "x (spot)"
    assert len(axes[0, 0].patches) == 0 and len(axes[0, 3].patches) == 1 and len(axes[0, 4].patches) == 0
    assert len(axes[0, 5].patches) == 1                          # the residual is boxed too
    labels = [t.get_text() for row in range(2) for t in axes[row, 0].texts]
    assert "image 1" in labels and "image 2" in labels and "A(x) = 10" in labels
    plt.close(fig)


class _FakeJudge:
    classes = ["A", "B", "C"]

    def predict_proba(self, images):
        return np.array([[0.9, 0.05, 0.05], [0.5, 0.3, 0.2], [0.1, 0.85, 0.05]])


def test_thumbnail_names_counts_sure_and_names():
    sure, names = J.thumbnail_names(_FakeJudge(), None)
    assert sure == 2                                             # 0.9 and 0.85 reach 0.8; 0.5 does not
    assert names == {"A": 2, "B": 1}
    assert J.thumbnail_names(_FakeJudge(), None, threshold=0.88)[0] == 1


def test_residual_reading_puts_the_restart_in_its_own_bullet():
    text = narration.residual_reading({"normal": 0.1, "bag": 0.2}, 385.0, [(5, "Pullover", "Sneaker", 452.0, 225.0)],
                                      8, 6, [183, 315], np.arange(400.0), 0.06, 0.9)
    assert "here column 5, a Pullover scoring 452, redrawn as a Sneaker (the judge's name for" in text
    assert "\n* **Column 5 from 8 other starts:** best score 225, below the threshold" in text
    assert "Still, 225 is above 56% of the normal test images, and a best of 8 flatters it." in text
    assert "though still above" not in text
