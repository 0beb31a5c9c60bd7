import Foundation
import XCTest

/// Other Debian releases' networking stacks, as root folders that
/// `.ci/run` builds (Tests/stacks/build.sh) into `.build-stacks/SUITE`:
/// their nft, networkd, networkctl, libvirtd, virsh and dnsmasq run from
/// there, chrooted, inside the tests' own namespaces.
enum Stacks {
    /// The root of `suite`, its versions printed. Without it the test is
    /// skipped with a loud line, a failure under CI=true unless
    /// `optional` (sid: the mirror may not serve it).
    static func root(_ suite: String, for test: String, optional: Bool = false,
                            file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        try HostTools.require(["unshare", "chroot", "debootstrap"], root: true, for: test, file: file, line: line)
        let root = repoRoot.appendingPathComponent(".build-stacks/\(suite)")
        guard let versions = try? readText(root.appendingPathComponent(".netc-stack")) else {
            let message = "SKIPPED \(test) on \(suite): no \(suite) root in .build-stacks/ (run `bash Tests/stacks/build.sh \(suite) .build-stacks/\(suite)`, as .ci/run does"
                + (optional ? "; the mirror may not serve it)" : ")")
            FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
            if HostTools.inCI && !optional { XCTFail("under CI=true a skip is a failure: \(message)", file: file, line: line) }
            throw XCTSkip(message)
        }
        print("\(test) on \(versions.trimmingCharacters(in: .whitespacesAndNewlines))")
        return root
    }

    /// The variables that make the namespace scripts (Tests/e2e/harness.sh,
    /// Tests/lib/) run a root's programs instead of the machine's: its
    /// networkd and networkctl, libvirtd, virsh and dnsmasq, nft, and ufw
    /// and firewalld.
    static func environment(_ root: URL, libvirt: Bool = true) -> [String] {
        ["NETWORKD_ROOT=\(root.path)", "NFT_ROOT=\(root.path)", "FIREWALL_ROOT=\(root.path)"] + (libvirt ? ["LIBVIRT_ROOT=\(root.path)"] : [])
    }
}
