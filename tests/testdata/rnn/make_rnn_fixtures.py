"""Reference outputs of torch.nn.LSTM / torch.nn.GRU for Loom's recurrent tests (tests/Loom.Nn.Tests/Recurrent).

Run: python3 make_rnn_fixtures.py   (writes rnn_fixtures.json next to this script; see README.md)
"""
import json
import os

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

INPUT, HIDDEN, LAYERS, BATCH, TIME = 5, 7, 2, 3, 4
LENGTHS = [4, 2, 3]


def floats(t):
    # '%.9g' round-trips any float32 exactly.
    return [float("%.9g" % v) for v in t.detach().reshape(-1).tolist()]


def entry(t):
    return {"shape": list(t.shape), "data": floats(t)}


def case(kind, seed):
    torch.manual_seed(seed)
    cls = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
    net = cls(INPUT, HIDDEN, num_layers=LAYERS, bias=True, batch_first=True, bidirectional=True)
    x = torch.randn(BATCH, TIME, INPUT, requires_grad=True)
    h0 = torch.randn(LAYERS * 2, BATCH, HIDDEN)
    c0 = torch.randn(LAYERS * 2, BATCH, HIDDEN)
    packed = pack_padded_sequence(x, torch.tensor(LENGTHS), batch_first=True, enforce_sorted=False)
    if kind == "lstm":
        out_packed, (h_n, c_n) = net(packed, (h0, c0))
    else:
        out_packed, h_n = net(packed, h0)
        c_n = None
    out, _ = pad_packed_sequence(out_packed, batch_first=True, total_length=TIME)
    out.sum().backward()
    result = {
        "torch_version": torch.__version__,
        "seed": seed,
        "lengths": LENGTHS,
        "state_dict": {k: entry(v) for k, v in net.state_dict().items()},
        "input": entry(x),
        "h0": entry(h0),
        "output": entry(out),
        "h_n": entry(h_n),
        "input_grad": entry(x.grad),
        "grads": {k: entry(p.grad) for k, p in net.named_parameters()},
    }
    if kind == "lstm":
        result["c0"] = entry(c0)
        result["c_n"] = entry(c_n)
    return result


def main():
    data = {"lstm": case("lstm", 1234), "gru": case("gru", 5678)}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn_fixtures.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
