/// One generated file: a path relative to the output folder, and its bytes.
public struct OutputFile: Hashable, Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, contents: String) {
        self.init(path: path, bytes: Array(contents.utf8))
    }

    /// The bytes as text (for tests and diffs).
    public var contents: String { String(decoding: bytes, as: UTF8.self) }
}
