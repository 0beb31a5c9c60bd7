import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a command: wall clock, CPU and peak memory, from wait4(2).
struct Run {
    var wall: Double
    var user: Double
    var sys: Double
    /// Peak resident set, MiB (from `Measure.peakRSS` where it matters).
    var rss: Double
    var status: Int32
}

enum Measure {
    /// Runs argv (stdout and stderr to /dev/null unless `quiet` is false).
    static func run(_ argv: [String], quiet: Bool = true) -> Run {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        if quiet {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ) == 0 else {
            return Run(wall: 0, user: 0, sys: 0, rss: 0, status: 127)
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return Run(wall: wall, user: seconds(usage.ru_utime), sys: seconds(usage.ru_stime),
                   rss: Double(usage.ru_maxrss) / 1024, status: (status >> 8) & 0xff)
    }

    /// The median run (by wall time) of `times` runs; `prepare` runs before each.
    static func median(_ times: Int, prepare: () -> Void = {}, _ argv: [String]) -> Run {
        var runs: [Run] = []
        for _ in 0..<times {
            prepare()
            runs.append(run(argv))
        }
        return runs.sorted { $0.wall < $1.wall }[times / 2]
    }

    static func sh(_ command: String) -> Int32 { run(["/bin/sh", "-c", command]).status }

    /// Peak resident set of one run, MiB, through GNU time: wait4's maxrss
    /// of a child spawned by this (large) process starts at this process's
    /// own size, so it cannot tell a small child's peak.
    static func peakRSS(_ argv: [String]) -> Double? {
        let out = NSTemporaryDirectory() + "/netc-bench-rss-\(getpid())"
        defer { unlink(out) }
        guard run(["/usr/bin/time", "-f", "%M", "-o", out] + argv).status == 0,
              let text = try? String(contentsOfFile: out, encoding: .utf8),
              let kib = Double(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "")
        else { return nil }
        return kib / 1024
    }
}

/// Unbuffered output, so that lines keep their order with the output of the
/// commands the bench runs.
func say(_ s: String = "") {
    FileHandle.standardOutput.write(Data((s + "\n").utf8))
}
