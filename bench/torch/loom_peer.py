#!/usr/bin/env python3
"""PyTorch peer for `loom bench train`, `loom bench train-step`, `loom bench time-to-loss` and `loom bench forward`.

Runs the same shapes as Loom with random weights and prints one JSON object per line on stdout
(one per thread count), which the Loom CLI reads and prints beside its own numbers.

Models are written in plain torch.nn (transformers is not installed here), following
Hugging Face transformers' modeling_gpt2.py (GPT2LMHeadModel: pre-norm blocks, gelu_new, tied head)
and modeling_bert.py (BertModel without pooler: post-norm blocks, erf GELU).
PyTorch 1.13 has no fused scaled_dot_product_attention, so attention is softmax(q kᵀ/√D + mask) v,
as HF's eager attention does.

Run it the way the issue asks for PyTorch's fastest configuration on this machine:
  OPENBLAS_CORETYPE=SkylakeX LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4 \
    /usr/bin/python3 bench/torch/loom_peer.py forward --model bert --threads 1 2
"""
import argparse
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(q, k, v, causal):
    # q, k, v: (B, H, T, D)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])  # (B, H, T, T)
    if causal:
        t = q.shape[-2]
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    return scores.softmax(-1) @ v  # (B, H, T, D)


def split_heads(x, heads):
    b, t, c = x.shape
    return x.view(b, t, heads, c // heads).transpose(1, 2)  # (B, H, T, D)


def merge_heads(x):
    b, h, t, d = x.shape
    return x.transpose(1, 2).reshape(b, t, h * d)  # (B, T, C)


class Gpt2Block(nn.Module):
    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(c, eps=1e-5)
        self.c_attn = nn.Linear(c, 3 * c)
        self.c_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c, eps=1e-5)
        self.c_fc = nn.Linear(c, 4 * c)
        self.mlp_proj = nn.Linear(4 * c, c)

    def forward(self, x):
        q, k, v = self.c_attn(self.ln_1(x)).split(x.shape[-1], dim=-1)
        a = attention(split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads), True)
        x = x + self.c_proj(merge_heads(a))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt2LmHead(nn.Module):
    def __init__(self, layers, c, heads, vocab, positions=1024):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(positions, c)
        self.h = nn.ModuleList(Gpt2Block(c, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c, eps=1e-5)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids, labels=None):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(t))  # (B, T, C)
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # (B, T, V), tied head
        if labels is None:
            return logits, None
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1))
        return logits, loss


class BertLayer(nn.Module):
    def __init__(self, c, heads, ffn):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(c, c)
        self.key = nn.Linear(c, c)
        self.value = nn.Linear(c, c)
        self.out = nn.Linear(c, c)
        self.ln_1 = nn.LayerNorm(c, eps=1e-12)
        self.up = nn.Linear(c, ffn)
        self.down = nn.Linear(ffn, c)
        self.ln_2 = nn.LayerNorm(c, eps=1e-12)

    def forward(self, x, mask):
        q, k, v = (split_heads(p(x), self.heads) for p in (self.query, self.key, self.value))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask  # (B, H, T, T)
        a = merge_heads(scores.softmax(-1) @ v)
        x = self.ln_1(x + self.out(a))
        return self.ln_2(x + self.down(F.gelu(self.up(x))))


class BertEncoder(nn.Module):
    def __init__(self, layers, c, heads, ffn, vocab=30522, positions=512):
        super().__init__()
        self.word = nn.Embedding(vocab, c)
        self.position = nn.Embedding(positions, c)
        self.token_type = nn.Embedding(2, c)
        self.ln = nn.LayerNorm(c, eps=1e-12)
        self.layers = nn.ModuleList(BertLayer(c, heads, ffn) for _ in range(layers))
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        b, t = ids.shape
        x = self.ln(self.word(ids) + self.position(torch.arange(t)) + self.token_type(torch.zeros_like(ids)))  # (B, T, C)
        mask = torch.zeros(b, 1, 1, t)  # additive padding mask, all tokens valid (as Loom's default)
        for layer in self.layers:
            x = layer(x, mask)
        return x


def peak_rss_kb():
    """Peak resident set of this process in KiB: VmHWM, which (unlike getrusage's ru_maxrss, kept across exec)
    does not include the parent process that started this one."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def train_step(args, threads):
    torch.manual_seed(0)
    model = Gpt2LmHead(args.layers, args.width, args.heads, args.vocab, args.positions)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(0, args.vocab, (args.batch, args.seq))

    def step():
        opt.zero_grad(set_to_none=True)
        _, loss = model(ids, ids)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    times = [timed(step) for _ in range(args.steps)]
    return {"mode": "train-step", "threads": threads, "tokens": args.batch * args.seq,
            "wall_s": [w for w, _ in times], "cpu_s": [c for _, c in times]}


def time_to_loss(args, threads):
    """nanoGPT's shakespeare_char CPU recipe as Loom's `loom train` runs it (Loom.Training.Trainer, ClmPretrainingConfig
    defaults): character vocabulary of the whole text, first 90% for training, random windows; AdamW (betas 0.9/0.99,
    eps 1e-8, weight decay 0.1 on tensors of rank >= 2 only), lr warmup step/warmup then cosine to min_lr at max_steps,
    global grad-norm clip 1.0, dropout 0. Initialisation as Loom's Gpt2LmHeadModel: wte N(0, 0.02), wpe N(0, 0.01),
    Linear weights and biases U(+-1/sqrt(in)) (nn.Linear's default). Every eval_every steps (and at the end) the mean
    loss over the validation windows whose offsets Loom wrote (same windows, same batches of `batch`) is printed with
    the training time so far (evaluation excluded), one JSON line each."""
    torch.manual_seed(args.seed)
    text = open(args.text, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(len(data) * 0.9)
    train, val = data[:split], data[split:]
    with open(args.eval_offsets) as f:
        offsets = json.load(f)
    t, b = args.seq, args.batch
    model = Gpt2LmHead(args.layers, args.width, args.heads, len(chars), positions=t)
    for module in model.modules():
        if isinstance(module, nn.Linear):
            module.reset_parameters()
    nn.init.normal_(model.wte.weight, std=0.02)
    nn.init.normal_(model.wpe.weight, std=0.01)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.99), eps=1e-8)

    def lr_at(step):  # step: completed steps before this one, as Loom's LrSchedule
        if step < args.warmup_steps:
            return args.lr * step / args.warmup_steps
        progress = (step - args.warmup_steps) / max(1, args.max_steps - args.warmup_steps)
        floor = args.min_lr / args.lr
        return args.lr * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))

    def windows(source, starts):
        x = torch.stack([source[i:i + t] for i in starts])
        y = torch.stack([source[i + 1:i + 1 + t] for i in starts])
        return x, y

    def evaluate():
        model.eval()
        losses = []
        with torch.no_grad():
            for k in range(0, len(offsets), b):
                x, y = windows(val, offsets[k:k + b])
                logits = model(x)[0]
                losses.append(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1)).item())
        model.train()
        return sum(losses) / len(losses)

    wall = cpu = 0.0
    for step in range(args.steps):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        x, y = windows(train, torch.randint(len(train) - t, (b,)).tolist())
        logits = model(x)[0]
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        wall += time.perf_counter() - start_wall
        cpu += time.process_time() - start_cpu
        done = step + 1
        if done % args.eval_every == 0 or done == args.steps:
            print(json.dumps({"mode": "time-to-loss", "threads": threads, "step": done, "train_s": wall, "train_cpu_s": cpu,
                              "loss": loss.item(), "val_loss": evaluate(), "torch": torch.__version__}), flush=True)


def forward(args, threads):
    torch.manual_seed(0)
    if args.model == "bert":
        model = BertEncoder(args.layers, args.width, args.heads, 4 * args.width).eval()
        ids = torch.randint(0, 30522, (args.batch, args.seq))
        run = lambda: model(ids)  # noqa: E731
    else:
        model = Gpt2LmHead(args.layers, args.width, args.heads, args.vocab).eval()
        ids = torch.randint(0, args.vocab, (args.batch, args.seq))
        run = lambda: model(ids)  # noqa: E731
    with torch.inference_mode():
        for _ in range(args.warmup):
            run()
        times = [timed(run) for _ in range(args.steps)]
    return {"mode": "forward", "model": args.model, "threads": threads, "tokens": args.batch * args.seq,
            "wall_s": [w for w, _ in times], "cpu_s": [c for _, c in times]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["train-step", "forward", "time-to-loss"])
    parser.add_argument("--model", choices=["gpt2", "bert"], default="gpt2")
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--vocab", type=int, default=50257)
    parser.add_argument("--positions", type=int, default=1024)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=64)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--text", help="time-to-loss: the training text (UTF-8)")
    parser.add_argument("--eval-offsets", help="time-to-loss: JSON list of validation window offsets")
    parser.add_argument("--eval-every", type=int, default=100)
    parser.add_argument("--max-steps", type=int, default=2000, help="time-to-loss: the schedule's length")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--min-lr", type=float, default=1e-4)
    parser.add_argument("--warmup-steps", type=int, default=100, help="time-to-loss: linear learning-rate warmup")
    parser.add_argument("--seed", type=int, default=1337)
    args = parser.parse_args()
    for threads in args.threads:
        torch.set_num_threads(threads)
        if args.mode == "time-to-loss":
            time_to_loss(args, threads)
            continue
        result = train_step(args, threads) if args.mode == "train-step" else forward(args, threads)
        result["torch"] = torch.__version__
        result["max_rss_kb"] = peak_rss_kb()
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
