"""PyTorch's spellings: nn.CrossEntropyLoss, nn.BCEWithLogitsLoss, optim.lr_scheduler's StepLR,
ExponentialLR and LambdaLR, and nn.Dropout(1.0).

The PyTorch numbers below were computed once with torch 2.13.0 (CPU, float64) and are
written out here: these tests do not need torch.
"""

import math

import numpy as np
import pytest

import nn
import optim
from autograd import Tensor
from nn import functional as F
from optim.lr_scheduler import ExponentialLR, LambdaLR, StepLR

# ---------------------------------------------------------------------- losses
LOGITS = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-2.0, 1.5, 0.0], [1.0, 1.0, 1.0]])
LABELS = np.array([0, 2, 1, 1])
PROBS = np.array([[0.7, 0.2, 0.1], [0.0, 0.0, 1.0], [0.25, 0.5, 0.25], [1 / 3, 1 / 3, 1 / 3]])

# torch.nn.CrossEntropyLoss(reduction=r)(LOGITS, LABELS) and (LOGITS, PROBS)
TORCH_CE = {
    "mean": (0.41883177476958294, 0.9188317747695829),
    "sum": (1.6753270990783318, 3.6753270990783315),
    "none": ([0.24131129665715703, 0.10960146452146542, 0.2258020492315995,
              1.0986122886681098],
             [0.9913112966571571, 0.10960146452146542, 1.4758020492315995,
              1.0986122886681096]),
}
# ∂/∂LOGITS of torch.nn.CrossEntropyLoss()(LOGITS, LABELS)
TORCH_CE_GRAD = [
    [-0.05360074135268103, 0.009778143317671862, 0.04382259803500917],
    [0.012327831789569123, 0.013624361176760262, -0.02595219296632939],
    [0.0060234420717120984, -0.050530993448251876, 0.04450755137653976],
    [0.08333333333333333, -0.16666666666666669, 0.08333333333333333],
]

BCE_LOGITS = np.array([[3.0, -2.0], [0.5, -0.25], [-40.0, 40.0]])
BCE_TARGETS = np.array([[1.0, 0.0], [0.3, 1.0], [1.0, 0.0]])
# torch.nn.BCEWithLogitsLoss(reduction=r)(BCE_LOGITS, BCE_TARGETS)
TORCH_BCE = {
    "mean": 13.63758862777928,
    "sum": 81.82553176667568,
    "none": [[0.04858735157374206, 0.1269280110429727],
             [0.8240769841801067, 0.8259394198788436], [40.0, 40.0]],
}
TORCH_BCE_GRAD = [[-0.007904312196261106, 0.019867153670352924],
                  [0.05374322186697577, -0.09369608348096635],
                  [-0.16666666666666666, 0.16666666666666666]]


def log_softmax(s):
    shifted = s - s.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_loss_is_softmax_cross_entropy_and_torchs_numbers(reduction):
    ours = nn.CrossEntropyLoss(reduction=reduction)
    course = nn.SoftmaxCrossEntropy(reduction)
    for target, expected in zip((LABELS, PROBS), TORCH_CE[reduction]):
        value = ours(Tensor(LOGITS), target).data
        np.testing.assert_array_equal(value, course(Tensor(LOGITS), target).data)
        np.testing.assert_allclose(value, expected, rtol=1e-14)
    # the formula: −log ŷ_{c*} per sample, −Σ_c y*_c log ŷ_c for probabilities
    by_formula = -log_softmax(LOGITS)[np.arange(4), LABELS]
    reduce = {"mean": np.mean, "sum": np.sum, "none": lambda a: a}[reduction]
    np.testing.assert_allclose(ours(Tensor(LOGITS), LABELS).data, reduce(by_formula),
                               rtol=1e-14)
    np.testing.assert_allclose(ours(Tensor(LOGITS), PROBS).data,
                               reduce(-(PROBS * log_softmax(LOGITS)).sum(axis=1)), rtol=1e-14)


def test_cross_entropy_loss_gradient_is_torchs_and_the_course_formula():
    logits = Tensor(LOGITS, requires_grad=True)
    nn.CrossEntropyLoss()(logits, LABELS).backward()
    np.testing.assert_allclose(logits.grad.data, TORCH_CE_GRAD, rtol=1e-12, atol=1e-15)
    softmax = np.exp(log_softmax(LOGITS))
    np.testing.assert_allclose(logits.grad.data, (softmax - np.eye(3)[LABELS]) / 4, rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_loss_is_binary_cross_entropy_and_torchs_numbers(reduction):
    ours = nn.BCEWithLogitsLoss(reduction=reduction)(Tensor(BCE_LOGITS), BCE_TARGETS).data
    course = nn.BinaryCrossEntropy(reduction)(Tensor(BCE_LOGITS), BCE_TARGETS).data
    np.testing.assert_array_equal(ours, course)
    np.testing.assert_allclose(ours, TORCH_BCE[reduction], rtol=1e-14)


def test_bce_with_logits_loss_formula_and_gradient():
    s, y = BCE_LOGITS[:2], BCE_TARGETS[:2]  # (σ(±40) is 1 or 0 to float64: no log of it)
    sigma = 1 / (1 + np.exp(-s))
    by_formula = -(y * np.log(sigma) + (1 - y) * np.log(1 - sigma)).mean()
    assert nn.BCEWithLogitsLoss()(Tensor(s), y).item() == pytest.approx(by_formula, rel=1e-13)
    logits = Tensor(BCE_LOGITS, requires_grad=True)
    nn.BCEWithLogitsLoss()(logits, BCE_TARGETS).backward()
    np.testing.assert_allclose(logits.grad.data, TORCH_BCE_GRAD, rtol=1e-12)
    sigma = 1 / (1 + np.exp(-BCE_LOGITS))
    np.testing.assert_allclose(logits.grad.data, (sigma - BCE_TARGETS) / 6, rtol=1e-12)


def test_pytorch_loss_names_reprs_and_exports():
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss(reduction='mean')"
    assert repr(nn.BCEWithLogitsLoss(reduction="sum")) == "BCEWithLogitsLoss(reduction='sum')"
    assert isinstance(nn.CrossEntropyLoss(), nn.SoftmaxCrossEntropy)
    assert isinstance(nn.BCEWithLogitsLoss(), nn.BinaryCrossEntropy)
    assert {"CrossEntropyLoss", "BCEWithLogitsLoss"} <= set(nn.__all__)
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.CrossEntropyLoss(reduction="average")


@pytest.mark.parametrize("make, keyword", [
    (nn.CrossEntropyLoss, {"weight": np.ones(3)}),
    (nn.CrossEntropyLoss, {"label_smoothing": 0.1}),
    (nn.CrossEntropyLoss, {"ignore_index": 0}),
    (nn.CrossEntropyLoss, {"size_average": False}),
    (nn.BCEWithLogitsLoss, {"pos_weight": np.ones(2)}),
    (nn.BCEWithLogitsLoss, {"weight": np.ones(2)}),
    (nn.BCEWithLogitsLoss, {"reduce": False}),
])
def test_pytorch_loss_keywords_we_lack_raise_instead_of_being_ignored(make, keyword):
    (name,) = keyword
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{name}'"):
        make(**keyword)


def test_pytorch_loss_positional_weight_is_refused():
    # PyTorch's first parameter is `weight`: it must not be taken for a reduction
    with pytest.raises(TypeError, match="positional"):
        nn.CrossEntropyLoss(np.ones(3))
    with pytest.raises(TypeError, match="positional"):
        nn.BCEWithLogitsLoss("mean")


def test_cross_entropy_loss_refuses_the_label_torch_would_ignore():
    # torch ignores label −100 by default (it gives 0.5219 here, the mean of 3 samples);
    # chainrule has no ignore_index, so the label is an error, not a silently smaller batch
    with pytest.raises(ValueError, match="label -100 is out of range for 3 classes"):
        nn.CrossEntropyLoss()(Tensor(LOGITS), np.array([0, -100, 1, 1]))


# ---------------------------------------------------------------------- schedules
def sgd(lrs=(1.0,)):
    groups = [{"params": [Tensor(np.ones(2), requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=1.0)


def lrs_used(opt, sched, epochs):
    """The lrs each epoch trains with, in PyTorch's loop: `opt.step(); sched.step()`."""
    used, last = [], []
    for _ in range(epochs):
        used.append([group["lr"] for group in opt.param_groups])
        last.append(sched.get_last_lr())
        opt.step()
        sched.step()
    assert used == last  # get_last_lr() is what the groups train with
    return used


def test_step_lr_gives_torchs_lrs():
    opt = sgd()
    sched = StepLR(opt, step_size=2, gamma=0.5)
    assert sched.last_epoch == 0 and sched.get_last_lr() == [1.0]
    # torch: [1.0, 1.0, 0.5, 0.5, 0.25]; last_epoch 5 after five steps
    assert lrs_used(opt, sched, 5) == [[1.0], [1.0], [0.5], [0.5], [0.25]]
    assert sched.last_epoch == 5
    assert isinstance(sched, optim.StepDecay)
    assert repr(sched) == "StepLR(step_size=2, gamma=0.5, base_lrs=[1.0], last_epoch=5)"
    # the default gamma is PyTorch's 0.1, and it is StepDecay's formula
    default, course = StepLR(sgd(), 3), optim.StepDecay(sgd(), 3, 0.1)
    for _ in range(7):
        default.step()
        course.step()
        assert default.get_last_lr() == course.get_last_lr()
    assert default.get_last_lr() == pytest.approx([0.01], rel=1e-15)


def test_exponential_lr_gives_torchs_lrs_and_is_exponential_decay_with_minus_log_gamma():
    opt = sgd([0.1])
    sched = ExponentialLR(opt, gamma=0.9)
    torch_lrs = [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002,
                 0.06561000000000002]
    used = [lr for (lr,) in lrs_used(opt, sched, 5)]
    assert used == pytest.approx(torch_lrs, rel=1e-14)
    assert sched.get_last_lr() == pytest.approx([0.05904900000000002], rel=1e-14)
    # γ = e^(−λ): the course's ExponentialDecay with decay_rate λ = −ln γ gives the same lrs
    assert sched.decay_rate == pytest.approx(-math.log(0.9), rel=1e-15)
    course = optim.ExponentialDecay(sgd([0.1]), decay_rate=-math.log(0.9))
    for _ in range(5):
        course.step()
    assert course.get_last_lr() == pytest.approx(sched.get_last_lr(), rel=1e-13)
    # as in torch, γ > 1 grows the lr (torch: 1.0, 1.5, 2.25), and γ = 0 is λ = inf
    grow_opt = sgd()
    assert lrs_used(grow_opt, ExponentialLR(grow_opt, 1.5), 3) == [[1.0], [1.5], [2.25]]
    zero_opt = sgd()
    zero = ExponentialLR(zero_opt, 0.0)
    assert lrs_used(zero_opt, zero, 3) == [[1.0], [0.0], [0.0]] and zero.decay_rate == math.inf


def test_lambda_lr_gives_torchs_lrs_and_starts_at_lambda_of_zero():
    opt = sgd([0.5])
    sched = LambdaLR(opt, lambda epoch: 1 / (1 + epoch))
    # torch: 0.5, 0.25, 0.1666..., 0.125, 0.1
    np.testing.assert_allclose(lrs_used(opt, sched, 5),
                               [[0.5], [0.25], [0.16666666666666666], [0.125], [0.1]],
                               rtol=1e-15)
    # the lr at construction is η0·lr_lambda(0), not η0 (torch: 0.1, 1.0, 1.0)
    warm_opt = sgd()
    warm = LambdaLR(warm_opt, lambda epoch: 0.1 if epoch == 0 else 1.0)
    assert warm.get_last_lr() == [0.1] and warm_opt.param_groups[0]["lr"] == 0.1
    assert lrs_used(warm_opt, warm, 3) == [[0.1], [1.0], [1.0]]
    assert isinstance(sched, optim.LambdaDecay)
    assert sched.state_dict() == {"base_lrs": [0.5], "last_epoch": 5}  # no functions


def test_lambda_lr_one_function_per_group():
    opt = sgd([1.0, 0.1])
    first, second = (lambda e: 0.5 ** e), (lambda e: e + 1)
    sched = LambdaLR(opt, [first, second])
    # torch: [[1.0, 0.1], [0.5, 0.2], [0.25, 0.30000000000000004], [0.125, 0.4]]
    np.testing.assert_allclose(
        lrs_used(opt, sched, 4),
        [[1.0, 0.1], [0.5, 0.2], [0.25, 0.30000000000000004], [0.125, 0.4]], rtol=1e-15)
    assert sched.lr_lambdas == [first, second]
    assert sched.state_dict() == {"base_lrs": [1.0, 0.1], "last_epoch": 4}
    fresh = LambdaLR(sgd([1.0, 0.1]), (first, second))
    fresh.load_state_dict(sched.state_dict())
    assert fresh.get_last_lr() == sched.get_last_lr() == pytest.approx([0.0625, 0.5])
    one = LambdaLR(sgd([1.0, 0.1]), first)  # one function serves every group
    assert one.lr_lambdas == [first, first]
    # torch: ValueError "Expected 2 lr_lambdas, but got 1"
    with pytest.raises(ValueError, match="expected 2 functions, one per parameter group, got 1"):
        LambdaLR(sgd([1.0, 0.1]), [first])
    with pytest.raises(TypeError, match="fn must be callable, got float"):
        LambdaLR(sgd(), [0.5])
    # the course's LambdaDecay takes the same list
    course = optim.LambdaDecay(sgd([1.0, 0.1]), [first, second])
    for _ in range(4):
        course.step()
    assert course.get_last_lr() == sched.get_last_lr()


def test_lr_scheduler_is_importable_as_torch_spells_it():
    assert optim.lr_scheduler.StepLR is StepLR
    assert "lr_scheduler" in optim.__all__
    assert set(optim.lr_scheduler.__all__) == {"StepLR", "ExponentialLR", "LambdaLR"}


@pytest.mark.parametrize("make", [
    lambda opt, **kw: StepLR(opt, 2, **kw),
    lambda opt, **kw: ExponentialLR(opt, 0.9, **kw),
    lambda opt, **kw: LambdaLR(opt, lambda e: 1.0, **kw),
])
def test_last_epoch_only_as_a_fresh_start(make):
    opt = sgd()
    assert make(opt, last_epoch=-1).last_epoch == 0  # PyTorch's default, accepted
    with pytest.raises(ValueError, match=r"last_epoch must be -1 \(a fresh start\), got 3; "
                                         "to resume, make the schedule and call load_state"):
        make(opt, last_epoch=3)
    sched = make(opt)
    with pytest.raises(TypeError):
        sched.step(3)  # PyTorch's deprecated step(epoch)


def test_pytorch_schedules_check_their_numbers():
    with pytest.raises(ValueError, match="Invalid step_size: 0, expected an integer >= 1"):
        StepLR(sgd(), step_size=0)
    with pytest.raises(ValueError, match="Invalid step_size: 2.5"):
        StepLR(sgd(), step_size=2.5)
    with pytest.raises(ValueError, match="Invalid gamma: -0.5"):
        ExponentialLR(sgd(), gamma=-0.5)
    with pytest.raises(ValueError, match="Invalid gamma: nan"):
        ExponentialLR(sgd(), gamma=math.nan)
    with pytest.raises(TypeError, match="needs an Optimizer"):
        StepLR([Tensor(np.ones(2), requires_grad=True)], step_size=2)


def test_exponential_lr_state_dict_round_trip():
    opt = sgd([0.1, 0.03])
    sched = ExponentialLR(opt, gamma=0.5)
    for _ in range(3):
        sched.step()
    saved = sched.state_dict()
    assert saved == {"gamma": 0.5, "base_lrs": [0.1, 0.03], "last_epoch": 3}
    fresh_opt = sgd([0.1, 0.03])
    fresh = ExponentialLR(fresh_opt, gamma=0.5)
    fresh.load_state_dict(saved)
    assert [g["lr"] for g in fresh_opt.param_groups] == pytest.approx([0.0125, 0.00375])


# ---------------------------------------------------------------------- Dropout(1.0)
def test_dropout_of_one_gives_zeros_and_zero_gradient():
    x = Tensor(np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]]), requires_grad=True)
    drop = nn.Dropout(1.0)
    y = drop(x)
    np.testing.assert_array_equal(y.data, np.zeros((2, 3)))
    assert y.dtype == x.dtype and y.requires_grad
    (y * Tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((2, 3)))
    assert repr(drop) == "Dropout(p=1.0)"
    drop.eval()
    assert drop(x) is x  # eval mode: the identity, whatever p
    # the functional form, as torch.nn.functional.dropout(x, 1.0)
    np.testing.assert_array_equal(F.dropout(x, 1.0).data, np.zeros((2, 3)))
    assert F.dropout(x, 1.0, training=False) is x


def test_dropout_of_one_is_x_times_zero_as_in_torch():
    # torch gives [0., -0., nan, 0.] for [1, −2, inf, 3]: x·0, so an inf stays visible as nan
    x = Tensor(np.array([1.0, -2.0, np.inf, 3.0], dtype=np.float32))
    with np.errstate(invalid="ignore"):  # (numpy's warning for inf·0)
        y = nn.Dropout(1.0)(x).data
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, [0.0, -0.0, np.nan, 0.0])


@pytest.mark.parametrize("p", [-0.1, 1.1, math.nan, math.inf, True])
def test_dropout_probability_outside_zero_one_raises(p):
    with pytest.raises(ValueError, match=r"dropout probability must be in \[0, 1\], got"):
        nn.Dropout(p)
    with pytest.raises(ValueError, match=r"dropout probability must be in \[0, 1\]"):
        F.dropout(Tensor(np.ones(3)), p)


def test_dropout_below_one_still_scales_by_one_over_keep():
    drop = nn.Dropout(0.75, rng=np.random.default_rng(0))
    y = drop(Tensor(np.ones((100, 100)))).data
    assert set(np.unique(y)) == {0.0, 4.0}
    assert abs((y == 0).mean() - 0.75) < 0.02
    same = F.dropout(Tensor(np.ones((100, 100))), 0.75, rng=np.random.default_rng(0)).data
    np.testing.assert_array_equal(y, same)  # the module is the function, with the same draws
    x = Tensor(np.ones(4))
    assert nn.Dropout(0.0)(x) is x and nn.Dropout(0)(x) is x
