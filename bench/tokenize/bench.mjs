// Peer side of `loom bench tokenize`: Hugging Face tokenizers (npm `tokenizers`, native Rust binding) and
// tiktoken (npm, WASM) encode the same documents Loom encodes, in the same benchmark run.
// Usage: node bench.mjs REQUEST.json — REQUEST = { repeats, texts: [{ name, docs }], tokenizers: [{ name, path }],
// tiktoken: [{ name, encoding }] } where `docs` is a JSON file holding an array of strings.
// Prints one JSON object per measurement on stdout: library, tokenizer, text, mode ("loop" = one document at a time,
// "batch" = encodeBatch of 512 documents, parallel in the Rust core), best wall and CPU seconds, bytes, tokens and
// the sha256 of all ids as little-endian u32 (the digest recorded in shared/fixtures/tokenizers/bench).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');
const { get_encoding } = require('tiktoken');

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const repeats = request.repeats ?? 3;
const batchSize = 512;

function digest(idArrays) {
  const hash = createHash('sha256');
  let tokens = 0;
  for (const ids of idArrays) {
    const u32 = Uint32Array.from(ids);
    hash.update(Buffer.from(u32.buffer, u32.byteOffset, u32.byteLength));
    tokens += u32.length;
  }
  return { tokens, sha256: hash.digest('hex') };
}

// Best wall and CPU seconds of `repeats` timed runs of fn (which returns the ids of every document).
async function measure(fn) {
  let ids = null;
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    ids = await fn();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, t);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu, ids };
}

function emit(library, tokenizer, text, mode, bytes, m) {
  const d = digest(m.ids);
  console.log(JSON.stringify({ library, tokenizer, text, mode, bytes, wallSeconds: m.wall, cpuSeconds: m.cpu, tokens: d.tokens, sha256: d.sha256 }));
}

for (const text of request.texts) {
  const docs = JSON.parse(readFileSync(text.docs, 'utf8'));
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d, 'utf8'), 0);
  for (const spec of request.tokenizers) {
    const tokenizer = Tokenizer.fromFile(spec.path);
    const loop = async () => {
      const out = [];
      for (const doc of docs) out.push((await tokenizer.encode(doc, null, { addSpecialTokens: true })).getIds());
      return out;
    };
    const batch = async () => {
      const out = [];
      for (let i = 0; i < docs.length; i += batchSize) {
        for (const e of await tokenizer.encodeBatch(docs.slice(i, i + batchSize), { addSpecialTokens: true })) out.push(e.getIds());
      }
      return out;
    };
    await batch(); // warm-up
    emit('hf', spec.name, text.name, 'loop', bytes, await measure(loop));
    emit('hf', spec.name, text.name, 'batch', bytes, await measure(batch));
  }
  for (const spec of request.tiktoken ?? []) {
    const encoding = get_encoding(spec.encoding);
    const loop = async () => docs.map((doc) => encoding.encode(doc));
    await loop(); // warm-up
    emit('tiktoken', spec.name, text.name, 'loop', bytes, await measure(loop));
    encoding.free();
  }
}
