import Foundation
import NetcCore

#if canImport(Glibc)
import Glibc
#endif

/// The output folder on disk: reads netc's folders and applies a `SyncPlan`
/// with plain POSIX calls. Each changed file is written once, to a
/// temporary in its own folder, and renamed over its target; durability
/// costs one `syncfs` and one `fsync` per touched folder, not one per file.
/// Reading and writing use both cores.
public struct OutputFolder: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    /// Threads for reading and writing: two (the machines netc runs on have
    /// two cores at least; more only contend in the kernel). NETC_THREADS
    /// overrides it, for measuring.
    public static let threads = max(1, Int(environment("NETC_THREADS") ?? "") ?? 2)

    /// A temporary's name: `.netc-tmp-NAME`, in the folder of its target.
    /// One build at a time holds OUT (`lock`), so any later build removes
    /// what an interrupted one left.
    public static let temporaryPrefix = ".netc-tmp-"
    /// In OUT: the list of renames a build is committing, present only
    /// between its first and last rename.
    public static let journalName = ".netc-commit"
    /// How long a run waits for another to release OUT (NETC_LOCK_WAIT
    /// seconds overrides it).
    public static let lockWait = Double(environment("NETC_LOCK_WAIT") ?? "") ?? 60

    public static func isDirectory(_ p: String) -> Bool? {
        var st = stat()
        guard stat(p, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static var reason: String { String(cString: strerror(errno)) }

    /// Why a build stops at files of OUT that netc did not write, where it
    /// would write its own (`SyncPlan.conflicts`).
    public static func refusing(_ conflicts: [String], in path: String) -> Failure {
        Failure(conflicts.map { "\(path)/\($0) was not written by netc (its first line has no netc label)" }
            .joined(separator: "\nnetc: error: ") + "\nnetc: error: netc does not overwrite it: move it out of \(path) or delete it, then build again")
    }

    /// Runs `body` over `items` on two threads (the machines netc runs on
    /// have two cores at least; more threads only contend in the kernel);
    /// on one below 64 items, where a second thread costs more than it saves.
    public static func parallel<T>(_ items: [T], threads: Int = OutputFolder.threads, _ body: (T) throws -> Void) throws {
        _ = try TwoCores.map(items.count, threads: items.count < 64 ? 1 : threads) { try body(items[$0]) }
    }

    /// Everything an open file holds, through a 64 KiB buffer. A short read
    /// of a regular file is its end (POSIX), which saves the last call.
    public static func readAll(_ fd: Int32, display: @autoclosure () -> String, regularFile: Bool = false, limit: Int? = nil) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let chunk = 65536
        try withUnsafeTemporaryAllocation(byteCount: chunk, alignment: 16) { buffer in
            while true {
                let n = Glibc.read(fd, buffer.baseAddress!, chunk)
                if n < 0 { if errno == EINTR { continue }; throw Failure("cannot read \(display()): \(reason)") }
                if n == 0 { break }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                if let limit, bytes.count > limit {
                    throw Failure("cannot read \(display()): it is larger than \(limit >> 20) MiB, the most netc reads")
                }
                if regularFile && n < chunk { break }
            }
        }
        return bytes
    }

    /// Every regular file directly inside netc's folders of OUT, read on
    /// two threads (`FolderReading`).
    public func read() throws -> FolderContents {
        try FolderReading(self).value()
    }

    /// The regular files directly inside netc's folders of OUT, by name:
    /// what `FolderReading` reads. Removes the temporaries an interrupted
    /// run left (this run holds OUT, `lock`).
    public func list() throws -> Listing {
        if Self.isDirectory(path) == false { throw Failure("output \(path) exists and is not a folder") }
        var l = Listing()
        var failed = true
        defer { if failed { l.close() } }
        let tmp = Array(Self.temporaryPrefix.utf8)
        for folder in OutputLayout.folders {
            let dir = path + "/" + folder
            try Self.refuseLink(dir, what: "folder")
            switch Self.isDirectory(dir) {
            case nil: continue
            case false?: throw Failure("\(dir) exists and is not a folder")
            case true?: break
            }
            let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure("cannot read \(dir): \(Self.reason)") }
            l.dirs.append(fd)
            guard let d = opendir(dir) else { throw Failure("cannot read \(dir): \(Self.reason)") }
            defer { closedir(d) }
            while let e = readdir(d) {
                try withUnsafeBytes(of: e.pointee.d_name) { raw in
                    let name = UnsafeRawBufferPointer(rebasing: raw[..<(raw.firstIndex(of: 0) ?? raw.count)])
                    if name.count <= 2 && name.allSatisfy({ $0 == UInt8(ascii: ".") }) { return }
                    if name.starts(with: tmp) { unlinkat(fd, name.baseAddress!.assumingMemoryBound(to: CChar.self), 0); return }
                    let type = e.pointee.d_type
                    if type == UInt8(DT_DIR) { return }
                    if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) {
                        let full = dir + "/" + String(decoding: name, as: UTF8.self)
                        try Self.refuseLink(full, what: "file")
                        if type == UInt8(DT_UNKNOWN), Self.isDirectory(full) != false { return }
                    }
                    l.pathStarts.append(l.pathBytes.count)
                    l.pathBytes.append(contentsOf: folder.utf8)
                    l.pathBytes.append(UInt8(ascii: "/"))
                    l.files.append((fd, l.pathBytes.count))
                    l.pathBytes.append(contentsOf: name)
                    l.pathBytes.append(0)
                }
            }
        }
        l.pathStarts.append(l.pathBytes.count)
        failed = false
        return l
    }

    /// The files `list` found: each path's bytes (`folder/name` and a NUL)
    /// one after another, and each file's open folder.
    public struct Listing {
        var pathBytes: [UInt8] = []
        /// Where each path starts in `pathBytes`, and, last, the end.
        var pathStarts: [Int] = []
        /// Each file's folder and where its name starts in `pathBytes`.
        var files: [(dir: Int32, name: Int)] = []
        /// The open folders, closed when the files are read.
        var dirs: [Int32] = []

        func close() { dirs.forEach { _ = Glibc.close($0) } }
    }

    /// Writes `plan` into OUT: every temporary, one `syncfs`, the commit.
    public func apply(_ plan: SyncPlan) throws {
        let prepared = try prepare(plan)
        do {
            if !prepared.renames.isEmpty { try syncFileSystem() }
        } catch {
            discard(prepared)
            throw error
        }
        try commit(prepared)
    }

    /// What `prepare` wrote: each changed file's temporary, whole, neither
    /// on disk for sure nor in place yet; and the files to remove.
    public struct Prepared {
        public var renames: [String]
        public var removals: [String]
        /// The folders the temporaries were written through, when kept open.
        var open: (folders: OpenFolders, placed: [(dir: Int32, name: String)])?

        public var isEmpty: Bool { renames.isEmpty && removals.isEmpty }
    }

    /// Steps 1 of `apply`: makes netc's folders and writes every changed
    /// file to a temporary beside it, on `threads` threads. On failure
    /// nothing is left. `keepOpen: false` closes the folders again (a
    /// fleet's thousand hosts would hold four descriptors each until their
    /// commit).
    public func prepare(_ plan: SyncPlan, threads: Int = OutputFolder.threads, keepOpen: Bool = true) throws -> Prepared {
        for folder in OutputLayout.folders {
            let dir = path + "/" + folder
            if Self.isDirectory(dir) == nil { try Self.makeFolder(dir) }
        }
        let writes = plan.create + plan.update
        // Each file by its folder (open once) and name: the *at calls look
        // up one name, not the whole path, and build no path strings.
        let folders = OpenFolders(path)
        let placed = try writes.map { try folders.place($0.path) }
        do {
            try Self.parallel(Array(writes.indices), threads: threads) { i in
                let f = writes[i], (dir, name) = placed[i]
                let fd = openat(dir, Self.temporaryPrefix + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw Failure("cannot write \(path)/\(f.path): \(Self.reason)") }
                var done = 0
                while done < f.bytes.count {
                    let n = f.bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        let why = Self.reason
                        close(fd)
                        throw Failure("cannot write \(path)/\(f.path): \(why)")
                    }
                    done += n
                }
                guard close(fd) == 0 else { throw Failure("cannot write \(path)/\(f.path): \(Self.reason)") }
            }
        } catch {
            for (dir, name) in placed { unlinkat(dir, Self.temporaryPrefix + name, 0) }
            throw error
        }
        return Prepared(renames: writes.map(\.path), removals: plan.remove, open: keepOpen ? (folders, placed) : nil)
    }

    /// Removes what `prepare` wrote (a build that stops before its commit).
    public func discard(_ p: Prepared) {
        if let (_, placed) = p.open {
            for (dir, name) in placed { unlinkat(dir, Self.temporaryPrefix + name, 0) }
        } else {
            for r in p.renames { unlink(Self.temporary(path + "/" + r)) }
        }
    }

    /// Step 3 of `apply`, once the temporaries are on disk (`syncfs`): the
    /// commit. Its list goes on disk first, so that a crash between two
    /// renames is finished by the next run (`recover`); then each rename
    /// replaces one file atomically.
    public func commit(_ p: Prepared) throws {
        if p.isEmpty { return }
        try writeJournal(renames: p.renames, removals: p.removals)
        try commit(renames: p.renames, removals: p.removals, in: p.open)
    }

    /// netc's folders of OUT, open for the *at calls of one run.
    public final class OpenFolders {
        let path: String
        /// The folders opened so far, in order (netc writes three).
        private(set) var opened: [(folder: String, fd: Int32)] = []

        init(_ path: String) {
            self.path = path
        }

        deinit { opened.forEach { close($0.fd) } }

        /// `networkd/10-netc-eth0.network` -> (networkd's descriptor, `10-netc-eth0.network`).
        /// The path is cut on its bytes: a Character scan of each of
        /// 50,000 paths cost a tenth of a 10,000-network build.
        func place(_ file: String) throws -> (dir: Int32, name: String) {
            let slash = file.utf8.lastIndex(of: UInt8(ascii: "/"))!
            let folder = file[..<slash], name = String(file[file.utf8.index(after: slash)...])
            if let f = opened.first(where: { $0.folder == folder }) { return (f.fd, name) }
            let fd = open(path + "/" + folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure("cannot write \(path)/\(folder): \(OutputFolder.reason)") }
            opened.append((String(folder), fd))
            return (fd, name)
        }
    }

    /// `mkdir -p`, with the system's reason when it fails.
    public static func makeFolder(_ p: String) throws {
        var prefix = p.hasPrefix("/") ? "" : "."
        for part in p.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw Failure("cannot create \(p): \(reason)") }
        }
    }

    /// `DIR/.netc-tmp-NAME` for `DIR/NAME`.
    public static func temporary(_ target: String) -> String {
        guard let slash = target.lastIndex(of: "/") else { return temporaryPrefix + target }
        return target[...slash] + temporaryPrefix + target[target.index(after: slash)...]
    }

    public static func refuseLink(_ p: String, what: String) throws {
        var st = stat()
        if lstat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
            throw Failure("\(p) is a symbolic link: netc writes only real files in real folders of OUT (OUT itself may be a link); replace it with a \(what)")
        }
    }

    public func writeJournal(renames: [String], removals: [String]) throws {
        var text: [UInt8] = []
        text.reserveCapacity((renames.count + removals.count) * 40)
        for (mark, paths) in [(UInt8(ascii: "R"), renames), (UInt8(ascii: "D"), removals)] {
            for p in paths {
                text.append(mark)
                text.append(UInt8(ascii: " "))
                text.append(contentsOf: p.utf8)
                text.append(UInt8(ascii: "\n"))
            }
        }
        try Self.writeAtomically(path + "/" + Self.journalName, text)
        try syncFolder("")
    }

    /// One file, durably: a temporary beside it, fsync, rename.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let tmp = temporary(path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("cannot write \(path): \(reason)") }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; let why = reason; close(fd); unlink(tmp); throw Failure("cannot write \(path): \(why)") }
            done += n
        }
        guard fsync(fd) == 0, close(fd) == 0, rename(tmp, path) == 0 else {
            let why = reason
            unlink(tmp)
            throw Failure("cannot write \(path): \(why)")
        }
    }

    /// Renames each temporary over its target, removes `removals`, makes it
    /// durable, then drops the journal. Also finishes an interrupted commit:
    /// a temporary already renamed is skipped.
    /// - Parameters:
    ///   - open, placed: the folders `apply` opened, and each rename's
    ///     folder and name in them.
    public func commit(renames: [String], removals: [String], in open: (folders: OpenFolders, placed: [(dir: Int32, name: String)])? = nil) throws {
        let folders = open?.folders ?? OpenFolders(path)
        let placed = try open?.placed ?? renames.map { try folders.place($0) }
        // The descriptors in `placed` are the folders': open until the end.
        defer { withExtendedLifetime(folders) {} }
        try Self.parallel(Array(renames.indices)) { i in
            let (dir, name) = placed[i]
            guard renameat(dir, Self.temporaryPrefix + name, dir, name) == 0 || errno == ENOENT else {
                throw Failure("cannot write \(path)/\(renames[i]): \(Self.reason)")
            }
        }
        for p in removals where unlink(path + "/" + p) != 0 && errno != ENOENT {
            throw Failure("cannot remove \(path)/\(p): \(Self.reason)")
        }
        // The renames and removals on disk: fsync each touched folder. The
        // renames' folders are the ones placed (`folders` opened no other);
        // a removal's is cut from its path (on bytes: netc has three folders).
        var touched = folders.opened.map(\.folder)
        for p in removals {
            let folder = String(p[..<p.utf8.lastIndex(of: UInt8(ascii: "/"))!])
            if !touched.contains(folder) { touched.append(folder) }
        }
        for folder in touched.sorted() { try syncFolder(folder) }
        guard unlink(path + "/" + Self.journalName) == 0 else {
            throw Failure("cannot remove \(path)/\(Self.journalName): \(Self.reason)")
        }
        try syncFolder("")
    }

    public func syncFolder(_ folder: String) throws {
        let dir = folder.isEmpty ? path : path + "/" + folder
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot sync \(dir): \(Self.reason)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure("cannot sync \(dir): \(Self.reason)") }
    }

    /// Takes OUT's lock for the rest of the process (`create`: making OUT
    /// first; otherwise a missing OUT needs no lock), waiting up to
    /// `lockWait` seconds for another run. Then finishes a commit an
    /// interrupted build left, and removes its temporaries.
    public func lock(create: Bool) throws {
        if Self.isDirectory(path) == nil {
            guard create else { return }
            try Self.makeFolder(path)
        }
        if Self.isDirectory(path) == false { throw Failure("output \(path) exists and is not a folder") }
        // The folder itself is locked (flock on its descriptor): no lock
        // file appears in an OUT that users commit.
        let name = path
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot lock \(path): \(Self.reason)") }
        KeptUntilExit.keep(fd)  // closed, and so unlocked, at exit
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { throw Failure("cannot lock \(name): \(Self.reason)") }
            warn("waiting for another netc run in \(path) to finish (up to \(Int(Self.lockWait)) s)")
            let deadline = Date().addingTimeInterval(Self.lockWait)
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK, Date() < deadline else {
                    throw Failure("another netc run still holds \(name) after \(Int(Self.lockWait)) s; try again when it is done")
                }
                usleep(100_000)
            }
        }
        try recover()
    }

    /// After a crash: a journal means every temporary it names was whole
    /// on disk (written before it): finish the commit. (Temporaries an
    /// interrupted run left are removed by `read`, which lists the folders
    /// anyway.)
    public func recover() throws {
        let journal = path + "/" + Self.journalName
        let fd = open(journal, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            let lines = String(decoding: try Self.readAll(fd, display: journal), as: UTF8.self).split(separator: "\n")
            let renames = lines.filter { $0.hasPrefix("R ") }.map { String($0.dropFirst(2)) }
            let removals = lines.filter { $0.hasPrefix("D ") }.map { String($0.dropFirst(2)) }
            warn("finishing a build of \(path) that was interrupted (\(renames.count) file(s) to put in place, \(removals.count) to remove)")
            try commit(renames: renames, removals: removals)
        }
        unlink(Self.temporary(journal))
    }

    /// glibc declares syncfs(2) only under _GNU_SOURCE: found at run time.
    public static let syncfs: @convention(c) (Int32) -> Int32 = {
        guard let sym = dlsym(dlopen(nil, RTLD_NOW), "syncfs") else { return { _ in sync(); return 0 } }
        return unsafeBitCast(sym, to: (@convention(c) (Int32) -> Int32).self)
    }()

    public func syncFileSystem() throws {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot sync \(path): \(Self.reason)") }
        defer { close(fd) }
        guard Self.syncfs(fd) == 0 else { throw Failure("cannot sync \(path): \(Self.reason)") }
        #else
        sync()
        #endif
    }
}
