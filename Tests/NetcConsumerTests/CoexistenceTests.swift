import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// netc's table beside the firewall front ends a host may already run, as
/// docs/install.md tells their users to set them up: the machine's
/// firewalld and ufw (Debian 12's), in the scenarios' namespaces.
final class CoexistenceTests: XCTestCase, NamespaceScenarios {
    static var stack: String? { nil }
    var environment: [String] { [] }

    /// firewalld on the host (in the namespace, on a private bus): its
    /// default zone cuts guests off; the zone and commands of
    /// docs/install.md, read from there, bring them back, and no more.
    func testFirewalldWithTheDocumentedZone() throws {
        try HostTools.require(["firewalld", "firewall-cmd", "dbus-daemon"], root: true, for: "end-to-end scenario firewalld")
        try runForBothServers("firewalld", on: "nat")
    }

    /// ufw on the host: its defaults cut guests off, the openings in
    /// docs/install.md (read from there) bring them back, and no more.
    func testUFWWithTheDocumentedOpenings() throws {
        try HostTools.require(["ufw", "iptables"], root: true, for: "end-to-end scenario ufw")
        try runForBothServers("ufw", on: "nat")
    }
}
