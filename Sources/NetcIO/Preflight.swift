import Foundation
import NetcCore

/// What on a host would fight netc over what it configures, found before
/// apply changes anything (and reported by status): each finding located
/// (a file and line, or a table and chain) and worded here once. Every kind
/// would break the host or its guests, so apply stops on any of them unless
/// told `--ignore-preflight`. docs/install.md lists the kinds.
public struct PreflightFinding: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// A networkd `.network` file of another's that matches a link of
        /// netc's and sorts before netc's file: networkd takes the first.
        case networkdShadow = "networkd-shadow"
        /// An `/etc/network/interfaces` stanza for a link netc configures.
        case ifupdown
        /// A NetworkManager connection bound to a link netc configures.
        case networkManager = "networkmanager"
        /// Another table's base chain on the forward or input hook whose
        /// policy is drop.
        case dropPolicy = "drop-policy"
    }

    public var kind: Kind
    /// Where: `path:line` (under the root as given), or `table FAMILY NAME, chain NAME`.
    public var location: String
    /// The link (or, for a drop policy, the hook) it concerns.
    public var subject: String
    /// netc's file it shadows (networkd-shadow only).
    public var shadowed: String = ""

    public var description: String {
        switch kind {
        case .networkdShadow:
            "\(location): [\(kind.rawValue)] matches \(subject) and sorts before netc's \(shadowed): networkd configures \(subject) from it, not from netc's"
        case .ifupdown:
            "\(location): [\(kind.rawValue)] ifupdown manages \(subject), which netc's networkd files configure: the two would fight over it"
        case .networkManager:
            "\(location): [\(kind.rawValue)] a NetworkManager connection for \(subject), which netc configures: the two would fight over it"
        case .dropPolicy:
            "\(location): [\(kind.rawValue)] hook \(subject) with policy drop: it drops "
                + (subject == "forward" ? "the guests' forwarded traffic" : "the guests' DHCP and DNS to the host")
                + " that table inet netc accepts, unless it accepts them itself"
        }
    }
}

public enum Preflight {
    /// networkd's folders, earlier ones overriding a file of the same name.
    static let networkdFolders = ["etc/systemd/network", "run/systemd/network", "usr/lib/systemd/network", "lib/systemd/network"]

    /// The findings for applying `built` (an OUT) on the host under `root`.
    public static func check(root: String, built: [String: [UInt8]]) throws -> [PreflightFinding] {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        var findings: [PreflightFinding] = []
        // The links netc's networkd files configure, and netc's file name
        // for each (what another's must not sort before).
        var netcFiles: [String: String] = [:]
        for path in built.keys.sorted() {
            if case .networkd(let link, .network, let fileName)? = OutputLayout.role(of: path) { netcFiles[link] = fileName }
        }
        let links = Set(netcFiles.keys)
        let bridges = ApplyPlan.libvirtBridges(built)

        // networkd: the first .network file (by name, over all folders)
        // that matches a link is the one networkd uses.
        var seen = Set<String>()
        for folder in networkdFolders {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: prefix + folder)) ?? []).sorted() where name.hasSuffix(".network") {
                guard seen.insert(name).inserted else { continue }   // overridden by an earlier folder's
                let path = prefix + folder + "/" + name
                guard let text = try? String(contentsOfFile: path, encoding: .utf8), !OutputLayout.isLabelled(text) else { continue }
                let (globs, line) = matchNames(text)
                for link in links.sorted() where name < netcFiles[link]! {
                    let matches = globs.isEmpty ? true : globs.contains { fnmatch($0, link, 0) == 0 }
                    if matches { findings.append(.init(kind: .networkdShadow, location: "/\(folder)/\(name):\(line)", subject: link, shadowed: netcFiles[link]!)) }
                }
            }
        }

        // ifupdown: /etc/network/interfaces and what it sources from interfaces.d.
        var ifupdownFiles = ["etc/network/interfaces"]
        ifupdownFiles += ((try? FileManager.default.contentsOfDirectory(atPath: prefix + "etc/network/interfaces.d")) ?? []).sorted()
            .filter { !$0.hasPrefix(".") }.map { "etc/network/interfaces.d/" + $0 }
        let managed = links.union(bridges)
        for file in ifupdownFiles {
            guard let text = try? String(contentsOfFile: prefix + file, encoding: .utf8) else { continue }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let first = words.first, ["iface", "auto", "allow-hotplug", "allow-auto", "mapping"].contains(first) else { continue }
                let names = first == "iface" ? Array(words.dropFirst().prefix(1)) : Array(words.dropFirst())
                for link in names where managed.contains(link) {
                    findings.append(.init(kind: .ifupdown, location: "/\(file):\(n + 1)", subject: link))
                }
            }
        }

        // NetworkManager's keyfiles.
        for folder in ["etc/NetworkManager/system-connections", "run/NetworkManager/system-connections"] {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: prefix + folder)) ?? []).sorted() {
                guard let text = try? String(contentsOfFile: prefix + folder + "/" + name, encoding: .utf8) else { continue }
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let t = line.trimmingCharacters(in: .whitespaces)
                    guard let v = t.strip(prefix: "interface-name=") else { continue }
                    let link = v.trimmingCharacters(in: .whitespaces)
                    if managed.contains(link) { findings.append(.init(kind: .networkManager, location: "/\(folder)/\(name):\(n + 1)", subject: link)) }
                }
            }
        }

        // Other tables' base chains on the hooks netc's traffic takes.
        let r = try HostReader.run(["nft", "-j", "list", "chains"])
        guard r.status == 0, let json = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let items = json["nftables"] as? [[String: Any]] else {
            throw Failure("cannot read the host's nftables chains: 'nft -j list chains' failed (exit \(r.status)): "
                          + r.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines) + "; nothing was changed")
        }
        for item in items {
            guard let c = item["chain"] as? [String: Any], let family = c["family"] as? String, let table = c["table"] as? String,
                  let chain = c["name"] as? String, let hook = c["hook"] as? String, c["policy"] as? String == "drop",
                  ["forward", "input"].contains(hook), !(["inet", "bridge"].contains(family) && table == "netc") else { continue }
            if hook == "input" && bridges.isEmpty { continue }
            findings.append(.init(kind: .dropPolicy, location: "table \(family) \(table), chain \(chain)", subject: hook))
        }
        return findings
    }

    /// A .network file's `[Match] Name=` globs (all of them; an empty
    /// assignment resets the list, as in networkd) and the line of the last.
    static func matchNames(_ text: String) -> (globs: [String], line: Int) {
        var section = "", globs: [String] = [], line = 1
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("[") { section = t; continue }
            guard section == "[Match]", let v = t.strip(prefix: "Name=") else { continue }
            let words = v.split(separator: " ").map(String.init)
            globs = words.isEmpty ? [] : globs + words
            line = n + 1
        }
        return (globs, line)
    }
}
