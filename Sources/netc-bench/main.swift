// Benchmarks for `make bench`: speed goals are measured here, not in tests.
//
// Goal (issue 3): validating a topology of 10,000 networks stays well under a
// second. The topology has 10,000 nat networks (each with DHCP and a
// reservation) and one uplink; validation includes the sort-based overlap
// check over every subnet and host address.
import Foundation
import NetcCore

func topology(networks n: Int) -> String {
    var s = """
    version: 1
    host: bench
    interfaces:
      eth0:
        ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1, dns: [203.0.113.53]}
    networks:

    """
    for i in 0..<n {
        let a = 10 + i / 65536 % 100, b = i / 256 % 256, c = i % 256
        s += """
          net\(i):
            mode: nat
            bridge: vb\(i)
            uplink: eth0
            ipv4:
              subnet: \(a).\(b).\(c).0/24
              dhcp: {start: \(a).\(b).\(c).100, end: \(a).\(b).\(c).200}
              reservations: {g\(i): {mac: 52:54:00:\(String(format: "%02x:%02x:%02x", i >> 16 & 255, i >> 8 & 255, i & 255)), ip: \(a).\(b).\(c).10}}

        """
    }
    return s
}

func measure(_ label: String, runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print(String(format: "%-48@ %8.3f s (best of %d)", label as NSString, best, runs))
    return best
}

let n = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 10_000
let text = topology(networks: n)
if CommandLine.arguments.count > 2, CommandLine.arguments[2] == "parse" {
    // For profiling the parse stage alone: `perf record netc-bench 10000 parse`.
    for _ in 0..<10 { _ = TopologyParser.parse(text) }
    exit(0)
}
print("topology: \(n) networks, \(text.utf8.count / 1024) KiB")
var failed = false
_ = measure("parse only") { _ = TopologyParser.parse(text) }
let syntax = TopologyParser.parse(text).0!
_ = measure("validate only") { _ = TopologyChecker.validate(syntax) }
let validate = measure("parse + validate (netc check)") {
    let d = Compiler.diagnose(text)
    precondition(!d.contains { $0.severity == .error }, "benchmark topology has errors: \(d.prefix(3))")
}
_ = try measure("parse + validate + lower + render (netc build)") {
    let r = try Compiler.compile(text, fileName: "bench.yaml")
    precondition(r.files.count == 3 * n + 2)
}
let goal = 1.0
if validate >= goal {
    print("FAIL: validating \(n) networks took \(validate) s; the goal is under \(goal) s")
    failed = true
} else {
    print("ok: validation under \(goal) s")
}
exit(failed ? 1 : 0)
