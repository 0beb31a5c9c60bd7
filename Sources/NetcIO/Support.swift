import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failure to report in one line (exit 2): the file system, the host,
/// a command that failed.
public struct Failure: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Large values the process drops only at exit (like compilers, netc does
/// not pay to free memory one allocation at a time just before exiting).
/// Also the descriptors of held locks. `keep` may be called from any thread.
public enum KeptUntilExit {
    nonisolated(unsafe) private static var values: [Any] = []
    private static let lock = NSLock()

    public static func keep(_ value: Any) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }
}

/// glibc's malloc gives each thread that allocates an arena of its own, up
/// to eight per core; netc has two working threads at a time, and memory
/// one arena frees cannot serve another's allocations. Two arenas, one per
/// working thread: a large rebuild takes fewer page faults and less time,
/// and its peak memory is lower (docs/benchmarks.md, the fifth round).
public enum Memory {
    /// M_ARENA_MAX, M_MMAP_THRESHOLD and M_TRIM_THRESHOLD in glibc's malloc.h.
    static let mArenaMax: Int32 = -8, mMmapThreshold: Int32 = -3, mTrimThreshold: Int32 = -1
    /// One arena per working thread.
    static let arenas: Int32 = 2

    public static func tune() {
        _ = mallopt(mArenaMax, arenas)
    }

    /// A fleet's build prints and frees each host's few hundred KiB of
    /// files in turn: with glibc's defaults (buffers from 128 KiB mapped and
    /// unmapped each time, free memory at the top of an arena given back)
    /// the kernel faulted in and zeroed the same pages again for every
    /// host, a fifth of a 1,000-host build's system time. From here on,
    /// allocations below 32 MiB come from the arenas and up to 128 MiB of
    /// free memory is kept (not for a single host: it raised the peak of a
    /// 100,000-network rebuild from 740 to 833 MiB; docs/benchmarks.md).
    public static func keepFreedMemory() {
        _ = mallopt(mMmapThreshold, 32 << 20)
        _ = mallopt(mTrimThreshold, 128 << 20)
    }

    /// mallopt(3) and its parameters (malloc.h, which Swift's Glibc module
    /// does not import), found at run time.
    private static func mallopt(_ parameter: Int32, _ value: Int32) -> Int32 {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return 0 }
        return unsafeBitCast(symbol, to: Mallopt.self)(parameter, value)
        #else
        return 0
        #endif
    }
}

/// One environment variable (getenv: ProcessInfo's environment copies the
/// whole environment into a dictionary first).
public func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// `NETC_TIMINGS=1`: where a run's time goes, one line per phase on
/// standard error (for `make bench` and profiling; not a stable format).
public enum Timings {
    static let enabled = environment("NETC_TIMINGS") == "1"
    nonisolated(unsafe) static var last = DispatchTime.now().uptimeNanoseconds

    public static func mark(_ phase: String) {
        guard enabled else { return }
        let now = max(DispatchTime.now().uptimeNanoseconds, last)
        FileHandle.standardError.write(Data(String(format: "netc: %-14@ %8.3f ms\n", phase as NSString, Double(now - last) / 1e6).utf8))
        last = now
    }
}

/// A warning on standard error, in netc's form.
public func warn(_ message: String) {
    FileHandle.standardError.write(Data("netc: warning: \(message)\n".utf8))
}
