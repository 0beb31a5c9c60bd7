import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Running the namespace scripts (Tests/e2e/) on the class's stack: the
/// machine's, or with `environment` another release's (`Stacks.environment`).
extension EndToEndTests {
    static let script = repoRoot.appendingPathComponent("Tests/e2e/scenarios.sh").path
    static let tools = ["ip", "nft", "busybox", "socat", "ping", "python3", "unshare", "systemd-networkd", "ss", "timeout",
                        "sysctl", "libvirtd", "virsh", "dnsmasq", "dig", "tcpdump", "dhclient"]

    /// `script` with `arguments`, on this class's stack.
    func bash(_ script: String, _ arguments: [String]) throws -> HostTools.Output {
        try HostTools.run("/usr/bin/env", environment + ["/bin/bash", script] + arguments)
    }

    /// Builds `example` (with every guest network served by `server`, or as
    /// written when nil) and runs `scenario` on it; returns its output.
    @discardableResult
    func run(_ scenario: String, on example: String, servedBy server: GuestServer? = nil,
             edit: ((String) -> String)? = nil, mutate: ((URL) throws -> Void)? = nil,
             expectSuccess: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try HostTools.require(EndToEndTests.tools, root: true, for: "end-to-end scenario \(scenario)", file: file, line: line)
        let (dir, _) = try HostTools.build(example: example, servedBy: server, edit: edit, into: self)
        try mutate?(dir)
        let what = "scenario \(scenario) on examples/\(example)" + (server.map { " served by \($0)" } ?? "")
        return try run(scenario, in: dir, what: what, expectSuccess: expectSuccess, file: file, line: line)
    }

    /// Runs `scenario` on the OUT folder `dir`.
    @discardableResult
    func run(_ scenario: String, in dir: URL, what: String, expectSuccess: Bool = true,
             file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try bash(EndToEndTests.script, [scenario, dir.path])
        let on = Self.stack.map { " (\($0)'s stack)" } ?? ""
        if expectSuccess {
            XCTAssertEqual(r.status, 0, "\(what)\(on):\n\(r.text)", file: file, line: line)
        } else {
            XCTAssertNotEqual(r.status, 0, "\(what)\(on) passed on a broken output:\n\(r.text)", file: file, line: line)
        }
        XCTAssert(r.text.contains("ok: "), "\(what)\(on) checked nothing:\n\(r.text)", file: file, line: line)
        return r.text
    }

    /// A scenario on guest networks runs twice: libvirt serving them, then
    /// networkd (each time with `edit` applied); returns both outputs.
    @discardableResult
    func runForBothServers(_ scenario: String, on example: String, edit: ((String) -> String)? = nil,
                           file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try GuestServer.allCases.map { try run(scenario, on: example, servedBy: $0, edit: edit, file: file, line: line) }
    }
}
