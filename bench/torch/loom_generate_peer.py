"""PyTorch peer of `loom bench generate`: a LLaMA-shaped decoder (RMSNorm, rotary attention, SwiGLU, untied head)
with random weights, a 512-token prefill and a batch-1 decode loop with a KV cache, float32, per thread count.
Prints one JSON line per thread count: {"threads", "prefill_tok_s", "decode_tok_s", "torch"}."""
import argparse
import json
import time

import torch


class Block(torch.nn.Module):
    def __init__(self, dim, heads, ffn):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.wq, self.wk, self.wv, self.wo = (torch.nn.Linear(dim, dim, bias=False) for _ in range(4))
        self.w1, self.w3 = torch.nn.Linear(dim, ffn, bias=False), torch.nn.Linear(dim, ffn, bias=False)
        self.w2 = torch.nn.Linear(ffn, dim, bias=False)
        self.n1, self.n2 = torch.nn.Parameter(torch.ones(dim)), torch.nn.Parameter(torch.ones(dim))

    @staticmethod
    def norm(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * w

    def forward(self, x, cos, sin, cache):
        b, t, c = x.shape
        h = self.norm(x, self.n1)
        q = self.wq(h).view(b, t, self.heads, self.head_dim).transpose(1, 2)  # (B, H, T, D)
        k = self.wk(h).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        v = self.wv(h).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        att = (q @ k.transpose(-1, -2)) / self.head_dim ** 0.5
        if t > 1:
            att = att + torch.full((t, k.shape[2]), float("-inf")).triu(k.shape[2] - t + 1)
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.wo(y)
        h = self.norm(x, self.n2)
        return x + self.w2(torch.nn.functional.silu(self.w1(h)) * self.w3(h)), (k, v)


def rope(x, cos, sin):
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1).flatten(-2)


def run(dim, layers, heads, ffn, vocab, prompt, steps):
    torch.manual_seed(0)
    emb = torch.randn(vocab, dim) * 0.02
    blocks = [Block(dim, heads, ffn) for _ in range(layers)]
    head = torch.nn.Linear(dim, vocab, bias=False)
    d = dim // heads
    freqs = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))
    angles = torch.outer(torch.arange(prompt + steps).float(), freqs)
    cos_all, sin_all = angles.cos(), angles.sin()

    def forward(ids, pos, caches):
        x = emb[ids]
        t = ids.shape[1]
        cos, sin = cos_all[pos:pos + t], sin_all[pos:pos + t]
        new = []
        for blk, cache in zip(blocks, caches):
            x, kv = blk(x, cos, sin, cache)
            new.append(kv)
        return head(Block.norm(x, 1.0))[:, -1:], new  # logits at every position, as Loom computes them

    with torch.no_grad():
        ids = torch.randint(0, vocab, (1, prompt))
        start = time.perf_counter()
        logits, caches = forward(ids, 0, [None] * layers)
        prefill = time.perf_counter() - start
        token = logits.argmax(-1)
        start = time.perf_counter()
        for s in range(steps):
            logits, caches = forward(token, prompt + s, caches)
            token = logits.argmax(-1)
        decode = time.perf_counter() - start
    return prompt / prefill, steps / decode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", required=True, help="dim,layers,heads,ffn,vocab")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--prompt", type=int, default=512)
    parser.add_argument("--steps", type=int, default=256)
    args = parser.parse_args()
    dim, layers, heads, ffn, vocab = (int(v) for v in args.shape.split(","))
    for threads in (int(t) for t in args.threads.split(",")):
        torch.set_num_threads(threads)
        prefill, decode = run(dim, layers, heads, ffn, vocab, args.prompt, args.steps)
        print(json.dumps({"threads": threads, "prefill_tok_s": prefill, "decode_tok_s": decode, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
