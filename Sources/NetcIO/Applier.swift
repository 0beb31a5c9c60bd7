import Foundation
import NetcCore

/// `netc apply OUT`, carried out: reads the host's state (`HostReader`),
/// asks `ApplyPlan` what to do, and does it, one logged line per action,
/// rolling back on a failure or an unconfirmed apply. The policy is
/// NetcCore's; this reads and runs. The `netc` executable only turns its
/// arguments into an `Applier`.
public struct Applier {
    public var root: String
    public var libvirtURI: String?
    public var dryRun: Bool
    /// Roll back unless confirmed within this many seconds.
    public var confirm: Int?
    /// Networks netc did not create that OUT's may replace.
    public var adopt: [String]
    /// A network running guests use may be restarted or removed.
    public var allowGuestDisruption: Bool
    /// Apply despite what pre-flight found (`Preflight`).
    public var ignorePreflight: Bool

    /// The apply failed or was not confirmed, and the host was rolled back.
    public struct RolledBack: Error {}

    public init(root: String = "/", libvirtURI: String? = nil, dryRun: Bool = false, confirm: Int? = nil, adopt: [String] = [],
                allowGuestDisruption: Bool = false, ignorePreflight: Bool = false) {
        self.allowGuestDisruption = allowGuestDisruption
        self.ignorePreflight = ignorePreflight
        self.root = root
        self.libvirtURI = libvirtURI
        self.dryRun = dryRun
        self.confirm = confirm
        self.adopt = adopt
    }

    /// Under the root: the state an apply is replacing, kept as an OUT
    /// (`previous/`) from before the first change until the apply is done
    /// and confirmed (`pending` marks that window); `confirmed` is left by
    /// `netc apply --confirmed`.
    static let stateFolder = "var/lib/netc"

    /// `netc apply --confirmed`: confirms the apply waiting on this host.
    public func confirmWaiting() throws {
        let state = prefix + Self.stateFolder
        guard FileManager.default.fileExists(atPath: state + "/pending") else { throw Failure("no netc apply is waiting for confirmation under \(root)") }
        try HostReader.makeFolder(for: state + "/confirmed")
        try OutputFolder.writeAtomically(state + "/confirmed", [])
        log("netc: apply: confirmed")
    }

    /// What an apply planned: its actions in order (performed unless a
    /// dry run), and what pre-flight found.
    public struct Planned: Sendable {
        public var actions: [ApplyPlan.Action]
        public var preflight: [PreflightFinding]
    }

    /// Makes the host match `out`, a folder netc build wrote; returns what
    /// it planned (a dry run's answer).
    @discardableResult
    public func apply(_ out: String) throws -> Planned {
        let state = prefix + Self.stateFolder
        let folder = OutputFolder(path: out)
        guard OutputFolder.isDirectory(out) == true else { throw Failure("\(out) is not a folder netc build wrote") }
        // No build may change OUT while it is applied, and one apply at
        // a time works on a host.
        try folder.lock(create: false)
        if !dryRun { try lockHost(state) }
        let built = try Self.builtFiles(folder)
        guard built[OutputLayout.ruleset] != nil else { throw Failure("\(out) holds no \(OutputLayout.ruleset): is it a folder netc build wrote?") }
        let tag = dryRun ? "netc: apply (dry run):" : "netc: apply:"
        if root != "/" { log("\(tag) root \(root): paths below are under it") }
        if FileManager.default.fileExists(atPath: state + "/pending") {
            guard !dryRun else { throw Failure("an earlier netc apply under \(root) did not finish or was not confirmed: run apply without --dry-run to roll it back first") }
            log("netc: apply: an earlier apply did not finish or was not confirmed: rolling back to the state before it")
            try rollBack()
        }
        let host = try readHost(for: built, adopt: adopt)
        let actions = try plan(built, host, adopt: adopt, allowDisruption: allowGuestDisruption)
        // Pre-flight: what would fight netc here, before any change.
        let findings = actions.isEmpty ? [] : try Preflight.check(root: root, built: built)
        for f in findings { log("netc: apply: preflight: \(f)") }
        if !findings.isEmpty && !ignorePreflight && !dryRun {
            throw Failure("pre-flight found \(findings.count) thing(s) on this host that would fight netc (above): nothing was changed; "
                          + "mend them, or pass --ignore-preflight to apply anyway")
        }
        if actions.isEmpty { log("\(tag) nothing to do: the host matches \(out)") }
        if dryRun || actions.isEmpty {
            for a in actions { log("\(tag) \(a.description)") }
            return Planned(actions: actions, preflight: findings)
        }
        let adopted = adopt.filter { host.libvirt[$0].map { !$0.ownedByNetc } ?? false }
        try savePrevious(host, built: built, out: out, touching: Self.networks(in: actions), adopting: Set(adopted))
        // NETC_APPLY_PAUSE: seconds between actions, to watch an apply
        // step by step (and for the tests that stop one half way).
        let pause = Double(environment("NETC_APPLY_PAUSE") ?? "") ?? 0
        do {
            for a in actions {
                log("\(tag) \(a.description)")
                try perform(a)
                if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
            }
        } catch let f as Failure {
            log("netc: error: \(f.description)")
            log("netc: apply: rolling back to the state before this apply")
            try rollBack()
            throw RolledBack()
        }
        if let seconds = confirm {
            log("netc: apply: applied; rolling back in \(seconds) s unless confirmed: press Enter here, "
                + "or run 'netc apply --confirmed\(root == "/" ? "" : " --root \(root)")' in another shell")
            if !waitForConfirmation(seconds: seconds, state: state) {
                log("netc: apply: not confirmed: rolling back to the state before this apply")
                try rollBack()
                throw RolledBack()
            }
            log("netc: apply: confirmed")
        }
        try finish()
        return Planned(actions: actions, preflight: findings)
    }

    /// `ROOT/var/lib/netc/lock`, held until the process exits; a second
    /// apply waits for it like a second build waits for OUT.
    func lockHost(_ state: String) throws {
        try OutputFolder.makeFolder(state)
        let fd = open(state + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("cannot lock \(state)/lock: \(OutputFolder.reason)") }
        KeptUntilExit.keep(fd)
        let deadline = Date().addingTimeInterval(OutputFolder.lockWait)
        var said = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK, Date() < deadline else {
                throw Failure("another netc apply still holds \(state)/lock; try again when it is done")
            }
            if !said { log("netc: apply: waiting for another netc apply on this host to finish"); said = true }
            usleep(100_000)
        }
    }

    /// - Parameters:
    ///   - adopt: `--adopt`, for the apply itself; a rollback adopts nothing.
    ///   - redefine: for a rollback, the networks the apply was changing.
    func plan(_ built: [String: [UInt8]], _ host: ApplyPlan.HostState, adopt: [String] = [],
              redefine: Set<String> = [], allowDisruption: Bool) throws -> [ApplyPlan.Action] {
        try compare(built, host, adopt: adopt, redefine: redefine, allowDisruption: allowDisruption).actions
    }

    func compare(_ built: [String: [UInt8]], _ host: ApplyPlan.HostState, adopt: [String] = [],
                 redefine: Set<String> = [], allowDisruption: Bool) throws -> ApplyPlan.Comparison {
        do {
            return try ApplyPlan.compare(built: built, host: host, root: root, adopt: Set(adopt), redefine: redefine,
                                         allowDisruption: allowDisruption)
        } catch let r as ApplyPlan.Refusal {
            throw Failure(r.description)
        }
    }

    /// The host's state for `built`, with the running guests of every
    /// network the change would restart or remove (read only for those).
    func readHost(for built: [String: [UInt8]], adopt: [String] = [], redefine: Set<String> = []) throws -> ApplyPlan.HostState {
        let reader = HostReader(root: root, libvirtURI: libvirtURI)
        var host = try reader.read(for: built)
        let first = try plan(built, host, adopt: adopt, redefine: redefine, allowDisruption: true)
        var stopped = Set<String>()
        for case .run(let c) in first where c.count == 3 && c[0] == "virsh" && c[1] == "net-destroy" { stopped.insert(c[2]) }
        if !stopped.isEmpty {
            var bridges: [String: String] = [:]
            for name in stopped { bridges[name] = host.libvirt[name].flatMap { $0.live?.bridge ?? $0.definition?.bridge } }
            // The links netc's networkd files make (a fleet overlay's VXLAN
            // link is a port of its bridge) are no guests.
            let netcLinks = Set(ApplyPlan.expectedLinks(built).keys).union(ApplyPlan.expectedLinks(host.files).keys)
            host.guests = try reader.guests(on: stopped, bridges: bridges, netcLinks: netcLinks)
        }
        return host
    }

    /// `netc status OUT`: how the host differs from OUT, read only.
    public func status(_ out: String) throws -> ApplyPlan.Comparison {
        let folder = OutputFolder(path: out)
        guard OutputFolder.isDirectory(out) == true else { throw Failure("\(out) is not a folder netc build wrote") }
        let built = try Self.builtFiles(folder)
        guard built[OutputLayout.ruleset] != nil else { throw Failure("\(out) holds no \(OutputLayout.ruleset): is it a folder netc build wrote?") }
        let host = try readHost(for: built)
        return try compare(built, host, allowDisruption: true)
    }

    /// Pre-flight's findings for OUT on this host (`netc status` reports them).
    public func preflight(_ out: String) throws -> [PreflightFinding] {
        try Preflight.check(root: root, built: Self.builtFiles(OutputFolder(path: out)))
    }

    static func builtFiles(_ folder: OutputFolder) throws -> [String: [UInt8]] {
        try folder.read().dictionary.filter { OutputLayout.isLabelled(bytes: $0.value) }
    }

    /// What the host has of netc's now, as an OUT, and the pending marker:
    /// from here until `finish`, the next apply rolls back to it.
    /// The libvirt networks these actions change.
    static func networks(in actions: [ApplyPlan.Action]) -> Set<String> {
        var names = Set<String>()
        for a in actions {
            switch a {
            case .define(let n, _, _): names.insert(n)
            case .run(let c) where c.first == "virsh" && c.count > 2: names.insert(c[2])
            default: break
            }
        }
        return names
    }

    /// - Parameters:
    ///   - touching: the libvirt networks the apply will change; a rollback
    ///     defines these again from `previous/`, and leaves the others (and
    ///     their guests) alone.
    ///   - adopting: networks netc did not create that the apply replaces:
    ///     their own XML (`virsh net-dumpxml --inactive`) and whether they
    ///     were active and autostart are kept in `adopted/`, for a rollback.
    func savePrevious(_ host: ApplyPlan.HostState, built: [String: [UInt8]], out: String, touching: Set<String>, adopting: Set<String>) throws {
        let state = prefix + Self.stateFolder
        try? FileManager.default.removeItem(atPath: state + "/previous")
        try? FileManager.default.removeItem(atPath: state + "/adopted")
        try? FileManager.default.removeItem(atPath: state + "/confirmed")
        for name in adopting.sorted() {
            let dump = try HostReader(root: root, libvirtURI: libvirtURI).virsh(["net-dumpxml", "--inactive", name])
            guard dump.status == 0 else { throw Failure("cannot read libvirt's network \(name) to adopt it: \(dump.output)") }
            let n = host.libvirt[name]!
            try OutputFolder.makeFolder(state + "/adopted")
            try OutputFolder.writeAtomically(state + "/adopted/\(name).xml", Array(dump.stdout.utf8))
            try OutputFolder.writeAtomically(state + "/adopted/\(name).state",
                                             Array("\(n.active ? "active" : "inactive") \(n.autostart ? "autostart" : "manual")\n".utf8))
        }
        try OutputFolder.makeFolder(state + "/previous")
        for (path, bytes) in host.files {
            guard let outPath = OutputLayout.Installed.outPath(of: path) else { continue }
            let target = state + "/previous/" + outPath
            try HostReader.makeFolder(for: target)
            try OutputFolder.writeAtomically(target, bytes)
        }
        let keys = [host.files[ApplyPlan.Paths.sysctl], built[OutputLayout.sysctl]].compactMap { $0 }.flatMap { ApplyPlan.sysctlSettings($0).map(\.key) }
        try saveSysctl(state + "/sysctl.values", keys: keys)
        let marker = "applying \(out)\n" + touching.sorted().map { "network \($0)\n" }.joined()
        try OutputFolder.writeAtomically(state + "/pending", Array(marker.utf8))
    }

    /// Applies `previous/` again: the files, networks and ruleset the host
    /// had before. The libvirt networks the apply was changing are defined
    /// again from it (an interrupted apply may have changed one without
    /// recording it); the others, and their guests, are left alone.
    func rollBack() throws {
        let state = prefix + Self.stateFolder
        let previous = try Self.builtFiles(OutputFolder(path: state + "/previous"))
        let marker = (try? String(contentsOfFile: state + "/pending", encoding: .utf8)) ?? ""
        let touched = Set(marker.split(separator: "\n").filter { $0.hasPrefix("network ") }.map { String($0.dropFirst(8)) })
        let host = try readHost(for: previous, redefine: touched)
        // A rollback puts back what was: restarts included.
        for a in try plan(previous, host, redefine: touched, allowDisruption: true) {
            log("netc: apply: rollback: \(a.description)")
            try perform(a)
        }
        try restoreAdopted(state + "/adopted")
        try restoreSysctl(state + "/sysctl.values")
        try finish()
        log("netc: apply: rolled back")
    }

    /// Each network the apply was adopting, as it was: netc's network of
    /// that name goes, the original is defined again from its own XML, and
    /// started and marked autostart if it was.
    func restoreAdopted(_ folder: String) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".xml") }.map { String($0.dropLast(4)) }.sorted()
        guard !names.isEmpty else { return }
        let networks = try HostReader(root: root, libvirtURI: libvirtURI).libvirtNetworks()
        for name in names {
            let saved = (try? String(contentsOfFile: folder + "/\(name).state", encoding: .utf8)) ?? ""
            // What libvirt has now under that name, if it is still the original.
            var now = networks[name]
            if let n = now, n.ownedByNetc {
                if n.active { try rollbackStep(["virsh", "net-destroy", name]) }
                try rollbackStep(["virsh", "net-undefine", name])
                now = nil
            }
            if now == nil { try rollbackStep(["virsh", "net-define", folder + "/\(name).xml"]) }
            if saved.contains("autostart"), now?.autostart != true { try rollbackStep(["virsh", "net-autostart", name]) }
            if saved.hasPrefix("active"), now?.active != true { try rollbackStep(["virsh", "net-start", name]) }
        }
    }

    /// The kernel's values of the keys the sysctl files (installed and
    /// OUT's) set, as they were before the apply: put back by a rollback,
    /// where the previous files alone would not (forwarding that netc's
    /// file turned on stays on when the file goes).
    func saveSysctl(_ file: String, keys: [String]) throws {
        var lines = ""
        for key in Set(keys).sorted() {
            let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
            guard let v = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            lines += "\(key) = \(v.trimmingCharacters(in: .whitespacesAndNewlines))\n"
        }
        try OutputFolder.writeAtomically(file, Array(lines.utf8))
    }

    func restoreSysctl(_ file: String) throws {
        guard let saved = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: file))) else { return }
        for (key, value) in ApplyPlan.sysctlSettings(saved) {
            let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
            let now = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if now != value { try rollbackStep(["sysctl", "-q", "-w", "\(key)=\(value)"]) }
        }
    }

    func rollbackStep(_ command: [String]) throws {
        log("netc: apply: rollback: run \(command.joined(separator: " "))")
        try perform(.run(command))
    }

    func finish() throws {
        let state = prefix + Self.stateFolder
        unlink(state + "/pending")
        try? FileManager.default.removeItem(atPath: state + "/previous")
        try? FileManager.default.removeItem(atPath: state + "/adopted")
        unlink(state + "/sysctl.values")
        unlink(state + "/confirmed")
    }

    /// Enter on a terminal, or the file `netc apply --confirmed` leaves.
    func waitForConfirmation(seconds: Int, state: String) -> Bool {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        let terminal = isatty(0) == 1
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: state + "/confirmed") { return true }
            if terminal {
                var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, 100) > 0 {
                    var byte: UInt8 = 0
                    if read(0, &byte, 1) == 1, byte == UInt8(ascii: "\n") { return true }
                }
            } else {
                usleep(100_000)
            }
        }
        return false
    }

    func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    var prefix: String { root.hasSuffix("/") ? root : root + "/" }

    func perform(_ a: ApplyPlan.Action) throws {
        switch a {
        case .write(let p, let bytes):
            try HostReader.makeFolder(for: prefix + p)
            try OutputFolder.writeAtomically(prefix + p, bytes)
        case .remove(let p):
            guard unlink(prefix + p) == 0 || errno == ENOENT else { throw Failure("cannot remove \(prefix + p): \(OutputFolder.reason)") }
        case .link(let p, let target):
            try HostReader.makeFolder(for: prefix + p)
            unlink(prefix + p)
            guard symlink(target, prefix + p) == 0 else { throw Failure("cannot link \(prefix + p): \(OutputFolder.reason)") }
        case .define(let name, let bytes, _):
            // Carry an existing network's UUID and MAC into the new XML.
            var xml = bytes
            let current = try HostReader(root: root, libvirtURI: libvirtURI).virsh(["net-dumpxml", "--inactive", name])
            if current.status == 0, let now = LibvirtDefinition(Array(current.stdout.utf8)) {
                xml = now.identity(into: bytes)
            }
            let tmp = prefix + ApplyPlan.Paths.libvirt + "/.define-\(name).xml"
            try HostReader.makeFolder(for: tmp)
            try OutputFolder.writeAtomically(tmp, xml)
            defer { unlink(tmp) }
            try perform(.run(["virsh", "net-define", tmp]))
        case .plug(let interface, let bridge, _, let isolated):
            // As libvirt plugs a guest's tap: into the bridge, isolated if
            // the network says so, at the bridge's MTU, up.
            try perform(.run(["ip", "link", "set", "dev", interface, "master", bridge]))
            if isolated { try perform(.run(["ip", "link", "set", "dev", interface, "type", "bridge_slave", "isolated", "on"])) }
            let mtu = (try? String(contentsOfFile: "/sys/class/net/\(bridge)/mtu", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try perform(.run(["ip", "link", "set", "dev", interface] + (mtu.map { ["mtu", $0] } ?? []) + ["up"]))
        case .run(var command):
            if command[0] == "virsh", let uri = libvirtURI { command.insert(contentsOf: ["-c", uri], at: 1) }
            let r = try HostReader.run(command)
            guard r.status == 0 else {
                throw Failure("apply stopped: '\(command.joined(separator: " "))' failed (exit \(r.status)): "
                              + r.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if command.first == "nft", command.count == 3, command[1] == "-f" {
                // What the kernel made of it, for status to compare with.
                let listing = HostReader.netcTables()
                try HostReader.makeFolder(for: prefix + HostReader.rulesetListing)
                try OutputFolder.writeAtomically(prefix + HostReader.rulesetListing, Array((listing ?? "").utf8))
            } else if command == ["nft", ApplyPlan.removeTables] {
                unlink(prefix + HostReader.rulesetListing)
            }
        }
    }
}
