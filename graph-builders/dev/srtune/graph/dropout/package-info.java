/**
 * Test-time (Monte-Carlo) dropout put into an already built SR graph without retraining: which edges get it
 * ({@link dev.srtune.graph.dropout.DropoutPlacement}) and the GraphDef rewrite that puts it there
 * ({@link dev.srtune.graph.dropout.DropoutSurgery}). Pure graph construction: GraphDef in, GraphDef out.
 */
package dev.srtune.graph.dropout;
