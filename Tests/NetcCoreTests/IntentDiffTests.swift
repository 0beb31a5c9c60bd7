import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// `netc diff --summary` (IntentDiff): one line per change of each kind,
/// nothing for a reordering, and a fleet's members and hosts.
final class IntentDiffTests: XCTestCase {
    static let base = """
        version: 1
        interfaces:
          eth0: {ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1}}
          eth1:
            ipv4: {address: 192.0.2.10/24}
            routes:
              - {to: 198.51.100.0/24, via: 192.0.2.254}
        networks:
          red:
            mode: nat
            bridge: virbr1
            uplink: eth0
            peers: [blue]
            ipv4:
              subnet: 10.81.0.0/24
              dhcp: {start: 10.81.0.100, end: 10.81.0.200}
              reservations:
                r1: {mac: "52:54:00:81:00:11", ip: 10.81.0.11}
            forwards:
              - {proto: tcp, port: 8080, to: r1, to_port: 80}
          blue:
            mode: isolated
            bridge: virbr2
            ipv4: {subnet: 10.82.0.0/24}

        """

    /// Each edit of `base` and the one line it gives.
    static let cases: [(edit: String, from: String, to: String, line: String)] = [
        ("network added", "  blue:\n", "  green: {mode: isolated, bridge: virbr3, ipv4: {subnet: 10.83.0.0/24}}\n  blue:\n",
         "network green added"),
        ("network removed", "    peers: [blue]\n", "", "network red: peer blue removed"),
        ("network changed", "bridge: virbr2", "bridge: virbr9", "network blue: bridge virbr2 -> virbr9"),
        ("link added", "  eth1:\n", "  eth2: {}\n  eth1:\n", "link eth2 added"),
        ("link changed", "gateway: 203.0.113.1}}", "gateway: 203.0.113.1}, mtu: 9000}", "link eth0: mtu 9000 added"),
        ("route added", "      - {to: 198.51.100.0/24, via: 192.0.2.254}\n",
         "      - {to: 198.51.100.0/24, via: 192.0.2.254}\n      - {to: 203.0.113.128/25, via: 192.0.2.253, metric: 50}\n",
         "link eth1: route 203.0.113.128/25 via 192.0.2.253 metric 50 added"),
        ("reservation changed", "ip: 10.81.0.11}", "ip: 10.81.0.12}", "network red: reservation r1 ip 10.81.0.11 -> 10.81.0.12"),
        ("reservation added", "        r1: {", "        r2: {mac: \"52:54:00:81:00:12\", ip: 10.81.0.12}\n        r1: {",
         "network red: reservation r2 added {ip: 10.81.0.12, mac: 52:54:00:81:00:12}"),
        ("reservation removed", "        r1: {mac: \"52:54:00:81:00:11\", ip: 10.81.0.11}\n", "        {}\n",
         "network red: reservation r1 removed {ip: 10.81.0.11, mac: 52:54:00:81:00:11}"),
        ("forward added", "      - {proto: tcp, port: 8080", "      - {proto: tcp, port: 2222, to: r1, to_port: 22}\n      - {proto: tcp, port: 8080",
         "network red: forward tcp 2222 -> r1:22 added"),
        ("forward removed", "      - {proto: tcp, port: 8080, to: r1, to_port: 80}\n", "      []\n",
         "network red: forward tcp 8080 -> r1:80 removed"),
        ("peer added", "    ipv4: {subnet: 10.82.0.0/24}", "    ipv4: {subnet: 10.82.0.0/24}\n    peers: [red]",
         "network blue: peer red added"),
        ("dhcp range changed", "end: 10.81.0.200}", "end: 10.81.0.150}", "network red: ipv4.dhcp.end 10.81.0.200 -> 10.81.0.150"),
    ]

    func testEachKindOfChangeIsOneLine() {
        for c in Self.cases {
            let edited = Self.base.replacingOccurrences(of: c.from, with: c.to)
            XCTAssertNotEqual(edited, Self.base, "\(c.edit): the edit did not apply")
            XCTAssertEqual(IntentDiff.lines(old: Self.base, new: edited), [c.line], c.edit)
            // And back: the opposite line.
            XCTAssertEqual(IntentDiff.lines(old: edited, new: Self.base).count, 1, c.edit)
        }
    }

    /// The edits that touch different lines, all at once: one line each,
    /// links before networks, each section by name.
    func testSeveralChangesAreOneLineEachInFileOrder() throws {
        XCTAssertEqual(try compileOK(Self.base).diagnostics.filter { $0.severity == .error }, [])
        let apart = ["network added", "network changed", "link added", "link changed", "route added",
                     "reservation changed", "forward added", "peer added", "dhcp range changed"]
        var edited = Self.base
        for c in Self.cases where apart.contains(c.edit) { edited = edited.replacingOccurrences(of: c.from, with: c.to) }
        XCTAssertEqual(IntentDiff.lines(old: Self.base, new: edited), [
            "link eth0: mtu 9000 added",
            "link eth1: route 203.0.113.128/25 via 192.0.2.253 metric 50 added",
            "link eth2 added",
            "network blue: bridge virbr2 -> virbr9",
            "network blue: peer red added",
            "network green added",
            "network red: forward tcp 2222 -> r1:22 added",
            "network red: ipv4.dhcp.end 10.81.0.200 -> 10.81.0.150",
            "network red: reservation r1 ip 10.81.0.11 -> 10.81.0.12",
        ])
    }

    /// Keys in another order, list items in another order, flow or block
    /// style, one value or a list of it, a merge key: nothing changed.
    func testAReorderingSaysNothing() {
        let reordered = """
            version: 1
            networks:
              blue:
                ipv4: {subnet: 10.82.0.0/24}
                bridge: virbr2
                mode: isolated
              red:
                forwards:
                  - {to_port: 80, to: r1, port: 8080, proto: tcp}
                ipv4:
                  reservations:
                    r1: {ip: 10.81.0.11, mac: "52:54:00:81:00:11"}
                  dhcp: [{end: 10.81.0.200, start: 10.81.0.100}]
                  subnet: 10.81.0.0/24
                peers:
                  - blue
                <<: {mode: nat, bridge: virbr1}
                uplink: eth0
            interfaces:
              eth1:
                routes: [{via: 192.0.2.254, to: 198.51.100.0/24}]
                ipv4: {address: 192.0.2.10/24}
              eth0:
                ipv4:
                  gateway: 203.0.113.1
                  address: 203.0.113.10/24

            """
        XCTAssertEqual(IntentDiff.lines(old: Self.base, new: reordered), [])
        XCTAssertEqual(try compileOK(reordered).files, try compileOK(Self.base).files, "the two say the same")
    }

    /// A fleet: a host added joins every overlay that names no members, a
    /// host named in `members` joins, one dropped leaves; a host's own
    /// topology's changes follow, after its name.
    func testAFleetsMembersAndHosts() {
        let fleet = """
            version: 1
            hosts:
              kvm1: {topology: kvm1.yaml, vtep: eth0}
              kvm2: {topology: kvm2.yaml, vtep: eth0}
            overlays:
              lab: {vni: 10200, mode: isolated, bridge: vxbr200, ipv4: {subnet: 10.200.0.0/24}}
              tenants: {vni: 10100, mode: isolated, bridge: vxbr100, members: [kvm1, kvm2], ipv4: {subnet: 10.100.0.0/24}}

            """
        let grown = fleet.replacingOccurrences(of: "  kvm2: {topology: kvm2.yaml, vtep: eth0}\n",
                                               with: "  kvm2: {topology: kvm2.yaml, vtep: eth0}\n  kvm3: {topology: kvm3.yaml, vtep: eth0}\n")
            .replacingOccurrences(of: "members: [kvm1, kvm2]", with: "members: [kvm3, kvm1]")
        let host = "version: 1\ninterfaces:\n  eth0: {ipv4: {address: 198.51.100.11/24}}\nnetworks: {}\n"
        let old: (String) -> FleetCompiler.Read = { .text(name: $0, bytes: Array(host.utf8)) }
        let new: (String) -> FleetCompiler.Read = { p in
            .text(name: p, bytes: Array((p == "kvm1.yaml" ? host.replacingOccurrences(of: "/24}}", with: "/24}, mtu: 9000}") : host).utf8))
        }
        XCTAssertEqual(IntentDiff.fleetLines(old: fleet, new: grown, readOld: old, readNew: new), [
            "host kvm3 added",
            "overlay lab: kvm3 joins",
            "overlay tenants: kvm2 leaves",
            "overlay tenants: kvm3 joins",
            "host kvm1: link eth0: mtu 9000 added",
        ])
    }
}
