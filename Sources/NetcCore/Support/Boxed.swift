/// A value kept out of line: the struct holding it stays small, so arrays of
/// such structs copy and grow cheaply (the syntax and model structs hold
/// large optional parts: a network's addressing, an interface's).
@propertyWrapper
public struct Boxed<T: Sendable>: Sendable {
    private indirect enum Storage: Sendable { case value(T) }
    private var storage: Storage

    public init(wrappedValue: T) { storage = .value(wrappedValue) }

    public var wrappedValue: T {
        get { switch storage { case .value(let v): v } }
        set { storage = .value(newValue) }
    }
}
