import pytest
import torch

from hrta.model.activation import homotopy_activation

Z = torch.tensor([-2.0, -0.5, 0.0, 0.5, 3.0], dtype=torch.float64)


def test_s_one_is_relu():
    assert torch.equal(homotopy_activation(Z, 1.0), torch.relu(Z))


def test_s_near_zero_is_linear():
    assert torch.allclose(homotopy_activation(Z, 1e-12), Z, atol=1e-11)


def test_s_one_and_a_half_known_values():
    # sigma_1.5(z) = -0.5 z + 1.5 ReLU(z)
    expected = -0.5 * Z + 1.5 * torch.relu(Z)
    assert torch.allclose(homotopy_activation(Z, 1.5), expected)
    assert homotopy_activation(torch.tensor(-2.0), 1.5).item() == pytest.approx(1.0)
    assert homotopy_activation(torch.tensor(3.0), 1.5).item() == pytest.approx(3.0)


@pytest.mark.parametrize("s", [0.25, 0.5, 1.0, 1.5, 1.9])
def test_slopes(s):
    z = torch.tensor([-1.0, 2.0], dtype=torch.float64, requires_grad=True)
    homotopy_activation(z, s).sum().backward()
    assert z.grad.tolist() == pytest.approx([1.0 - s, 1.0])


@pytest.mark.parametrize("s", [0.0, 2.0, -0.1, 2.5, float("nan")])
def test_rejects_s_outside_open_interval(s):
    with pytest.raises(ValueError, match=r"\(0, 2\)"):
        homotopy_activation(Z, s)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_per_member_s_has_the_bits_and_gradients_of_the_where_formula(dtype):
    # A population's s is a (K, 1, 1) tensor; its path must be torch.where(z > 0, z, z (1 - s))
    # bit for bit, in value and in the first and second derivative (zero included).
    g = torch.Generator().manual_seed(0)
    s = torch.tensor([0.3, 1.0, 1.7], dtype=dtype)[:, None, None]
    z0 = torch.randn(3, 40, 7, generator=g, dtype=dtype)
    z0[0, 0, :3] = torch.tensor([0.0, -0.0, float("nan")], dtype=dtype)
    up = torch.randn(3, 40, 7, generator=g, dtype=dtype)
    outs = []
    for act in (lambda z: homotopy_activation(z, s), lambda z: torch.where(z > 0, z, z * (1.0 - s))):
        z = z0.clone().requires_grad_()
        y = act(z)
        (grad,) = torch.autograd.grad((y * up).sum(), z, create_graph=True)
        outs.append((y.detach(), grad.detach()))
    (y_new, grad_new), (y_where, grad_where) = outs
    assert torch.equal(y_new.nan_to_num(7.0), y_where.nan_to_num(7.0))
    assert torch.equal(grad_new.nan_to_num(7.0), grad_where.nan_to_num(7.0))
    assert torch.equal(torch.signbit(y_new[0, 0, :2]), torch.signbit(y_where[0, 0, :2]))
