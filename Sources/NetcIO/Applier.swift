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

    /// The apply failed or was not confirmed, and the host was rolled back.
    public struct RolledBack: Error {}

    public init(root: String = "/", libvirtURI: String? = nil, dryRun: Bool = false, confirm: Int? = nil, adopt: [String] = []) {
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

    /// Makes the host match `out`, a folder netc build wrote.
    public func apply(_ out: String) throws {
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
        let host = try HostReader(root: root, libvirtURI: libvirtURI).read()
        let actions = try plan(built, host, adopt: adopt)
        if actions.isEmpty { log("\(tag) nothing to do: the host matches \(out)") }
        if dryRun || actions.isEmpty {
            for a in actions { log("\(tag) \(a.description)") }
            return
        }
        let adopted = adopt.filter { host.libvirt[$0].map { !$0.ownedByNetc } ?? false }
        try savePrevious(host, out: out, touching: Self.networks(in: actions), adopting: Set(adopted))
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
    }

    /// `ROOT/var/lib/netc/lock`, held until the process exits; a second
    /// apply waits for it like a second build waits for OUT.
    func lockHost(_ state: String) throws {
        try OutputFolder.makeFolder(state)
        let fd = open(state + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("cannot lock \(state)/lock: \(OutputFolder.reason)") }
        KeptUntilExit.values.append(fd)
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
              redefine: Set<String> = []) throws -> [ApplyPlan.Action] {
        do {
            return try ApplyPlan.make(built: built, host: host, root: root, adopt: Set(adopt), redefine: redefine)
        } catch let r as ApplyPlan.Refusal {
            throw Failure(r.description)
        }
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
    func savePrevious(_ host: ApplyPlan.HostState, out: String, touching: Set<String>, adopting: Set<String>) throws {
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
        let host = try HostReader(root: root, libvirtURI: libvirtURI).read()
        for a in try plan(previous, host, redefine: touched) {
            log("netc: apply: rollback: \(a.description)")
            try perform(a)
        }
        try restoreAdopted(state + "/adopted")
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

    func rollbackStep(_ command: [String]) throws {
        log("netc: apply: rollback: run \(command.joined(separator: " "))")
        try perform(.run(command))
    }

    func finish() throws {
        let state = prefix + Self.stateFolder
        unlink(state + "/pending")
        try? FileManager.default.removeItem(atPath: state + "/previous")
        try? FileManager.default.removeItem(atPath: state + "/adopted")
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
        case .run(var command):
            if command[0] == "virsh", let uri = libvirtURI { command.insert(contentsOf: ["-c", uri], at: 1) }
            let r = try HostReader.run(command)
            guard r.status == 0 else {
                throw Failure("apply stopped: '\(command.joined(separator: " "))' failed (exit \(r.status)): "
                              + r.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }
}

/// Reads what `netc apply` needs to know of the host.
public struct HostReader {
    var root: String
    var libvirtURI: String?

    var prefix: String { root.hasSuffix("/") ? root : root + "/" }

    public init(root: String, libvirtURI: String? = nil) {
        self.root = root
        self.libvirtURI = libvirtURI
    }

    /// The files, the ruleset in the kernel and libvirt's networks.
    public func read() throws -> ApplyPlan.HostState {
        var state = readFiles()
        state.rulesetLoaded = (try? Self.run(["nft", "list", "table", "inet", "netc"]))?.status == 0
        state.libvirt = try libvirtNetworks()
        return state
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
        var out: [String: ApplyPlan.LibvirtNetwork] = [:]
        for name in names(list.stdout) {
            let dump = try virsh(["net-dumpxml", "--inactive", name])
            guard dump.status == 0 else {
                try unreadable(name, "net-dumpxml --inactive", dump)
                continue
            }
            guard let definition = LibvirtDefinition(Array(dump.stdout.utf8)) else {
                throw Failure("cannot read libvirt's network \(name): virsh net-dumpxml gave no <network> element: "
                              + dump.output.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let infoRun = try virsh(["net-info", name])
            guard infoRun.status == 0 else {
                try unreadable(name, "net-info", infoRun)
                continue
            }
            let info = infoRun.stdout
            func yes(_ key: String) -> Bool {
                info.split(separator: "\n").contains { $0.hasPrefix(key) && $0.hasSuffix("yes") }
            }
            out[name] = .init(ownedByNetc: definition.ownedByNetc, active: yes("Active:"), autostart: yes("Autostart:"))
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
