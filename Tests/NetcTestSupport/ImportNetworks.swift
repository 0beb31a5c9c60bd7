import Foundation
@testable import NetcCore

/// The libvirt networks of Tests/import/, shared by the import tests and
/// the consumer tests that feed them to libvirt's test driver.
enum ImportNetworks {
    static let dir = repoRoot.appendingPathComponent("Tests/import")

    /// Each test network, the netc mode it must become, and the host
    /// bridges' NICs.
    static let networks: [(file: String, name: String, mode: String, uplinks: [String: String])] = [
        ("default.xml", "default", "nat", [:]),
        ("routed.xml", "public", "route", [:]),
        ("isolated.xml", "lab", "isolated", [:]),
        ("bridge.xml", "lan", "bridge", ["br0": "eth0"]),
        ("macvtap.xml", "direct", "macvtap", [:]),
        ("services.xml", "office", "nat", [:]),
    ]

    static func importFiles(_ files: [String], uplinks: [String: String] = [:]) throws -> LibvirtImport.Result {
        try LibvirtImport.run(files.map { .init(name: $0, bytes: Array(try Data(contentsOf: dir.appendingPathComponent($0)))) },
                              uplinks: uplinks)
    }

}
