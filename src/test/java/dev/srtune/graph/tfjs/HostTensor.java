package dev.srtune.graph.tfjs;

import java.util.function.DoubleUnaryOperator;

/**
 * An HWC feature map on the host with plain-loop reference versions of the layers the importer rebuilds, written
 * from the Keras/TF definitions (not from the importer), for comparing the imported graph against.
 */
record HostTensor(int h, int w, int c, float[] d) {

  float at(int y, int x, int ch) {
    return d[(y * w + x) * c + ch];
  }

  /** Conv2D, stride 1, HWIO kernel; "same" pads k/2 zeros on each side (odd k), "valid" pads none. */
  HostTensor conv(float[] kernel, float[] bias, int k, int filters, boolean same) {
    int pad = same ? k / 2 : 0;
    int oh = h + 2 * pad - k + 1;
    int ow = w + 2 * pad - k + 1;
    float[] out = new float[oh * ow * filters];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        for (int f = 0; f < filters; f++) {
          double s = bias[f];
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int iy = y + ky - pad;
              int ix = x + kx - pad;
              if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                continue;
              }
              for (int ci = 0; ci < c; ci++) {
                s += at(iy, ix, ci) * kernel[((ky * k + kx) * c + ci) * filters + f];
              }
            }
          }
          out[(y * ow + x) * filters + f] = (float) s;
        }
      }
    }
    return new HostTensor(oh, ow, filters, out);
  }

  HostTensor map(DoubleUnaryOperator f) {
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) f.applyAsDouble(d[i]);
    }
    return new HostTensor(h, w, c, out);
  }

  HostTensor plus(HostTensor o) {
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] + o.d[i];
    }
    return new HostTensor(h, w, c, out);
  }

  HostTensor concat(HostTensor o) {
    float[] out = new float[h * w * (c + o.c)];
    for (int p = 0; p < h * w; p++) {
      System.arraycopy(d, p * c, out, p * (c + o.c), c);
      System.arraycopy(o.d, p * o.c, out, p * (c + o.c) + c, o.c);
    }
    return new HostTensor(h, w, c + o.c, out);
  }

  /** Nearest-neighbour enlargement: every pixel repeated s×s times. */
  HostTensor repeat(int s) {
    float[] out = new float[h * s * w * s * c];
    for (int y = 0; y < h * s; y++) {
      for (int x = 0; x < w * s; x++) {
        System.arraycopy(d, ((y / s) * w + x / s) * c, out, (y * w * s + x) * c, c);
      }
    }
    return new HostTensor(h * s, w * s, c, out);
  }

  /** TF depth_to_space, NHWC: channel (i·s + j)·C' + c goes to sub-pixel (i, j). */
  HostTensor depthToSpace(int s) {
    int oc = c / (s * s);
    float[] out = new float[h * s * w * s * oc];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int i = 0; i < s; i++) {
          for (int j = 0; j < s; j++) {
            for (int ch = 0; ch < oc; ch++) {
              out[((y * s + i) * w * s + x * s + j) * oc + ch] = at(y, x, (i * s + j) * oc + ch);
            }
          }
        }
      }
    }
    return new HostTensor(h * s, w * s, oc, out);
  }

  /** Mean over non-overlapping r×r blocks. */
  HostTensor boxDown(int r) {
    int oh = h / r;
    int ow = w / r;
    float[] out = new float[oh * ow * c];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        for (int ch = 0; ch < c; ch++) {
          double s = 0;
          for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
              s += at(y * r + a, x * r + b, ch);
            }
          }
          out[(y * ow + x) * c + ch] = (float) (s / (r * r));
        }
      }
    }
    return new HostTensor(oh, ow, c, out);
  }
}
