/**
 * Reading PyTorch {@code state_dict} files as they are published (no conversion step): the zip format of
 * {@code torch.save} since 1.6 and the legacy pickle-with-storages format, both through the {@code net.razorvine}
 * unpickler, plus the layout change PyTorch OIHW → TensorFlow HWIO. Importers of PyTorch models build on it.
 */
package dev.srtune.graph.torch;
