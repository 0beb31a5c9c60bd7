import Foundation
import XCTest
@testable import NetcTestSupport

/// The Debian package (`make deb`, tools/deb.sh): built from the release
/// binary, lintian-clean, and installed with apt on clean Debian 12 and 13
/// roots, where netc, its man pages and completion work
/// (Tests/stacks/deb.sh).
final class PackageTests: XCTestCase {
    /// The one package `make deb` left in .build/deb.
    static func builtPackage(for test: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let folder = repoRoot.appendingPathComponent(".build/deb")
        let debs = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("netc_") && $0.hasSuffix(".deb") }
        if debs.isEmpty {
            try HostTools.require(["a package built by `make deb` in .build/deb (.ci/run builds it before the tests)"],
                                  root: true, for: test, file: file, line: line)
        }
        XCTAssertEqual(debs.count, 1, "\(debs): one package in .build/deb", file: file, line: line)
        return try XCTUnwrap(debs.first.map { folder.appendingPathComponent($0).path }, file: file, line: line)
    }

    /// The package `make deb` built before the tests (.ci/run does): a
    /// `swift build` started from inside `swift test` would wait for ever
    /// on the lock `swift test` holds on .build.
    func testTheDebianPackageInstallsOnDebian12And13() throws {
        try HostTools.require(["dpkg-deb", "lintian", "debootstrap", "chroot", "setpriv"], root: true, for: "the Debian package")
        let deb = try Self.builtPackage(for: "the Debian package")
        // Built from this checkout's netc: the version it says.
        let version = try HostTools.run("dpkg-deb", ["-f", deb, "Version"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(version, try CLI.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let r = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/stacks/deb.sh").path, deb,
                                                examplesDir.path, repoRoot.appendingPathComponent(".build-stacks/clean").path])
        print(r.text)
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("PASS\n"), r.text)
    }
}
