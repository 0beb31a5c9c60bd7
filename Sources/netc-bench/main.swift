// `make bench`: netc's speed and memory goals, measured side by side with
// the floor (bench/floor.c: libyaml events + the same files written the same
// way) and netplan's generator, and the packet path in network namespaces.
// Goals live here, not in timed tests (docs/benchmarks.md).
//
//   netc-bench --netc PATH --floor PATH [--sizes 1000,10000,20000,100000]
//              [--fleet-hosts 250,1000] [--example DIR] [--no-netplan] [--no-netns]
import Foundation
import NetcCore
#if canImport(Glibc)
import Glibc
#endif

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let known = ["--netc", "--floor", "--sizes", "--fleet-hosts", "--example", "--no-netplan", "--no-netns", "--phases", "--phases-file", "--phases-fleet", "--sizes-of"]
if let bad = args.first(where: { $0.hasPrefix("-") && !known.contains($0) }) {
    FileHandle.standardError.write(Data("""
        netc-bench: unknown option \(bad)
        usage: netc-bench --netc PATH --floor PATH [--sizes N,N,...] [--fleet-hosts N,N,...] [--example DIR] [--no-netplan] [--no-netns]
               netc-bench --phases N | --phases-file TOPOLOGY | --phases-fleet FLEET | --sizes-of

        """.utf8))
    exit(2)
}
if args.contains("--sizes-of") { Phases.sizes(); exit(0) }
if let path = option("--phases-file") {
    try Phases.run(text: String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    exit(0)
}
if let path = option("--phases-fleet") {
    try Phases.fleet(path)
    exit(0)
}
if let n = option("--phases").flatMap(Int.init) {
    try Phases.run(n)
    exit(0)
}
let netc = option("--netc") ?? ".build/release/netc"
let floorTool = option("--floor") ?? ".build/bench-floor"
let sizes = (option("--sizes") ?? "1000,10000,20000,100000").split(separator: ",").compactMap { Int($0) }
let fleetSizes = (option("--fleet-hosts") ?? "250,1000").split(separator: ",").compactMap { Int($0) }
let example = option("--example") ?? "examples/nat"
let netplan = "/usr/libexec/netplan/generate"
let useNetplan = !args.contains("--no-netplan") && FileManager.default.isExecutableFile(atPath: netplan)
let useNetns = !args.contains("--no-netns")

let base = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()) + "/netc-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
/// Exits, removing the workloads and outputs under `base` (a top-level
/// `defer` does not run on `exit`: each run left its files, on tmpfs).
func finish(_ status: Int32) -> Never {
    try? FileManager.default.removeItem(atPath: base)
    exit(status)
}

nonisolated(unsafe) var failures: [String] = []
func goal(_ ok: Bool, _ text: String) {
    say("\(ok ? "ok  " : "FAIL") \(text)")
    if !ok { failures.append(text) }
}
func fmt(_ r: Run) -> String {
    String(format: "%7.3f s  user %7.3f  sys %7.3f  rss %7.1f MiB", r.wall, r.user, r.sys, r.rss)
}
func write(_ text: String, _ path: String) { _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) }

/// `topology` written to DIR/NAME.yaml and built into DIR/NAME (made if
/// missing); returns that OUT.
func built(_ topology: String, _ name: String, in dir: String) throws -> String {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    write(topology, dir + "/\(name).yaml")
    _ = Measure.run([netc, "build", dir + "/\(name).yaml", "-o", dir + "/\(name)"])
    return dir + "/\(name)"
}

/// Every file under `dir` (netc's folders of OUT, or of each OUT/HOST) as
/// "SIZE PATH" lines sorted by path, for the floor.
func manifest(_ dir: String) -> String {
    var lines: [(String, Int)] = []
    func walk(_ rel: String) {
        let here = rel.isEmpty ? dir : dir + "/" + rel
        for name in (try? FileManager.default.contentsOfDirectory(atPath: here)) ?? [] {
            let path = rel.isEmpty ? name : rel + "/" + name
            var st = stat()
            stat(dir + "/" + path, &st)
            if (st.st_mode & S_IFMT) == S_IFDIR { walk(path) } else { lines.append((path, Int(st.st_size))) }
        }
    }
    walk("")
    return lines.sorted { $0.0 < $1.0 }.map { "\($0.1) \($0.0)" }.joined(separator: "\n") + "\n"
}

say("netc \(netc), floor \(floorTool), files on \(base.hasPrefix("/dev/shm") ? "tmpfs" : "disk")")
say("medians of 5 interleaved rounds (3 above 20,000 networks) unless noted\n")
// A tiny example: the whole process, nothing changed (first, on a quiet machine).
let tinyOut = base + "/tiny"
_ = Measure.run([netc, "build", example + "/topology.yaml", "-o", tinyOut])
var tinyRuns = (0..<21).map { _ in Measure.run([netc, "build", example + "/topology.yaml", "-o", tinyOut]) }
tinyRuns.sort { $0.wall < $1.wall }
var tiny = tinyRuns[10]
tiny.rss = Measure.peakRSS([netc, "build", example + "/topology.yaml", "-o", tinyOut]) ?? tiny.rss
say("\(example) rebuild (median of 21): \(fmt(tiny))\n")

var cold: [Int: Run] = [:], floors: [Int: Run] = [:], netplans: [Int: Run] = [:], rebuilds: [Int: Run] = [:]
for n in sizes {
    let dir = "\(base)/\(n)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    write(Workload.bridgesOverVLANs(n), dir + "/topology.yaml")
    let out = dir + "/out", fout = dir + "/floor", root = dir + "/netplan-root"
    if useNetplan { write(Workload.bridgesOverVLANsNetplan(n), dir + "/netplan.yaml") }
    // The manifest for the floor: netc's own file list and sizes.
    guard Measure.run([netc, "build", dir + "/topology.yaml", "-o", out]).status == 0 else {
        say("netc build failed at \(n) networks"); finish(1)
    }
    write(manifest(out), dir + "/manifest")
    // Rounds interleave the programs, so that the machine's drift (a VM's
    // file system is noisy) touches each of them alike; medians per program.
    let rounds = n <= 20000 ? 5 : 3
    var cs: [Run] = [], rs: [Run] = [], fs: [Run] = [], ps: [Run] = []
    for round in 0..<rounds {
        _ = Measure.sh("rm -rf \(out)")
        cs.append(Measure.run([netc, "build", dir + "/topology.yaml", "-o", out]))
        rs.append(Measure.run([netc, "build", dir + "/topology.yaml", "-o", out]))
        _ = Measure.sh("rm -rf \(fout) && mkdir -p \(fout)")
        fs.append(Measure.run([floorTool, dir + "/topology.yaml", dir + "/manifest", fout]))
        if useNetplan && (n <= 20000 || round == 0) {
            _ = Measure.sh("rm -rf \(root) && mkdir -p \(root)/etc/netplan && install -m 600 \(dir)/netplan.yaml \(root)/etc/netplan/10-bench.yaml")
            ps.append(Measure.run([netplan, "--root-dir", root]))
        }
    }
    func median(_ runs: [Run]) -> Run { runs.sorted { $0.wall < $1.wall }[runs.count / 2] }
    var c = median(cs), r = median(rs), f = median(fs)
    guard c.status == 0, r.status == 0, f.status == 0 else { say("a run failed at \(n) networks"); finish(1) }
    // Peak memory from one more run of each, measured from outside.
    _ = Measure.sh("rm -rf \(out)")
    c.rss = Measure.peakRSS([netc, "build", dir + "/topology.yaml", "-o", out]) ?? c.rss
    r.rss = Measure.peakRSS([netc, "build", dir + "/topology.yaml", "-o", out]) ?? r.rss
    _ = Measure.sh("rm -rf \(fout) && mkdir -p \(fout)")
    f.rss = Measure.peakRSS([floorTool, dir + "/topology.yaml", dir + "/manifest", fout]) ?? f.rss
    cold[n] = c; rebuilds[n] = r; floors[n] = f
    let files = manifest(out).split(separator: "\n").count
    say("\(n) networks, \(files) files")
    say("  netc cold build    \(fmt(c))")
    say("  netc rebuild       \(fmt(r))   (nothing changed)")
    say("  floor              \(fmt(f))")
    if !ps.isEmpty {
        let p = median(ps)
        netplans[n] = p
        say("  netplan generate   \(fmt(p))\(ps.count == 1 ? "   (1 run)" : "")")
    }
    say(String(format: "  ratios: netc/floor %.2f", c.wall / f.wall)
          + (netplans[n].map { String(format: ", netplan/netc %.2f", $0.wall / c.wall) } ?? ""))
    _ = Measure.sh("rm -rf \(dir)")
    say("")
}

// Fleets (docs/fleet.md): every host's folder from one fleet file, against
// the floor parsing the same YAML files and writing the same files.
var fleetCold: [Int: Run] = [:], fleetFloors: [Int: Run] = [:], fleetBytes: [Int: Int] = [:]
var hostRebuild: (run: Run, outside: [String], writes: Int)?
for hosts in fleetSizes {
    let dir = "\(base)/fleet\(hosts)"
    let (fleetText, hostFiles) = Workload.fleet(hosts: hosts, networks: 10, overlays: 5)
    try FileManager.default.createDirectory(atPath: dir + "/hosts", withIntermediateDirectories: true)
    write(fleetText, dir + "/fleet.yaml")
    for h in hostFiles { write(h.text, dir + "/" + h.path) }
    let out = dir + "/out", fout = dir + "/floor"
    let build = [netc, "build", dir + "/fleet.yaml", "-o", out]
    guard Measure.run(build).status == 0 else { say("netc build failed on the fleet of \(hosts) hosts"); finish(1) }
    let list = manifest(out)
    write(list, dir + "/manifest")
    let floorArgs = [floorTool, dir + "/fleet.yaml", dir + "/manifest", fout] + hostFiles.map { dir + "/" + $0.path }
    var cs: [Run] = [], rs: [Run] = [], fs: [Run] = []
    for _ in 0..<3 {
        _ = Measure.sh("rm -rf \(out)")
        cs.append(Measure.run(build))
        rs.append(Measure.run(build))
        _ = Measure.sh("rm -rf \(fout) && mkdir -p \(fout)")
        fs.append(Measure.run(floorArgs))
    }
    func median(_ runs: [Run]) -> Run { runs.sorted { $0.wall < $1.wall }[runs.count / 2] }
    var c = median(cs), r = median(rs), f = median(fs)
    guard c.status == 0, r.status == 0, f.status == 0 else { say("a run failed on the fleet of \(hosts) hosts"); finish(1) }
    _ = Measure.sh("rm -rf \(out)")
    c.rss = Measure.peakRSS(build) ?? c.rss
    r.rss = Measure.peakRSS(build) ?? r.rss
    _ = Measure.sh("rm -rf \(fout) && mkdir -p \(fout)")
    f.rss = Measure.peakRSS(floorArgs) ?? f.rss
    let lines = list.split(separator: "\n")
    let bytes = lines.reduce(0) { $0 + (Int($1.split(separator: " ")[0]) ?? 0) }
    fleetCold[hosts] = c; fleetFloors[hosts] = f; fleetBytes[hosts] = bytes
    say("fleet of \(hosts) hosts (10 nat networks each, 5 overlays over all), \(lines.count) files, \(bytes >> 20) MiB")
    say("  netc cold build    \(fmt(c))")
    say("  netc rebuild       \(fmt(r))   (nothing changed)")
    say("  floor              \(fmt(f))")
    say(String(format: "  ratios: netc/floor %.2f; netc %.1f ns per output byte", c.wall / f.wall, c.wall / Double(bytes) * 1e9))
    // One host rebuilt with --host, nothing changed: the paths it opens,
    // renames or removes under OUT (strace), and how many it writes.
    if hosts == fleetSizes.max(), Measure.sh("command -v strace") != 0 {
        say("  skip the --host trace: needs strace")
    } else if hosts == fleetSizes.max() {
        let trace = dir + "/strace"
        let one = String(format: "kvm%04d", hosts / 2)
        let t = Measure.run(["strace", "-f", "-qq", "-e", "trace=%file,write", "-o", trace] + build + ["--host", one])
        let text = (try? String(contentsOfFile: trace, encoding: .utf8)) ?? ""
        let touched = text.split(separator: "\n").filter { $0.contains(out + "/") }
        let outside = touched.filter { !$0.contains(out + "/" + one + "\"") && !$0.contains(out + "/" + one + "/") }
        // A call that changes something: one that writes, makes, renames or
        // removes, and did not fail (recovery's unlink of a missing journal
        // temporary fails with ENOENT and changes nothing). The *at calls
        // name a file relative to a folder opened here, which strace shows
        // without OUT: only folders of OUT/HOST are opened.
        let writes = touched.filter {
            ["O_WRONLY", "O_RDWR", "O_CREAT", "rename", "unlink", "mkdir"].contains(where: $0.contains) && !$0.contains(" = -1 ")
        }
        hostRebuild = (t, outside.map(String.init), writes.count)
        say("  --host \(one) rebuild, nothing changed: \(touched.count) calls on paths in OUT, \(outside.count) outside OUT/\(one), \(writes.count) writing")
    }
    _ = Measure.sh("rm -rf \(dir)")
    say("")
}

say("goals")
for n in sizes {
    guard let c = cold[n], let f = floors[n] else { continue }
    goal(c.wall <= 1.25 * f.wall, String(format: "cold build within 1.25x of the floor at %d: %.2fx", n, c.wall / f.wall))
    if let p = netplans[n] {
        let need = n == 20000 ? 1.8 : 1.0
        goal(p.wall >= need * c.wall, String(format: "faster than netplan%@ at %d: netplan/netc %.2f",
                                               need > 1 ? " by 1.8x" : "", n, p.wall / c.wall))
    }
}
if let r = rebuilds[10000] { goal(r.wall <= 0.4, String(format: "rebuild with nothing changed at 10000: %.3f s <= 0.4 s", r.wall)) }
for hosts in fleetSizes {
    guard let c = fleetCold[hosts], let f = fleetFloors[hosts] else { continue }
    goal(c.wall <= 1.5 * f.wall, String(format: "fleet of %d hosts: cold build within 1.5x of the floor: %.2fx", hosts, c.wall / f.wall))
}
// Linear in the output's size: the time per output byte of the largest
// fleet within 1.25x of the smallest's.
if let lo = fleetSizes.min(), let hi = fleetSizes.max(), lo < hi,
   let a = fleetCold[lo], let b = fleetCold[hi], let ab = fleetBytes[lo], let bb = fleetBytes[hi] {
    let ratio = (b.wall / Double(bb)) / (a.wall / Double(ab))
    goal(ratio <= 1.25, String(format: "fleet build linear in its output: time per byte at %d hosts / at %d hosts %.2f <= 1.25", hi, lo, ratio))
}
if let h = hostRebuild {
    goal(h.run.status == 0 && h.outside.isEmpty && h.writes == 0,
         "a no-change --host rebuild touches only its host's folder, and writes nothing: \(h.outside.count) path(s) outside, \(h.writes) writing"
         + (h.outside.first.map { " (first: \($0))" } ?? ""))
}
goal(tiny.wall <= 0.015, String(format: "tiny example rebuild: %.1f ms <= 15 ms", tiny.wall * 1000))
if let big = sizes.max(), let c = cold[big] {
    // The larger of the cold build's and the rebuild's (which also holds
    // every existing file while it compares).
    let rss = max(c.rss, rebuilds[big]?.rss ?? 0)
    goal(rss < 1024, String(format: "peak RSS at %d networks: %.0f MiB < 1024 MiB (cold build %.0f, rebuild %.0f)",
                            big, rss, c.rss, rebuilds[big]?.rss ?? 0))
}

// The packet path and the ruleset load, in the bench's own namespaces.
if useNetns {
    if getuid() != 0 || Measure.sh("command -v ip && command -v nft && command -v ping") != 0 {
        say("skip packet path: needs root, ip, nft and ping")
    } else {
        let out = try built(Workload.natNetworks(1000), "nat1k", in: base + "/nat")
        let rtt = Measure.run(["/bin/bash", "bench/rtt.sh", out + "/" + OutputLayout.ruleset, "1000"], quiet: false)
        goal(rtt.status == 0, "first and last of 1,000 nat networks: a packet of each is evaluated against as many rules (bench/rtt.sh)")
        let out10k = try built(Workload.natNetworks(10000), "nat10k", in: base + "/nat")
        let load = Measure.median(3, ["unshare", "-n", "nft", "-f", out10k + "/" + OutputLayout.ruleset])
        goal(load.status == 0 && load.wall <= 2, String(format: "10,000-network ruleset loads with nft -f in %.2f s <= 2 s", load.wall))
    }
    // A no-op apply against the real libvirtd and networkd.
    if getuid() != 0 || Measure.sh("command -v libvirtd && command -v virsh && command -v dbus-daemon && command -v networkctl") != 0 {
        say("skip no-op apply: needs root, libvirtd, virsh, dbus-daemon and networkd")
    } else {
        let out = try built(Workload.natNetworks(100), "nat100", in: base + "/apply")
        let r = Measure.run(["/bin/bash", "bench/noop-apply.sh", netc, out, "3", base + "/apply/median"], quiet: false)
        let seconds = (try? String(contentsOfFile: base + "/apply/median", encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        goal(r.status == 0 && (seconds ?? 99) <= 1, String(format: "a no-op apply on a host with 100 libvirt networks: %.2f s <= 1 s, reads only (bench/noop-apply.sh)", seconds ?? -1))
    }
}
say(failures.isEmpty ? "\nall goals met" : "\n\(failures.count) goal(s) not met")
finish(failures.isEmpty ? 0 : 1)
