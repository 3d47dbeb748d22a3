"""Evaluation of a population (gradients off, fused slopes): the outputs formed directly as
ReLU(x~ w^T) a, against the plain formula and the slope kernel that training uses."""

import pytest
import torch

from hrta.model.activation import homotopy_activation
from hrta.model.network import TwoLayerNet
from hrta.model.population import PopulationNet, population_values

F64 = torch.float64


def _population(in_dim, width, s_values, chunk, bias="augment", dtype=F64):
    return PopulationNet([TwoLayerNet(in_dim, width, s=s, bias=bias, dtype=dtype, slopes="fused", chunk=chunk,
                                      generator=torch.Generator().manual_seed(10 + k))
                          for k, s in enumerate(s_values)])


@pytest.mark.parametrize("in_dim, n, width, chunk, bias", [
    (3, 17, 23, 1, "augment"),         # one element per chunk: a row at a time
    (2, 40, 50, 160, "augment"),       # row chunks that do not divide n
    (2, 30, 100, 10**9, "augment"),    # one chunk
    (3, 9, 31, 20, "none"),
])
def test_values_equal_the_plain_formula(in_dim, n, width, chunk, bias):
    pop = _population(in_dim, width, [0.5, 1.0, 1.5], chunk, bias)
    x = torch.rand(n, in_dim, dtype=F64, generator=torch.Generator().manual_seed(4))
    xt = pop.features(x)
    z = torch.bmm(xt, pop.w.detach().transpose(1, 2))
    want = torch.bmm(homotopy_activation(z, pop.s[:, None, None]), pop.a.detach()[:, :, None])[..., 0]
    got = population_values(xt, pop.w.detach(), pop.a.detach(), pop.s_list, chunk)
    torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


def test_evaluation_is_the_training_forward_up_to_rounding():
    pop = _population(2, 60, [0.5, 1.5], 100)
    x = torch.rand(25, 2, dtype=F64, generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        evaluated = pop(x)
    trained = pop(x).detach()  # gradients on: the slope kernel
    torch.testing.assert_close(evaluated, trained, rtol=1e-12, atol=1e-12)


def test_a_members_evaluation_does_not_depend_on_the_others():
    s_values = [0.5, 1.0, 1.5]
    together = _population(3, 70, s_values, 300, dtype=torch.float32)
    x = torch.rand(50, 3, generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        out = together(x)
        for k, s in enumerate(s_values):
            alone = PopulationNet([TwoLayerNet(3, 70, s=s, slopes="fused", chunk=300,
                                               generator=torch.Generator().manual_seed(10 + k))])
            assert torch.equal(alone(x)[0], out[k])
