import Foundation
import NetcCore

#if canImport(Glibc)
import Glibc
#endif

/// netc's files in OUT as `OutputFolder.read` found them, stored flat: every
/// path in one byte array, every file's bytes in large chunks that each
/// reading thread fills on its own, and an open-addressing table from path
/// to file. A 10,000-network OUT has 50,004 files: a String key, an array
/// and a dictionary entry for each cost a rebuild more CPU than reading
/// them (and the two reading threads waited on malloc's lock for the arrays).
public final class FolderContents: ExistingFiles, @unchecked Sendable {
    /// `folder/name` and a NUL for each file, one after another.
    public let pathBytes: [UInt8]
    /// Where each file's path starts in `pathBytes` (and, last, the end):
    /// path i is `pathStarts[i] ..< pathStarts[i + 1] - 1`.
    public let pathStarts: [Int]
    /// Each file's bytes, in `stores`' memory.
    public let contents: [UnsafeRawBufferPointer]
    /// What holds the bytes: freed with this value.
    private let stores: [ChunkStore]
    /// File index + 1 in each slot (0: empty); a power of two, at least
    /// twice the files.
    private let table: [Int32]

    public init(pathBytes: [UInt8], pathStarts: [Int], contents: [UnsafeRawBufferPointer], stores: [ChunkStore]) {
        precondition(pathStarts.count == contents.count + 1)
        self.pathBytes = pathBytes
        self.pathStarts = pathStarts
        self.contents = contents
        self.stores = stores
        var size = 16
        while size < 2 * contents.count { size *= 2 }
        var table = [Int32](repeating: 0, count: size)
        pathBytes.withUnsafeBufferPointer { all in
            for i in contents.indices {
                let path = UnsafeBufferPointer(rebasing: all[pathStarts[i]..<pathStarts[i + 1] - 1])
                var slot = Int(truncatingIfNeeded: Self.hash(path)) & (size - 1)
                while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
                table[slot] = Int32(i + 1)
            }
        }
        self.table = table
    }

    public var count: Int { contents.count }

    public func path(_ i: Int) -> String {
        pathBytes.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[pathStarts[i]..<pathStarts[i + 1] - 1]), as: UTF8.self)
        }
    }

    public var paths: [String] { contents.indices.map(path) }

    /// The bytes of the file at `path`, valid while this store lives.
    public func withBytes<R>(at path: String, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        var path = path
        let i = path.withUTF8 { key in index(of: key) }
        return try body(i.map { contents[$0] })
    }

    public func compare(_ path: String, with bytes: [UInt8]) -> ExistingFile {
        withBytes(at: path) { old in
            guard let old else { return .absent }
            if old.count == bytes.count, bytes.withUnsafeBytes({ $0.isEmpty || memcmp(old.baseAddress!, $0.baseAddress!, old.count) == 0 }) {
                return .same
            }
            return .different(labelled: OutputLayout.isLabelled(bytes: old))
        }
    }

    public func isLabelled(at path: String) -> Bool {
        withBytes(at: path) { $0.map { OutputLayout.isLabelled(bytes: $0) } ?? false }
    }

    public func bytes(at path: String) -> [UInt8]? {
        withBytes(at: path) { $0.map { Array($0) } }
    }

    /// The file whose path is `key`, if any.
    public func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        return pathBytes.withUnsafeBufferPointer { all in
            while true {
                let entry = Int(table[slot])
                if entry == 0 { return nil }
                let start = pathStarts[entry - 1]
                if pathStarts[entry] - 1 - start == key.count,
                   key.isEmpty || memcmp(all.baseAddress! + start, key.baseAddress!, key.count) == 0 {
                    return entry - 1
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// FNV-1a, 64 bits: paths are short, and nobody chooses them to collide
    /// (a collision costs one more probe, not a wrong answer).
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

/// Memory one reading thread fills with whole files, one after another, in
/// chunks it never moves (so a file's bytes keep their address). Chunks are
/// mapped, not allocated: no lock shared with the other threads, and large
/// ones are advised huge pages (where the kernel gives them, one page fault
/// per 2 MiB, not 512).
public final class ChunkStore: @unchecked Sendable {
    /// The space a read is offered: a file is read with one call when it
    /// fits (a short read of a regular file is its end).
    public static let readSize = 64 << 10

    private var chunks: [UnsafeMutableRawBufferPointer] = []
    /// Files larger than what a chunk had left, each in memory of its own.
    private var large: [UnsafeMutableRawBufferPointer] = []
    private var used = 0

    deinit {
        for c in chunks { munmap(c.baseAddress, c.count) }
        for l in large { l.deallocate() }
    }

    /// Reads the whole open regular file `fd` into the store.
    public func read(_ fd: Int32, display: () -> String) throws -> UnsafeRawBufferPointer {
        if chunks.isEmpty || chunks[chunks.count - 1].count - used < Self.readSize { try newChunk() }
        let chunk = chunks[chunks.count - 1]
        let start = chunk.baseAddress! + used
        var n: Int
        repeat { n = Glibc.read(fd, start, Self.readSize) } while n < 0 && errno == EINTR
        if n < 0 { throw Failure("cannot read \(display()): \(OutputFolder.reason)") }
        if n < Self.readSize {
            used += n
            return UnsafeRawBufferPointer(start: start, count: n)
        }
        // Larger than one read: the rest through the general reader.
        let rest = try OutputFolder.readAll(fd, display: display(), regularFile: true)
        let whole = UnsafeMutableRawBufferPointer.allocate(byteCount: n + rest.count, alignment: 16)
        whole.baseAddress!.copyMemory(from: start, byteCount: n)
        if !rest.isEmpty { rest.withUnsafeBytes { (whole.baseAddress! + n).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        large.append(whole)
        return UnsafeRawBufferPointer(whole)
    }

    /// The first chunk is small (most OUTs are a host's few files); each
    /// next one twice the last, up to 4 MiB (those on huge pages). A fleet
    /// reads a thousand host folders of a few hundred KiB: 4 MiB chunks
    /// there cost the kernel 8 GiB of zeroed pages.
    private func newChunk() throws {
        let size = chunks.isEmpty ? 256 << 10 : min(4 << 20, 2 * chunks[chunks.count - 1].count)
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { throw Failure("cannot read the output folder: out of memory") }
        if size >= 4 << 20 { _ = madvise(p, size, adviseHugePages) }
        chunks.append(UnsafeMutableRawBufferPointer(start: p, count: size))
        used = 0
    }
}

/// OUT's files, read on a thread of its own while the caller does something
/// else (a build compiles), then also by the caller: `value()` joins in.
/// The compile has stretches on one core (checking, building the model):
/// one reading thread beside it fills the other core without slowing it,
/// and when the compile is done both cores read what is left. Two reading
/// threads from the start took CPU from the compile and left one core idle
/// at the end (docs/benchmarks.md, the eighth round).
public final class FolderReading: @unchecked Sendable {
    /// Files taken at a time from the shared list.
    public static let batch = 64

    private let path: String
    private let listed = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    // Written by the reading thread before `listed` is signalled.
    private var listing = OutputFolder.Listing()
    private var contents = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>(start: nil, count: 0)
    // Under `lock`.
    private var next = 0
    private var failure: Error?
    /// One store for each reader: the thread and the caller.
    private let stores = [ChunkStore(), ChunkStore()]

    private let background: Bool

    /// - Parameter background: start reading on a thread of its own now;
    ///   false: `value()` reads in the calling thread alone (a fleet's
    ///   hosts, each a few files, already on two threads).
    public init(_ folder: OutputFolder, background: Bool = true) {
        path = folder.path
        self.background = background
        let work: @Sendable () -> Void = { [self] in
            do {
                listing = try folder.list()
                contents = .allocate(capacity: listing.files.count)
                contents.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
            } catch {
                failure = error
            }
            listed.signal()
            read(store: 0)
            finished.signal()
        }
        guard background else { work(); return }
        let thread = Thread(block: work)
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Every file, read by the caller too from here on (unless NETC_THREADS
    /// is 1, or it was all read in `init`).
    public func value() throws -> FolderContents {
        listed.wait()
        if background && OutputFolder.threads > 1 { read(store: 1) }
        finished.wait()
        listing.close()
        defer { contents.deallocate() }
        if let failure { throw failure }
        return FolderContents(pathBytes: listing.pathBytes, pathStarts: listing.pathStarts, contents: Array(contents), stores: stores)
    }

    /// Reads files, `batch` at a time, until none is left or one fails.
    private func read(store: Int) {
        let files = listing.files, starts = listing.pathStarts, out = contents
        listing.pathBytes.withUnsafeBufferPointer { names in
            while true {
                lock.lock()
                let start = next
                next = min(files.count, next + Self.batch)
                let stop = failure != nil
                lock.unlock()
                if stop || start >= files.count { return }
                for i in start..<min(files.count, start + Self.batch) {
                    func display() -> String {
                        path + "/" + String(decoding: UnsafeBufferPointer(rebasing: names[starts[i]..<starts[i + 1] - 1]), as: UTF8.self)
                    }
                    do {
                        let fd = openat(files[i].dir, UnsafeRawPointer(names.baseAddress! + files[i].name).assumingMemoryBound(to: CChar.self),
                                        O_RDONLY | O_CLOEXEC)
                        guard fd >= 0 else { throw Failure("cannot read \(display()): \(OutputFolder.reason)") }
                        defer { close(fd) }
                        out[i] = try stores[store].read(fd, display: display)
                    } catch {
                        lock.lock()
                        if failure == nil { failure = error }
                        lock.unlock()
                        return
                    }
                }
            }
        }
    }
}
