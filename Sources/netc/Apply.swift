import ArgumentParser
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

    @Option(help: "The host's root folder: files go under it (for images and tests).")
    var root = "/"

    @Option(name: .customLong("connect"), help: "The libvirt URI virsh uses (default: virsh's own).")
    var libvirtURI: String?

    @Flag(help: "Print every action, in order, and change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Apply, then roll back unless confirmed within this many seconds.",
                               discussion: "Confirm with Enter on the terminal, or 'netc apply --confirmed' from another shell."))
    var confirm: Int?

    @Flag(help: "Confirm an apply that is waiting (--confirm) on this host.")
    var confirmed = false

    @Option(name: .customLong("adopt"), help: ArgumentHelp(
        "Replace this libvirt network, which netc did not create, with OUT's network of the same name (repeatable).",
        discussion: "For networks imported with netc import libvirt: the network keeps its UUID and MAC and is restarted; a rollback defines the original again."))
    var adopt: [String] = []

    func validate() throws {
        if !confirmed && out == nil { throw ValidationError("Missing expected argument '<out>'") }
        if let c = confirm, c < 1 { throw ValidationError("--confirm takes a number of seconds, 1 or more") }
    }

    func run() throws {
        try handlingFailures {
            let applier = Applier(root: root, libvirtURI: libvirtURI, dryRun: dryRun, confirm: confirm, adopt: adopt)
            do {
                if confirmed { try applier.confirmWaiting() } else { try applier.apply(out!) }
            } catch is Applier.RolledBack {
                throw ExitCode(Exit.rolledBack)
            }
        }
    }
}
