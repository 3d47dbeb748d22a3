"""s is part of a homotopized model's state: saved and loaded with it (also through a
file, into a fresh model), checkpoints made before homotopize still load strictly, an
activation with parameters (PReLU) keeps its keys, and compiled or exported graphs read s
from the model instead of baking it in."""

import copy
import io

import pytest
import torch
from torch import nn

from hrta import HomotopyActivation, homotopize, plain_state_dict, set_s
from hrta.model.homotopy import S_KEY

F64 = torch.float64


def prelu_mlp() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 8), nn.PReLU(), nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 2))


def homotopized(s: float = 1.0) -> nn.Sequential:
    model = prelu_mlp()
    homotopize(model, (nn.PReLU, nn.GELU), s=s)
    return model


def through_a_file(state: dict) -> dict:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    return torch.load(buffer)


def test_s_is_saved_and_loaded_with_the_model():
    model = homotopized()
    set_s(model, 0.3)
    fresh = homotopized()  # at s = 1
    fresh.load_state_dict(through_a_file(model.state_dict()))
    assert fresh[1].s == fresh[3].s == 0.3  # exactly the s set, not its float32 rounding
    x = torch.randn(16, 3)
    assert torch.equal(fresh(x), model(x))
    assert model.state_dict()["1." + S_KEY].item() == 0.3


def test_a_checkpoint_made_before_homotopize_loads_strictly_and_keeps_s():
    plain = prelu_mlp()
    before = copy.deepcopy(plain.state_dict())
    model = homotopized(s=0.5)
    assert [k for k in model.state_dict() if not k.endswith(S_KEY)] == list(before)  # PReLU's 1.weight stays
    with torch.no_grad():
        for p in plain.parameters():
            p.mul_(2)
    model.load_state_dict(plain.state_dict())  # strict
    assert model[1].s == 0.5 and torch.equal(model[1].base.weight, plain[1].weight)
    # the other way: the plain model is the function at s = 1, so only an s = 1 state loads into it
    set_s(model, 1.0)
    plain.load_state_dict(plain_state_dict(model.state_dict()))  # strict
    x = torch.randn(16, 3)
    assert torch.equal(plain(x), model(x))
    set_s(model, 0.5)
    with pytest.raises(ValueError, match="s = 0.5.*not the plain model's function"):
        plain_state_dict(model.state_dict())


def test_a_state_saved_by_the_first_homotopy_activation_still_loads():
    """Before s was saved, a PReLU's weight was saved as 1.base.weight and s not at all."""
    model = homotopized(s=0.5)
    old = {k.replace("1.weight", "1.base.weight"): v for k, v in model.state_dict().items() if not k.endswith(S_KEY)}
    fresh = homotopized(s=0.7)
    fresh.load_state_dict(old)
    assert fresh[1].s == 0.7 and torch.equal(fresh[1].base.weight, model[1].base.weight)


def test_an_invalid_s_in_a_state_dict_is_refused():
    model = homotopized()
    state = model.state_dict()
    state["3." + S_KEY] = torch.tensor(2.5, dtype=F64)
    with pytest.raises(RuntimeError, match=r"3.homotopy_s: homotopy parameter s must lie in \(0, 2\)"):
        model.load_state_dict(state)


def test_s_follows_moves_copies_and_loaders_that_replace_the_buffer():
    model = homotopized()
    set_s(model, 0.3)
    double = copy.deepcopy(model).to(F64)
    assert double[1].s == 0.3  # the exact s, although the buffer was float32 before the move
    assert copy.deepcopy(model).half()[1].s == 0.3
    with torch.device("meta"):
        meta = prelu_mlp()
    homotopize(meta, (nn.PReLU, nn.GELU), s=0.3)
    meta.to_empty(device="cpu")  # uninitialised memory, but s is the one set
    assert meta[1].s == meta[3].s == 0.3 and meta[3].get_buffer(S_KEY).item() == pytest.approx(0.3)
    assigned = homotopized()
    assigned.load_state_dict(model.state_dict(), assign=True)
    assert assigned[1].s == 0.3
    double[3]._buffers[S_KEY] = torch.tensor(0.7, dtype=F64)  # as a loader that sets tensors by name would
    z = torch.linspace(-3, 3, 61, dtype=F64)
    assert double[3].s == 0.7
    torch.testing.assert_close(double[3](z), 0.3 * z + 0.7 * nn.functional.gelu(z))


def test_compile_reads_s_from_the_model_without_recompiling():
    model = homotopized()
    with torch.no_grad():
        model[1].base.weight.fill_(0.1)
    graphs = []

    def backend(gm, example_inputs):  # counts the graphs dynamo makes
        graphs.append(gm)
        return gm.forward

    compiled = torch.compile(model, backend=backend)
    x = torch.randn(32, 3)
    outputs = []
    for s in (1.0, 0.5, 1.5, 1.0):
        set_s(model, s)
        outputs.append(compiled(x))
        torch.testing.assert_close(outputs[-1], model(x))
    assert torch.equal(outputs[0], outputs[3]) and not torch.allclose(outputs[1], outputs[2])
    assert len(graphs) == 1  # one graph for every s


@pytest.mark.slow  # inductor compiles C++ (a compiler needed, seconds to minutes)
def test_compile_with_inductor_follows_s():
    model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(inplace=True), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1))
    homotopize(model, (nn.ReLU, nn.Tanh))
    compiled = torch.compile(model)
    x = torch.randn(32, 3)
    for s in (1.0, 0.5, 1.5):
        set_s(model, s)
        torch.testing.assert_close(compiled(x), model(x))


def test_export_keeps_s_as_a_buffer():
    model = homotopized(s=0.5)
    x = torch.randn(8, 3)
    program = torch.export.export(model, (x,))
    assert {"1." + S_KEY, "3." + S_KEY} <= set(program.graph_signature.buffers)
    exported = program.module()
    torch.testing.assert_close(exported(x), model(x))
    set_s(model, 1.5)
    exported.get_submodule("1").get_buffer(S_KEY).fill_(1.5)
    exported.get_submodule("3").get_buffer(S_KEY).fill_(1.5)
    torch.testing.assert_close(exported(x), model(x))


def test_the_activation_is_exact_at_s_one_and_the_formula_elsewhere_after_a_round_trip():
    act = HomotopyActivation(nn.PReLU(), 0.25)
    act.base.weight.data.fill_(0.2)
    again = HomotopyActivation(nn.PReLU())
    again.load_state_dict(through_a_file(act.state_dict()))
    z = torch.linspace(-3, 3, 61)
    assert list(act.state_dict()) == [S_KEY, "weight"] and again.s == 0.25
    torch.testing.assert_close(again(z), 0.75 * z + 0.25 * nn.functional.prelu(z, torch.tensor([0.2])))
    again.s = 1.0
    assert torch.equal(again(z), again.base(z))
