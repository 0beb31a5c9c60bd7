import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// The docs do what they say (issue 29): every `netc` command of a fenced
/// block in README.md and docs/*.md runs, and every path of OUT or of the
/// host the docs name is one netc's own layout has.
final class DocCommandTests: XCTestCase {
    static let subcommands: Set<String> = ["build", "check", "diff", "apply", "status", "graph", "import", "schema", "explain",
                                           "--help", "--version"]
    /// Commands that need a host (root, networkd, libvirtd, nft): their
    /// options are checked against `--help` here; Tests/e2e/apply.sh runs
    /// them for real.
    static let onAHost: Set<String> = ["apply", "status"]

    struct Command {
        var page: String
        var line: Int
        var text: String
        var words: [String] { text.split(separator: " ").map(String.init) }
    }

    static var pages: [URL] {
        let docs = repoRoot.appendingPathComponent("docs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        return [repoRoot.appendingPathComponent("README.md")] + names.map { docs.appendingPathComponent($0) }
    }

    /// The `netc` commands of a page's fenced blocks, in order: a line
    /// (after an optional `$ ` prompt) whose second word is a subcommand,
    /// without its trailing `# comment`. cli.md's first block is the
    /// synopsis, with placeholders (CLITests checks it against --help).
    static func commands(in url: URL) throws -> [Command] {
        let text = try readText(url)
        var out: [Command] = [], inBlock = false, blocks = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.hasPrefix("```") {
                inBlock.toggle()
                if inBlock { blocks += 1 }
                continue
            }
            guard inBlock, !(url.lastPathComponent == "cli.md" && blocks == 1) else { continue }
            var line = String(raw)
            if line.hasPrefix("$ ") { line.removeFirst(2) }
            guard line.hasPrefix("netc ") else { continue }
            if let comment = line.range(of: "  #") ?? line.range(of: " # ") { line = String(line[..<comment.lowerBound]) }
            line = line.trimmingCharacters(in: .whitespaces)
            let c = Command(page: url.lastPathComponent, line: i + 1, text: line)
            if c.words.count > 1, subcommands.contains(c.words[1]) { out.append(c) }
        }
        return out
    }

    /// A folder with what the docs' commands name: a topology, libvirt
    /// networks to import, a fleet.
    func scratch() throws -> URL {
        let dir = try temporaryFolder(self)
        let fm = FileManager.default
        try fm.copyItem(at: examplesDir.appendingPathComponent("nat/topology.yaml"), to: dir.appendingPathComponent("topology.yaml"))
        for (from, to) in [("default.xml", "default.xml"), ("routed.xml", "routed.xml"), ("bridge.xml", "lan.xml")] {
            try fm.copyItem(at: repoRoot.appendingPathComponent("Tests/import/" + from), to: dir.appendingPathComponent(to))
        }
        // A fleet (docs/fleet.md): examples/fleet's file and hosts.
        try fm.copyItem(at: examplesDir.appendingPathComponent("fleet/fleet.yaml"), to: dir.appendingPathComponent("fleet.yaml"))
        try fm.copyItem(at: examplesDir.appendingPathComponent("fleet/hosts"), to: dir.appendingPathComponent("hosts"))
        return dir
    }

    func testEveryNetcCommandOfTheDocsRuns() throws {
        var ran = 0, checked = 0
        let bin = CLI.binary.deletingLastPathComponent().path
        for page in Self.pages {
            let commands = try Self.commands(in: page)
            guard !commands.isEmpty else { continue }
            let dir = try scratch()
            for c in commands {
                let at = "\(c.page):\(c.line): \(c.text)"
                if Self.onAHost.contains(c.words[1]) {
                    // Each option it names is one the command has.
                    let help = try CLI.run([c.words[1], "--help"]).stdout
                    for o in c.words.dropFirst(2) where o.hasPrefix("--") {
                        XCTAssert(help.contains(o), "\(at): netc \(c.words[1]) has no option \(o)")
                    }
                    checked += 1
                    continue
                }
                // The netc part of a pipeline (what it feeds, such as dot,
                // is not netc's), in the page's folder, in the page's order.
                let netcPart = c.text.split(separator: "|", maxSplits: 1).first.map(String.init) ?? c.text
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/sh")
                p.arguments = ["-c", netcPart + " >stdout 2>stderr"]
                p.currentDirectoryURL = dir
                var env = ProcessInfo.processInfo.environment
                env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
                p.environment = env
                try p.run()
                p.waitUntilExit()
                let stderr = (try? readText(dir.appendingPathComponent("stderr"))) ?? ""
                XCTAssertEqual(p.terminationStatus, 0, "\(at)\n\(stderr)")
                if netcPart != c.text {
                    let stdout = (try? readText(dir.appendingPathComponent("stdout"))) ?? ""
                    XCTAssertFalse(stdout.isEmpty, "\(at): nothing for the pipeline")
                }
                ran += 1
            }
        }
        // README's quick start and reference, cli.md, import.md, install.md.
        XCTAssertGreaterThanOrEqual(ran, 10, "commands run")
        XCTAssertGreaterThanOrEqual(checked, 10, "host commands checked")
    }

    /// Paths of OUT (`out/...`, `OUT/...`, `networkd/...`) and of the host
    /// (`/etc/...`) the docs name, with placeholders such as `<network>`
    /// or `NN` filled in, are netc's: `OutputLayout` and
    /// `OutputLayout.Installed` say so.
    func testEveryOutputPathTheDocsNameIsNetcsLayout() throws {
        let chars = "[A-Za-z0-9_./*<>-]"
        let installed = try NSRegularExpression(pattern: "/etc/(?:netc|systemd/network|sysctl\\.d|systemd/system|nftables\\.d)\(chars)*")
        let out = try NSRegularExpression(pattern: "(?:(?<=[\\s`(])|^)(?:(?:out|OUT)/)?(?:networkd|libvirt|nftables|sysctl)(?:/\(chars)*)?(?=[\\s`),:;]|$)",
                                          options: [.anchorsMatchLines])
        func filled(_ p: String) -> String {
            p.replacingOccurrences(of: "<network>", with: "default").replacingOccurrences(of: "NAME", with: "default")
                .replacingOccurrences(of: "NN-", with: "10-").replacingOccurrences(of: "<link>", with: "eth0").replacingOccurrences(of: "eth0.*", with: "eth0.network")
                .replacingOccurrences(of: "networkd/*", with: "networkd/10-netc-eth0").replacingOccurrences(of: "libvirt/*", with: "libvirt/default")
        }
        let folders = Set([OutputLayout.Installed.networkd, OutputLayout.Installed.libvirt, "etc/netc", "etc/sysctl.d", "etc/systemd/system"])
        let files = Set([OutputLayout.Installed.ruleset, OutputLayout.Installed.sysctl, OutputLayout.Installed.bootUnit, OutputLayout.Installed.bootUnitLink])
        var seen = 0
        for page in Self.pages {
            let text = try readText(page)
            let ns = text as NSString
            for m in installed.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                var path = filled(ns.substring(with: m.range))
                while path.hasSuffix(".") { path.removeLast() }
                let at = "\(page.lastPathComponent): \(path)"
                let rel = String(path.dropFirst())
                seen += 1
                if rel.hasSuffix("/") {
                    XCTAssert(folders.contains(String(rel.dropLast())), "\(at) is no folder netc installs into")
                } else if rel.hasPrefix(OutputLayout.Installed.networkd + "/"), !rel.contains("-netc-") {
                    continue   // the host's own networkd file, which netc leaves alone
                } else {
                    XCTAssert(files.contains(rel) || OutputLayout.Installed.role(of: rel) != nil, "\(at) is no path netc installs")
                }
            }
            for m in out.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                var path = filled(ns.substring(with: m.range))
                while path.hasSuffix(".") || path.hasSuffix("/") { path.removeLast() }
                for prefix in ["out/", "OUT/"] where path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
                // `sysctl/...` of /proc/sys or a `.conf` a page quotes whole,
                // a bare word: only OUT's files and folders are checked.
                guard path.contains("/") || ns.substring(with: m.range).contains("out/") || ns.substring(with: m.range).contains("OUT/") else { continue }
                guard path.contains(".") || !path.contains("/") else { continue }
                seen += 1
                let at = "\(page.lastPathComponent): \(ns.substring(with: m.range))"
                if !path.contains("/") {
                    XCTAssert(OutputLayout.folders.contains(path), "\(at) is no folder of OUT")
                } else {
                    XCTAssert(OutputLayout.role(of: path) != nil, "\(at) is no file netc writes")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(seen, 20, "paths checked")
    }
}
