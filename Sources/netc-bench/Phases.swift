import Foundation
import NetcCore

/// `netc-bench --phases N`: where the time of one in-memory build of the
/// N-network workload goes (for profiling, not a goal).
enum Phases {
    static func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let v = try body()
        print(String(format: "  %-8@ %7.3f s", label as NSString, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        return v
    }

    static func run(_ n: Int) throws {
        print("\(n) networks")
        try run(text: Workload.bridgesOverVLANs(n))
    }

    static func run(text: String) throws {
        print("phases of one build, \(text.utf8.count / 1024) KiB of YAML")
        let parsed = time("parse") { TopologyParser.parse(text) }
        let (topology, _) = try time("check") { try TopologyChecker.check(parsed) }
        let artifacts = time("plan") { Artifacts.plan(topology!, source: "topology.yaml", twoCores: TwoCores.worth(bytes: text.utf8.count)) }
        let files = try time("print") { try artifacts.print() }
        print("  \(files.count) files, \(files.reduce(0) { $0 + $1.bytes.count } / 1024) KiB")
        // The whole compile as netc build runs it, timed in one piece.
        let whole = try time("compile") { try Compiler.compile(text, source: "topology.yaml") }
        precondition(whole.files == files, "the two-core compile printed other files")
    }
}

extension Phases {
    static func sizes() {
        print("NetworkSyntax \(MemoryLayout<NetworkSyntax>.size), InterfaceSyntax \(MemoryLayout<InterfaceSyntax>.size), GuestAddressingSyntax \(MemoryLayout<GuestAddressingSyntax>.size), HostAddressingSyntax \(MemoryLayout<HostAddressingSyntax>.size), NetworkAddressingSyntax \(MemoryLayout<NetworkAddressingSyntax>.size), KeyRanges \(MemoryLayout<KeyRanges>.size), Located<String> \(MemoryLayout<Located<String>>.size), Network \(MemoryLayout<Network>.size), Interface \(MemoryLayout<Interface>.size)")
    }
}

extension Phases {
    /// `netc-bench --phases-fleet FLEET`: where the time of one in-memory
    /// build of a fleet goes, on one core (for profiling, not a goal).
    static func fleet(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let checked = try time("check") {
            try FleetCompiler.check(text, name: path) { p in
                guard let d = FileManager.default.contents(atPath: folder + "/" + p) else { return .unreadable("missing") }
                return .text(name: p, bytes: Array(d))
            }
        }
        let hosts = try time("build") { try checked.hostNames.map(checked.build) }
        let artifacts = time("plan") { hosts.map { Artifacts.plan($0.topology, source: nil) } }
        let files = try time("print") { try artifacts.map { try $0.print() } }
        print("  \(hosts.count) hosts, \(files.reduce(0) { $0 + $1.count }) files, \(files.reduce(0) { $0 + $1.reduce(0) { $0 + $1.bytes.count } } >> 20) MiB")
    }
}

