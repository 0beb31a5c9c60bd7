import Foundation
import XCTest
@testable import NetcTestSupport

/// `make install` (through `make install-files`, with the debug binary the
/// tests built, so that the suite pays no release build) into a scratch
/// DESTDIR: the binary runs, each man page renders, the bash completion
/// loads; `make uninstall` removes it all.
final class InstallTests: XCTestCase {
    func testMakeInstallIntoADestdirAndUninstall() throws {
        try HostTools.require(["make", "man", "python3", "bash"], root: false, for: "make install test")
        let dest = try temporaryFolder(self)
        let make = ["-C", repoRoot.path, "DESTDIR=\(dest.path)", "PREFIX=/usr/local", "NETC_BIN=\(CLI.binary.path)"]
        let r = try HostTools.run("make", make + ["install-files"])
        XCTAssertEqual(r.status, 0, r.text)
        let prefix = dest.appendingPathComponent("usr/local")
        let netc = prefix.appendingPathComponent("bin/netc").path
        let version = try HostTools.run(netc, ["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.text.isEmpty)
        for page in ["netc", "netc-build", "netc-check", "netc-diff", "netc-apply", "netc-graph", "netc-import", "netc-import-libvirt", "netc-explain", "netc-schema"] {
            let path = prefix.appendingPathComponent("share/man/man1/\(page).1").path
            let m = try HostTools.run("man", ["-l", path], input: nil)
            XCTAssertEqual(m.status, 0, "\(page): \(m.text)")
            XCTAssert(m.text.uppercased().contains(page.uppercased()), "\(page):\n\(m.text)")
        }
        XCTAssert(try HostTools.run("man", ["-l", prefix.appendingPathComponent("share/man/man1/netc-build.1").path]).text.contains("--source-name"))
        let completion = prefix.appendingPathComponent("share/bash-completion/completions/netc").path
        let c = try HostTools.run("bash", ["-c", "source \(completion) && complete -p netc"])
        XCTAssertEqual(c.status, 0, c.text)
        XCTAssert(c.text.contains("netc"), c.text)
        for f in ["share/zsh/site-functions/_netc", "share/fish/vendor_completions.d/netc.fish"] {
            XCTAssert(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(f).path), f)
        }
        XCTAssertEqual(try HostTools.run("make", make + ["uninstall"]).status, 0)
        // Folders may stay; no file does.
        let files = (FileManager.default.enumerator(atPath: dest.path)?.compactMap { $0 as? String } ?? [])
            .filter { !isFolder(dest.appendingPathComponent($0)) }
        XCTAssertEqual(files, [])
    }

    func isFolder(_ u: URL) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: u.path, isDirectory: &d) && d.boolValue
    }
}
