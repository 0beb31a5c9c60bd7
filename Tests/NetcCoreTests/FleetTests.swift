import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Fleets (docs/fleet.md): the example fleet's goldens, determinism, each
/// host built alone, the overlay's parts on each member, and every fleet
/// diagnostic at its place in its own file.
final class FleetTests: XCTestCase {
    typealias Plan = ApplyPlan
    static let dir = examplesDir.appendingPathComponent("fleet")

    /// Reads host topologies from a folder, or from `files` in memory.
    static func reader(_ files: [String: String]? = nil) -> (String) -> FleetCompiler.Read {
        { path in
            if let files {
                return files[path].map { .text(name: path, bytes: Array($0.utf8)) } ?? .unreadable("No such file or directory")
            }
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(path).path) else {
                return .unreadable("No such file or directory")
            }
            return .text(name: "hosts/" + (path as NSString).lastPathComponent, bytes: Array(data))
        }
    }

    func compileExample(only: Set<String>? = nil) throws -> FleetResult {
        try FleetCompiler.compile(try readText(Self.dir.appendingPathComponent("fleet.yaml")), name: "fleet.yaml", only: only,
                                  read: Self.reader())
    }

    func testTheExampleFleetMatchesItsExpectedOutput() throws {
        let r = try compileExample()
        XCTAssertFalse(r.hasErrors, "\(r.findings.map(\.diagnostic.message))")
        XCTAssertEqual(r.hosts.map(\.name), ["kvm1", "kvm2", "kvm3"])
        for h in r.hosts {
            let expected = try readTree(Self.dir.appendingPathComponent("expected/\(h.name)"))
            XCTAssertFalse(expected.isEmpty, "no examples/fleet/expected/\(h.name): run make golden")
            let problems = GoldenTests.compare(generated: h.files, expected: expected)
            XCTAssert(problems.isEmpty, "host \(h.name): output differs from examples/fleet/expected/. \(GoldenTests.regenerate)\n"
                      + problems.joined(separator: "\n"))
        }
    }

    /// Each host built alone (`--host`) is byte for byte its part of the
    /// whole fleet's build, whichever host comes first; two builds agree.
    func testEachHostBuiltAloneIsItsPartOfTheWhole() throws {
        let whole = try compileExample()
        let again = try compileExample()
        for (a, b) in zip(whole.hosts, again.hosts) { XCTAssertEqual(a.files, b.files, a.name) }
        for h in whole.hosts {
            let alone = try compileExample(only: [h.name])
            XCTAssertEqual(alone.hosts.map(\.name), [h.name])
            XCTAssertEqual(alone.hosts.first?.files, h.files, h.name)
        }
    }

    /// A member gets the overlay's bridge with the anycast MAC, a VXLAN
    /// link with one FDB entry per other member, its slice of the range;
    /// a host that is a member of nothing gets only its own topology's.
    func testEachMemberGetsTheOverlaysParts() throws {
        let r = try compileExample()
        func file(_ host: String, _ path: String) throws -> String {
            let h = try XCTUnwrap(r.hosts.first { $0.name == host })
            return String(decoding: try XCTUnwrap(h.files.first { $0.path == path }, "\(host): \(path)").bytes, as: UTF8.self)
        }
        let mac = FleetCompiler.anycastMAC("tenants").description
        for (host, offset, local, remote) in [("kvm1", 100, "198.51.100.11", "198.51.100.12"), ("kvm2", 150, "198.51.100.12", "198.51.100.11")] {
            let bridge = try file(host, "networkd/40-netc-vxbr100.netdev")
            XCTAssert(bridge.contains("MACAddress=\(mac)\n"), bridge)
            let network = try file(host, "networkd/40-netc-vxbr100.network")
            XCTAssert(network.contains("Address=10.100.0.1/24\n") && network.contains("PoolOffset=\(offset)\nPoolSize=50\n")
                      && network.contains("Address=10.100.0.11\n") && network.contains("SendOption=26:uint16:1450\n"), network)
            let vxlan = try file(host, "networkd/45-netc-vx10100.netdev")
            XCTAssert(vxlan.contains("VNI=10100\nLocal=\(local)\nDestinationPort=4789\n"), vxlan)
            let port = try file(host, "networkd/45-netc-vx10100.network")
            XCTAssert(port.contains("Bridge=vxbr100\n") && port.contains("[BridgeFDB]\nMACAddress=00:00:00:00:00:00\nDestination=\(remote)\n"), port)
            let rules = try file(host, OutputLayout.ruleset)
            XCTAssert(rules.contains("iifname \"eth0\" ip saddr \(remote) udp dport 4789 @th,96,24 10100 accept"), rules)
            XCTAssert(rules.contains("udp dport 4789 drop"), rules)
        }
        // lab spans all three: kvm3's link floods to kvm1 and kvm2.
        let port3 = try file("kvm3", "networkd/45-netc-vx10200.network")
        XCTAssert(port3.contains("Destination=198.51.100.11\n") && port3.contains("Destination=198.51.100.12\n"), port3)
        XCTAssertFalse(try XCTUnwrap(r.hosts.first { $0.name == "kvm3" }).files.contains { $0.path.contains("vx10100") || $0.path.contains("tenants") })
        // The host's own network is as it builds alone (but for the header's host name, which the topology sets).
        let own = try Compiler.compile(try readText(Self.dir.appendingPathComponent("hosts/kvm3.yaml")))
        XCTAssertEqual(own.files.first { $0.path == "libvirt/default.xml" }?.bytes, try file("kvm3", "libvirt/default.xml").utf8.map { $0 })
    }

    /// `netc apply` of a member's folder brings the overlay up (its bridge
    /// and VXLAN link created by networkd, libvirt's network defined and
    /// started), and when the fleet drops the host from the overlay, takes
    /// it down again (links deleted, files removed, the network destroyed
    /// and undefined), touching nothing else of the host.
    func testApplyBringsAnOverlayUpAndTakesItDownWhenTheHostLeaves() throws {
        let fleet = try readText(Self.dir.appendingPathComponent("fleet.yaml"))
        func kvm3(_ text: String) throws -> [String: [UInt8]] {
            let r = try FleetCompiler.compile(text, name: "fleet.yaml", only: ["kvm3"], read: Self.reader())
            XCTAssertFalse(r.hasErrors)
            return Dictionary(uniqueKeysWithValues: try XCTUnwrap(r.hosts.first).files.map { ($0.path, $0.bytes) })
        }
        let member = try kvm3(fleet)
        var lines = try Plan.make(built: member, host: Plan.HostState(), root: "/").map(\.description)
        for l in ["install /etc/systemd/network/40-netc-vxbr200.netdev", "install /etc/systemd/network/45-netc-vx10200.netdev",
                  "install /etc/systemd/network/45-netc-vx10200.network", "run virsh net-start lab", "install /etc/netc/libvirt/lab.xml"] {
            XCTAssert(lines.contains(l), "joining: no '\(l)' in\n\(lines.joined(separator: "\n"))")
        }
        // Applied; then the fleet takes kvm3 out of lab.
        var host = Plan.HostState(bootUnitEnabled: true, rulesetLoaded: true)
        for a in try Plan.make(built: member, host: Plan.HostState()) { if case .write(let p, let bytes) = a { host.files[p] = bytes } }
        for path in member.keys where path.hasPrefix("libvirt/") {
            host.libvirt[String(path.dropFirst(8).dropLast(4))] = .init(ownedByNetc: true, active: true, autostart: true)
        }
        let left = try kvm3(fleet.replacingOccurrences(of: "    mode: isolated\n    bridge: vxbr200\n", with: "    members: [kvm1, kvm2]\n    mode: isolated\n    bridge: vxbr200\n"))
        XCTAssertNil(left["networkd/45-netc-vx10200.netdev"])
        lines = try Plan.make(built: left, host: host).map(\.description)
        for l in ["remove /etc/systemd/network/45-netc-vx10200.netdev", "remove /etc/systemd/network/40-netc-vxbr200.netdev",
                  "run networkctl delete vx10200", "run networkctl delete vxbr200", "run virsh net-destroy lab", "run virsh net-undefine lab"] {
            XCTAssert(lines.contains(l), "leaving: no '\(l)' in\n\(lines.joined(separator: "\n"))")
        }
        XCTAssertFalse(lines.contains { $0.contains("default") || $0.contains("eth0") }, lines.joined(separator: "\n"))
    }

    /// A fleet is a file whose top level has `hosts`, in block or flow
    /// style; a topology never is (its `hosts` keys are nested).
    func testAFleetIsTellsApartFromATopology() throws {
        XCTAssert(FleetParser.isFleet("# a fleet\nversion: 1\nhosts:\n  kvm1: {topology: a.yaml}\n"))
        XCTAssert(FleetParser.isFleet("---\nversion: 1\n\"hosts\" :\n  kvm1: {topology: a.yaml}\n"))
        XCTAssert(FleetParser.isFleet("{version: 1, hosts: {kvm1: {topology: a.yaml}}}\n"))
        XCTAssertFalse(FleetParser.isFleet(try readText(examplesDir.appendingPathComponent("nat/topology.yaml"))))
        XCTAssertFalse(FleetParser.isFleet("version: 1\nnetworks:\n  hosts: {mode: isolated, bridge: v1}\n"))
        XCTAssertFalse(FleetParser.isFleet("{version: 1, networks: {}}\n"))
    }

    /// docs/graphs/fleet.dot is what `netc graph` draws of the example
    /// (`make graphs` renews it): each host in its box, the overlays'
    /// segments between them.
    func testTheFleetsPictureIsCurrent() throws {
        let r = try compileExample()
        let g = TopologyGraph.fleet(r.hosts.map { ($0.name, $0.topology) }, title: "fleet")
        XCTAssertEqual(g.dot(), try readText(repoRoot.appendingPathComponent("docs/graphs/fleet.dot")), "run make graphs")
        XCTAssert(g.dot().contains("subgraph \"cluster_kvm3\" {\n\t\tlabel=\"host kvm3\";"))
        XCTAssertEqual(g.edges.filter { $0.label == "VXLAN 10200" }.map { "\($0.from) \($0.to)" }, ["kvm1/net_lab kvm2/net_lab", "kvm2/net_lab kvm3/net_lab"])
        XCTAssert(g.mermaid().contains("subgraph host_kvm1[\"host kvm1\"]"), g.mermaid())
    }

    func testSlicesAndTheAnycastMAC() {
        XCTAssertEqual((0..<3).map { FleetCompiler.slice($0, of: 3, size: 10).size }, [4, 3, 3])
        XCTAssertEqual((0..<3).map { FleetCompiler.slice($0, of: 3, size: 10).offset }, [0, 4, 7])
        XCTAssertEqual((0..<2).map { FleetCompiler.slice($0, of: 2, size: 100).offset }, [0, 50])
        let mac = FleetCompiler.anycastMAC("tenants")
        XCTAssertEqual(mac, FleetCompiler.anycastMAC("tenants"))
        XCTAssertNotEqual(mac, FleetCompiler.anycastMAC("lab"))
        XCTAssertEqual(mac.bytes[0] & 0x03, 0x02, "locally administered, unicast: \(mac)")
    }

    // MARK: Diagnostics

    static let host1 = "version: 1\ninterfaces:\n  eth0: {ipv4: {address: 198.51.100.11/24, gateway: 198.51.100.1}}\nnetworks:\n  default: {mode: nat, bridge: virbr0, uplink: eth0, ipv4: {subnet: 192.168.122.0/24}}\n"
    static let host2 = host1.replacingOccurrences(of: "198.51.100.11/24", with: "198.51.100.12/24")
    static let hosts = "version: 1\nhosts:\n  kvm1: {topology: kvm1.yaml, vtep: eth0}\n  kvm2: {topology: kvm2.yaml, vtep: eth0}\n"

    /// A mistake, marked with ‸ in one of the files; the code expected there.
    struct Case {
        var code: DiagnosticCode
        var name: String
        var files: [String: String]
        /// The file the marker is in.
        var file: String
    }

    static let cases: [Case] = [
        Case(code: .E901, name: "an unknown member", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, members: [kvm1, ‸kvm9], mode: isolated, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E901, name: "two hosts on one file", files: ["fleet.yaml": "version: 1\nhosts:\n  kvm1: {topology: kvm1.yaml, vtep: eth0}\n  kvm2: {topology: ‸kvm1.yaml, vtep: eth0}\n"], file: "fleet.yaml"),
        Case(code: .E902, name: "a VNI twice", files: ["fleet.yaml": hosts + "overlays:\n  a: {vni: 100, mode: isolated, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}}\n  b: {vni: ‸100, mode: isolated, bridge: vxbr2, ipv4: {subnet: 10.101.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E903, name: "a member without vtep", files: ["fleet.yaml": "version: 1\nhosts:\n  ‸kvm1: {topology: kvm1.yaml}\n  kvm2: {topology: kvm2.yaml, vtep: eth0}\noverlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E903, name: "a vtep that is no interface", files: ["fleet.yaml": "version: 1\nhosts:\n  kvm1: {topology: kvm1.yaml, vtep: ‸eth9}\n  kvm2: {topology: kvm2.yaml, vtep: eth0}\noverlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E904, name: "an overlay subnet over a host's network (in the fleet)", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, ipv4: {subnet: ‸192.168.122.0/25}}\n"], file: "fleet.yaml"),
        Case(code: .E904, name: "an overlay subnet over a host's network (in the host)", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, ipv4: {subnet: 192.168.122.0/25}}\n",
                                                                                     "kvm1.yaml": host1.replacingOccurrences(of: "subnet: 192.168.122.0/24", with: "subnet: ‸192.168.122.0/24")], file: "kvm1.yaml"),
        Case(code: .E904, name: "an overlay bridge a host has", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, bridge: ‸virbr0, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E905, name: "a routed overlay", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: ‸route, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E905, name: "an overlay served by libvirt", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, served_by: ‸libvirt, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E905, name: "an uplink a member lacks", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: nat, bridge: vxbr1, uplink: ‸eth1, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E906, name: "an MTU over the budget", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, mtu: ‸1500, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E907, name: "a range smaller than the members", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24, dhcp: {start: ‸10.100.0.10, end: 10.100.0.10}}}\n"], file: "fleet.yaml"),
        Case(code: .E908, name: "an unreadable topology", files: ["fleet.yaml": "version: 1\nhosts:\n  kvm1: {topology: ‸kvm-1.yaml, vtep: eth0}\n"], file: "fleet.yaml"),
        Case(code: .E908, name: "a topology naming another host", files: ["fleet.yaml": "version: 1\nhosts:\n  kvm1: {topology: kvm1.yaml, vtep: eth0}\n",
                                                                          "kvm1.yaml": "version: 1\nhost: ‸kvm7\nnetworks: {}\n"], file: "kvm1.yaml"),
        Case(code: .E401, name: "an uplink on an isolated overlay", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: isolated, bridge: vxbr1, uplink: ‸eth0, ipv4: {subnet: 10.100.0.0/24}}\n"], file: "fleet.yaml"),
        Case(code: .E401, name: "forwards on an overlay", files: ["fleet.yaml": hosts + "overlays:\n  t: {vni: 100, mode: nat, bridge: vxbr1, ipv4: {subnet: 10.100.0.0/24}, ‸forwards: []}\n"], file: "fleet.yaml"),
    ]

    func testEachFleetMistakeIsReportedAtItsPlaceInItsFile() throws {
        for c in Self.cases {
            var files = ["kvm1.yaml": Self.host1, "kvm2.yaml": Self.host2]
            var line = 0, column = 0
            for (name, text) in c.files {
                if name == c.file {
                    let (clean, l, col) = DiagnosticCase(c.code, c.name, bad: text, fixed: "").source
                    files[name] = clean
                    (line, column) = (l, col)
                } else {
                    files[name] = text
                }
            }
            let fleet = try XCTUnwrap(files.removeValue(forKey: "fleet.yaml"))
            let r = try FleetCompiler.compile(fleet, name: "fleet.yaml", read: Self.reader(files))
            let shown = r.findings.map { "\(r.sources[$0.source].name):\($0.diagnostic.range.start): \($0.diagnostic.code) \($0.diagnostic.message)" }
                .joined(separator: "\n")
            let hit = r.findings.contains { f in
                r.sources[f.source].name == c.file && f.diagnostic.code == c.code && f.diagnostic.range.start == SourceLocation(line: line, column: column)
            }
            XCTAssert(hit, "\(c.code) (\(c.name)): expected in \(c.file) at \(line):\(column), got:\n\(shown)")
            XCTAssert(r.hosts.isEmpty, "\(c.name): a fleet with errors built hosts")
        }
    }

    /// Every fleet code of the catalogue has a case.
    func testEveryFleetCodeHasACase() {
        let fleetCodes = DiagnosticCode.allCases.filter { $0.rawValue.hasPrefix("E9") }
        XCTAssertEqual(Set(Self.cases.map(\.code)).intersection(fleetCodes).count, fleetCodes.count,
                       "fleet codes without a case: \(Set(fleetCodes).subtracting(Self.cases.map(\.code)))")
    }
}
