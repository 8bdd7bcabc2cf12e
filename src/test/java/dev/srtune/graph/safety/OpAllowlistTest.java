package dev.srtune.graph.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.TensorProto;

/** The allowlist on graphs written here node by node: what a session run of the roots would run is what counts. */
class OpAllowlistTest {
  private static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  private static NodeDef stringConst(String name, String value) {
    return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("value", AttrValue.newBuilder().setTensor(
        TensorProto.newBuilder().addStringVal(ByteString.copyFromUtf8(value))).build()).build();
  }

  @Test
  void aControlDependencyOnAFileWriteIsRefused() {
    GraphDef g = GraphDef.newBuilder()
        .addNode(node("x", "Placeholder"))
        .addNode(stringConst("path", "pwned.txt"))
        .addNode(node("write", "WriteFile", "path", "path"))
        .addNode(node("y", "Relu", "x", "^write"))
        .addNode(node("unused", "PrintV2", "path"))
        .build();
    OpAllowlist.Refused r = OpAllowlist.checkRun(g, List.of("y:0"));
    assertNotNull(r);
    assertEquals("WriteFile", r.opType());
    assertEquals("write", r.node());
    // What the output does not need is not run, so it is not refused here (the import leaves it behind).
    assertNull(OpAllowlist.checkRun(g, List.of("x")));
    // A print to a file (PrintV2's output_stream) on the way to the output is refused too.
    GraphDef printing = g.toBuilder().addNode(NodeDef.newBuilder().setName("z").setOp("Relu").addInput("x")
        .addInput("^unused")).build();
    assertEquals("PrintV2", OpAllowlist.checkRun(printing, List.of("z")).opType());
  }

  @Test
  void functionBodiesAreCheckedToo() {
    FunctionDef body = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("net_fn"))
        .addNodeDef(node("read", "ReadFile", "path")).build();
    GraphDef g = GraphDef.newBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(body))
        .addNode(node("x", "Placeholder"))
        .addNode(NodeDef.newBuilder().setName("call").setOp("StatefulPartitionedCall").addInput("x")
            .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("net_fn")).build()))
        .build();
    OpAllowlist.Refused r = OpAllowlist.checkRun(g, List.of("call"));
    assertEquals("ReadFile", r.opType());
    assertEquals(" in function 'net_fn'", r.where());
  }

  @Test
  void theSaverMayReadAndWriteOnlyTheCheckpointItIsGiven() {
    GraphDef.Builder g = GraphDef.newBuilder()
        .addNode(node("x", "Placeholder"))
        .addNode(node("sr", "Relu", "x"))
        .addNode(node("save/filename", "Placeholder"))
        .addNode(stringConst("save/names", "w"))
        .addNode(node("save/RestoreV2", "RestoreV2", "save/filename", "save/names", "save/names"))
        .addNode(node("save/restore_all", "NoOp", "^save/RestoreV2"))
        .addNode(node("save/SaveV2", "SaveV2", "save/filename", "save/names", "save/names", "x"))
        .addNode(node("save/control_dependency", "Identity", "save/filename", "^save/SaveV2"));
    SaverDef saver = SaverDef.newBuilder().setFilenameTensorName("save/filename:0")
        .setRestoreOpName("save/restore_all").setSaveTensorName("save/control_dependency:0").build();
    MetaGraphDef ok = MetaGraphDef.newBuilder().setGraphDef(g).setSaverDef(saver).build();
    assertNull(OpAllowlist.checkMetaGraph(ok));

    // The restore (run by the loader) writing a checkpoint of its own.
    MetaGraphDef writesOnLoad = MetaGraphDef.newBuilder().setGraphDef(g.clone()
        .addNode(node("save/restore_all_evil", "NoOp", "^save/RestoreV2", "^save/SaveV2")))
        .setSaverDef(saver.toBuilder().setRestoreOpName("save/restore_all_evil")).build();
    assertEquals("SaveV2", OpAllowlist.checkMetaGraph(writesOnLoad).opType());

    // The save writing where it chooses rather than under the prefix it is fed.
    MetaGraphDef ownPath = MetaGraphDef.newBuilder().setGraphDef(g.clone()
        .addNode(stringConst("evil/prefix", "/tmp/elsewhere"))
        .addNode(node("evil/save", "SaveV2", "evil/prefix", "save/names", "save/names", "x"))
        .addNode(node("evil/dep", "Identity", "save/filename", "^evil/save")))
        .setSaverDef(saver.toBuilder().setSaveTensorName("evil/dep:0")).build();
    OpAllowlist.Refused r = OpAllowlist.checkMetaGraph(ownPath);
    assertEquals("evil/prefix", r.node());

    // A checkpoint op on the way to the network's output is refused as well.
    GraphDef readsInNetwork = g.clone().addNode(node("sr2", "Relu", "x", "^save/RestoreV2")).build();
    assertEquals("RestoreV2", OpAllowlist.checkRun(readsInNetwork, List.of("sr2")).opType());
  }
}
