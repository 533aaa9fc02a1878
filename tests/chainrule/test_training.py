"""Real training runs: XOR by a small MLP, the handwritten digits to high accuracy; and the
training loop behind `chainrule train`."""

import warnings

import numpy as np
import pytest

import nn
import optim
from autograd import no_grad
from chainrule.training import DataError, Diverged, load_dataset, mean_loss, train
from nn import datasets


def train_xor(seed: int, steps: int = 1500) -> float:
    X, y = datasets.xor_points()
    model = nn.MLP([2, 4, 2], activation="sigmoid", rng=np.random.default_rng(seed))
    opt = optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    loss_fn = nn.SoftmaxCrossEntropy()
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()
    with no_grad():
        return nn.accuracy(model(X), y)


@pytest.mark.slow
def test_xor_learned_by_mlp_2_4_2_from_most_seeds():
    accuracies = [train_xor(seed) for seed in range(5)]
    assert sum(a == 1.0 for a in accuracies) >= 4, accuracies


def test_logistic_regression_cannot_learn_xor():
    X, y = datasets.xor_points()
    model = nn.MLP([2, 2], rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    for _ in range(500):
        opt.zero_grad()
        nn.SoftmaxCrossEntropy()(model(X), y).backward()
        opt.step()
    with no_grad():
        assert nn.accuracy(model(X), y) <= 0.75  # a line separates at most 3 of the 4 points


def test_digits_mlp_reaches_high_test_accuracy():
    X_train, y_train = datasets.load_digits("train")
    X_test, y_test = datasets.load_digits("test")
    model = nn.MLP([64, 64, 10], activation="sigmoid", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    loss_fn = nn.SoftmaxCrossEntropy()
    loader = nn.DataLoader((X_train, y_train), batch_size=32, shuffle=True, seed=0)
    for _ in range(20):
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    model.eval()
    with no_grad():
        assert nn.accuracy(model(X_test), y_test) >= 0.96
        assert nn.accuracy(model(X_train), y_train) >= 0.99


def test_the_command_s_training_loop_stops_at_a_nan_loss_before_its_step():
    # chainrule.training.train (behind `chainrule train`): the batch whose loss is NaN
    # takes no step, so the weights stay finite, and numpy's warnings stay inside.
    data = load_dataset("xor", n=100)
    model = nn.MLP([2, 8, 8, 2], activation="relu", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=1e8, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(Diverged, match=r"^loss became nan in epoch 1$"):
            train(model, data, opt, None, epochs=2, batch_size=32, seed=0)
    assert all(np.isfinite(p.data).all() for p in model.parameters())


def test_the_command_s_training_loop_records_where_the_loss_started_and_ended():
    data = load_dataset("digits")
    model = nn.MLP([64, 16, 10], rng=np.random.default_rng(0))
    start = mean_loss(model, data.X_train, data.y_train)
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    history, _ = train(model, data, opt, None, epochs=2, batch_size=32, seed=0)
    assert history.start_loss == start
    assert history.end_loss == mean_loss(model, data.X_train, data.y_train) < start


def _tiny_history(schedule=None):
    data = load_dataset("xor", n=80)
    model = nn.MLP([2, 6, 2], activation="tanh", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    sched = None if schedule is None else schedule(opt)
    return train(model, data, opt, sched, epochs=3, batch_size=8, seed=0)[0]


def test_each_epoch_s_figures_are_the_model_s_on_the_whole_sets_at_that_moment():
    # not a running figure over the epoch's mini-batches while the weights changed
    data = load_dataset("xor", n=80)
    model = nn.MLP([2, 6, 2], activation="tanh", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    seen = []

    def check(epoch, history):  # called after each epoch, with the model as it is then
        assert len(history.train_accuracy) == len(history.test_loss) == epoch
        with no_grad():
            train_scores, test_scores = model(data.X_train), model(data.X_test)
            seen.append((nn.accuracy(train_scores, data.y_train),
                         nn.SoftmaxCrossEntropy()(train_scores, data.y_train).item(),
                         nn.accuracy(test_scores, data.y_test),
                         nn.SoftmaxCrossEntropy()(test_scores, data.y_test).item()))

    history, _ = train(model, data, opt, None, epochs=3, batch_size=8, seed=0, on_epoch=check)
    assert len(seen) == 3
    assert history.train_accuracy == [s[0] for s in seen]
    assert history.train_loss == pytest.approx([s[1] for s in seen], rel=1e-6)
    assert history.test_accuracy == [s[2] for s in seen]
    assert history.test_loss == pytest.approx([s[3] for s in seen], rel=1e-6)
    assert history.end_loss == history.train_loss[-1]


@pytest.mark.slow
def test_the_curves_show_the_learning_rate_only_when_a_schedule_changes_it():
    from chainrule.plots import curves_figure, plt

    history = _tiny_history()
    fig = curves_figure(history, "constant")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss (softmax cross-entropy)", "accuracy"]
    assert "constant learning rate η = 0.3" in fig.get_suptitle()
    loss_ax, accuracy_ax = fig.axes
    assert [line.get_label() for line in loss_ax.get_lines()] == ["train", "test"]
    assert list(loss_ax.get_lines()[0].get_ydata()) == history.train_loss
    assert list(loss_ax.get_lines()[1].get_ydata()) == history.test_loss
    assert list(accuracy_ax.get_lines()[0].get_ydata()) == history.train_accuracy
    assert list(accuracy_ax.get_lines()[1].get_ydata()) == history.test_accuracy

    history = _tiny_history(lambda opt: optim.StepDecay(opt, step_size=1, gamma=0.5))
    assert history.lr == pytest.approx([0.3, 0.15, 0.075])
    fig = curves_figure(history, "step decay")
    assert len(fig.axes) == 3 and fig.axes[2].get_title() == "learning rate η (schedule)"
    assert list(fig.axes[2].get_lines()[0].get_ydata()) == history.lr
    assert "constant" not in fig.get_suptitle()

    # a schedule that never acts within the run leaves the rate constant: no panel either
    history = _tiny_history(lambda opt: optim.StepDecay(opt, step_size=10, gamma=0.5))
    fig = curves_figure(history, "step 10")
    assert len(fig.axes) == 2 and "constant learning rate η = 0.3" in fig.get_suptitle()
    plt.close("all")


def test_the_image_sets_come_flat_for_an_mlp_and_as_images_for_a_convnet():
    for name, side, n_train, n_test in [("digits", 8, 1347, 450),
                                        ("mnist-sample", 28, 4000, 1000)]:
        flat, images = load_dataset(name), load_dataset(name, images=True)
        assert flat.X_train.shape == (n_train, side * side)
        assert images.X_train.shape == (n_train, 1, side, side)
        assert images.X_test.shape == (n_test, 1, side, side)
        assert flat.image_shape == images.image_shape == (side, side)
        assert images.sample_shape == (1, side, side) and flat.sample_shape == (side * side,)
        assert flat.n_features == images.n_features == side * side
        np.testing.assert_array_equal(flat.X_test, images.X_test.reshape(n_test, -1))
        np.testing.assert_array_equal(flat.y_test, images.y_test)
    with pytest.raises(DataError, match=r"^--model cnn needs images; --data xor is a set of "
                                        r"2-D points$"):
        load_dataset("xor", images=True, needs="--model cnn")


def test_a_convnet_is_measured_in_chunks_with_the_figures_of_one_pass(monkeypatch):
    from chainrule import training
    from chainrule.models import build_model

    data = load_dataset("digits", images=True)
    model = build_model("cnn", data.sample_shape, data.n_classes)
    with no_grad():
        whole = model(data.X_test).data
    monkeypatch.setattr(training, "IMAGE_CHUNK", 64)  # 450 test images: 8 chunks
    np.testing.assert_allclose(training.predict(model, data.X_test), whole, rtol=1e-5,
                               atol=1e-6)
    loss, accuracy = training.measure(model, data.X_test, data.y_test)
    assert accuracy == nn.accuracy(whole, data.y_test)
    assert model.training  # left in the mode it was in
