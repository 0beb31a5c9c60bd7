import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Every default `netc schema` states is the one netc builds with: for each
/// key with a `default` in the schema, a topology that leaves the key out
/// and one that spells the schema's default out build the same files, and
/// a topology with another value builds different ones (so the key is
/// really read there). The defaults come from one table (`Defaults`).
final class DefaultsTests: XCTestCase {
    struct Case {
        /// A topology with `@` where `, KEY: VALUE` goes (flow style).
        var topology: String
        /// Another value, which must change the output (nil: none fits).
        var other: String? = nil
        /// Lines the spelled-out default adds and nothing else (a declared
        /// MTU is written even when it is the kernel's own).
        var spelledAdds: [String] = []
    }

    static let nat = "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24}@}\n"

    /// By the key's path in the schema (properties and anyOf left out).
    static let cases: [String: Case] = [
        "interfaces.kind": Case(topology: "version: 1\ninterfaces:\n  eth0: {ipv4: {address: 192.0.2.10/24}@}\nnetworks: {}\n"),
        "interfaces.bond_mode": Case(
            topology: "version: 1\ninterfaces:\n  eth0: {}\n  eth1: {}\n  bond0: {kind: bond, members: [eth0, eth1]@}\nnetworks: {}\n",
            other: "802.3ad"),
        "interfaces.mtu": Case(topology: "version: 1\ninterfaces:\n  eth0: {ipv4: {address: 192.0.2.10/24}@}\nnetworks: {}\n",
                               other: "9000", spelledAdds: ["[Link]", "MTUBytes=1500", ""]),
        "networks.stp": Case(topology: nat, other: "true"),
        "interfaces.forwarding": Case(topology: "version: 1\ninterfaces:\n  eth0: {ipv4: {address: 192.0.2.10/24}@}\nnetworks: {}\n",
                                      other: "true"),
        "networks.forward_delay": Case(topology: nat, other: "4"),
        "networks.ipv4.dhcp.lease": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24, "
                + "dhcp: {start: 192.168.100.10, end: 192.168.100.20@}}}\n",
            other: "2h"),
        // The first range of a `dhcp` list takes the lease.
        "networks.ipv4.dhcp.items.lease": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24, "
                + "dhcp: [{start: 192.168.100.10, end: 192.168.100.20@}, {start: 192.168.100.30, end: 192.168.100.40}]}}\n",
            other: "2h"),
        "networks.ipv6.dhcp.lease": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv6: {subnet: '2001:db8:1::/64', "
                + "dhcp: {start: '2001:db8:1::100', end: '2001:db8:1::1ff'@}}}\n",
            other: "2h"),
        "networks.ipv6.dhcp.items.lease": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv6: {subnet: '2001:db8:1::/64', "
                + "dhcp: [{start: '2001:db8:1::100', end: '2001:db8:1::1ff'@}, {start: '2001:db8:1::200', end: '2001:db8:1::2ff'}]}}\n",
            other: "2h"),
        "networks.ipv6.ra": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, served_by: networkd, ipv6: {subnet: 2001:db8:1::/64@}}\n",
            other: "false"),
        "networks.ipv6.nat": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv6: {subnet: 2001:db8:1::/64@}}\n", other: "true"),
        "networks.forwards.items.from": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24, "
                + "reservations: {web: {mac: '52:54:00:00:00:01', ip: 192.168.100.5}}}, forwards: [{proto: tcp, port: 80, to: web@}]}\n",
            other: "[198.51.100.0/24]"),
        "networks.inbound.items.from": Case(
            topology: "version: 1\nnetworks:\n  r1: {mode: route, bridge: virbr1, ipv4: {subnet: 198.51.100.0/24}, inbound: [{proto: tcp, port: 80@}]}\n",
            other: "[203.0.113.0/24]"),
        "networks.macvtap_mode": Case(
            topology: "version: 1\ninterfaces:\n  eth0: {}\nnetworks:\n  m1: {mode: macvtap, uplink: eth0@}\n", other: "vepa"),
        "networks.served_by": Case(topology: nat, other: "networkd"),
        "networks.security.isolate_guests": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24}, security: {lock_reservations: true@}}\n",
            other: "true"),
        "networks.security.lock_reservations": Case(
            topology: "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24, "
                + "reservations: {web: {mac: '52:54:00:00:00:01', ip: 192.168.100.5}}}, security: {isolate_guests: false@}}\n",
            other: "false"),
    ]

    /// Each `default` in the schema, by path, as YAML.
    static func schemaDefaults() throws -> [String: String] {
        let schema = try JSONSerialization.jsonObject(with: Data(TopologySchema.json().utf8))
        var out: [String: String] = [:]
        func walk(_ node: Any, _ path: [String]) {
            if let a = node as? [Any] {
                for v in a { walk(v, path) }
                return
            }
            guard let d = node as? [String: Any] else { return }
            if let v = d["default"] {
                // JSONSerialization reads true as 1: the node's type tells them apart.
                if d["type"] as? String == "boolean" {
                    out[path.joined(separator: ".")] = (v as? Bool) == true ? "true" : "false"
                } else if let list = v as? [Any] {
                    out[path.joined(separator: ".")] = "[" + list.map { "\($0)" }.joined(separator: ", ") + "]"
                } else {
                    out[path.joined(separator: ".")] = "\(v)"
                }
            }
            if let p = d["properties"] as? [String: Any] { for (k, v) in p { walk(v, path + [k]) } }
            for k in ["additionalProperties", "anyOf"] { if let v = d[k] { walk(v, path) } }
            if let v = d["items"] { walk(v, path + ["items"]) }
        }
        walk(schema, [])
        return out
    }

    /// The files as one text (path, then contents), for readable failures.
    func build(_ text: String) throws -> String {
        let r = try Compiler.compile(text)
        XCTAssertFalse(r.hasErrors, "\(text)\n\(r.diagnostics.map(\.message))")
        return r.files.map { "=== \($0.path)\n\($0.contents)" }.joined()
    }

    func testEveryDefaultTheSchemaStatesIsTheOneNetcBuildsWith() throws {
        let defaults = try Self.schemaDefaults()
        XCTAssertEqual(Set(defaults.keys), Set(Self.cases.keys), "a default in the schema without a case here, or the reverse")
        for (path, value) in defaults.sorted(by: { $0.key < $1.key }) {
            guard let c = Self.cases[path] else { continue }
            let key = String(path.split(separator: ".").last!)
            let omitted = try build(c.topology.replacingOccurrences(of: "@", with: ""))
            let spelled = try build(c.topology.replacingOccurrences(of: "@", with: ", \(key): \(value)"))
            let added = spelled.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .difference(from: omitted.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            XCTAssertEqual(added.insertions.map { if case .insert(_, let l, _) = $0 { l } else { "" } }, c.spelledAdds,
                           "\(path): leaving it out is not the same as \(key): \(value)")
            XCTAssert(added.removals.isEmpty, "\(path): leaving it out is not the same as \(key): \(value)")
            if let other = c.other {
                let changed = try build(c.topology.replacingOccurrences(of: "@", with: ", \(key): \(other)"))
                XCTAssertNotEqual(omitted, changed, "\(path): \(key): \(other) changes nothing, so the case does not test the key")
            }
        }
    }

    /// The defaults the schema states in words, where they depend on the
    /// context.
    func testContextualDefaults() throws {
        // An isolated network without addressing is served by networkd
        // (libvirt cannot serve it); with addressing, by libvirt.
        let bare = "version: 1\nnetworks:\n  iso: {mode: isolated, bridge: virbr9@}\n"
        XCTAssertEqual(try build(bare.replacingOccurrences(of: "@", with: "")),
                       try build(bare.replacingOccurrences(of: "@", with: ", served_by: networkd")))
        XCTAssertEqual(Defaults.servedBy(hasAddressing: false), .networkd)
        XCTAssertTrue(TopologySchema.json().contains("an isolated network without ipv4 or ipv6 is served by networkd"))
        // A VLAN's MTU is its parent's.
        let vlan = "version: 1\ninterfaces:\n  eth0: {mtu: 9000}\n  eth0.5: {kind: vlan, parent: eth0, id: 5@}\nnetworks: {}\n"
        XCTAssertEqual(try build(vlan.replacingOccurrences(of: "@", with: "")),
                       try build(vlan.replacingOccurrences(of: "@", with: ", mtu: 9000")))
        // A bridge-mode bridge keeps the kernel's forward delay: 0 is not it.
        let lan = "version: 1\ninterfaces:\n  eth0: {}\nnetworks:\n  lan: {mode: bridge, bridge: br0, uplink: eth0@}\n"
        XCTAssertNotEqual(try build(lan.replacingOccurrences(of: "@", with: "")),
                          try build(lan.replacingOccurrences(of: "@", with: ", forward_delay: 0")))
        // A forward's to_port is its port.
        let fwd = "version: 1\nnetworks:\n  n1: {mode: nat, bridge: virbr1, ipv4: {subnet: 192.168.100.0/24}, "
            + "forwards: [{proto: tcp, port: 8080, to: 192.168.100.5@}]}\n"
        XCTAssertEqual(try build(fwd.replacingOccurrences(of: "@", with: "")),
                       try build(fwd.replacingOccurrences(of: "@", with: ", to_port: 8080")))
    }

    /// docs/topology.md states each default the schema states.
    func testTheDocsStateEachDefault() throws {
        let docs = try readText(repoRoot.appendingPathComponent("docs/topology.md"))
        for (path, value) in try Self.schemaDefaults() {
            let key = String(path.split(separator: ".").last!)
            let rows = docs.split(separator: "\n").filter { $0.hasPrefix("| `\(key)` |") || $0.hasPrefix("| `dhcp.\(key)` |") }
            let shown = value == "[]" ? "`[]`" : "`\(value)`"
            XCTAssert(rows.contains { $0.contains(shown) || $0.contains(" \(value),") || $0.contains("| \(value)") },
                      "docs/topology.md: no row for '\(key)' states its default \(shown)")
        }
    }
}
