/// The files now in the output folder's netc folders, by path
/// (`networkd/10-netc-eth0.network`): what `SyncPlan` compares a build with.
/// A dictionary of path -> bytes is one (tests, `apply`); `netc build`
/// reads OUT into a store of its own (NetcIO's `FolderContents`), which
/// answers these questions without a copy of each file.
public protocol ExistingFiles {
    /// How many files there are.
    var count: Int { get }
    /// Every file's path, in no particular order.
    var paths: [String] { get }
    /// What stands at `path`, compared with a generated file's bytes.
    func compare(_ path: String, with bytes: [UInt8]) -> ExistingFile
    /// Whether the file at `path` starts with netc's label
    /// (`OutputLayout.isLabelled`); false when there is none.
    func isLabelled(at path: String) -> Bool
    /// A copy of the bytes of the file at `path`, if there is one.
    func bytes(at path: String) -> [UInt8]?
}

/// What `ExistingFiles.compare` finds at a generated file's path.
public enum ExistingFile: Sendable, Equatable {
    case absent
    case same
    /// Other bytes: netc's (labelled) or a file netc did not write.
    case different(labelled: Bool)
}

extension ExistingFiles {
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

    public func compare(_ path: String, with bytes: [UInt8]) -> ExistingFile {
        guard let old = self[path] else { return .absent }
        return old == bytes ? .same : .different(labelled: OutputLayout.isLabelled(bytes: old))
    }

    public func isLabelled(at path: String) -> Bool {
        self[path].map { OutputLayout.isLabelled(bytes: $0) } ?? false
    }

    public func bytes(at path: String) -> [UInt8]? { self[path] }
}
