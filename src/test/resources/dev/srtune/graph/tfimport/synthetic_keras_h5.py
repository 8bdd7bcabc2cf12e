# Writes a small Keras 2 full-model .h5 (every layer class KerasLayersTest checks, random weights) with h5py.
import h5py, json, sys
import numpy as np
rng = np.random.RandomState(7)
layers = []
weights = {}
def add(cls, name, config, inputs, w=None):
    config = dict(config, name=name)
    layers.append({'class_name': cls, 'name': name, 'config': config,
                   'inbound_nodes': [[[i, 0, 0, {}] for i in inputs]] if inputs else []})
    weights[name] = w or {}
def r(*shape, scale=0.3):
    return (rng.randn(*shape) * scale).astype(np.float32)
add('InputLayer', 'in', {'batch_input_shape': [None, 16, 16, 3], 'dtype': 'float32'}, [])
add('Conv2D', 'c1', {'filters': 4, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same', 'activation': 'relu',
    'use_bias': True, 'data_format': 'channels_last', 'dilation_rate': [1, 1]}, ['in'], {'kernel': r(3, 3, 3, 4), 'bias': r(4)})
add('SeparableConv2D', 'sep', {'filters': 5, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same',
    'activation': 'linear', 'use_bias': True, 'depth_multiplier': 2, 'data_format': 'channels_last',
    'dilation_rate': [1, 1]}, ['c1'], {'depthwise_kernel': r(3, 3, 4, 2), 'pointwise_kernel': r(1, 1, 8, 5), 'bias': r(5)})
add('BatchNormalization', 'bn', {'axis': -1, 'epsilon': 0.001, 'center': True, 'scale': True}, ['sep'],
    {'gamma': 1 + r(5), 'beta': r(5), 'moving_mean': r(5), 'moving_variance': (0.5 + np.abs(r(5))).astype(np.float32)})
add('LeakyReLU', 'lrelu', {'alpha': 0.2}, ['bn'])
add('ZeroPadding2D', 'zp', {'padding': [[1, 1], [2, 2]], 'data_format': 'channels_last'}, ['lrelu'])
add('Conv2D', 'cvalid', {'filters': 4, 'kernel_size': [3, 5], 'strides': [1, 1], 'padding': 'valid',
    'activation': 'linear', 'use_bias': False, 'data_format': 'channels_last', 'dilation_rate': [1, 1]}, ['zp'],
    {'kernel': r(3, 5, 5, 4)})
add('ReLU', 'relu6', {'max_value': 0.5}, ['cvalid'])
add('Add', 'sum', {}, ['relu6', 'c1'])
add('Multiply', 'prod', {}, ['sum', 'c1'])
add('DepthwiseConv2D', 'dw', {'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same', 'depth_multiplier': 1,
    'activation': 'linear', 'use_bias': True, 'data_format': 'channels_last', 'dilation_rate': [1, 1]}, ['prod'],
    {'depthwise_kernel': r(3, 3, 4, 1), 'bias': r(4)})
add('Concatenate', 'cat', {'axis': -1}, ['dw', 'sum'])
add('Conv2D', 'c2', {'filters': 12, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same', 'activation': 'linear',
    'use_bias': True, 'data_format': 'channels_last', 'dilation_rate': [1, 1]}, ['cat'], {'kernel': r(3, 3, 8, 12), 'bias': r(12)})
add('TensorFlowOpLayer', 'tf_op_layer_d2s', {'node_def': {'name': 'd2s', 'op': 'DepthToSpace', 'input': ['c2/Identity'],
    'attr': {'block_size': {'i': '2'}, 'T': {'type': 'DT_FLOAT'}, 'data_format': {'s': 'TkhXQw=='}}}, 'constants': {}}, ['c2'])
add('Conv2DTranspose', 'deconv', {'filters': 3, 'kernel_size': [4, 4], 'strides': [2, 2], 'padding': 'same',
    'activation': 'linear', 'use_bias': True, 'data_format': 'channels_last', 'dilation_rate': [1, 1],
    'output_padding': None}, ['tf_op_layer_d2s'], {'kernel': r(4, 4, 3, 3), 'bias': r(3)})
add('UpSampling2D', 'bilinear', {'size': [2, 2], 'interpolation': 'bilinear'}, ['deconv'])
add('UpSampling2D', 'up', {'size': [1, 1], 'interpolation': 'nearest'}, ['bilinear'])
add('PReLU', 'prelu', {'shared_axes': [1, 2]}, ['up'], {'alpha': r(1, 1, 3)})
add('Activation', 'sig', {'activation': 'sigmoid'}, ['prelu'])
config = {'class_name': 'Model', 'config': {'name': 'synthetic', 'layers': layers, 'input_layers': [['in', 0, 0]],
          'output_layers': [['sig', 0, 0]]}}
with h5py.File(sys.argv[1], 'w') as f:
    f.attrs['model_config'] = json.dumps(config)
    f.attrs['keras_version'] = '2.2.4-tf'
    g = f.create_group('model_weights')
    g.attrs['layer_names'] = [l['name'].encode() for l in layers]
    for name, ws in weights.items():
        lg = g.create_group(name)
        lg.attrs['weight_names'] = [(name + '/' + k + ':0').encode() for k in ws]
        for k, v in ws.items():
            lg.create_dataset(name + '/' + k + ':0', data=v)
