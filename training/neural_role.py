"""Trains the neural role tagger (src/attribution/neural.ts) on the output of training/neural-export.ts.

A bidirectional LSTM reads each unit (a paragraph, or a piece of a long one) once; a small head per
cue scores each token of the cue's window as O / B-source / I-source / B-content / I-content from
the token's state, the cue's states (its first and last token) and pair features that tie the token
to that cue (signed distance, sentence offset, commas, other cues and quotation marks between,
quotation touching the cue). Trained with token cross-entropy; analysis decodes with the BIO
constraints (Viterbi). Deterministic for a seed on one thread.

  /usr/bin/python3 training/neural_role.py --data /tmp/neural/train.jsonl --seed 1 --out models/attribution/role-nn
"""
import argparse
import collections
import gzip
import json
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

KINDS = ['w', 'p', 'sh', 'suf', 'fl']
MIN_COUNT = {'w': 2, 'p': 1, 'sh': 2, 'suf': 3, 'fl': 1}
PAIR_SIZES = [63, 5, 8, 4, 6, 8]
LABELS = 5


def read(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def vocabularies(docs):
    counts = {k: collections.Counter() for k in KINDS}
    for d in docs:
        for k, keys in zip(KINDS, d['keys']):
            counts[k].update(keys)
    # Id 0 is "unknown"; ties broken by the key so the order is reproducible.
    return {k: [key for key, c in sorted(counts[k].items(), key=lambda kv: (-kv[1], kv[0])) if c >= MIN_COUNT[k]] for k in KINDS}


def encode(docs, vocab):
    index = {k: {key: i + 1 for i, key in enumerate(vocab[k])} for k in KINDS}
    units, insts = [], []
    for d in docs:
        ids = np.array([[index[k].get(key, 0) for key in keys] for k, keys in zip(KINDS, d['keys'])], dtype=np.int64).T
        bounds = d['units']
        starts = [u[0] for u in bounds]
        used = {}
        for inst in d['inst']:
            u = max(i for i, s in enumerate(starts) if s <= inst['cs'])
            us, ue = bounds[u]
            if u not in used:
                used[u] = len(units)
                units.append(torch.from_numpy(ids[us:ue].copy()))
            insts.append((used[u], inst['cs'] - us, inst['ce'] - us, inst['from'] - us, inst['to'] - us,
                          torch.tensor(inst['pair'], dtype=torch.long).view(-1, len(PAIR_SIZES)),
                          torch.tensor(inst['y'], dtype=torch.long)))
    return units, insts


class RoleNet(nn.Module):
    def __init__(self, sizes, dims, hidden, head):
        super().__init__()
        self.emb = nn.ModuleList([nn.Embedding(n + 1, d) for n, d in zip(sizes, dims)])
        self.lstm = nn.LSTM(sum(dims), hidden, batch_first=True, bidirectional=True)
        self.tok = nn.Linear(2 * hidden, head)
        self.cue = nn.Linear(4 * hidden, head, bias=False)
        self.pair = nn.ModuleList([nn.Embedding(n, head) for n in PAIR_SIZES])
        self.out = nn.Linear(head, LABELS)
        self.drop = nn.Dropout(0.25)

    def encode(self, x, lengths):
        e = torch.cat([emb(x[:, :, k]) for k, emb in enumerate(self.emb)], dim=-1)
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(e), lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True)
        return self.drop(h)

    def logits(self, h, unit, pos, cue_first, cue_last, inst, pair):
        hc = torch.cat([h[cue_first[0], cue_first[1]], h[cue_last[0], cue_last[1]]], dim=-1)
        z = self.tok(h[unit, pos]) + self.cue(hc)[inst]
        for k, emb in enumerate(self.pair):
            z = z + emb(pair[:, k])
        return self.out(F.relu(z))


def batch_tensors(units, insts, batch_units, word_dropout, gen):
    local = {u: i for i, u in enumerate(batch_units)}
    lengths = torch.tensor([len(units[u]) for u in batch_units])
    x = torch.zeros(len(batch_units), int(lengths.max()), len(KINDS), dtype=torch.long)
    for i, u in enumerate(batch_units):
        x[i, :len(units[u])] = units[u]
    if word_dropout > 0:
        drop = torch.rand(x.shape[:2], generator=gen) < word_dropout
        x[:, :, 0] = x[:, :, 0].masked_fill(drop, 0)
    unit, pos, inst, pairs, ys, keep = [], [], [], [], [], []
    cf, cl = ([], []), ([], [])
    for j, (u, cs, ce, fr, to, pair, y) in enumerate(insts):
        b = local[u]
        n = to - fr
        unit.append(torch.full((n,), b, dtype=torch.long))
        pos.append(torch.arange(fr, to))
        inst.append(torch.full((n,), j, dtype=torch.long))
        pairs.append(pair)
        ys.append(y)
        k = torch.ones(n, dtype=torch.bool)
        k[max(cs - fr, 0):max(ce - fr, 0)] = False
        keep.append(k)
        cf[0].append(b); cf[1].append(cs)
        cl[0].append(b); cl[1].append(ce - 1)
    cat = torch.cat
    return x, lengths, (cat(unit), cat(pos), (torch.tensor(cf[0]), torch.tensor(cf[1])), (torch.tensor(cl[0]), torch.tensor(cl[1])), cat(inst), cat(pairs)), cat(ys), cat(keep)


def batches(units, insts, order, size):
    by_unit = collections.defaultdict(list)
    for inst in insts:
        by_unit[inst[0]].append(inst)
    for i in range(0, len(order), size):
        chunk = order[i:i + size]
        yield chunk, [inst for u in chunk for inst in by_unit[u]]


def evaluate(model, units, insts, size=64):
    model.eval()
    right = total = 0
    with torch.no_grad():
        for chunk, bi in batches(units, insts, list(range(len(units))), size):
            if not bi:
                continue
            x, lengths, idx, y, keep = batch_tensors(units, bi, chunk, 0, None)
            h = model.encode(x, lengths)
            pred = model.logits(h, *idx).argmax(-1)
            right += int((pred[keep] == y[keep]).sum())
            total += int(keep.sum())
    model.train()
    return right / max(1, total)


def export(model, vocab, args, path, info):
    tensors = collections.OrderedDict()
    sd = model.state_dict()
    for k in KINDS:
        tensors[f'emb.{k}'] = sd[f'emb.{KINDS.index(k)}.weight']
    for name in ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse']:
        tensors[f'lstm.{name}'] = sd[f'lstm.{name}']
    tensors['tok.weight'] = sd['tok.weight']
    tensors['tok.bias'] = sd['tok.bias']
    tensors['cue.weight'] = sd['cue.weight']
    for k in range(len(PAIR_SIZES)):
        tensors[f'pair.{k}'] = sd[f'pair.{k}.weight']
    tensors['out.weight'] = sd['out.weight']
    tensors['out.bias'] = sd['out.bias']
    manifest, chunks, offset = [], [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy().astype('<f4').ravel()
        manifest.append({'name': name, 'shape': list(t.shape), 'offset': offset})
        offset += a.size
        chunks.append(a)
    meta = {'format': 'whosaid-role-nn/1', 'hidden': args.hidden, 'head': args.head, 'kinds': KINDS,
            'vocab': vocab, 'tensors': manifest, 'training': info}
    with open(path + '.json', 'w') as f:
        json.dump(meta, f, separators=(',', ':'))
        f.write('\n')
    with gzip.GzipFile(path + '.f32.gz', 'wb', compresslevel=9, mtime=0) as f:
        f.write(np.concatenate(chunks).tobytes())


def load(prefix):
    """The exported model back as a RoleNet, with its vocabularies."""
    with open(prefix + '.json') as f:
        meta = json.load(f)
    with gzip.open(prefix + '.f32.gz') as f:
        flat = np.frombuffer(f.read(), dtype='<f4')
    vocab = meta['vocab']
    dims = meta['training']['dims']
    model = RoleNet([len(vocab[k]) for k in KINDS], dims, meta['hidden'], meta['head'])
    names = {f'emb.{k}': f'emb.{i}.weight' for i, k in enumerate(KINDS)}
    names.update({f'pair.{k}': f'pair.{k}.weight' for k in range(len(PAIR_SIZES))})
    sd = {}
    for t in meta['tensors']:
        n = int(np.prod(t['shape']))
        sd[names.get(t['name'], t['name'])] = torch.from_numpy(flat[t['offset']:t['offset'] + n].copy()).view(*t['shape'])
    model.load_state_dict(sd)
    return model, vocab


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--out', required=True, help='path prefix: writes PREFIX.json and PREFIX.f32.gz')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--hidden', type=int, default=32)
    ap.add_argument('--head', type=int, default=48)
    ap.add_argument('--dims', default='64,16,8,24,8')
    ap.add_argument('--batch', type=int, default=32, help='units per batch')
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--holdout', action='store_true', help='hold out every tenth text and report its token accuracy')
    ap.add_argument('--check-only', action='store_true', help='only rewrite OUT.check.json from the exported model')
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.check_only:
        model, vocab = load(args.out)
        check(model, vocab, sorted(read(args.data), key=lambda d: d['name'])[0], args.out + '.check.json')
        return
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    docs = read(args.data)
    docs.sort(key=lambda d: d['name'])
    held = [d for i, d in enumerate(docs) if args.holdout and i % 10 == 3]
    train = [d for i, d in enumerate(docs) if not (args.holdout and i % 10 == 3)]
    vocab = vocabularies(train)
    units, insts = encode(train, vocab)
    hunits, hinsts = encode(held, vocab) if held else ([], [])
    print(f'{len(train)} texts, {len(units)} units, {len(insts)} instances; vocab ' + ', '.join(f'{k} {len(v)}' for k, v in vocab.items()), file=sys.stderr)
    dims = [int(x) for x in args.dims.split(',')]
    model = RoleNet([len(vocab[k]) for k in KINDS], dims, args.hidden, args.head)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    rng = random.Random(args.seed)
    t0 = time.time()
    for epoch in range(args.epochs):
        order = list(range(len(units)))
        rng.shuffle(order)
        total, count = 0.0, 0
        for chunk, bi in batches(units, insts, order, args.batch):
            if not bi:
                continue
            x, lengths, idx, y, keep = batch_tensors(units, bi, chunk, 0.05, gen)
            h = model.encode(x, lengths)
            loss = F.cross_entropy(model.logits(h, *idx)[keep], y[keep])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss) * int(keep.sum())
            count += int(keep.sum())
        for g in opt.param_groups:
            g['lr'] *= 0.85
        line = f'epoch {epoch + 1}/{args.epochs}: loss {total / count:.4f}'
        if hunits:
            line += f', held-out token accuracy {evaluate(model, hunits, hinsts):.4f}'
        print(line + f' ({time.time() - t0:.0f} s)', file=sys.stderr, flush=True)
    info = {'seed': args.seed, 'epochs': args.epochs, 'dims': dims, 'batch': args.batch, 'lr': args.lr,
            'texts': len(train), 'instances': len(insts), 'seconds': round(time.time() - t0), 'torch': torch.__version__}
    export(model, vocab, args, args.out, info)
    check(model, vocab, docs[0], args.out + '.check.json')


def check(model, vocab, doc, path):
    """Log-probabilities of the first text's instances, for the TypeScript forward pass to reproduce."""
    model.eval()
    units, insts = encode([doc], vocab)
    out = []
    with torch.no_grad():
        for j, inst in enumerate(insts[:4]):
            x, lengths, idx, y, keep = batch_tensors(units, [inst], [inst[0]], 0, None)
            lp = F.log_softmax(model.logits(model.encode(x, lengths), *idx), dim=-1)
            raw = doc['inst'][j]
            out.append({'cs': raw['cs'], 'ce': raw['ce'], 'from': raw['from'], 'to': raw['to'], 'logp': [round(float(v), 5) for v in lp.ravel()]})
    with open(path, 'w') as f:
        cue_tokens = [i for i, fl in enumerate(doc['keys'][KINDS.index('fl')]) if fl.endswith('1')]
        json.dump({'name': doc['name'], 'cueTokens': cue_tokens, 'instances': out}, f)
        f.write('\n')


if __name__ == '__main__':
    main()
