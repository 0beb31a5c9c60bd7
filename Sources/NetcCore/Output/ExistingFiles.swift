/// The files now in the output folder's netc folders, by path
/// (`networkd/10-netc-eth0.network`): what `SyncPlan` compares a build with.
/// A dictionary of path -> bytes is one (tests, `apply`); `netc build` reads
/// OUT into a flat store instead, without a String or an array per file
/// (docs/development.md, "After the eighth round").
public protocol ExistingFiles {
    /// How many files there are.
    var count: Int { get }
    /// Every file's path, in no particular order.
    var paths: [String] { get }
    /// Calls `body` with the bytes of the file at `path`, or nil if there is
    /// none; the bytes are valid only inside `body`.
    func withBytes<R>(at path: String, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R
}

extension ExistingFiles {
    /// A copy of the bytes of the file at `path`, if there is one.
    public func bytes(at path: String) -> [UInt8]? {
        withBytes(at: path) { $0.map { Array($0) } }
    }

    /// Every file, as a dictionary.
    public var dictionary: [String: [UInt8]] {
        var d: [String: [UInt8]] = [:]
        d.reserveCapacity(count)
        for p in paths { d[p] = bytes(at: p) }
        return d
    }
}

extension Dictionary: ExistingFiles where Key == String, Value == [UInt8] {
    public var paths: [String] { Array(keys) }

    public func withBytes<R>(at path: String, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard let bytes = self[path] else { return try body(nil) }
        return try bytes.withUnsafeBytes(body)
    }
}
