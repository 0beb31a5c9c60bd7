import Foundation
import NetcCore

/// Reads what `netc apply` needs to know of the host.
public struct HostReader {
    var root: String
    var libvirtURI: String?

    var prefix: String { root.hasSuffix("/") ? root : root + "/" }

    public init(root: String, libvirtURI: String? = nil) {
        self.root = root
        self.libvirtURI = libvirtURI
    }

    /// Where apply keeps the listing of the tables it loaded (`netcTables`),
    /// to tell a table changed by hand.
    public static let rulesetListing = "var/lib/netc/netc.nft.listing"

    /// The files, the ruleset in the kernel, libvirt's networks (their
    /// definitions, stored and live), and, for what `built` (an OUT) sets,
    /// the sysctl values and the links its networkd files name.
    public func read(for built: [String: [UInt8]] = [:]) throws -> ApplyPlan.HostState {
        var state = readFiles()
        let tables = Self.netcTables()
        state.rulesetLoaded = tables?.contains(#"{"table":{"family":"inet""#) == true
        if state.rulesetLoaded, let tables {
            let saved = (try? String(contentsOfFile: prefix + Self.rulesetListing, encoding: .utf8))
            state.rulesetAsLoaded = saved == tables
        }
        state.libvirt = try libvirtNetworks()
        if let sysctl = built[OutputLayout.sysctl] {
            var values: [String: String] = [:]
            for (key, _) in ApplyPlan.sysctlSettings(sysctl) {
                let file = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
                values[key] = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            state.sysctl = values
        }
        let names = Set(ApplyPlan.expectedLinks(built).keys).union(ApplyPlan.libvirtBridges(built))
        if !names.isEmpty { state.links = try links(named: names) }
        return state
    }

    /// netc's tables as the kernel holds them, in nft's JSON
    /// (`nft -j -s list ruleset`: counters left out; other tables' objects
    /// dropped; keys sorted), so that a later nft's text layout cannot
    /// read as a change. Empty when neither table is loaded; nil when nft
    /// could not be run or gave no JSON.
    static func netcTables() -> String? {
        guard let r = try? run(["nft", "-j", "-s", "list", "ruleset"]), r.status == 0,
              let json = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let items = json["nftables"] as? [[String: Any]] else { return nil }
        // Each item is one object: {"table": {"family", "name"}}, or a
        // chain, set or rule naming its "table".
        let ours: [[String: Any]] = items.compactMap { item in
            guard item.count == 1, let (kind, value) = item.first, var o = value as? [String: Any] else { return nil }
            let table = kind == "table" ? o["name"] as? String : o["table"] as? String
            guard table == "netc", ["inet", "bridge"].contains(o["family"] as? String ?? "") else { return nil }
            // Handles: a table loaded again gets a new one.
            o["handle"] = nil
            // A hash set lists its elements in the order of its hash, whose
            // seed a reload draws anew: sorted, the same set reads the same.
            if let elements = o["elem"] as? [Any] {
                o["elem"] = elements.map { e in
                    (e, (try? JSONSerialization.data(withJSONObject: ["e": e], options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "")
                }.sorted { $0.1 < $1.1 }.map(\.0)
            }
            return [kind: o]
        }
        guard !ours.isEmpty, let data = try? JSONSerialization.data(withJSONObject: ours, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The kernel's links of these names: master and addresses (`ip -j addr`).
    func links(named names: Set<String>) throws -> [String: ApplyPlan.Link] {
        let r = try Self.run(["ip", "-j", "addr", "show"])
        guard r.status == 0, let list = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] else {
            throw Failure("cannot read the host's links: 'ip -j addr show' failed (exit \(r.status)): "
                          + r.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines) + "; nothing was changed")
        }
        var out: [String: ApplyPlan.Link] = [:]
        for l in list {
            guard let name = l["ifname"] as? String, names.contains(name) else { continue }
            var link = ApplyPlan.Link(master: l["master"] as? String)
            for a in l["addr_info"] as? [[String: Any]] ?? [] {
                if let local = a["local"] as? String, let len = a["prefixlen"] as? Int { link.addresses.insert("\(local)/\(len)") }
            }
            out[name] = link
        }
        return out
    }

    /// What is plugged into each of these networks' bridges: every
    /// interface on the bridge (libvirt's taps), named by the guest that
    /// owns it (libvirt's network ports, `net-port-list`, match a tap by
    /// the guest's MAC, which libvirt gives the tap with the first byte
    /// fe; else the running domains' interfaces, `domiflist`), and each
    /// port libvirt lists whose tap is not on the bridge (nothing to plug
    /// back, but still a guest that uses the network). libvirt forgets a
    /// network's ports when it is restarted: the bridge is the truth.
    /// A port that is one of `netcLinks` (a link netc's own networkd files
    /// create, such as a fleet overlay's VXLAN link) is no guest.
    public func guests(on networks: Set<String>, bridges: [String: String], netcLinks: Set<String> = []) throws -> [String: [ApplyPlan.GuestPort]] {
        var out: [String: [ApplyPlan.GuestPort]] = [:]
        var domainInterfaces: [String: String]?
        func domainOf(_ interface: String) throws -> String? {
            if domainInterfaces == nil {
                domainInterfaces = [:]
                let list = try virsh(["list", "--name"])
                if list.status == 0 {   // a connection without domains (network:///) has none to name
                    for d in list.stdout.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !d.isEmpty {
                        // The domain's XML, parsed: each interface's target.
                        let xml = try virsh(["dumpxml", d])
                        guard xml.status == 0, let domain = try? XMLTree.parse(Array(xml.stdout.utf8)) else { continue }
                        for i in domain.child("devices")?.children.filter({ $0.name == "interface" }) ?? [] {
                            if let dev = i.child("target")?.attribute("dev")?.value { domainInterfaces![dev] = d }
                        }
                    }
                }
            }
            return domainInterfaces![interface]
        }
        for name in networks.sorted() {
            let list = try virsh(["net-port-list", "--uuid", name])
            guard list.status == 0 else {
                throw Failure("cannot list the guests on libvirt's network \(name): 'virsh net-port-list --uuid \(name)' failed (exit \(list.status)): "
                              + list.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines) + "; nothing was changed")
            }
            var owners: [String: String] = [:]   // guest MAC without its first byte -> guest
            for uuid in list.stdout.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !uuid.isEmpty {
                let dump = try virsh(["net-port-dumpxml", name, uuid])
                guard dump.status == 0, let port = try? XMLTree.parse(Array(dump.stdout.utf8)) else { continue }   // gone since the list
                let guest = port.child("owner")?.child("name")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? uuid
                let mac = port.child("mac")?.attribute("address")?.value.lowercased() ?? ""
                owners[String(mac.dropFirst(2))] = guest
            }
            var ports: [ApplyPlan.GuestPort] = []
            if let bridge = bridges[name], let plugged = try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net/\(bridge)/brif") {
                for interface in plugged.sorted() where !netcLinks.contains(interface) {
                    let mac = ((try? String(contentsOfFile: "/sys/class/net/\(interface)/address", encoding: .utf8)) ?? "")
                        .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                    let key = String(mac.dropFirst(2))
                    let guest = try owners.removeValue(forKey: key) ?? domainOf(interface) ?? "an unnamed guest"
                    ports.append(.init(guest: guest, mac: mac, interface: interface))
                }
            }
            for (mac, guest) in owners.sorted(by: { $0.key < $1.key }) { ports.append(.init(guest: guest, mac: "??" + mac, interface: nil)) }
            if !ports.isEmpty { out[name] = ports }
        }
        return out
    }

    /// netc's installed files (labelled ones only) and whether the boot
    /// unit is enabled: what the host has on disk, no daemon asked.
    public func readFiles() -> ApplyPlan.HostState {
        var state = ApplyPlan.HostState()
        func readIfLabelled(_ p: String) {
            let fd = open(prefix + p, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return }
            defer { close(fd) }
            if let bytes = try? OutputFolder.readAll(fd, display: prefix + p),
               OutputLayout.isLabelled(bytes: bytes) {
                state.files[p] = bytes
            }
        }
        for dir in [ApplyPlan.Paths.networkd, ApplyPlan.Paths.libvirt] {
            guard let d = opendir(prefix + dir) else { continue }
            defer { closedir(d) }
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasPrefix(".") { continue }
                readIfLabelled(dir + "/" + name)
            }
        }
        for p in [ApplyPlan.Paths.sysctl, ApplyPlan.Paths.ruleset, ApplyPlan.Paths.bootUnit] { readIfLabelled(p) }
        var st = stat()
        state.bootUnitEnabled = lstat(prefix + ApplyPlan.Paths.bootUnitLink, &st) == 0
        return state
    }

    func virsh(_ args: [String]) throws -> (status: Int32, output: String, stdout: String) {
        try Self.run(["virsh"] + (libvirtURI.map { ["-c", $0] } ?? []) + args)
    }

    func libvirtNetworks() throws -> [String: ApplyPlan.LibvirtNetwork] {
        let list = try virsh(["-q", "net-list", "--all", "--name"])
        guard list.status == 0 else {
            // One line: virsh's first (libvirt's own error), and what to check.
            let first = list.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? "no message"
            throw Failure("cannot reach libvirt (virsh net-list: \(first)): is libvirtd running, and is --connect the right URI?")
        }
        func names(_ listing: String) -> [String] {
            listing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        /// A read of `name` failed: gone since the list (a command of a
        /// killed apply may still have been running) is not there; still
        /// listed, libvirt could not be read, and nothing may be decided
        /// without it (the network might be one netc did not create).
        func unreadable(_ name: String, _ command: String, _ r: (status: Int32, output: String, stdout: String)) throws {
            let again = try virsh(["-q", "net-list", "--all", "--name"])
            if again.status == 0, !names(again.stdout).contains(name) { return }
            throw Failure("cannot read libvirt's network \(name): 'virsh \(command) \(name)' failed (exit \(r.status)): "
                          + r.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines) + "; nothing was changed")
        }
        // One virsh for all of them (a virsh is 15 ms; a host may have a
        // hundred networks): which are active and autostart (names, from
        // net-list), and each network's stored and live XML, between
        // markers. A network whose part is not whole is read again alone,
        // for the error. Nothing is read from virsh's prose (net-info).
        let all = names(list.stdout)
        let batchable = all.filter { n in n.allSatisfy { $0.isLetter || $0.isNumber || "-_.:+".contains($0) } }
        var parts: [String: [String: String]] = [:]
        if !batchable.isEmpty {
            let commands = ["echo @@netc active -; net-list --name; echo @@netc autostart -; net-list --all --autostart --name"]
                + batchable.map { n in "echo @@netc stored \(n); net-dumpxml --inactive \(n); echo @@netc live \(n); net-dumpxml \(n)" }
            let batch = try virsh([commands.joined(separator: "; ")])
            var current: (kind: String, name: String)?
            for line in batch.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("@@netc ") {
                    let f = line.split(separator: " ", maxSplits: 2).map(String.init)
                    current = f.count == 3 ? (f[1], f[2]) : nil
                } else if let c = current {
                    parts[c.name, default: [:]][c.kind, default: ""] += line + "\n"
                }
            }
        }
        // Which are active and autostart: from the batch, or asked alone.
        func listed(_ kind: String, _ args: [String]) throws -> Set<String> {
            if let part = parts["-"]?[kind] { return Set(names(part)) }
            let r = try virsh(["-q", "net-list"] + args + ["--name"])
            guard r.status == 0 else {
                throw Failure("cannot read libvirt's networks: 'virsh net-list \((args + ["--name"]).joined(separator: " "))' failed (exit \(r.status)): "
                              + r.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines) + "; nothing was changed")
            }
            return Set(names(r.stdout))
        }
        let activeNames = try listed("active", []), autostartNames = try listed("autostart", ["--all", "--autostart"])
        var out: [String: ApplyPlan.LibvirtNetwork] = [:]
        for name in all {
            var stored = parts[name]?["stored"].flatMap { LibvirtDefinition(Array($0.utf8)) }
            var live = parts[name]?["live"].flatMap { LibvirtDefinition(Array($0.utf8)) }
            if stored == nil || live == nil {
                let dump = try virsh(["net-dumpxml", "--inactive", name])
                guard dump.status == 0 else {
                    try unreadable(name, "net-dumpxml --inactive", dump)
                    continue
                }
                guard let definition = LibvirtDefinition(Array(dump.stdout.utf8)) else {
                    throw Failure("cannot read libvirt's network \(name): virsh net-dumpxml gave no <network> element: "
                                  + dump.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines))
                }
                stored = definition
                let liveRun = try virsh(["net-dumpxml", name])
                live = liveRun.status == 0 ? LibvirtDefinition(Array(liveRun.stdout.utf8)) : nil
            }
            let active = activeNames.contains(name)
            out[name] = .init(ownedByNetc: stored!.ownedByNetc, active: active, autostart: autostartNames.contains(name),
                              definition: stored, live: active ? live : nil)
        }
        return out
    }

    /// Runs a command (found on PATH or in the sbin folders), returning its
    /// status and its standard output and error together.
    /// - Returns: the exit status, standard output and error together (for
    ///   messages), and standard output alone (what is parsed: a daemon's
    ///   warning on standard error must not reach the XML reader).
    static func run(_ command: [String]) throws -> (status: Int32, output: String, stdout: String) {
        let p = Process()
        let dirs = (environment("PATH") ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            + ["/usr/sbin", "/sbin"]
        guard let exe = dirs.map({ $0 + "/" + command[0] }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure("cannot run \(command[0]): not installed")
        }
        // NETC_COMMAND_LOG: every command netc runs on the host, a line
        // each, appended to this file (the tests assert on what a no-op
        // apply ran).
        if let log = environment("NETC_COMMAND_LOG"), let h = FileHandle(forWritingAtPath: log) ?? {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            return FileHandle(forWritingAtPath: log)
        }() {
            h.seekToEndOfFile()
            h.write(Data((command.joined(separator: " ") + "\n").utf8))
            h.closeFile()
        }
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = Array(command.dropFirst())
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Standard error is read beside standard output, so that neither
        // pipe can fill up and stop the command.
        nonisolated(unsafe) var errors = Data()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) { errors = err.fileHandleForReading.readDataToEndOfFile() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        p.waitUntilExit()
        let stdout = String(decoding: data, as: UTF8.self)
        return (p.terminationStatus, stdout + String(decoding: errors, as: UTF8.self), stdout)
    }

    static func makeFolder(for file: String) throws {
        guard let slash = file.lastIndex(of: "/"), slash > file.startIndex else { return }
        try OutputFolder.makeFolder(String(file[..<slash]))
    }
}
