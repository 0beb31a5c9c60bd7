import Foundation
import NetcCore

#if canImport(Glibc)
import Glibc
#endif

/// A fleet's host topologies on disk: each `topology` path is relative to
/// the folder of the fleet file.
public enum FleetFiles {
    /// The largest host topology read (as a single topology: 64 MiB).
    public static let limit = 64 << 20

    /// Reads `topology` paths relative to `fleetPath`'s folder.
    public static func reader(beside fleetPath: String) -> (String) -> FleetCompiler.Read {
        let folder = (fleetPath as NSString).deletingLastPathComponent
        return { path in
            let full = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
            let fd = open(full, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return .unreadable(OutputFolder.reason) }
            defer { close(fd) }
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { return .unreadable("Is a directory") }
            do {
                return .text(name: full, bytes: try OutputFolder.readAll(fd, display: full, limit: limit))
            } catch {
                return .unreadable("\(error)")
            }
        }
    }

    /// `read`, each path read once: later calls answer from memory.
    public static func remembering(_ read: @escaping (String) -> FleetCompiler.Read) -> (String) -> FleetCompiler.Read {
        final class Memory { var reads: [String: FleetCompiler.Read] = [:] }
        let memory = Memory()
        return { path in
            if let known = memory.reads[path] { return known }
            let r = read(path)
            memory.reads[path] = r
            return r
        }
    }

    /// The host folders of a fleet's OUT: OUT/HOST for each host.
    public static func hostFolder(_ out: String, _ host: String) -> String {
        (out.hasSuffix("/") ? String(out.dropLast()) : out) + "/" + host
    }
}

/// A fleet's OUT, host by host: each host built, its folder OUT/HOST read
/// and compared, on two threads; each host's files and folder contents
/// dropped once it is handled, so that a large fleet is never all in
/// memory. `write` builds the whole fleet with one `syncfs`.
public enum FleetOutput {
    /// One host's folder, compared with what the fleet builds for it.
    public struct Host {
        public var name: String
        public var folder: OutputFolder
        public var existing: FolderContents
        public var plan: SyncPlan
    }

    /// `body` on each host `fleet` builds, results in host order.
    /// - Parameter writing: OUT/HOST is made when missing (a build).
    /// - Throws: the first failure, among them a file in OUT/HOST that
    ///   netc did not write where it would write one.
    public static func each<T>(_ fleet: CheckedFleet, output: String, writing: Bool, _ body: (Host) throws -> T) throws -> [T] {
        // Each host's folder stays locked from its read to the end of the
        // run: a thousand descriptors, past the usual soft limit of 1,024.
        raiseOpenFileLimit(to: fleet.hostNames.count + 256)
        Memory.keepFreedMemory()
        if writing { try OutputFolder.makeFolder(output) }
        return try TwoCores.map(fleet.hostNames.count, threads: OutputFolder.threads) { i in
            let built = try fleet.build(fleet.hostNames[i])
            let path = FleetFiles.hostFolder(output, built.name)
            let folder = OutputFolder(path: path)
            try folder.lock(create: writing)
            let existing = try FolderReading(folder, background: false).value()
            let plan = SyncPlan.make(existing: existing, generated: built.files)
            if !plan.conflicts.isEmpty { throw OutputFolder.refusing(plan.conflicts, in: path) }
            return try body(Host(name: built.name, folder: folder, existing: existing, plan: plan))
        }
    }

    /// Builds every host of `fleet` into OUT/HOST: each changed file
    /// written to a temporary (hosts on two threads), one `syncfs` for all,
    /// then each host's commit. Nothing is put in place unless every host's
    /// temporaries were written. Returns the files in OUT/HOST that netc did
    /// not write, left alone (for a warning), in host order.
    public static func write(_ fleet: CheckedFleet, to output: String) throws -> [String] {
        let written = Written()
        let foreign: [[String]]
        do {
            foreign = try each(fleet, output: output, writing: true) { h in
                // The host's folders closed again: reopened by its commit.
                written.add(h.folder, try h.folder.prepare(h.plan, threads: 1, keepOpen: false))
                return h.plan.foreign.map { "\(h.folder.path)/\($0)" }
            }
            Timings.mark("hosts written")
            // The temporaries on disk: one syncfs for each file system the
            // host folders are on (all one, unless a host folder is a link).
            var devices: Set<UInt64> = []
            for (folder, p) in written.all where !p.renames.isEmpty {
                var st = stat()
                guard stat(folder.path, &st) == 0 else { throw Failure("cannot sync \(folder.path): \(OutputFolder.reason)") }
                if devices.insert(UInt64(st.st_dev)).inserted { try folder.syncFileSystem() }
            }
            Timings.mark("syncfs")
        } catch {
            for (folder, p) in written.all { folder.discard(p) }
            throw error
        }
        let all = written.all
        _ = try TwoCores.map(all.count, threads: OutputFolder.threads) { try all[$0].folder.commit(all[$0].prepared) }
        Timings.mark("commit")
        return foreign.flatMap { $0 }
    }

    /// The hosts `write` prepared, added from two threads.
    private final class Written: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [(folder: OutputFolder, prepared: OutputFolder.Prepared)] = []

        func add(_ folder: OutputFolder, _ p: OutputFolder.Prepared) {
            lock.lock()
            list.append((folder, p))
            lock.unlock()
        }

        var all: [(folder: OutputFolder, prepared: OutputFolder.Prepared)] {
            lock.lock()
            defer { lock.unlock() }
            return list
        }
    }

    /// Raises the soft limit of open files towards `count` (up to the hard
    /// limit, which a user may raise).
    static func raiseOpenFileLimit(to count: Int) {
        var l = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &l) == 0, l.rlim_cur < rlim_t(count) else { return }
        l.rlim_cur = min(l.rlim_max, rlim_t(count))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &l)
    }
}

/// Files as a git revision has them (`netc diff --summary --git REV`).
public enum GitRevision {
    /// `path` at `revision` of the repository it is in: `git show
    /// REV:./NAME` run in its folder.
    public static func read(_ path: String, at revision: String) -> FleetCompiler.Read {
        let folder = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        do {
            let r = try HostReader.run(["git", "-C", folder.isEmpty ? "." : folder, "show", "\(revision):./\(name)"])
            guard r.status == 0 else {
                return .unreadable(r.output.split(separator: "\n").first.map(String.init) ?? "git show failed")
            }
            return .text(name: "\(revision):\(path)", bytes: Array(r.stdout.utf8))
        } catch {
            return .unreadable("\(error)")
        }
    }

    /// A fleet's host topologies at `revision`, by their paths beside the
    /// fleet file (as `FleetFiles.reader`).
    public static func reader(beside fleetPath: String, at revision: String) -> (String) -> FleetCompiler.Read {
        let folder = (fleetPath as NSString).deletingLastPathComponent
        return { path in read(path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path, at: revision) }
    }
}
