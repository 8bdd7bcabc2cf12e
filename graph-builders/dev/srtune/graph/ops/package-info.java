/** Small graph building blocks shared by the operators, the networks and the metrics. Pure graph construction. */
package dev.srtune.graph.ops;
