# Independent float64 reference for the gradient of the tiny random BART fixture's loss (fixtures/hf/bart):
# a from-scratch BartForConditionalGeneration forward in plain PyTorch (no transformers), checked against
# expected_loss.json, then autograd in float64, on two batches: the fixture's inputs.json -> loss and a seeded padded
# batch (B=4, source 64 = max positions, target 48, heavy padding). Writes grads_reference.json (per case: batch,
# float64 loss, per-tensor norm, max and sampled elements, and plain float32 torch's own worst error per stack) and,
# for full element-wise comparisons, /tmp/bartgrad/grads_f32_<case>.safetensors.
# Run: python3 bart_grad_reference.py FIXTURE_DIR OUT_DIR (Debian python3-torch 1.13.1, OMP_NUM_THREADS=1).
import json, math, os, random, struct, sys
import torch
import torch.nn.functional as F

src = sys.argv[1]
out = sys.argv[2]
cfg = json.load(open(f"{src}/config.json"))
fixture_batch = json.load(open(f"{src}/inputs.json"))["loss"]


def padded_batch():
    rng = random.Random(7)
    B, S, T = 4, 64, 48
    source_lengths, target_lengths = [64, 50, 23, 7], [48, 31, 12, 3]
    tokens = [[rng.randrange(3, 512) for _ in range(S)] for _ in range(B)]
    return {"input_ids": [[r[j] if j < n else cfg["pad_token_id"] for j in range(S)] for r, n in zip(tokens, source_lengths)],
            "attention_mask": [[int(j < n) for j in range(S)] for n in source_lengths],
            "labels": [[rng.randrange(3, 512) if j < n else -100 for j in range(T)] for n in target_lengths]}
expected = json.load(open(f"{src}/expected_loss.json"))


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32"
        a, b = meta["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(meta["shape"]).clone()
    return tensors


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


assert cfg["activation_function"] == "gelu" and not cfg["scale_embedding"]
assert cfg.get("normalize_before", False) is False and cfg.get("add_final_layer_norm", False) is False
D, heads = cfg["d_model"], cfg["encoder_attention_heads"]
assert heads == cfg["decoder_attention_heads"]
POSITION_OFFSET = 2  # BartLearnedPositionalEmbedding: table row = position + 2
embed_scale = math.sqrt(D) if cfg["scale_embedding"] else 1.0


def run(p, dtype, inputs):
    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    labels = torch.tensor(inputs["labels"])
    neg = torch.finfo(dtype).min

    def ln(x, prefix):
        return F.layer_norm(x, (D,), p[prefix + ".weight"], p[prefix + ".bias"], 1e-5)

    def lin(x, prefix):
        return x @ p[prefix + ".weight"].T + p[prefix + ".bias"]

    def attention(x, kv, prefix, bias):
        # x: (B, Tq, D), kv: (B, Tk, D), bias: additive (B, 1, Tq, Tk)
        B, Tq, _ = x.shape
        Tk = kv.shape[1]
        hd = D // heads
        q = (lin(x, prefix + ".q_proj") * hd ** -0.5).view(B, Tq, heads, hd).transpose(1, 2)
        k = lin(kv, prefix + ".k_proj").view(B, Tk, heads, hd).transpose(1, 2)
        v = lin(kv, prefix + ".v_proj").view(B, Tk, heads, hd).transpose(1, 2)
        w = torch.softmax(q @ k.transpose(-1, -2) + bias, dim=-1)
        return lin((w @ v).transpose(1, 2).reshape(B, Tq, D), prefix + ".out_proj")

    def ffn(x, prefix):
        return lin(F.gelu(lin(x, prefix + ".fc1")), prefix + ".fc2")

    def embed(tokens, stack):
        T = tokens.shape[1]
        x = p["model.shared.weight"][tokens] * embed_scale + p[f"model.{stack}.embed_positions.weight"][torch.arange(T) + POSITION_OFFSET]
        return ln(x, f"model.{stack}.layernorm_embedding")

    # encoder (post-LN); padding keys masked
    enc_bias = ((1 - mask)[:, None, None, :].to(dtype)) * neg
    h = embed(ids, "encoder")
    for i in range(cfg["encoder_layers"]):
        pre = f"model.encoder.layers.{i}"
        h = ln(h + attention(h, h, pre + ".self_attn", enc_bias), pre + ".self_attn_layer_norm")
        h = ln(h + ffn(h, pre), pre + ".final_layer_norm")
    enc = h

    # decoder input = shift_tokens_right(labels, pad, decoder_start); causal self-attention only
    dec_ids = torch.full_like(labels, cfg["pad_token_id"])
    dec_ids[:, 1:] = labels[:, :-1]
    dec_ids[:, 0] = cfg["decoder_start_token_id"]
    dec_ids = dec_ids.masked_fill(dec_ids == -100, cfg["pad_token_id"])
    T = dec_ids.shape[1]
    causal = torch.triu(torch.full((T, T), neg, dtype=dtype), diagonal=1)[None, None]
    g = embed(dec_ids, "decoder")
    for i in range(cfg["decoder_layers"]):
        pre = f"model.decoder.layers.{i}"
        g = ln(g + attention(g, g, pre + ".self_attn", causal), pre + ".self_attn_layer_norm")
        g = ln(g + attention(g, enc, pre + ".encoder_attn", enc_bias), pre + ".encoder_attn_layer_norm")
        g = ln(g + ffn(g, pre), pre + ".final_layer_norm")
    logits = g @ p["model.shared.weight"].T + p["final_logits_bias"]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
    return loss, logits, dec_ids


weights = read_safetensors(f"{src}/model.safetensors")
trainable = list(weights)  # final_logits_bias included: a buffer in HF (never trained there), a parameter in Loom


def stack_of(name):
    return name.split(".")[1] if name.startswith("model.") else name


def gradients(inputs, dtype):
    p = {k: v.detach().to(dtype).clone().requires_grad_(True) for k, v in weights.items()}
    loss, _, dec_ids = run(p, dtype, inputs)
    loss.backward()
    return loss.item(), {k: p[k].grad.double() for k in trainable}, dec_ids


with torch.no_grad():
    loss32, logits32, _ = run(weights, torch.float32, fixture_batch)
ref_logits = torch.tensor(expected["logits"]["data"]).reshape(expected["logits"]["shape"])
print("float32 loss", loss32.item(), "expected", expected["loss"], "max |dlogits|", (logits32 - ref_logits).abs().max().item())
assert abs(loss32.item() - expected["loss"]) < 1e-5

os.makedirs("/tmp/bartgrad", exist_ok=True)
SAMPLES = 12
cases = {}
for case, inputs in [("fixture_batch", fixture_batch), ("padded_batch", padded_batch())]:
    loss64, g64, dec_ids = gradients(inputs, torch.float64)
    _, g32, _ = gradients(inputs, torch.float32)
    report, float32_worst = {}, {}
    for k in trainable:
        grad = g64[k].reshape(-1)
        n = grad.numel()
        picks = sorted({int(grad.abs().argmax())} | {(j * 7919 + 13) % n for j in range(SAMPLES)})
        report[k] = {"numel": n, "norm": grad.norm().item(), "max_abs": grad.abs().max().item(),
                     "samples": [[i, grad[i].item()] for i in picks]}
        if not k.endswith("k_proj.bias"):  # true gradient 0 (softmax shift invariance)
            rel = ((g32[k] - g64[k]).abs().max() / g64[k].abs().max()).item()
            float32_worst[stack_of(k)] = max(float32_worst.get(stack_of(k), 0.0), rel)
    cases[case] = {"batch": inputs, "decoder_input_ids": dec_ids.tolist(), "loss_f64": loss64,
                   "torch_float32_max_rel_err_per_stack": float32_worst, "grads": report}
    write_safetensors(f"/tmp/bartgrad/grads_f32_{case}.safetensors", g64)
    norms = {s: math.sqrt(sum(report[k]["norm"] ** 2 for k in trainable if stack_of(k) == s)) for s in float32_worst}
    print(case, "float64 loss", repr(loss64), "grad norms", norms, "torch float32 worst max|dg|/max|g|", float32_worst)

doc = {"README": "float64 gradients of fixtures/hf/bart's loss by bart_grad_reference.py; see README.md",
       "loss_expected_json": expected["loss"], "cases": cases}
json.dump(doc, open(f"{out}/grads_reference.json", "w"), indent=0)
