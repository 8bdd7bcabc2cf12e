#!/usr/bin/env python3
"""A Keras full-model .h5 run forward in plain numpy, independently of srtune and TensorFlow.

Usage: keras_h5_forward.py MODEL.h5 INPUT.npy OUTPUT.npy
INPUT is [1,H,W,C] float32 (the network's own input), OUTPUT is written as [1,H',W',C'] float32 (the model's output).
Reads model_config and model_weights with h5py and computes each layer as keras.layers documents it, in float64:
InputLayer, Conv2D, DepthwiseConv2D, SeparableConv2D (same/valid, stride 1), BatchNormalization (inference),
PReLU, LeakyReLU, ReLU, Activation, Add, Multiply, Concatenate, ZeroPadding2D, UpSampling2D (nearest, bilinear
with half-pixel centres), Conv2DTranspose, and
TensorFlowOpLayer for DepthToSpace. Used by srtune's KerasImportTest as the second path the import is compared with.
"""
import json
import sys

import h5py
import numpy as np


def pad_same(x, kh, kw, dh=1, dw=1):
    eh, ew = (kh - 1) * dh, (kw - 1) * dw
    return np.pad(x, ((0, 0), (eh // 2, eh - eh // 2), (ew // 2, ew - ew // 2), (0, 0)))


def conv(x, k, padding, dilation=(1, 1)):
    """x [1,H,W,C], k [kh,kw,C,F]: cross-correlation as tf.nn.conv2d, stride 1."""
    kh, kw = k.shape[:2]
    dh, dw = dilation
    if padding == 'same':
        x = pad_same(x, kh, kw, dh, dw)
    h = x.shape[1] - (kh - 1) * dh
    w = x.shape[2] - (kw - 1) * dw
    out = np.zeros((1, h, w, k.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += np.tensordot(x[:, i * dh:i * dh + h, j * dw:j * dw + w, :], k[i, j], axes=([3], [0]))
    return out


def depthwise(x, k, padding):
    """k [kh,kw,C,M]: channel c convolved with k[..., c, m] gives output channel c*M + m."""
    kh, kw, c, m = k.shape
    if padding == 'same':
        x = pad_same(x, kh, kw)
    h = x.shape[1] - kh + 1
    w = x.shape[2] - kw + 1
    out = np.zeros((1, h, w, c, m))
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + h, j:j + w, :, None] * k[i, j][None, None, None]
    return out.reshape(1, h, w, c * m)


def conv_transpose(x, k, s, padding):
    """k [kh,kw,F,C]: each input pixel scatters k·x into the output at stride s (tf.nn.conv2d_transpose)."""
    kh, kw, f, _ = k.shape
    _, h, w, _ = x.shape
    full = np.zeros((1, (h - 1) * s + kh, (w - 1) * s + kw, f))
    for i in range(kh):
        for j in range(kw):
            full[:, i:i + (h - 1) * s + 1:s, j:j + (w - 1) * s + 1:s, :] += np.tensordot(x, k[i, j], axes=([3], [1]))
    if padding == 'same':
        oh, ow, th, tw = h * s, w * s, max(kh - s, 0) // 2, max(kw - s, 0) // 2
    else:
        oh, ow, th, tw = h * s + max(kh - s, 0), w * s + max(kw - s, 0), 0, 0
    return full[:, th:th + oh, tw:tw + ow, :]


def bilinear(x, sh, sw):
    """Half-pixel centres (TF2's tf.image.resize): output o samples (o + 0.5) / s - 0.5, clamped to the image."""
    def axis(v, n, s, ax):
        c = np.clip((np.arange(n * s) + 0.5) / s - 0.5, 0, n - 1)
        lo = np.floor(c).astype(int)
        hi = np.minimum(lo + 1, n - 1)
        t = (c - lo).reshape([-1 if a == ax else 1 for a in range(4)])
        return np.take(v, lo, axis=ax) * (1 - t) + np.take(v, hi, axis=ax) * t
    return axis(axis(x, x.shape[1], sh, 1), x.shape[2], sw, 2)


def depth_to_space(x, b):
    n, h, w, c = x.shape
    oc = c // (b * b)
    return x.reshape(n, h, w, b, b, oc).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * b, w * b, oc)


def activation(x, name):
    return {'linear': lambda v: v, 'relu': lambda v: np.maximum(v, 0), 'tanh': np.tanh,
            'sigmoid': lambda v: 1 / (1 + np.exp(-v))}[name](x)


def main(model, inp, outp):
    f = h5py.File(model, 'r')
    cfg = json.loads(f.attrs['model_config'])['config']
    mw = f['model_weights']

    def weights(layer):
        g = mw[layer]
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in g.attrs['weight_names']]
        return {n.split('/')[-1].split(':')[0]: np.array(g[n], dtype=np.float64) for n in names}

    x0 = np.load(inp).astype(np.float64)
    layers = {l['name']: l for l in cfg['layers']}
    done = {}

    def out(name):
        if name in done:
            return done[name]
        l = layers[name]
        c, cls = l['config'], l['class_name']
        ins = [out(r[0]) for r in l['inbound_nodes'][0]] if l['inbound_nodes'] else []
        x = ins[0] if ins else None
        w = weights(name) if cls not in ('InputLayer', 'Add', 'Multiply', 'Concatenate', 'Activation',
                                         'TensorFlowOpLayer', 'ZeroPadding2D', 'UpSampling2D', 'ReLU',
                                         'LeakyReLU') else {}
        if cls == 'InputLayer':
            y = x0
        elif cls == 'Conv2D':
            assert tuple(c['strides']) == (1, 1)
            y = conv(x, w['kernel'], c['padding'], tuple(c.get('dilation_rate', (1, 1))))
            y = activation(y + w['bias'] if c['use_bias'] else y, c['activation'])
        elif cls == 'DepthwiseConv2D':
            y = depthwise(x, w['depthwise_kernel'], c['padding'])
            y = activation(y + w['bias'] if c['use_bias'] else y, c['activation'])
        elif cls == 'Conv2DTranspose':
            st = c['strides'][0]
            assert tuple(c['strides']) == (st, st)
            y = conv_transpose(x, w['kernel'], st, c['padding'])
            y = activation(y + w['bias'] if c['use_bias'] else y, c['activation'])
        elif cls == 'SeparableConv2D':
            y = conv(depthwise(x, w['depthwise_kernel'], c['padding']), w['pointwise_kernel'], 'valid')
            y = activation(y + w['bias'] if c['use_bias'] else y, c['activation'])
        elif cls == 'BatchNormalization':
            y = (x - w['moving_mean']) / np.sqrt(w['moving_variance'] + c['epsilon'])
            y = y * w['gamma'] if c.get('scale', True) else y
            y = y + w['beta'] if c.get('center', True) else y
        elif cls == 'PReLU':
            y = np.where(x > 0, x, w['alpha'] * x)
        elif cls == 'LeakyReLU':
            y = np.where(x > 0, x, c.get('alpha', 0.3) * x)
        elif cls == 'ReLU':
            y = np.maximum(x, 0) if c.get('max_value') is None else np.clip(x, 0, c['max_value'])
        elif cls == 'Activation':
            y = activation(x, c['activation'])
        elif cls == 'Add':
            y = sum(ins)
        elif cls == 'Multiply':
            y = np.prod(ins, axis=0)
        elif cls == 'Concatenate':
            y = np.concatenate(ins, axis=c.get('axis', -1))
        elif cls == 'ZeroPadding2D':
            p = c['padding']
            y = np.pad(x, ((0, 0), tuple(p[0]), tuple(p[1]), (0, 0)))
        elif cls == 'UpSampling2D' and c.get('interpolation', 'nearest') == 'bilinear':
            y = bilinear(x, c['size'][0], c['size'][1])
        elif cls == 'UpSampling2D':
            s = c['size']
            y = x.repeat(s[0], axis=1).repeat(s[1], axis=2)
        elif cls == 'TensorFlowOpLayer' and c['node_def']['op'] == 'DepthToSpace':
            y = depth_to_space(x, int(c['node_def']['attr']['block_size']['i']))
        else:
            raise SystemExit('layer class ' + cls + ' is not computed by this check')
        done[name] = y
        return y

    out_name = cfg['output_layers'][0][0]
    np.save(outp, out(out_name).astype(np.float32))


if __name__ == '__main__':
    main(*sys.argv[1:4])
