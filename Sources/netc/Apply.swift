import ArgumentParser
import Foundation
import NetcCore
import NetcIO

/// `netc apply OUT`: reads the host's state, asks `ApplyPlan` what to do,
/// and does it, one logged line per action. The policy is NetcCore's; this
/// only reads and runs.
struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make this host match a folder netc build wrote.",
        discussion: """
            Installs the files where their owners read them (under --root), applies the sysctl file, \
            reloads networkd and reconfigures or re-creates exactly the links whose files changed, \
            loads the ruleset (checked first) and makes it load at boot, and defines, starts and marks \
            autostart every libvirt network, removing the networks netc created that OUT no longer has. \
            Applying the same OUT twice does nothing the second time. See docs/install.md.
            """)

    @Argument(help: "A folder netc build wrote.")
    var out: String?

    @Option(help: ArgumentHelp("The host's root folder: files go under it (for images and tests).",
                               discussion: "Only the files: apply still runs sysctl, networkctl, nft, ip and virsh on this host's live daemons and kernel."))
    var root = "/"

    @Option(name: .customLong("connect"), help: "The libvirt URI virsh uses (default: virsh's own).")
    var libvirtURI: String?

    @Flag(help: "Print every action, in order, and change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("With --dry-run: text (each action on standard error) or json (the plan as data on standard output).",
                               discussion: "json: {out, changes, actions: [{action, description, ...}], preflight}; an install's action carries the file's new text, for a diff against the installed file. See docs/cli.md."))
    var format: Status.Format = .text

    @Option(help: ArgumentHelp("Apply, then roll back unless confirmed within this many seconds.",
                               discussion: "Confirm with Enter on the terminal, or 'netc apply --confirmed' from another shell."))
    var confirm: Int?

    @Flag(help: "Confirm an apply that is waiting (--confirm) on this host.")
    var confirmed = false

    @Option(name: .customLong("adopt"), help: ArgumentHelp(
        "Replace this libvirt network, which netc did not create, with OUT's network of the same name (repeatable).",
        discussion: "For networks imported with netc import libvirt: the network keeps its UUID and MAC and is restarted; a rollback defines the original again."))
    var adopt: [String] = []

    @Flag(help: ArgumentHelp(
        "Allow restarting or removing a libvirt network that running guests use.",
        discussion: "Without it such an apply is refused before any change, naming the guests. A restart plugs each guest's interface back into the new bridge; a removal leaves the guest without a network."))
    var allowGuestDisruption = false

    @Flag(help: ArgumentHelp(
        "Apply even when pre-flight finds something on this host that would fight netc.",
        discussion: "Pre-flight reports, before any change: a networkd file sorting before netc's that matches the same link, an ifupdown stanza or NetworkManager connection for a link netc configures, another table's forward or input hook with policy drop. See docs/install.md."))
    var ignorePreflight = false

    func validate() throws {
        if !confirmed && out == nil { throw ValidationError("Missing expected argument '<out>'") }
        if let c = confirm, c < 1 { throw ValidationError("--confirm takes a number of seconds, 1 or more") }
        if format == .json && !dryRun { throw ValidationError("--format json is a dry run's answer: add --dry-run") }
    }

    func run() throws {
        try handlingFailures {
            let applier = Applier(root: root, libvirtURI: libvirtURI, dryRun: dryRun, confirm: confirm, adopt: adopt,
                                  allowGuestDisruption: allowGuestDisruption, ignorePreflight: ignorePreflight)
            do {
                if confirmed { try applier.confirmWaiting(); return }
                let planned = try applier.apply(out!)
                if format == .json { print(try Self.json(planned, out: out!)) }
            } catch is Applier.RolledBack {
                throw ExitCode(Exit.rolledBack)
            }
        }
    }
}

extension Apply {
    /// A dry run's plan as data (`--format json`): what the Ansible
    /// collection's check mode and diff read.
    static func json(_ planned: Applier.Planned, out: String) throws -> String {
        let actions: [[String: Any]] = planned.actions.map { a in
            var o: [String: Any] = ["description": a.description]
            switch a {
            case .write(let p, let bytes): o["action"] = "install"; o["path"] = "/" + p; o["text"] = String(decoding: bytes, as: UTF8.self)
            case .remove(let p): o["action"] = "remove"; o["path"] = "/" + p
            case .link(let p, let target): o["action"] = "link"; o["path"] = "/" + p; o["target"] = target
            case .run(let command): o["action"] = "run"; o["command"] = command
            case .define(let name, _, let redefines): o["action"] = "define"; o["network"] = name; o["redefines"] = redefines
            case .plug(let interface, let bridge, let guest, let isolated):
                o["action"] = "plug"; o["interface"] = interface; o["bridge"] = bridge; o["guest"] = guest; o["isolated"] = isolated
            }
            return o
        }
        let object: [String: Any] = ["out": out, "changes": !planned.actions.isEmpty, "actions": actions,
                                     "preflight": planned.preflight.map(\.description)]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// `netc status OUT`: how this host differs from a folder netc build wrote,
/// changing nothing. The comparison is apply's own (`ApplyPlan.compare`).
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say how this host differs from a folder netc build wrote; change nothing.",
        discussion: """
            Compares the installed files, each libvirt network (defined, netc's, its stored and live \
            definition, DHCP hosts and ranges, active, autostart), each link netc's networkd files name \
            (exists, master, addresses), the loaded table inet netc (with the one apply loaded) and the \
            sysctl values with OUT. One line per difference; what pre-flight finds (as apply would) \
            follows on standard error, and does not change the exit status. Exit 0: in sync (netc apply would do \
            nothing); 2: drifted (netc apply would mend each line); 1: the host could not be read. \
            See docs/install.md.
            """)

    @Argument(help: "A folder netc build wrote.")
    var out: String

    @Option(help: "The host's root folder the files were installed under (as given to apply).")
    var root = "/"

    @Option(name: .customLong("connect"), help: "The libvirt URI virsh uses (default: virsh's own).")
    var libvirtURI: String?

    @Option(help: "text (one line per difference, on standard output) or json.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let comparison: ApplyPlan.Comparison
        let findings: [PreflightFinding]
        do {
            let applier = Applier(root: root, libvirtURI: libvirtURI)
            comparison = try applier.status(out)
            findings = try applier.preflight(out)
        } catch let f as Failure {
            FileHandle.standardError.write(Data("netc: error: \(f.description)\n".utf8))
            throw ExitCode(Exit.statusUnreadable)
        }
        switch format {
        case .text:
            let lines = comparison.differences.isEmpty ? ["in sync: the host matches \(out)"] : comparison.differences
            print(lines.joined(separator: "\n"))
            // What would fight netc: on standard error, not differences.
            for f in findings { FileHandle.standardError.write(Data("netc: status: preflight: \(f)\n".utf8)) }
        case .json:
            let object: [String: Any] = ["out": out, "inSync": comparison.differences.isEmpty, "differences": comparison.differences,
                                         "preflight": findings.map(\.description)]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        }
        if !comparison.differences.isEmpty { throw ExitCode(Exit.drifted) }
    }
}
