/// A value kept out of line: the struct holding it stays small, so arrays of
/// such structs copy and grow cheaply (the syntax and model structs hold
/// large optional parts: a network's addressing, an interface's).
@propertyWrapper
public struct Boxed<T: Sendable>: Sendable {
    /// Immutable once made: a set makes a new box, so copies of the struct
    /// never share a change (value semantics without a uniqueness check).
    private final class Storage: Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
    private var storage: Storage

    public init(wrappedValue: T) { storage = Storage(wrappedValue) }

    /// Read in place: `network.ipv4?.subnet` borrows the boxed value
    /// instead of copying all of it (and retaining each of its fields).
    public var wrappedValue: T {
        _read { yield storage.value }
        set { storage = Storage(newValue) }
    }
}
