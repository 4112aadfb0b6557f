package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Receiver names found by walking straight-line code back are the names the source-value analysis
 * gives, and so is whether a constructor call initializes a new object (where a guard or queue made
 * in an enabled class is remembered): compared on every call with a receiver in every method of real
 * libraries' classes (Jackson, ASM, the OpenTelemetry SDK, racetrace's own agent), wherever the
 * analysis reaches the call.
 */
class StraightLineSourceTest {
  @Test
  void namesEveryReceiverOfRealLibrariesAsTheAnalysisDoes() throws Exception {
    List<String> differences = new ArrayList<>();
    int calls = 0;
    int methods = 0;
    int analysed = 0;
    int inits = 0;
    int news = 0;
    for (Path jar : jarsOf(com.fasterxml.jackson.databind.ObjectMapper.class, ClassReader.class,
        Analyzer.class, io.opentelemetry.sdk.trace.SdkTracerProvider.class)) {
      for (ClassNode cls : classesIn(jar)) {
        for (MethodNode m : cls.methods) {
          Frame<SourceValue>[] frames = analyse(cls, m);
          if (frames == null) {
            continue;
          }
          ReceiverNamer fast = new ReceiverNamer(cls, m, true);
          ReceiverNamer analysis = new ReceiverNamer(cls, m, false);
          boolean any = false;
          for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (!(insn instanceof MethodInsnNode) || insn.getOpcode() == Opcodes.INVOKESTATIC
                || frames[m.instructions.indexOf(insn)] == null) {
              continue; // no receiver, or code the analysis never reaches
            }
            int arguments = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
            String expected = analysis.receiverOf(insn, arguments);
            String actual = fast.receiverOf(insn, arguments);
            calls++;
            any = true;
            if (!java.util.Objects.equals(expected, actual)) {
              differences.add(cls.name + "." + m.name + m.desc + " @" + m.instructions.indexOf(insn) + ": "
                  + actual + " (analysis: " + expected + ")");
            }
            MethodInsnNode call = (MethodInsnNode) insn;
            if (call.name.equals("<init>")) {
              boolean madeByAnalysis = analysis.initializesNew(call);
              inits++;
              news += madeByAnalysis ? 1 : 0;
              if (fast.initializesNew(call) != madeByAnalysis) {
                differences.add(cls.name + "." + m.name + m.desc + " @" + m.instructions.indexOf(insn)
                    + ": initializes a new " + call.owner + " " + !madeByAnalysis + " (analysis: "
                    + madeByAnalysis + ")");
              }
            }
          }
          if (any) {
            methods++;
            analysed += fast.analysed() ? 1 : 0;
          }
        }
      }
    }
    System.out.printf("StraightLineSourceTest: %d calls in %d methods; the analysis ran for %d of them; "
        + "%d constructor calls, %d of them on a new object%n", calls, methods, analysed, inits, news);
    assertThat(calls).as("calls compared").isGreaterThan(10_000);
    assertThat(news).as("constructor calls on a new object").isGreaterThan(1_000);
    assertThat(inits - news).as("super and this constructor calls").isGreaterThan(100);
    assertThat(differences).as("receiver names that differ from the analysis'").isEmpty();
    assertThat(analysed).as("methods still analysed").isLessThan(methods / 2);
  }

  private static Frame<SourceValue>[] analyse(ClassNode cls, MethodNode m) {
    if (m.instructions.size() == 0) {
      return null;
    }
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(cls.name, m);
    } catch (AnalyzerException e) {
      return null;
    }
  }

  private static List<Path> jarsOf(Class<?>... classes) throws Exception {
    List<Path> jars = new ArrayList<>();
    for (Class<?> c : classes) {
      Path p = Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!jars.contains(p)) {
        jars.add(p);
      }
    }
    jars.add(Paths.get(ReceiverNamer.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    return jars;
  }

  private static List<ClassNode> classesIn(Path location) throws IOException {
    List<ClassNode> classes = new ArrayList<>();
    if (java.nio.file.Files.isDirectory(location)) {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(location)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
          try (InputStream in = java.nio.file.Files.newInputStream(f)) {
            classes.add(read(in));
          }
        }
      }
      return classes;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().endsWith(".class") && !entry.getName().contains("module-info")
            && !entry.getName().startsWith("META-INF/")) {
          try (InputStream in = jar.getInputStream(entry)) {
            classes.add(read(in));
          }
        }
      }
    }
    return classes;
  }

  private static ClassNode read(InputStream in) throws IOException {
    ClassNode cls = new ClassNode();
    new ClassReader(in).accept(cls, 0);
    return cls;
  }
}
