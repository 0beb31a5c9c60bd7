import ArgumentParser
import Foundation
import NetcCore

#if canImport(Glibc)
import Glibc
#endif

/// `netc apply OUT`: reads the host's state, asks `ApplyPlan` what to do,
/// and does it, one logged line per action. The policy is NetcCore's; this
/// only reads and runs.
struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make this host match a folder netc build wrote.",
        discussion: """
            Installs the files where their owners read them (under --root), applies the sysctl file, \
            reloads networkd and reconfigures or re-creates exactly the links whose files changed, \
            loads the ruleset (checked first) and makes it load at boot, and defines, starts and marks \
            autostart every libvirt network, removing the networks netc created that OUT no longer has. \
            Applying the same OUT twice does nothing the second time. See docs/install.md.
            """)

    @Argument(help: "A folder netc build wrote.")
    var out: String

    @Option(help: "The host's root folder: files go under it (for images and tests).")
    var root = "/"

    @Option(name: .customLong("connect"), help: "The libvirt URI virsh uses (default: virsh's own).")
    var libvirtURI: String?

    @Flag(help: "Print every action, in order, and change nothing.")
    var dryRun = false

    func run() throws {
        try handlingFailures {
            let folder = OutputFolder(path: out)
            guard OutputFolder.isDirectory(out) == true else { throw Failure("\(out) is not a folder netc build wrote") }
            // No build may change OUT while it is applied.
            try folder.lock(create: false)
            let built = try folder.read().filter { OutputLayout.isLabelled(String(decoding: $0.value.prefix(64), as: UTF8.self)) }
            guard built["nftables/netc.nft"] != nil else { throw Failure("\(out) holds no nftables/netc.nft: is it a folder netc build wrote?") }
            let host = try HostReader(root: root, libvirtURI: libvirtURI).read()
            let actions: [ApplyPlan.Action]
            do { actions = try ApplyPlan.make(built: built, host: host, root: root) } catch let r as ApplyPlan.Refusal {
                throw Failure(r.description)
            }
            let tag = dryRun ? "netc: apply (dry run):" : "netc: apply:"
            if root != "/" { log("\(tag) root \(root): paths below are under it") }
            if actions.isEmpty { log("\(tag) nothing to do: the host matches \(out)") }
            for a in actions {
                log("\(tag) \(a.description)")
                if !dryRun { try perform(a) }
            }
        }
    }

    func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    var prefix: String { root.hasSuffix("/") ? root : root + "/" }

    func perform(_ a: ApplyPlan.Action) throws {
        switch a {
        case .write(let p, let bytes):
            try HostReader.makeFolder(for: prefix + p)
            try HostReader.writeAtomically(prefix + p, bytes)
        case .remove(let p):
            guard unlink(prefix + p) == 0 || errno == ENOENT else { throw Failure("cannot remove \(prefix + p): \(OutputFolder.reason)") }
        case .link(let p, let target):
            try HostReader.makeFolder(for: prefix + p)
            unlink(prefix + p)
            guard symlink(target, prefix + p) == 0 else { throw Failure("cannot link \(prefix + p): \(OutputFolder.reason)") }
        case .define(let name, let bytes):
            // Carry an existing network's UUID and MAC into the new XML.
            var xml = String(decoding: bytes, as: UTF8.self)
            let current = try HostReader(root: root, libvirtURI: libvirtURI).virsh(["net-dumpxml", "--inactive", name])
            if current.status == 0 {
                let keep = current.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { $0.hasPrefix("<uuid>") || $0.hasPrefix("<mac address=") }
                if let r = xml.range(of: "</name>\n") { xml.insert(contentsOf: keep.map { "  \($0)\n" }.joined(), at: r.upperBound) }
            }
            let tmp = prefix + ApplyPlan.Paths.libvirt + "/.define-\(name).xml"
            try HostReader.makeFolder(for: tmp)
            try HostReader.writeAtomically(tmp, Array(xml.utf8))
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
struct HostReader {
    var root: String
    var libvirtURI: String?

    var prefix: String { root.hasSuffix("/") ? root : root + "/" }

    func read() throws -> ApplyPlan.HostState {
        var state = ApplyPlan.HostState()
        func readIfLabelled(_ p: String) {
            let fd = open(prefix + p, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return }
            defer { close(fd) }
            if let bytes = try? OutputFolder.readAll(fd, display: prefix + p),
               OutputLayout.isLabelled(String(decoding: bytes.prefix(64), as: UTF8.self)) {
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
        state.rulesetLoaded = (try? Self.run(["nft", "list", "table", "inet", "netc"]))?.status == 0
        state.libvirt = try libvirtNetworks()
        return state
    }

    func virsh(_ args: [String]) throws -> (status: Int32, output: String) {
        try Self.run(["virsh"] + (libvirtURI.map { ["-c", $0] } ?? []) + args)
    }

    func libvirtNetworks() throws -> [String: ApplyPlan.LibvirtNetwork] {
        let list = try virsh(["-q", "net-list", "--all", "--name"])
        guard list.status == 0 else { throw Failure("cannot list libvirt's networks: \(list.output.trimmingCharacters(in: .whitespacesAndNewlines))") }
        var out: [String: ApplyPlan.LibvirtNetwork] = [:]
        for name in list.output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            let xml = try virsh(["net-dumpxml", "--inactive", name]).output
            let info = try virsh(["net-info", name]).output
            func yes(_ key: String) -> Bool {
                info.split(separator: "\n").contains { $0.hasPrefix(key) && $0.hasSuffix("yes") }
            }
            out[name] = .init(ownedByNetc: xml.contains("urn:x-netc:network:1"), active: yes("Active:"), autostart: yes("Autostart:"))
        }
        return out
    }

    /// Runs a command (found on PATH or in the sbin folders), returning its
    /// status and its standard output and error together.
    static func run(_ command: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            + ["/usr/sbin", "/sbin"]
        guard let exe = dirs.map({ $0 + "/" + command[0] }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure("cannot run \(command[0]): not installed")
        }
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func makeFolder(for file: String) throws {
        guard let slash = file.lastIndex(of: "/"), slash > file.startIndex else { return }
        try OutputFolder.makeFolder(String(file[..<slash]))
    }

    /// A temporary beside the file, then a rename.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let tmp = OutputFolder.temporary(path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("cannot write \(path): \(OutputFolder.reason)") }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; let why = OutputFolder.reason; close(fd); unlink(tmp); throw Failure("cannot write \(path): \(why)") }
            done += n
        }
        guard fsync(fd) == 0, close(fd) == 0, rename(tmp, path) == 0 else {
            let why = OutputFolder.reason
            unlink(tmp)
            throw Failure("cannot write \(path): \(why)")
        }
    }
}
