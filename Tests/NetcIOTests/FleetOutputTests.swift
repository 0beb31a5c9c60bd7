import Foundation
import XCTest
@testable import NetcCore
@testable import NetcIO
@testable import NetcTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A fleet's OUT written host by host on two threads (`FleetOutput`): every
/// host's folder as the fleet builds it, nothing put in place unless every
/// host's files were written, and more hosts than the usual limit of open
/// files.
final class FleetOutputTests: XCTestCase {
    static let example = examplesDir.appendingPathComponent("fleet/fleet.yaml").path

    func checkedExample() throws -> CheckedFleet {
        let fleet = try FleetCompiler.check(try readText(URL(fileURLWithPath: Self.example)), name: Self.example,
                                            read: FleetFiles.reader(beside: Self.example))
        XCTAssertFalse(fleet.hasErrors, "\(fleet.findings.map(\.diagnostic.message))")
        return fleet
    }

    /// Each OUT/HOST holds exactly its host's files (no journal, no
    /// temporary). (A second pass is FleetCLITests': this process holds
    /// each host folder's lock until it exits.)
    func testEveryHostsFolderHoldsExactlyItsFiles() throws {
        let out = try temporaryFolder(self).appendingPathComponent("out")
        let fleet = try checkedExample()
        XCTAssertEqual(try FleetOutput.write(fleet, to: out.path), [])
        for name in fleet.hostNames {
            let expected = try fleet.build(name).files
            XCTAssertEqual(try readTree(out.appendingPathComponent(name)),
                           Dictionary(uniqueKeysWithValues: expected.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) }), name)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), fleet.hostNames)
    }

    /// A file netc did not write where it would write one, in one host's
    /// folder: the build stops and no host's folder gets a file (nor a
    /// temporary) — the other hosts' temporaries, written on the other
    /// thread or before, are removed.
    func testAForeignFileInOneHostLeavesEveryHostUntouched() throws {
        let out = try temporaryFolder(self).appendingPathComponent("out")
        let fleet = try checkedExample()
        let victim = fleet.hostNames[1]
        let path = try XCTUnwrap(fleet.build(victim).files.first { $0.path.hasPrefix("libvirt/") }).path
        let foreign = out.appendingPathComponent(victim).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: foreign.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("<network/>\n".utf8).write(to: foreign)
        XCTAssertThrowsError(try FleetOutput.write(fleet, to: out.path)) { error in
            XCTAssertTrue("\(error)".contains("\(victim)/\(path) was not written by netc"), "\(error)")
        }
        XCTAssertEqual(try readTree(out), ["\(victim)/\(path)": "<network/>\n"])
    }

    /// Every host's folder stays locked until the run ends: a fleet of more
    /// hosts than the soft limit of open files (1,024 on many systems; 64
    /// here) is still built, the limit raised up to the hard one.
    func testMoreHostsThanTheSoftLimitOfOpenFiles() throws {
        let dir = try temporaryFolder(self)
        let hosts = 100
        var fleet = "version: 1\nhosts:\n"
        for i in 0..<hosts {
            fleet += "  h\(i): {topology: h\(i).yaml}\n"
            try Data("""
                version: 1
                host: h\(i)
                interfaces:
                  eth0: {ipv4: {address: 198.51.100.\(i + 1)/24}}
                networks:
                  lan: {mode: isolated, bridge: br0, ipv4: {subnet: 10.0.0.0/24}}

                """.utf8).write(to: dir.appendingPathComponent("h\(i).yaml"))
        }
        let path = dir.appendingPathComponent("fleet.yaml").path
        try Data(fleet.utf8).write(to: URL(fileURLWithPath: path))
        let checked = try FleetCompiler.check(fleet, name: path, read: FleetFiles.reader(beside: path))
        XCTAssertFalse(checked.hasErrors, "\(checked.findings.map(\.diagnostic.message))")

        var saved = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved), 0)
        defer { var l = saved; _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &l) }
        var low = saved
        low.rlim_cur = 64
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &low), 0)

        let out = dir.appendingPathComponent("out")
        XCTAssertEqual(try FleetOutput.write(checked, to: out.path), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).count, hosts)
        var now = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &now), 0)
        XCTAssertGreaterThanOrEqual(now.rlim_cur, min(saved.rlim_max, rlim_t(hosts)))
    }
}
