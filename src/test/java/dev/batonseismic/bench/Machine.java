package dev.batonseismic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine a benchmark ran on: cores, RAM, CPU, Java, OS, and the load average (other work skews timings). */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", Benchmark.round(grep("/proc/meminfo", "MemTotal:\\s+(\\d+) kB", 0) / 1024.0 / 1024.0, 1));
        m.put("cpu", grepText("/proc/cpuinfo", "model name\\s*:\\s*(.+)"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", grepText("/etc/os-release", "PRETTY_NAME=\"?([^\"\\n]+)") + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("loadAverageAtStart", loadAverage());
        return m;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long grep(String file, String regex, long fallback) {
        String s = grepText(file, regex);
        return s.equals("unknown") ? fallback : Long.parseLong(s.trim());
    }

    private static String grepText(String file, String regex) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of(file)));
            return m.find() ? m.group(1).trim() : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
