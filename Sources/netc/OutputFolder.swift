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
struct OutputFolder {
    var path: String

    /// Threads for reading and writing: two (the machines netc runs on have
    /// two cores at least; more only contend in the kernel). NETC_THREADS
    /// overrides it, for measuring.
    static let threads = max(1, Int(ProcessInfo.processInfo.environment["NETC_THREADS"] ?? "") ?? 2)

    /// A temporary's name: `.netc-tmp-PID-NAME`.
    static let temporaryPrefix = ".netc-tmp-"

    static func isDirectory(_ p: String) -> Bool? {
        var st = stat()
        guard stat(p, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    static var reason: String { String(cString: strerror(errno)) }

    /// Runs `body` over `items` on two threads (the machines netc runs on
    /// have two cores at least; more threads only contend in the kernel).
    static func parallel<T>(_ items: [T], threads: Int = OutputFolder.threads, _ body: (T) throws -> Void) throws {
        if items.count < 64 || threads == 1 {
            for i in items { try body(i) }
            return
        }
        try withoutActuallyEscaping(body) { body in
            let shared = Shared(items: items, threads: threads, body: body)
            DispatchQueue.concurrentPerform(iterations: threads) { shared.run(chunk: $0) }
            if let failure = shared.failure { throw failure }
        }
    }

    /// The state two threads share in `parallel`: read-only items and body,
    /// and the first failure under a lock.
    final class Shared<T>: @unchecked Sendable {
        let threads: Int
        let items: [T]
        let body: (T) throws -> Void
        let lock = NSLock()
        var failure: Error?

        init(items: [T], threads: Int, body: @escaping (T) throws -> Void) {
            self.items = items
            self.threads = threads
            self.body = body
        }

        func run(chunk: Int) {
            var i = chunk
            while i < items.count {
                do { try body(items[i]) } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                    return
                }
                i += threads
            }
        }
    }

    /// A regular file's bytes, by name in an open folder: one read for a
    /// file under 64 KiB (a short read of a regular file is its end).
    static func readFile(at dir: Int32, _ name: String, display: String) throws -> [UInt8] {
        let fd = openat(dir, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot read \(display): \(reason)") }
        defer { close(fd) }
        return try readAll(fd, display: display, regularFile: true)
    }

    /// Everything an open file holds, through a 64 KiB buffer. A short read
    /// of a regular file is its end (POSIX), which saves the last call.
    static func readAll(_ fd: Int32, display: String, regularFile: Bool = false) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let chunk = 65536
        try withUnsafeTemporaryAllocation(byteCount: chunk, alignment: 16) { buffer in
            while true {
                let n = Glibc.read(fd, buffer.baseAddress!, chunk)
                if n < 0 { if errno == EINTR { continue }; throw Failure("cannot read \(display): \(reason)") }
                if n == 0 { break }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                if regularFile && n < chunk { break }
            }
        }
        return bytes
    }

    /// Every regular file directly inside netc's folders of OUT.
    func read(threads: Int = OutputFolder.threads) throws -> [String: [UInt8]] {
        if Self.isDirectory(path) == false { throw Failure("output \(path) exists and is not a folder") }
        var files: [(dir: Int32, folder: String, name: String)] = []
        var dirs: [Int32] = []
        defer { dirs.forEach { close($0) } }
        for folder in OutputLayout.folders {
            let dir = path + "/" + folder
            switch Self.isDirectory(dir) {
            case nil: continue
            case false?: throw Failure("\(dir) exists and is not a folder")
            case true?: break
            }
            let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0, let d = opendir(dir) else { throw Failure("cannot read \(dir): \(Self.reason)") }
            dirs.append(fd)
            defer { closedir(d) }
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." || name.hasPrefix(Self.temporaryPrefix) { continue }
                let type = e.pointee.d_type
                if type == UInt8(DT_DIR) { continue }
                if type == UInt8(DT_UNKNOWN), Self.isDirectory(dir + "/" + name) != false { continue }
                files.append((fd, folder, name))
            }
        }
        var contents = [[UInt8]](repeating: [], count: files.count)
        try contents.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            try Self.parallel(Array(files.indices), threads: threads) { i in
                let f = files[i]
                out[i] = try Self.readFile(at: f.dir, f.name, display: path + "/" + f.folder + "/" + f.name)
            }
        }
        var result: [String: [UInt8]] = [:]
        result.reserveCapacity(files.count)
        for (i, f) in files.enumerated() { result[f.folder + "/" + f.name] = contents[i] }
        return result
    }

    func apply(_ plan: SyncPlan) throws {
        for folder in OutputLayout.folders {
            let dir = path + "/" + folder
            if Self.isDirectory(dir) == nil {
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw Failure("cannot create \(dir): \(error.localizedDescription)")
                }
            }
        }
        let writes = plan.create + plan.update
        let pid = getpid()
        func temporary(_ f: OutputFile) -> String {
            let slash = f.path.lastIndex(of: "/")!
            return path + "/" + f.path[..<slash] + "/" + Self.temporaryPrefix + "\(pid)-" + f.path[f.path.index(after: slash)...]
        }
        do {
            // 1. Every temporary, whole.
            try Self.parallel(writes) { f in
                let tmp = temporary(f)
                let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
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
            // 2. Their data on disk, with one call for the whole file system.
            if !writes.isEmpty { try syncFileSystem() }
        } catch {
            for f in writes { unlink(temporary(f)) }
            throw error
        }
        // 3. Each rename replaces one file atomically.
        try Self.parallel(writes) { f in
            guard rename(temporary(f), path + "/" + f.path) == 0 else {
                let why = Self.reason
                unlink(temporary(f))
                throw Failure("cannot write \(path)/\(f.path): \(why)")
            }
        }
        for p in plan.remove where unlink(path + "/" + p) != 0 {
            throw Failure("cannot remove \(path)/\(p): \(Self.reason)")
        }
        // 4. The renames and removals on disk: fsync each touched folder.
        let touched = Set((writes.map(\.path) + plan.remove).map { String($0[..<$0.lastIndex(of: "/")!]) })
        for folder in touched.sorted() {
            let fd = open(path + "/" + folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure("cannot sync \(path)/\(folder): \(Self.reason)") }
            defer { close(fd) }
            guard fsync(fd) == 0 else { throw Failure("cannot sync \(path)/\(folder): \(Self.reason)") }
        }
    }

    /// glibc declares syncfs(2) only under _GNU_SOURCE: found at run time.
    static let syncfs: @convention(c) (Int32) -> Int32 = {
        guard let sym = dlsym(dlopen(nil, RTLD_NOW), "syncfs") else { return { _ in sync(); return 0 } }
        return unsafeBitCast(sym, to: (@convention(c) (Int32) -> Int32).self)
    }()

    func syncFileSystem() throws {
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

/// `NETC_TIMINGS=1`: where a run's time goes, one line per phase on
/// standard error (for `make bench` and profiling; not a stable format).
enum Timings {
    static let enabled = ProcessInfo.processInfo.environment["NETC_TIMINGS"] == "1"
    nonisolated(unsafe) static var last = DispatchTime.now().uptimeNanoseconds

    static func mark(_ phase: String) {
        guard enabled else { return }
        let now = max(DispatchTime.now().uptimeNanoseconds, last)
        FileHandle.standardError.write(Data(String(format: "netc: %-14@ %8.3f ms\n", phase as NSString, Double(now - last) / 1e6).utf8))
        last = now
    }
}

/// A computation on another thread, joined by `value()`.
final class Background<T>: @unchecked Sendable {
    private var result: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            result = Result { try body() }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func value() throws -> T {
        done.wait()
        return try result!.get()
    }
}
