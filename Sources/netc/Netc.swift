import ArgumentParser
import Foundation
import NetcCore
import NetcIO

@main
struct Netc: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "netc",
        abstract: "Compile a KVM host network topology into libvirt XML, systemd-networkd files and an nftables ruleset.",
        discussion: """
            Exit codes: 0 success (warnings allowed unless --werror); 1 the topology has errors, nothing \
            was written; 2 usage error, or a file could not be read or written; 3 build --check or diff: \
            OUT is not what build would write; 4 internal error (a bug in netc); 5 apply: a step failed \
            or --confirm ran out, and the host was rolled back. status has its own: 0 in sync, 2 drifted, \
            1 the host or OUT could not be read.
            """,
        version: version,
        subcommands: [Build.self, Check.self, Diff.self, Apply.self, Status.self, Graph.self, Import.self, Explain.self, Schema.self]
    )

    /// Like ParsableCommand.main(), but usage errors exit 2 (not 64).
    static func main() {
        Timings.mark("start")
        Memory.tune()
        do {
            var command = try parseAsRoot()
            Timings.mark("arguments")
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(Exit.usage)
            }
            exit(withError: error)
        }
    }
}



// Every command names itself (`commandName:`): ArgumentParser would
// otherwise derive each name from the type's name by reflection, on every
// run, which was a tenth of a tiny build's time.

/// Exit codes (docs/cli.md).
enum Exit {
    static let ok: Int32 = 0
    static let topologyErrors: Int32 = 1
    static let usage: Int32 = 2
    static let outOfDate: Int32 = 3
    /// A bug in netc (docs/cli.md): never 1, which means the topology has errors.
    static let internalError: Int32 = 4
    /// `apply`: a step failed, or --confirm ran out, and the host was
    /// rolled back to the state before the apply.
    static let rolledBack: Int32 = 5
    /// `status`: the host differs from OUT.
    static let drifted: Int32 = 2
    /// `status`: the host (or OUT) could not be read.
    static let statusUnreadable: Int32 = 1
}

struct DiagnosticOptions: ParsableArguments {
    @Option(name: .long, help: "How to print diagnostics: text (standard error), json or sarif (standard output).")
    var diagnosticsFormat: DiagnosticFormatter.Format = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var werror = false

    @Option(name: .long, help: "Show at most this many diagnostics (0: all); the rest are counted.")
    var maxDiagnostics = 100
}

extension DiagnosticFormatter.Format: ExpressibleByArgument {}

/// Reading the topology and printing diagnostics, shared by the commands.
struct Input {
    var displayName: String
    var bytes: [UInt8]
    /// For excerpts only: the compiler reads `bytes` (strictly).
    var text: String

    /// The largest topology netc reads: 64 MiB (a host with 100,000
    /// networks takes about 16 MiB). Files, standard input, FIFOs and
    /// process substitution are read the same way, up to this size.
    static let limit = 64 << 20

    static func read(_ path: String) throws -> Input {
        let display = path == "-" ? "<stdin>" : path
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot read \(path): \(OutputFolder.reason)") }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { throw Failure("cannot read \(display): Is a directory") }
        let bytes = try OutputFolder.readAll(fd, display: display, limit: limit)
        return Input(displayName: display, bytes: bytes, text: String(decoding: bytes, as: UTF8.self))
    }
}


/// A fleet checked, its diagnostics printed (each in its own file); exits 1
/// on errors. Its hosts are built by whoever takes it (FleetOutput).
func compileFleet(_ input: Input, only: Set<String>?, options: DiagnosticOptions,
                  read: ((String) -> FleetCompiler.Read)? = nil) throws -> CheckedFleet {
    let fleet = try FleetCompiler.check(input.text, name: input.displayName, only: only,
                                        read: read ?? FleetFiles.reader(beside: input.displayName))
    var inputs: [Int: Input] = [0: input]
    for f in fleet.findings where inputs[f.source] == nil {
        let s = fleet.sources[f.source]
        inputs[f.source] = Input(displayName: s.name, bytes: Array(s.text.utf8), text: s.text)
    }
    if report(fleet.findings.map { (inputs[$0.source]!, $0.diagnostic) }, options: options) { throw ExitCode(Exit.topologyErrors) }
    return fleet
}

func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("netc: error: \(message)\n".utf8))
    return ExitCode(Exit.usage)
}


/// Prints diagnostics; returns whether they fail the run.
func report(_ all: [Diagnostic], input: Input, options: DiagnosticOptions) -> Bool {
    report(all.map { (input, $0) }, options: options)
}

/// Prints the diagnostics of one or more inputs, in the given order;
/// returns whether they fail the run.
func report(_ all: [(input: Input, diagnostic: Diagnostic)], options: DiagnosticOptions) -> Bool {
    let limit = options.maxDiagnostics
    let shown = limit > 0 && all.count > limit ? Array(all.prefix(limit)) : all
    defer {
        if shown.count < all.count {
            FileHandle.standardError.write(Data(("netc: note: \(all.count - shown.count) more diagnostic(s) not shown; "
                + "--max-diagnostics 0 shows all\n").utf8))
        }
    }
    switch options.diagnosticsFormat {
    case .text:
        let color = isatty(2) == 1 && environment("NO_COLOR") == nil
        var start = 0
        var explained = false
        while start < shown.count {
            // One run of diagnostics of the same input at a time.
            var end = start + 1
            while end < shown.count, shown[end].input.displayName == shown[start].input.displayName { end += 1 }
            let input = shown[start].input
            let run = shown[start..<end].map(\.diagnostic)
            let explain = !explained && run.contains { $0.severity == .error }
            explained = explained || explain
            let text = DiagnosticFormatter.text(run, file: input.displayName, source: input.text, color: color, explainFirst: explain)
            FileHandle.standardError.write(Data(text.utf8))
            start = end
        }
        let errors = all.filter { $0.diagnostic.severity == .error }.count
        let warnings = all.filter { $0.diagnostic.severity == .warning }.count
        if errors + warnings > 0 {
            var parts: [String] = []
            if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
            if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
            FileHandle.standardError.write(Data("\(parts.joined(separator: " and ")) generated.\n".utf8))
        }
    case .json:
        FileHandle.standardOutput.write(Data(DiagnosticFormatter.json(shown.map { ($0.input.displayName, $0.diagnostic) }).utf8))
    case .sarif:
        FileHandle.standardOutput.write(Data(DiagnosticFormatter.sarif(shown.map { ($0.input.displayName, $0.diagnostic) }, version: Netc.version).utf8))
    }
    let promoted = options.werror ? all.map(\.diagnostic).filter { $0.severity == .warning } : []
    if !promoted.isEmpty {
        let codes = Set(promoted.map(\.code.rawValue)).sorted().joined(separator: ", ")
        FileHandle.standardError.write(Data(("netc: error: --werror: \(promoted.count) warning\(promoted.count == 1 ? "" : "s") "
            + "treated as errors (\(codes))\n").utf8))
    }
    return all.contains { $0.diagnostic.severity == .error } || !promoted.isEmpty
}

/// Runs a command body, turning a `Failure` into exit 2 with its message.
func handlingFailures(_ body: () throws -> Void) throws {
    do { try body() } catch let f as Failure { throw fail(f.description) } catch let e as InternalError {
        FileHandle.standardError.write(Data("netc: \(e.description)\nThis is a bug in netc; please report it with the topology.\n".utf8))
        throw ExitCode(Exit.internalError)
    }
}

/// A topology and an output folder, shared by `build` and `diff`.
struct BuildArguments: ParsableArguments {
    @Argument(help: "The topology file, or - for standard input.")
    var topology: String

    @Option(name: .shortAndLong, help: "The output folder.")
    var output: String?

    /// OUT: required by `build` and `diff` (their `validate`), but for
    /// `diff --summary`.
    var out: String { output ?? "" }

    @Option(name: .long, help: ArgumentHelp(
        "What the generated files' headers name as their source (for example a repository path).",
        discussion: "By default they name none, so that the same topology gives the same bytes however it is passed."))
    var sourceName: String?

    @Option(name: .long, help: "A fleet: build only this host's folder, OUT/HOST (repeatable); the others are left as they are.")
    var host: [String] = []

    @OptionGroup var options: DiagnosticOptions

    /// A fleet file (docs/fleet.md), checked (exits 1 when any of its files
    /// has errors), every `--host` one of its hosts; nil for a single
    /// host's topology.
    func checkedFleet(_ input: Input) throws -> CheckedFleet? {
        guard FleetParser.isFleet(input.text) else {
            if !host.isEmpty { throw Failure("--host is for a fleet file; \(input.displayName) is a single host's topology") }
            return nil
        }
        let fleet = try compileFleet(input, only: host.isEmpty ? nil : Set(host), options: options)
        Timings.mark("check fleet")
        let known = Set(fleet.hostNames)
        for h in host where !known.contains(h) { throw Failure("--host \(h): no such host in \(input.displayName)") }
        return fleet
    }

    /// Compiles (printing diagnostics) and compares with the output folder.
    /// Exits 1 when the topology has errors.
    /// - Parameter writing: the run will write OUT (a build without
    ///   --check): OUT is created if missing.
    func plan(_ input: Input, writing: Bool) throws -> (folder: OutputFolder, existing: FolderContents, plan: SyncPlan) {
        let folder = OutputFolder(path: out)
        // One netc at a time in OUT, from reading it to the last rename; an
        // interrupted build's commit is finished first. A missing OUT is
        // created only once the topology has no errors: with errors,
        // nothing is written, not even a folder.
        let existed = FileManager.default.fileExists(atPath: out)
        try folder.lock(create: false)
        // An existing output folder is read on the second core while the
        // first compiles, then on both (FolderReading); its result (or
        // failure) counts only if the topology has no errors.
        let reading = existed ? FolderReading(folder) : nil
        let result = try Compiler.compile(bytes: input.bytes, source: sourceName)
        Timings.mark("compile")
        if report(result.diagnostics, input: input, options: options) { throw ExitCode(Exit.topologyErrors) }
        // A missing one is made and locked now, and read under the lock
        // (another run may have made and filled it since).
        if writing, !existed { try folder.lock(create: true) }
        let existing = try (reading ?? FolderReading(folder)).value()
        Timings.mark("read output")
        // Freed by the process's exit, not one allocation at a time.
        KeptUntilExit.keep(existing)
        KeptUntilExit.keep(result)
        let plan = SyncPlan.make(existing: existing, generated: result.files)
        Timings.mark("sync plan")
        if !plan.conflicts.isEmpty { throw OutputFolder.refusing(plan.conflicts, in: out) }
        for f in plan.foreign { warn("\(out)/\(f) was not generated by netc; left alone") }
        return (folder, existing, plan)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate a topology; write nothing.")

    @Argument(help: "The topology file, or - for standard input.")
    var topology: String

    @OptionGroup var options: DiagnosticOptions

    func run() throws {
        try handlingFailures {
            let input = try Input.read(topology)
            if FleetParser.isFleet(input.text) {
                _ = try compileFleet(input, only: nil, options: options)
                return
            }
            if report(Compiler.diagnose(bytes: input.bytes), input: input, options: options) {
                throw ExitCode(Exit.topologyErrors)
            }
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile a topology into OUT/libvirt, OUT/networkd, OUT/nftables and OUT/sysctl.")

    @OptionGroup var arguments: BuildArguments

    @Flag(name: .long, help: "Write nothing; exit 3 if OUT is not exactly what build would write.")
    var check = false

    func validate() throws {
        if arguments.output == nil { throw ValidationError("Missing expected argument '--output <output>'") }
    }

    /// `build --check`'s report of a stale OUT (empty when it is not).
    func staleReport(_ path: String, _ plan: SyncPlan) -> String {
        plan.isEmpty ? "" : "\(path) is not what netc build would write:\n" + plan.summary.map { "  \($0)\n" }.joined()
    }

    func run() throws {
        try handlingFailures {
            let input = try Input.read(arguments.topology)
            Timings.mark("read topology")
            if let fleet = try arguments.checkedFleet(input) {
                if check {
                    let stale = try FleetOutput.each(fleet, output: arguments.out, writing: false) { h in
                        staleReport(h.folder.path, h.plan)
                    }.joined()
                    if stale.isEmpty { return }
                    FileHandle.standardError.write(Data(stale.utf8))
                    throw ExitCode(Exit.outOfDate)
                }
                for f in try FleetOutput.write(fleet, to: arguments.out) { warn("\(f) was not generated by netc; left alone") }
                return
            }
            let (folder, _, plan) = try arguments.plan(input, writing: !check)
            if check {
                if plan.isEmpty { return }
                FileHandle.standardError.write(Data(staleReport(arguments.out, plan).utf8))
                throw ExitCode(Exit.outOfDate)
            }
            try folder.apply(plan)
            Timings.mark("write")
        }
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show as a unified diff what build would change in OUT; exit 3 if anything.",
        discussion: """
            With --summary, compare two versions of a topology (or of a fleet file) by what they say, one \
            line per change (a network, link, reservation, forward, peer, route, overlay member added, \
            removed or changed); nothing for a reordering. The versions: two files, or one file and \
            --git REV (its version at that git revision). Exit 3 if anything changed.
            """)

    @OptionGroup var arguments: BuildArguments

    @Argument(help: "With --summary: the new version (the first file is the old one).")
    var newer: String?

    @Flag(name: .long, help: "Compare two versions of a topology or fleet file by intent, one line per change.")
    var summary = false

    @Option(name: .long, help: ArgumentHelp("With --summary: compare the file with its version at this git revision.", valueName: "rev"))
    var git: String?

    func validate() throws {
        if summary {
            if arguments.output != nil { throw ValidationError("--summary compares two versions of a topology; -o is for the diff against OUT") }
            if (git == nil) == (newer == nil) { throw ValidationError("--summary takes two files, or one file and --git REV") }
            if !arguments.host.isEmpty { throw ValidationError("--host is for the diff against OUT, not --summary") }
        } else {
            if arguments.output == nil { throw ValidationError("Missing expected argument '--output <output>'") }
            if newer != nil { throw ValidationError("one topology without --summary: diff TOPOLOGY -o OUT") }
            if git != nil { throw ValidationError("--git is for --summary") }
        }
    }

    /// `--summary`: both versions checked (exit 1 on errors in either),
    /// then compared.
    func runSummary() throws {
        let new = try Input.read(newer ?? arguments.topology)
        let old: Input
        if let git {
            switch GitRevision.read(arguments.topology, at: git) {
            case .text(let name, let bytes): old = Input(displayName: name, bytes: bytes, text: String(decoding: bytes, as: UTF8.self))
            case .unreadable(let why): throw Failure("cannot read \(arguments.topology) at \(git): \(why)")
            }
        } else {
            old = try Input.read(arguments.topology)
        }
        let fleet = FleetParser.isFleet(new.text)
        if FleetParser.isFleet(old.text) != fleet {
            throw Failure("\(old.displayName) and \(new.displayName) are not both fleets or both topologies")
        }
        let lines: [String]
        if fleet {
            // Each host's file read once, for its check and its lines (at a
            // revision: one git process each).
            let readOld = FleetFiles.remembering(git.map { GitRevision.reader(beside: arguments.topology, at: $0) }
                                                 ?? FleetFiles.reader(beside: old.displayName))
            let readNew = FleetFiles.remembering(FleetFiles.reader(beside: new.displayName))
            _ = try compileFleet(old, only: nil, options: arguments.options, read: readOld)
            _ = try compileFleet(new, only: nil, options: arguments.options, read: readNew)
            lines = IntentDiff.fleetLines(old: old.text, new: new.text, readOld: readOld, readNew: readNew)
        } else {
            for input in [old, new] where report(Compiler.diagnose(bytes: input.bytes), input: input, options: arguments.options) {
                throw ExitCode(Exit.topologyErrors)
            }
            lines = IntentDiff.lines(old: old.text, new: new.text)
        }
        FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
        if !lines.isEmpty { throw ExitCode(Exit.outOfDate) }
    }

    func run() throws {
        try handlingFailures {
            if summary { return try runSummary() }
            let input = try Input.read(arguments.topology)
            /// Each file build would change: its path, old and new bytes.
            func files(_ prefix: String, _ existing: FolderContents, _ plan: SyncPlan) -> [(String, [UInt8]?, [UInt8]?)] {
                (plan.create + plan.update).map { (prefix + $0.path, existing.bytes(at: $0.path), Optional($0.bytes)) }
                    + plan.remove.map { (prefix + $0, existing.bytes(at: $0), nil) }
            }
            let changes: [(String, [UInt8]?, [UInt8]?)]
            if let fleet = try arguments.checkedFleet(input) {
                changes = try FleetOutput.each(fleet, output: arguments.out, writing: false) { h in
                    files(h.name + "/", h.existing, h.plan)
                }.flatMap { $0 }
            } else {
                let (_, existing, plan) = try arguments.plan(input, writing: false)
                changes = files("", existing, plan)
            }
            let changed = !changes.isEmpty
            var text = ""
            for (path, old, new) in changes.sorted(by: { $0.0 < $1.0 }) {
                text += UnifiedDiff.diff(old: old.map { String(decoding: $0, as: UTF8.self) },
                                         new: new.map { String(decoding: $0, as: UTF8.self) }, path: path)
            }
            FileHandle.standardOutput.write(Data(text.utf8))
            if changed { throw ExitCode(Exit.outOfDate) }
        }
    }
}
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw what a topology (or a fleet) builds: links, bridges, networks, uplinks, peers, forwards, overlays.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    @Argument(help: "The topology file, or - for standard input.")
    var topology: String

    @Option(help: "dot (Graphviz) or mermaid.")
    var format = Format.dot

    @OptionGroup var options: DiagnosticOptions

    func run() throws {
        try handlingFailures {
            let input = try Input.read(topology)
            let g: TopologyGraph
            if FleetParser.isFleet(input.text) {
                let fleet = try compileFleet(input, only: nil, options: options)
                g = TopologyGraph.fleet(try fleet.hostNames.map { ($0, try fleet.topology($0)) }, title: "fleet")
            } else {
                let result = try Compiler.compile(bytes: input.bytes)
                if report(result.diagnostics, input: input, options: options) { throw ExitCode(Exit.topologyErrors) }
                guard let t = result.topology else { throw ExitCode(Exit.topologyErrors) }
                g = TopologyGraph.plan(t)
            }
            FileHandle.standardOutput.write(Data((format == .dot ? g.dot() : g.mermaid()).utf8))
        }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the topology format (or of a fleet file), for editors.")

    @Flag(name: .long, help: "The schema of a fleet file (docs/fleet.md) instead.")
    var fleet = false

    func run() throws {
        FileHandle.standardOutput.write(Data(TopologySchema.json(fleet: fleet).utf8))
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print the documentation of a diagnostic code.")

    @Argument(help: "A code such as E203, or 'all' for the catalogue as Markdown.")
    var code: String

    func run() throws {
        if code == "all" {
            print(Catalogue.markdown(), terminator: "")
            return
        }
        guard let c = DiagnosticCode(rawValue: code.uppercased()) else {
            throw fail("unknown diagnostic code '\(code)'; codes are listed by 'netc explain all'")
        }
        print(Catalogue.explain(c), terminator: "")
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a topology from what a host already has.",
        subcommands: [ImportLibvirt.self])
}

struct ImportLibvirt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "libvirt",
        abstract: "Turn libvirt network XML (virsh net-dumpxml NAME) into a topology, printed on standard output.",
        discussion: """
            Each FILE holds one network. The topology says in comments where the import made a choice; \
            what netc cannot express is reported (W801), and nothing is printed when a network cannot be \
            imported at all. Run netc check on the result, and add the host's own addressing before netc apply.
            """)

    @Argument(help: "libvirt network XML files, one network each (- for standard input).")
    var files: [String]

    @Option(name: .long, help: ArgumentHelp(
        "The NIC a host bridge enslaves, as BRIDGE=NIC, for networks in libvirt's bridge mode (repeatable).",
        discussion: "libvirt's XML names the bridge but not its ports; `ip -br link show master BRIDGE` lists them.",
        valueName: "BRIDGE=NIC"))
    var uplink: [Uplink] = []

    /// `--uplink BRIDGE=NIC`.
    struct Uplink: ExpressibleByArgument {
        var bridge: String
        var nic: String

        init?(argument: String) {
            let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            bridge = String(parts[0])
            nic = String(parts[1])
        }
    }

    @Option(name: .shortAndLong, help: "Write the topology to this file instead of standard output.")
    var output: String?

    @OptionGroup var options: DiagnosticOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one libvirt network XML file") }
        if options.diagnosticsFormat != .text && output == nil {
            throw ValidationError("--diagnostics-format \(options.diagnosticsFormat.rawValue) prints on standard output: write the topology with -o FILE")
        }
    }

    func run() throws {
        try handlingFailures {
            let inputs = try files.map { try Input.read($0) }
            var uplinks: [String: String] = [:]
            for u in uplink {
                if let other = uplinks[u.bridge], other != u.nic {
                    throw Failure("--uplink names two NICs for \(u.bridge): \(other) and \(u.nic)")
                }
                uplinks[u.bridge] = u.nic
            }
            let result = try LibvirtImport.run(inputs.map { LibvirtImport.Source(name: $0.displayName, bytes: $0.bytes) }, uplinks: uplinks)
            if report(result.findings.map { (inputs[$0.source], $0.diagnostic) }, options: options) { throw ExitCode(Exit.topologyErrors) }
            let unused = Set(uplinks.keys).subtracting(result.usedUplinks).sorted()
            if !unused.isEmpty {
                throw Failure("--uplink \(unused.joined(separator: ", ")): no imported network is on that host bridge")
            }
            guard let text = result.text else { throw ExitCode(Exit.topologyErrors) }
            if let output {
                try OutputFolder.writeAtomically(output, Array(text.utf8))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
