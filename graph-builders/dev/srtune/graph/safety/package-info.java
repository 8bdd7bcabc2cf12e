/**
 * What may run from a user's model: an allowlist of op types (the tensor math SR networks are made of) checked on
 * a graph before anything of it runs, inside every function body it calls. A model file is untrusted input: a
 * TensorFlow graph is a program, and ops such as {@code WriteFile} run like any other.
 */
package dev.srtune.graph.safety;
