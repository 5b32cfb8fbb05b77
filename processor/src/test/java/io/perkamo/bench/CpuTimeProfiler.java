package io.perkamo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Throughput per CPU second, next to JMH's per wall-clock second: on a shared box the benchmark
 * thread gets a varying share of a core, so ops per second of its own CPU time compare two
 * builds far more steadily. {@code cpu.thread} counts the JMH worker threads' CPU time;
 * {@code cpu.process} the whole JVM's (GC and JIT threads too). Use with
 * {@code -prof io.perkamo.bench.CpuTimeProfiler}.
 */
public class CpuTimeProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long workerCpuBefore;
    private long processCpuBefore;

    @Override
    public String getDescription() {
        return "ops per second of CPU time: JMH worker threads, and the whole process";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        workerCpuBefore = workerCpu();
        processCpuBefore = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        double ops = result.getMetadata().getMeasuredOps();
        double workerSeconds = (workerCpu() - workerCpuBefore) / 1e9;
        double processSeconds = (os.getProcessCpuTime() - processCpuBefore) / 1e9;
        return List.of(
                new ScalarResult("cpu.thread", ops / workerSeconds, "ops/cpu-s", AggregationPolicy.AVG),
                new ScalarResult("cpu.process", ops / processSeconds, "ops/cpu-s", AggregationPolicy.AVG));
    }

    private long workerCpu() {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }
}
