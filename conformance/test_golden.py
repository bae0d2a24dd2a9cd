"""The worked examples from the project's source notes, run with ``import reference as torch``.

Expected values are the ones printed in the notes (checked by hand against torch's documentation).
"""

from __future__ import annotations

import pytest

import reference as torch


def test_gather_2x2_example():
    t = torch.tensor([[1, 2], [3, 4]])
    out = torch.gather(t, 1, torch.tensor([[0, 0], [1, 0]]))
    assert out.tolist() == [[1, 1], [4, 3]]
    assert out.dtype == torch.int64


def test_gather_float_examples():
    b = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    assert b.dtype == torch.float32
    index_1 = torch.LongTensor([[0, 1], [2, 0]])
    index_2 = torch.LongTensor([[0, 1, 1], [0, 0, 0]])
    assert torch.gather(b, dim=1, index=index_1).tolist() == [[1.0, 2.0], [6.0, 4.0]]
    assert torch.gather(b, dim=0, index=index_2).tolist() == [[1.0, 5.0, 6.0], [1.0, 2.0, 3.0]]
    assert repr(torch.gather(b, dim=1, index=index_1)) == "tensor([[1., 2.],\n        [6., 4.]])"


def test_sum_with_keepdim():
    X = torch.tensor([[1, 2, 3], [4, 5, 6]])
    assert repr(X.sum(dim=0, keepdim=True)) == "tensor([[5, 7, 9]])"
    assert repr(X.sum(dim=1, keepdim=True)) == "tensor([[ 6],\n        [15]])"
    assert repr(X.sum(dim=0, keepdim=False)) == "tensor([5, 7, 9])"
    assert repr(X.sum(dim=1, keepdim=False)) == "tensor([ 6, 15])"


def test_view_with_inferred_dim():
    x = torch.randn(4, 4)
    assert x.size() == torch.Size([4, 4])
    assert x.view(16).size() == torch.Size([16])
    z = x.view(-1, 8)
    assert z.size() == torch.Size([2, 8])
    assert repr(z.size()) == "torch.Size([2, 8])"
    z[0, 0] = 100.0  # a view: the write is seen through x
    assert x[0, 0].item() == 100.0


def test_squeeze_unsqueeze_notes():
    A = torch.zeros(1, 1, 3)
    assert torch.squeeze(A, 1).shape == (1, 3)
    assert torch.zeros(2, 1, 3).squeeze().shape == (2, 3)
    assert torch.squeeze(torch.zeros(2, 3), 1).shape == (2, 3)  # a dim larger than 1: no effect
    A = torch.zeros(2, 3)
    assert torch.unsqueeze(A, 1).shape == (2, 1, 3)
    assert [torch.unsqueeze(A, d).shape for d in (0, 1, 2)] == [(1, 2, 3), (2, 1, 3), (2, 3, 1)]
    assert [torch.unsqueeze(A, d).shape for d in (-3, -2, -1)] == [(1, 2, 3), (2, 1, 3), (2, 3, 1)]


def test_fully_connected_layer_shapes():
    """Input 7x8, output 7x1: weight w is 8x1 and bias b is 1x1, broadcast over the batch."""
    X = torch.randn(7, 8)
    w = torch.randn(8, 1)
    b = torch.randn(1, 1)
    Y = X @ w + b
    assert Y.shape == (7, 1)
    with pytest.raises(RuntimeError):
        X @ torch.randn(7, 1)  # the 7x1 answer in the notes' wrong option does not multiply


def test_nn_flatten_note():
    flatten = torch.nn.Flatten()
    assert repr(flatten) == "Flatten(start_dim=1, end_dim=-1)"
    assert flatten(torch.randn(32, 1, 5, 5)).shape == (32, 25)
    assert torch.nn.Flatten(0, 2)(torch.randn(32, 1, 5, 5)).shape == (160, 5)


def test_detach_shares_memory_note():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    assert c.requires_grad is False and out.requires_grad is True
    c.zero_()  # changes out too: same memory
    assert out.tolist() == [0.0, 0.0, 0.0]


def test_permute_note():
    a = torch.tensor([[1, 2], [3, 4]])
    assert a.permute(1, 0).tolist() == [[1, 3], [2, 4]]


def test_full_note():
    assert torch.full((2, 3), 3.14).tolist() == [[pytest.approx(3.14)] * 3] * 2
    assert torch.full((2, 3), 3.14).dtype == torch.float32


def test_clamp_note():
    a = torch.tensor([1, 5, 12])
    assert a.clamp(2, 10).tolist() == [2, 5, 10]


def test_requires_grad_propagation_note():
    x = torch.randn(5, 5)
    y = torch.randn(5, 5)
    z = torch.randn(5, 5, requires_grad=True)
    a = x + y
    assert a.requires_grad is False
    b = a + z
    assert b.requires_grad is True


def test_autograd_mean_example_forward():
    x1 = torch.ones(2, 2, requires_grad=True)
    y1 = x1 + 1
    z1 = y1 * y1 * 2
    out1 = z1.mean()
    assert repr(z1) == "tensor([[8., 8.],\n        [8., 8.]], grad_fn=<MulBackward0>)"
    assert repr(out1) == "tensor(8., grad_fn=<MeanBackward0>)"
